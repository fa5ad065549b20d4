"""Bytes per finished instance on PostgreSQL, as stored: every column's on-disk size (``pg_column_size``, so
TOAST compression counts) plus the 24-byte tuple header, summed over the rows the instance owns, divided by
the number of finished instances. Indexes and free space are not counted (see ``database_bytes`` of the
HTTP dataset for the whole footprint).

Counted for an instance: its serialized state and relational rows (process_instance), human tasks,
timers, audit events and chain head, monitoring feed (outbox_event), staff notifications, the application,
cabinet notices and the licence register rows. "With documents" adds the issued documents (PDF + signed
XML + context, kk and ru). The applicant's uploads (stored_file) are not counted in either: their size is
whatever the applicant sends.
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
    "audit_event": "instance_id IS NOT NULL",
    "audit_chain_head": "chain <> 'system'",
    "outbox_event": "instance_id IS NOT NULL",
    "staff_notification": "instance_id IS NOT NULL",
    "application": "TRUE",
    "cabinet_notice": "application_id IS NOT NULL",
    "licence": "TRUE",
    "licence_state": "TRUE",
}
DOCUMENTS = {"document": "TRUE"}


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
        finished = conn.execute(text("SELECT count(*) FROM process_instance WHERE status = 'completed'")).scalar()
        total = conn.execute(text("SELECT count(*) FROM process_instance")).scalar()
        if not finished or finished != total:
            raise RuntimeError(f"storage is measured over finished instances only ({finished} of {total})")
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
