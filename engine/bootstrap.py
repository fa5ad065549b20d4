"""Building the engine from its parts: the only place that wires adapters together."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

import forms
from engine import audit
from engine.api import ProcessEngine
from engine.audit import AuditSeal
from engine.bpmn import spiff_state
from engine.bpmn.serializer import StateSerializer
from engine.clock import Clock
from engine.errors import FieldProblem
from engine.licensing.operations import register_operations
from engine.operations import OperationRegistry, core
from engine.runtime.definitions import DefinitionStore
from engine.runtime.instances import Runtime
from engine.runtime.resident import DEFAULT_SIZE as DEFAULT_RESIDENT
from engine.runtime.resident import ResidentWorkflows
from engine.runtime.step import Ports
from engine.store import (
    jsontext,
    licensing_tables,  # noqa: F401 - its tables join the metadata
)
from engine.store.tables import metadata


def make_db_engine(url: str) -> Engine:
    """A SQLAlchemy engine; SQLite gets WAL, foreign keys and a busy timeout for concurrent writers. JSON columns
    are written and read by engine/store/jsontext.py (the values the standard library would write, faster)."""
    json_text = {"json_serializer": jsontext.dumps, "json_deserializer": jsontext.loads}
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, **json_text)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            # a step writes 30 to 50 pages (its state, rows, their indexes); checkpointing the WAL into the database
            # every 1 000 pages (SQLite's default) synced the file every 20-odd steps, 6 % of a procedure. Every
            # 10 000 pages syncs a tenth as often and copies a page written many times between checkpoints once;
            # the WAL file is cut back to 64 MB after a checkpoint
            cur.execute("PRAGMA wal_autocheckpoint=10000")
            cur.execute(f"PRAGMA journal_size_limit={64 * 2**20}")
            cur.close()

        return engine
    engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10, **json_text)
    if engine.dialect.name == "postgresql":
        event.listen(engine, "connect", _compress_with_lz4)
    return engine


def _compress_with_lz4(dbapi_conn: Any, _record: Any) -> None:
    """PostgreSQL compresses every value over 2 kB it stores (each step's serialized state, large audit data)
    with pglz unless told otherwise; LZ4 compresses as well at half the cost of an update. Servers built
    without LZ4 (or older than 14) keep their default."""
    try:
        with dbapi_conn.cursor() as cur:
            cur.execute("SET default_toast_compression = 'lz4'")
        dbapi_conn.commit()
    except Exception:  # noqa: BLE001 - any refusal leaves the server's default in place
        dbapi_conn.rollback()


def default_registry() -> OperationRegistry:
    """Every operation the shipped diagrams use: the engine's own and the licensing domain's."""
    registry = OperationRegistry()
    core.register(registry)
    register_operations(registry)
    return registry


def validate_form(key: str, data: dict[str, Any]) -> list[FieldProblem]:
    return [FieldProblem(e.field, e.message) for e in forms.validate(key, data)]


@dataclass
class Wiring:
    """What build_engine produced, for callers that need the parts (web app, tests, benchmarks)."""

    engine: ProcessEngine
    db: Engine
    operations: OperationRegistry
    ports: Ports


def build_engine(
    db: Engine,
    *,
    clock: Clock,
    operations: OperationRegistry | None = None,
    ports: Ports | None = None,
    form_exists: Callable[[str], bool] | None = None,
    form_validator: Callable[[str, dict[str, Any]], list[FieldProblem]] = validate_form,
    create_schema: bool = False,
    audit_seal: AuditSeal | None = None,
    resident_workflows: int = DEFAULT_RESIDENT,
) -> Wiring:
    if create_schema:
        metadata.create_all(db)
    spiff_state.install()
    session_factory = sessionmaker(bind=db, expire_on_commit=False)
    audit.bind(session_factory, audit_seal or AuditSeal())  # the web app passes its key and checkpoint file
    operations = operations or default_registry()
    ports = ports or Ports()
    serializer = StateSerializer()
    definitions = DefinitionStore(serializer, form_exists=form_exists or forms.exists, operations=operations)
    runtime = Runtime(definitions=definitions, serializer=serializer, operations=operations, ports=ports,
                      clock=clock, validate_form=form_validator, resident=ResidentWorkflows(resident_workflows))
    ports.services.setdefault("runtime", runtime)  # operations that start another procedure (re-opening)
    facade = ProcessEngine(session_factory=session_factory, clock=clock, definitions=definitions, runtime=runtime)
    return Wiring(engine=facade, db=db, operations=operations, ports=ports)
