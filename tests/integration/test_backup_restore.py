"""A dump restored into a fresh database: every instance continues where it was."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from engine.bootstrap import build_engine, make_db_engine
from engine.clock import SimulatedClock
from tests.conftest import create_pg_database, drop_pg_database
from tests.support import make_engine, open_tasks, start_review
from web.backup import dump, restore

T0 = datetime(2025, 3, 3, 4, 0, tzinfo=UTC)


def _continues(url: str, clock_at: datetime) -> None:
    restored = build_engine(make_db_engine(url), clock=SimulatedClock(clock_at))
    tasks = open_tasks(restored)
    assert len(tasks) == 2
    assert restored.engine.auditor.verify_audit().valid
    fired = restored.engine.operator.fire_due_timers()
    assert [f.element for f in fired] == ["review_deadline"]  # the second instance's deadline, due by now
    done = restored.engine.officer.complete_task(tasks[0].id, {"decision": "incomplete", "reason": "x"},
                                                 actor="officer", roles=["officer"])
    assert done.status == "completed"
    restored.db.dispose()


@pytest.mark.postgres
def test_a_postgres_dump_restored_into_a_fresh_database_continues(pg_admin, pg_url, tmp_path):
    wiring, _ = make_engine(pg_url, T0)
    start_review(wiring, registered_at="2025-03-05T10:00:00+05:00")
    start_review(wiring, registered_at="2025-03-03T10:00:00+05:00")
    wiring.db.dispose()
    backup = tmp_path / "licensing.dump"
    dump(pg_url, backup)
    fresh = create_pg_database(pg_admin)
    try:
        restore(backup, fresh)
        _continues(fresh, datetime(2025, 3, 6, 13, 31, tzinfo=UTC))
    finally:
        drop_pg_database(pg_admin, fresh)


def test_a_sqlite_backup_restores_and_continues(tmp_path):
    url = f"sqlite:///{tmp_path / 'live.db'}"
    wiring, _ = make_engine(url, T0)
    start_review(wiring, registered_at="2025-03-05T10:00:00+05:00")
    start_review(wiring, registered_at="2025-03-03T10:00:00+05:00")
    dump(url, tmp_path / "backup.db")
    restore(tmp_path / "backup.db", f"sqlite:///{tmp_path / 'restored.db'}")
    _continues(f"sqlite:///{tmp_path / 'restored.db'}", T0 + timedelta(days=3, hours=9, minutes=31))
