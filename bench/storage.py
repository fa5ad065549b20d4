"""Bytes per finished licence issue on PostgreSQL.

``measure_growth`` (the headline ``bytes_per_instance``; ``bench.procedures.licence_throughput`` takes the
two snapshots around its timed PostgreSQL runs, ``growth_run`` does the same alone) is measured by the
database itself: the sum of ``pg_total_relation_size`` (heap, TOAST and every index) over all tables, before
and after N finished licence-issue procedures with documents stubbed, each time after ``VACUUM FULL`` (so
the dead row versions of the instance's updates are not counted: what is left is what a finished procedure
keeps), divided by N. Relations grow by 8 kB pages, so the rounding is about ± (tables × 8 kB) / N.
Everything the procedure writes counts, the licence's validity procedure it starts included; the applicant's
uploads and the fee payment seed are made before the first snapshot and are not counted. The ``document``
table is reported apart: ``documents_bytes_per_instance`` is its size per finished licence issue after the
run with real documents (PDF + signed XML, kk and ru).

``measure`` (``bytes_per_instance_model``, ``storage_bytes_by_table``) is the earlier model, kept for the
breakdown: every column's stored size (``pg_column_size``, so TOAST compression counts) plus the 24-byte
tuple header, summed over the rows of the tables below, per finished licence issue; no indexes, no
free space.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine

# table -> the condition selecting rows that belong to instances
PER_INSTANCE = {
    "process_instance": "TRUE",
    "human_task": "TRUE",
    "timer": "TRUE",
    "audit_event": "chain <> 'system'",
    "audit_chain_head": "chain <> 'system'",
    "outbox_event": "instance_id IS NOT NULL",
    "staff_notification": "instance_id IS NOT NULL",
    "application": "TRUE",
    "cabinet_notice": "application_id IS NOT NULL",
    "licence": "TRUE",
    "licence_state": "TRUE",
}
DOCUMENTS = {"document": "TRUE"}
# per finished licence issue: the rows of what it started (the licence's validity procedure) count with it
FINISHED_ISSUES = "SELECT count(*) FROM process_instance WHERE process_key = 'licence_issue' AND status = 'completed'"


def _table_bytes(conn: Any, table: str, where: str) -> tuple[int, int, int]:
    """(rows, stored bytes, raw bytes) of the rows of ``table`` matching ``where``."""
    columns = [r[0] for r in conn.execute(text(
        "SELECT column_name FROM information_schema.columns WHERE table_name = :t AND table_schema = 'public'"),
        {"t": table})]
    stored = " + ".join(f"coalesce(pg_column_size({c}), 0)" for c in columns)
    raw = " + ".join(f"coalesce(octet_length({c}::text), 0)" for c in columns)
    row = conn.execute(text(f"SELECT count(*), coalesce(sum(24 + {stored}), 0), coalesce(sum({raw}), 0) "
                            f"FROM {table} WHERE {where}")).one()
    return int(row[0]), int(row[1]), int(row[2])


def measure(db: Engine) -> dict[str, Any]:
    with db.connect() as conn:
        finished = conn.execute(text(FINISHED_ISSUES)).scalar()
        if not finished:
            raise RuntimeError("no finished licence issue to measure")
        tables = {t: _table_bytes(conn, t, w) for t, w in {**PER_INSTANCE, **DOCUMENTS}.items()}
        state = conn.execute(text("SELECT avg(octet_length(state_json)), avg(pg_column_size(state_json)) "
                                  "FROM process_instance")).one()
    per_table = {t: round(v[1] / finished) for t, v in tables.items()}
    rows_per_instance = {t: round(v[0] / finished, 1) for t, v in tables.items()}
    excluded = sum(tables[t][1] for t in PER_INSTANCE) / finished
    raw_excluded = sum(tables[t][2] for t in PER_INSTANCE) / finished
    documents = tables["document"][1] / finished
    return {
        "bytes_per_instance": excluded,
        "bytes_per_instance_with_documents": excluded + documents,
        "bytes_per_instance_raw": raw_excluded,
        "state_json_bytes_raw": float(state[0]),
        "state_json_bytes_stored": float(state[1]),
        "storage_instances": finished,
        "storage_bytes_by_table": per_table,
        "storage_rows_by_table": rows_per_instance,
    }


def _relation_bytes(conn: Any) -> dict[str, int]:
    rows = conn.execute(text("SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c "
                             "JOIN pg_namespace n ON n.oid = c.relnamespace "
                             "WHERE n.nspname = 'public' AND c.relkind = 'r'"))
    return {str(name): int(size) for name, size in rows}


def snapshot(db: Engine) -> dict[str, int]:
    """Every table's total size (heap + TOAST + indexes) after ``VACUUM FULL``."""
    with db.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        conn.execute(text("VACUUM FULL"))
        return _relation_bytes(conn)


def measure_growth(before: dict[str, int], after: dict[str, int], instances: int) -> dict[str, Any]:
    """``bytes_per_instance`` (all tables but ``document``) and the document table apart, per instance."""
    delta = {t: after.get(t, 0) - before.get(t, 0) for t in after}
    documents = delta.pop("document", 0)
    return {
        "bytes_per_instance": sum(delta.values()) / instances,
        "documents_bytes_per_instance_stub": documents / instances,
        "storage_growth_instances": instances,
        "storage_growth_by_table": {t: round(v / instances) for t, v in sorted(delta.items()) if v},
    }


def documents_bytes(db: Engine) -> dict[str, Any]:
    """What issued documents (PDF + signed XML, kk and ru) take per finished instance, as stored."""
    with db.connect() as conn:
        finished = conn.execute(text(FINISHED_ISSUES)).scalar()
        size = conn.execute(text("SELECT pg_total_relation_size('document')")).scalar()
    return {"documents_bytes_per_instance": int(size or 0) / max(1, int(finished or 0))}


def inspect_with_documents(db: Engine) -> dict[str, Any]:
    """After the PostgreSQL run with real documents: what documents add, and the per-column model."""
    model = measure(db)
    return {**documents_bytes(db), "bytes_per_instance_model": model["bytes_per_instance"],
            "bytes_per_instance_with_documents_model": model["bytes_per_instance_with_documents"],
            **{k: model[k] for k in ("bytes_per_instance_raw", "state_json_bytes_raw", "state_json_bytes_stored",
                                     "storage_bytes_by_table", "storage_rows_by_table")}}


def growth_run(count: int) -> dict[str, Any]:
    """``count`` licence-issue procedures (documents stubbed) through the app on a fresh PostgreSQL
    database; the tables' growth between two ``VACUUM FULL`` snapshots, per finished procedure."""
    import tempfile
    from pathlib import Path

    from bench.common import MORNING, pg_database
    from bench.procedures import LicenceDriver, make_app

    with pg_database("storage") as url, tempfile.TemporaryDirectory(prefix="bench-keys-") as keys:
        app = make_app(url, Path(keys), now=MORNING)
        db = app.extensions["licensing"].wiring.db
        try:
            driver = LicenceDriver(app, documents="stub")
            driver.check(driver.run(driver.prepare()))  # warm-up: every table has its first pages
            bodies = [driver.prepare() for _ in range(count)]  # uploads and fee seeds are not counted
            before = snapshot(db)
            for body in bodies:
                driver.check(driver.run(body))
            after = snapshot(db)
        finally:
            db.dispose()
    return measure_growth(before, after, count)
