"""A PostgreSQL database with 100 000 licence-issue instances, for the HTTP and scheduler figures.

Going through the engine would take hours, so the rows are written directly — but they are copies of
rows the engine wrote. The engine first runs a few real procedures (documents stubbed) and leaves them
at each stage: waiting for completeness_check, for qualification_check, for sign_licence, and finished
with a licence. Every generated instance copies the rows of one of these templates — its serialized
state (the real text, so search pages read realistic rows), its application, its human tasks, its timers,
its audit trail, monitoring feed, staff notifications and cabinet notices, and the rows naming the officers
its tasks name (``instance_officer``, as the engine keeps them) — with ids, names, BINs and moments of its own:

- half the instances (50.1 %) are running (pending timers all due after the wall clock, two each: the A3.4 total
  term and the open task's deadline), a small share cancelled, the rest finished over three years;
- the relational rows go in with PostgreSQL ``COPY`` (each value bound by its column's SQLAlchemy type, as
  ``insert()`` would) in batches over two connections; the event
  rows (about 25 per instance) are copied server-side with ``INSERT … SELECT`` from the template rows;
- the indexes no constraint owns are dropped before and built again after the load (the same definitions,
  read from ``pg_indexes``), which is much faster than maintaining them row by row.

The real instances waiting for completeness_check stay real: the HTTP benchmark completes their tasks.
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, Text, create_engine, select, text
from sqlalchemy.engine import Connection, Engine

from bench.common import log
from engine import legal_time
from engine.store.licensing_tables import Application, CabinetNotice
from engine.store.tables import (
    AuditEvent,
    ChainHead,
    HumanTask,
    InstanceOfficer,
    OutboxEvent,
    ProcessInstance,
    StaffNotification,
    Timer,
)

WORDS = ["Алтын", "Бірлік", "Дала", "Жұлдыз", "Қазына", "Нұр", "Сарыарқа", "Тұлпар", "Өркен", "Шұғыла", "Digital",
         "Mining", "Energy", "Hash", "Ekibastuz", "Pavlodar", "Steppe", "Qazaq", "Power", "Compute", "Байтерек",
         "Арман", "Береке", "Samruk", "Volt", "Grid", "Atlas", "Орда", "Тараз", "Астана"]
FORMS = ("ТОО", "АО", "ИП", "ТОО", "ТОО")
# share of the instances at each stage (running: half; then finished, cancelled)
MIX = (("completeness", 0.20), ("qualification", 0.20), ("sign", 0.101), ("cancelled", 0.029), ("issued", 0.35),
       ("refused", 0.07), ("not_considered", 0.05))
TEMPLATE_OF = {"completeness": "completeness", "qualification": "qualification", "sign": "sign",
               "cancelled": "completeness", "issued": "done", "refused": "done", "not_considered": "done"}
EVENT_TABLES = {
    "audit_event": ("chain, seq, at, actor, kind, element, clause, data, hash",
                    "s.instance_id, t.seq, s.started_at + t.offset_s * interval '1 second', t.actor, t.kind, "
                    "t.element, t.clause, t.data, t.hash"),
    "outbox_event": ("at, instance_id, application_id, kind, element, clause, payload",
                     "s.started_at + t.offset_s * interval '1 second', s.instance_id, s.application_id, t.kind, "
                     "t.element, t.clause, t.payload"),
    "staff_notification": ("at, recipient, kind, instance_id, task_id, text, read_at",
                           "s.started_at + t.offset_s * interval '1 second', t.recipient, t.kind, s.instance_id, "
                           "t.task_id, t.text, t.read_at"),
    "cabinet_notice": ("application_id, licence_number, bin_iin, at, kind, text_kk, text_ru, text_en",
                       "s.application_id, t.licence_number, s.bin_iin, s.started_at + t.offset_s * interval '1 second',"
                       " t.kind, t.text_kk, t.text_ru, t.text_en"),
}


def _shift(value: Any, delta: timedelta) -> Any:
    return value + delta if isinstance(value, datetime) else value


def _templates(db: Engine, instance_ids: dict[str, str]) -> dict[str, dict[str, Any]]:
    """The rows the engine wrote for each template instance."""
    out: dict[str, dict[str, Any]] = {}
    with db.connect() as conn:
        for stage, instance_id in instance_ids.items():
            instance = dict(conn.execute(select(ProcessInstance.__table__).where(
                ProcessInstance.id == instance_id)).mappings().one())
            app = dict(conn.execute(select(Application.__table__).where(
                Application.id == instance["business_key"])).mappings().one())
            tasks = [dict(r) for r in conn.execute(select(HumanTask.__table__).where(
                HumanTask.instance_id == instance_id).order_by(HumanTask.created_at)).mappings()]
            timers = [dict(r) for r in conn.execute(select(Timer.__table__).where(
                Timer.instance_id == instance_id).order_by(Timer.id)).mappings()]
            out[stage] = {"instance": instance, "application": app, "tasks": tasks, "timers": timers,
                          "task_moments": [_moments(t) for t in tasks], "timer_moments": [_moments(t) for t in timers]}
    return out


_VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}


def _uuid4() -> str:
    """A random UUID (version 4) as text, as ``str(uuid.uuid4())`` but without building a ``uuid.UUID``."""
    h = os.urandom(16).hex()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:]}"


def _moments(row: dict[str, Any]) -> list[str]:
    """The row's columns holding a moment, which every copy shifts (the same for each copy: found once)."""
    return [name for name, value in row.items() if isinstance(value, datetime)]


def _names(rnd: random.Random, i: int) -> tuple[str, str, str]:
    name = f"{rnd.choice(FORMS)} «{rnd.choice(WORDS)} {rnd.choice(WORDS)} {i}»"
    bin_iin = f"{rnd.choice((21, 22, 23, 19, 18))}{rnd.randint(1, 12):02d}4{i:07d}"
    return name, name.casefold(), bin_iin


def _rows_for(i: int, stage: str, tpl: dict[str, Any], now: datetime, rnd: random.Random) -> dict[str, Any]:
    instance, app = tpl["instance"], tpl["application"]
    base = instance["started_at"]
    running = stage in ("completeness", "qualification", "sign")
    if running:
        started = now - timedelta(seconds=rnd.uniform(60, 20 * 3600))  # every pending timer stays ahead of now
    else:
        started = now - timedelta(days=rnd.uniform(21, 3 * 365))
    delta = started - base
    ended = started + timedelta(days=rnd.uniform(1, 21)) if not running else None
    instance_id, app_id = _uuid4(), _uuid4()
    name, key, bin_iin = _names(rnd, i)
    outcome = {"issued": "issued", "refused": "refused", "not_considered": "not_considered"}.get(stage)
    status = "running" if running else ("cancelled" if stage == "cancelled" else "completed")
    year = legal_time.to_local(started).year
    licence = f"DM0{1 if app['subtype'] == 'I' else 2}-{year}-B{i:06d}" if outcome == "issued" else None
    body = dict(app["body"])
    body["applicant"] = {**body.get("applicant", {}), "name": name, "bin_iin": bin_iin}
    app_row = {**app, "id": app_id, "number": f"KZ-DM-{year}-B{i:06d}", "bin_iin": bin_iin, "applicant_name": name,
               "applicant_key": key, "licence_number": licence, "body": body, "idempotency_key": app_id,
               "submitted_at": started, "registered_at": _shift(app["registered_at"], delta),
               "expected_result_at": _shift(app["expected_result_at"], delta), "outcome": outcome,
               "status": {"running": app["status"], "cancelled": "cancelled", "completed": "decided"}[status],
               "instance_id": instance_id, "decided_at": ended if outcome else None}
    inst_row = {**instance, "id": instance_id, "business_key": app_id, "started_at": started, "status": status,
                "ended_at": ended, "outcome": outcome, "version_id": 1, "applicant_key": key,
                "active_elements": instance["active_elements"] if running else []}
    tasks = []
    for t, moments in zip(tpl["tasks"], tpl["task_moments"], strict=True):
        task = {**t, **{k: t[k] + delta for k in moments}, "id": _uuid4(), "instance_id": instance_id,
                "application_id": app_id, "applicant_name": name, "applicant_key": key, "bin_iin": bin_iin}
        if stage == "cancelled" and task["status"] == "open":
            task["status"], task["completed_at"] = "cancelled", ended
        tasks.append(task)
    timers = []
    for t, moments in zip(tpl["timers"], tpl["timer_moments"], strict=True):
        timer = {**t, **{k: t[k] + delta for k in moments}}
        del timer["id"]
        timer.update(instance_id=instance_id, spiff_task_id=_uuid4())
        if stage == "cancelled" and timer["fired_at"] is None and timer["cancelled_at"] is None:
            timer["cancelled_at"] = ended
        timers.append(timer)
    officers = {name for task in tasks for name in (task["completed_by"], task["claimed_by"]) if name}
    return {"application": app_row, "instance": inst_row, "tasks": tasks, "timers": timers,
            "officers": [{"officer": name, "instance_id": instance_id, "started_at": started}
                         for name in sorted(officers)],
            "stage": {"instance_id": instance_id, "application_id": app_id, "bin_iin": bin_iin,
                      "stage": TEMPLATE_OF[stage], "started_at": started.astimezone(UTC).replace(tzinfo=None),
                      "part": i % 2}}


# where each generated instance comes from, for the server-side copy of its event rows (dropped after the load)
STAGE = Table("bench_stage", MetaData(), Column("instance_id", String(36)), Column("application_id", String(36)),
              Column("bin_iin", String(12)), Column("stage", Text), Column("started_at", DateTime),
              Column("part", Integer), prefixes=["UNLOGGED"])


def _copy_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` with PostgreSQL ``COPY … FROM STDIN`` in the connection's transaction.

    Each value goes through the column type's own bind processing first (aware datetimes to naive UTC,
    JSON to JSONB), so the stored rows are those SQLAlchemy's ``insert()`` would write; COPY only saves the
    statement building and parameter round-trips of millions of values."""
    if not rows:
        return
    names = list(rows[0])
    processors = [table.c[name].type._cached_bind_processor(conn.dialect) for name in names]
    quote = conn.dialect.identifier_preparer.quote
    statement = f"COPY {quote(table.name)} ({', '.join(quote(n) for n in names)}) FROM STDIN"
    with conn.connection.driver_connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([process(row[name]) if process else row[name]
                            for name, process in zip(names, processors, strict=True)])


BULK_TABLES = ("application", "process_instance", "human_task", "instance_officer", "timer", "audit_event",
               "audit_chain_head", "outbox_event", "staff_notification", "cabinet_notice")


def _drop_secondary_indexes(db: Engine) -> list[str]:
    """Drop the bulk-loaded tables' indexes that no constraint owns; returns their definitions.

    Building an index once over the loaded rows is much faster than updating it for each of millions of
    inserted rows (a GIN trigram index especially); :func:`_create_indexes` makes the same indexes again, so
    the database measured has exactly the migrated schema."""
    with db.begin() as conn:
        rows = conn.execute(text(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = 'public' "
            "AND i.tablename = ANY(:tables) AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
            "WHERE c.conname = i.indexname)"), {"tables": list(BULK_TABLES)}).all()
        for name, _definition in rows:
            conn.execute(text(f'DROP INDEX "{name}"'))
    return [definition for _name, definition in rows]


def _create_indexes(url: str, definitions: list[str]) -> None:
    """The dropped indexes again, over two connections."""
    def part(share: list[str]) -> None:
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("SET maintenance_work_mem = '256MB'"))
            for definition in share:
                conn.execute(text(definition))
        engine.dispose()

    threads = [threading.Thread(target=part, args=(definitions[n::2],)) for n in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def _copy_events(url: str, templates: dict[str, str]) -> None:
    """Event rows of every generated instance, copied server-side from its template's rows."""
    db = create_engine(url)
    with db.begin() as conn:
        for table in EVENT_TABLES:
            key = {"cabinet_notice": "application_id", "audit_event": "chain"}.get(table, "instance_id")
            arms = " UNION ALL ".join(
                f"SELECT '{stage}' AS stage, x.*, EXTRACT(EPOCH FROM x.at - p.started_at)::float8 AS offset_s "
                f"FROM {table} x JOIN process_instance p ON p.id = '{iid}' "
                f"WHERE x.{key} = {'p.business_key' if key == 'application_id' else 'p.id'}"
                for stage, iid in templates.items())
            conn.execute(text(f"CREATE UNLOGGED TABLE bench_tpl_{table} AS {arms}"))
    db.dispose()

    def part(n: int) -> None:
        engine = create_engine(url)
        with engine.begin() as conn:
            for table, (columns, values) in EVENT_TABLES.items():
                conn.execute(text(f"INSERT INTO {table} ({columns}) SELECT {values} FROM bench_stage s "
                                  f"JOIN bench_tpl_{table} t ON t.stage = s.stage WHERE s.part = {n}"))
            conn.execute(text("INSERT INTO audit_chain_head (chain, seq, hash) SELECT s.instance_id, t.seq, t.hash "
                              "FROM bench_stage s JOIN (SELECT DISTINCT ON (stage) stage, seq, hash "
                              "FROM bench_tpl_audit_event ORDER BY stage, seq DESC) t ON t.stage = s.stage "
                              f"WHERE s.part = {n}"))
        engine.dispose()

    threads = [threading.Thread(target=part, args=(n,)) for n in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    db = create_engine(url)
    with db.begin() as conn:
        for table in EVENT_TABLES:
            conn.execute(text(f"DROP TABLE bench_tpl_{table}"))
        conn.execute(text("DROP TABLE bench_stage"))
    db.dispose()


def build(url: str, keys_dir: Path, *, instances: int, real: int, batch: int = 1000,
          schema_ready: Callable[[], None] | None = None) -> dict[str, Any]:
    """Fill the database at ``url``; returns the real instances' application ids and what was made.

    ``schema_ready`` is called once the schema is migrated, the demo users seeded and the keys made, before
    any instance exists: a server that only reads at start-up can be started then, while the rows load."""
    from bench.procedures import LicenceDriver, make_app

    started = time.perf_counter()
    now = datetime.now(UTC).replace(microsecond=0)
    app = make_app(url, keys_dir, now=legal_time.iso(now - timedelta(minutes=5)), demo=True)
    if schema_ready is not None:
        schema_ready()
    driver = LicenceDriver(app, documents="stub")
    bodies = [driver.prepare(subtype="I" if i % 3 else "II") for i in range(real + 3)]
    real_apps = [driver.submit(b) for b in bodies[:real]]
    qualification = driver.submit(bodies[real])
    driver.complete(qualification, "completeness_check", {"decision": "complete"}, "officer")
    sign = driver.submit(bodies[real + 1])
    driver.complete(sign, "completeness_check", {"decision": "complete"}, "officer")
    driver.complete(sign, "qualification_check", {"decision": "compliant"}, "officer")
    done = driver.run(bodies[real + 2])
    instance_of = {a: driver.licensing.get_application(a)["instance_id"] for a in (real_apps[0], qualification,
                                                                                  sign, done)}
    template_ids = {"completeness": instance_of[real_apps[0]], "qualification": instance_of[qualification],
                    "sign": instance_of[sign], "done": instance_of[done]}
    db = app.extensions["licensing"].wiring.db
    templates = _templates(db, template_ids)
    log(f"{real + 3} real instances through the engine in {time.perf_counter() - started:.1f} s")

    generated = instances - real - 3
    rnd = random.Random(169)
    stages = [stage for stage, share in MIX for _ in range(round(share * generated))]
    stages = (stages + ["issued"] * generated)[:generated]
    rnd.shuffle(stages)
    with db.begin() as conn:
        STAGE.create(conn)
    secondary = _drop_secondary_indexes(db)

    def work(indices: range) -> None:
        local = random.Random(indices.start)
        for start in range(indices.start, indices.stop, batch):
            chunk = [_rows_for(i, stages[i], templates[TEMPLATE_OF[stages[i]]], now, local)
                     for i in range(start, min(start + batch, indices.stop))]
            with db.begin() as conn:
                _copy_rows(conn, Application.__table__, [c["application"] for c in chunk])
                _copy_rows(conn, ProcessInstance.__table__, [c["instance"] for c in chunk])
                _copy_rows(conn, HumanTask.__table__, [t for c in chunk for t in c["tasks"]])
                _copy_rows(conn, InstanceOfficer.__table__, [o for c in chunk for o in c["officers"]])
                _copy_rows(conn, Timer.__table__, [t for c in chunk for t in c["timers"]])
                _copy_rows(conn, STAGE, [c["stage"] for c in chunk])

    half = generated // 2
    pool = [threading.Thread(target=work, args=(r,)) for r in (range(0, half), range(half, generated))]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    rows_s = time.perf_counter() - started
    log(f"{generated} generated instances (rows) in {rows_s:.1f} s")
    _copy_events(url, template_ids)
    copied_s = time.perf_counter() - started - rows_s
    log(f"event rows copied in {copied_s:.1f} s")
    _create_indexes(url, secondary)
    log(f"{len(secondary)} secondary indexes built again in {time.perf_counter() - started - rows_s - copied_s:.1f} s")
    vacuum = create_engine(url, isolation_level="AUTOCOMMIT")
    with vacuum.connect() as conn:
        for table in ("process_instance", "application", "human_task", "instance_officer", "timer",
                      "audit_chain_head"):
            conn.execute(text(f"VACUUM ANALYZE {table}"))
        for table in ("audit_event", "outbox_event", "staff_notification", "cabinet_notice"):
            conn.execute(text(f"ANALYZE {table}"))
        counts = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in (
            "process_instance", "human_task", "timer", "audit_event", "outbox_event", "application")}
        counts["pending_timers"] = conn.execute(text(
            "SELECT count(*) FROM timer WHERE fired_at IS NULL AND cancelled_at IS NULL")).scalar()
        counts["open_tasks"] = conn.execute(text("SELECT count(*) FROM human_task WHERE status = 'open'")).scalar()
        counts["database_bytes"] = conn.execute(text("SELECT pg_database_size(current_database())")).scalar()
        # the load dirtied gigabytes of pages: written out now, not by the checkpointer while requests are timed
        conn.execute(text("CHECKPOINT"))
    vacuum.dispose()
    db.dispose()
    return {"real_applications": real_apps, "counts": counts, "seconds": time.perf_counter() - started,
            "now": now}


_ = (AuditEvent, ChainHead, OutboxEvent, StaffNotification, CabinetNotice)
