"""Timers fire when the engine clock passes their due moment — not a second earlier, and exactly once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from engine.bootstrap import build_engine, make_db_engine
from tests.support import make_engine, open_tasks, start_review

# 2025-03-20 19:00 local is after hours; the timer counts 2 working days from the expression's moment:
# Nauryz days off 21-25 March -> 26th and 27th, so it is due 2025-03-27 18:30 local = 13:30 UTC.
DUE = datetime(2025, 3, 27, 13, 30, tzinfo=UTC)


def test_the_deadline_is_the_end_of_the_second_working_day(db_url):
    wiring, _ = make_engine(db_url, datetime(2025, 3, 20, 14, 0, tzinfo=UTC))
    start_review(wiring)
    [task] = open_tasks(wiring)
    assert task.due_at == DUE
    assert task.clause == "R7"


def test_timer_fires_when_the_clock_passes_its_deadline_and_not_a_second_earlier(db_url):
    wiring, clock = make_engine(db_url, datetime(2025, 3, 20, 14, 0, tzinfo=UTC))
    instance = start_review(wiring)
    assert wiring.engine.operator.set_clock(DUE) == []
    [task] = open_tasks(wiring)
    assert not task.overdue
    fired = wiring.engine.operator.set_clock(DUE + timedelta(seconds=1))
    assert [(f.element, f.clause, f.due_at) for f in fired] == [("review_deadline", "R7", DUE)]
    [task] = open_tasks(wiring)
    assert task.overdue
    view = wiring.engine.officer.get_instance(instance.id)
    assert "mark_review_overdue" in view.completed
    kinds = [(e.kind, e.clause) for e in view.events]
    assert ("task_overdue", "R7") in kinds
    assert wiring.engine.operator.set_clock(DUE + timedelta(days=3)) == []  # never fires twice


def test_simulated_clock_years_before_the_wall_clock_does_not_fire_past_dated_timers(db_url):
    wiring, clock = make_engine(db_url, datetime(2023, 1, 2, 4, 0, tzinfo=UTC))
    start_review(wiring, registered_at="2023-01-03T10:00:00+06:00")
    assert datetime.now(UTC) > datetime(2023, 1, 10, tzinfo=UTC)
    assert wiring.engine.operator.fire_due_timers() == []
    [task] = open_tasks(wiring)
    assert not task.overdue
    assert task.due_at == datetime(2023, 1, 5, 12, 30, tzinfo=UTC)  # 18:30 at UTC+6 before March 2024


def test_a_missed_timer_fires_when_a_new_process_starts_after_downtime(db_url):
    wiring, clock = make_engine(db_url, datetime(2025, 3, 20, 14, 0, tzinfo=UTC))
    start_review(wiring)
    wiring.db.dispose()
    # "down for a week": a fresh engine (new process) on the same database, a later clock
    from engine.clock import SimulatedClock

    later = SimulatedClock(DUE + timedelta(days=7))
    restarted = build_engine(make_db_engine(db_url), clock=later)
    fired = restarted.engine.operator.fire_due_timers()
    assert [f.element for f in fired] == ["review_deadline"]
    assert open_tasks(restarted)[0].overdue


def test_completing_the_task_in_time_cancels_its_deadline_timer(db_url):
    wiring, _ = make_engine(db_url, datetime(2025, 3, 20, 14, 0, tzinfo=UTC))
    instance = start_review(wiring)
    [task] = open_tasks(wiring)
    wiring.engine.officer.complete_task(task.id, {"decision": "incomplete", "reason": "no metering document"},
                                actor="officer", roles=["officer"])
    view = wiring.engine.officer.get_instance(instance.id)
    assert view.status == "completed"
    [timer] = view.timers
    assert timer.cancelled_at is not None and timer.fired_at is None
    assert wiring.engine.operator.set_clock(DUE + timedelta(days=1)) == []
