"""Due timers fire in batches (many instances per transaction), exactly once, and one failing instance
does not take the rest of its batch down with it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from engine.audit import AuditSeal
from engine.bootstrap import build_engine, make_db_engine
from engine.clock import SimulatedClock
from engine.errors import EngineError
from engine.runtime.timers import fire_due
from engine.store.tables import AuditEvent, HumanTask, ProcessInstance, Timer
from tests.support import at_once, make_engine, start_review

T0 = datetime(2025, 3, 3, 4, 0, tzinfo=UTC)  # Monday 09:00 local
LATER = T0 + timedelta(days=10)  # every review deadline (two working days) has passed


def _start(wiring, count: int) -> list[str]:
    days = (3, 4, 5, 6)  # different registration days -> different due moments
    return [start_review(wiring, registered_at=f"2025-03-0{days[i % 4]}T10:00:00+05:00").id for i in range(count)]


def _count(wiring, query) -> int:
    with wiring.engine.session_factory() as session:
        return int(session.scalar(query) or 0)


def test_two_schedulers_firing_small_batches_fire_every_timer_exactly_once(pg_url):
    wiring, _ = make_engine(pg_url, T0)
    ids = _start(wiring, 30)
    schedulers = [build_engine(make_db_engine(pg_url), clock=SimulatedClock(LATER)) for _ in range(2)]
    results = at_once(*(lambda e=s.engine: fire_due(e.session_factory, e.runtime, batch=4) for s in schedulers))
    fired = results[0] + results[1]
    assert sorted(f.instance_id for f in fired) == sorted(ids)
    assert _count(wiring, select(func.count()).where(AuditEvent.kind == "timer_fired")) == 30
    assert _count(wiring, select(func.count()).where(Timer.fired_at.is_not(None))) == 30
    assert _count(wiring, select(func.count()).where(HumanTask.overdue)) == 30
    assert wiring.engine.auditor.verify_audit().valid


def test_batches_fire_in_due_order_and_report_each_timer_once(db_url):
    wiring, _ = make_engine(db_url, T0)
    _start(wiring, 9)
    scheduler = build_engine(make_db_engine(db_url), clock=SimulatedClock(LATER)).engine
    fired = fire_due(scheduler.session_factory, scheduler.runtime, batch=2)
    assert len(fired) == 9
    assert [f.due_at for f in fired] == sorted(f.due_at for f in fired)
    assert fire_due(scheduler.session_factory, scheduler.runtime, batch=2) == []


def test_an_instance_failing_on_its_timer_is_parked_and_the_rest_of_its_batch_fires(db_url, tmp_path):
    wiring, _ = make_engine(db_url, T0)
    ids = _start(wiring, 5)
    broken = ids[2]
    # the heads each commit signs (only those: no periodic checkpoint of every chain)
    seal = AuditSeal(checkpoints=tmp_path / "checkpoints.jsonl", interval_seconds=1e12)
    scheduler = build_engine(make_db_engine(db_url), clock=SimulatedClock(LATER), audit_seal=seal).engine
    runtime = scheduler.runtime
    real_fire = runtime.fire_timers

    def fire_or_break(session, instance_id, **kwargs):
        rows = real_fire(session, instance_id, **kwargs)  # its writes happen, then the step fails
        if instance_id == broken:
            raise EngineError("the diagram failed on its timer")
        return rows

    runtime.fire_timers = fire_or_break
    fired = fire_due(scheduler.session_factory, runtime, batch=10)
    assert sorted(f.instance_id for f in fired) == sorted(i for i in ids if i != broken)
    with wiring.engine.session_factory() as session:
        parked = session.get(ProcessInstance, broken)
        assert parked.status == "failed"
        assert parked.last_error == "the diagram failed on its timer"
        # the failed step's own writes were rolled back with its savepoint
        assert session.scalar(select(func.count()).where(AuditEvent.chain == broken,
                                                         AuditEvent.kind == "timer_fired")) == 0
        assert session.scalar(select(func.count()).where(Timer.instance_id == broken,
                                                         Timer.fired_at.is_not(None))) == 0
        assert session.scalar(select(func.count()).where(AuditEvent.kind == "timer_fired")) == 4
        assert session.scalar(select(func.count()).where(HumanTask.overdue)) == 4
    # the batch's commit signed the heads of the four that fired, the parking signed the fifth's; nothing
    # of the rolled-back events is chained to or signed
    result = scheduler.auditor.verify_audit()
    assert result.valid, result.failures
    assert result.checkpoints == 5


def test_an_instance_another_process_changed_during_the_batch_is_not_overwritten(tmp_path):
    url = f"sqlite:///{tmp_path / 'batch.db'}"  # on PostgreSQL the batch's row locks keep the other writer out
    wiring, _ = make_engine(url, T0)
    ids = _start(wiring, 4)
    touched = ids[1]
    scheduler = build_engine(make_db_engine(url), clock=SimulatedClock(LATER)).engine
    runtime = scheduler.runtime
    real_fire = runtime.fire_timers
    other = make_db_engine(url)

    def fire_while_another_writes(session, instance_id, **kwargs):
        rows = real_fire(session, instance_id, **kwargs)
        if instance_id == touched and not kwargs.get("flush", True):  # in the batch, before it is written
            with other.begin() as conn:
                conn.execute(update(ProcessInstance).where(ProcessInstance.id == touched)
                             .values(version_id=ProcessInstance.version_id + 1, business_key="changed elsewhere"))
        return rows

    runtime.fire_timers = fire_while_another_writes
    first = fire_due(scheduler.session_factory, runtime, batch=10)
    runtime.fire_timers = real_fire
    second = fire_due(scheduler.session_factory, runtime, batch=10)  # the scheduler's next pass
    assert sorted(f.instance_id for f in first + second) == sorted(ids)
    with wiring.engine.session_factory() as session:
        row = session.get(ProcessInstance, touched)
        assert row.business_key == "changed elsewhere"  # the other process's change stands
        assert session.scalar(select(func.count()).where(AuditEvent.chain == touched,
                                                         AuditEvent.kind == "timer_fired")) == 1
    assert wiring.engine.auditor.verify_audit().valid
