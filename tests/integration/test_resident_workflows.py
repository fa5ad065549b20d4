"""Workflows a process keeps in memory between its steps: taken only when the stored state is exactly the one it
wrote, never after another process or a rolled-back step changed the row."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from engine.bootstrap import build_engine, make_db_engine
from engine.clock import SimulatedClock
from engine.services import officer as officer_module
from tests.support import make_engine, open_tasks, start_review

T0 = datetime(2025, 3, 20, 14, 0, tzinfo=UTC)
WHOLE_PATH = ["start", "precheck", "review", "decide", "wait_payment", "end_ok"]


def test_the_next_step_of_the_same_process_takes_the_workflow_it_kept_and_runs_to_the_same_end(db_url):
    wiring, _ = make_engine(db_url, T0)
    resident = wiring.engine.runtime.resident
    instance = start_review(wiring)
    [task] = open_tasks(wiring)
    wiring.engine.officer.complete_task(task.id, {"decision": "complete"}, actor="officer", roles=["officer"])
    done = wiring.engine.officer.deliver_message(instance.id, "payment_confirmed", {"paid": True}, actor="gateway")
    assert done.status == "completed"
    assert done.completed == WHOLE_PATH
    assert (resident.hits, resident.misses) == (2, 0)  # the completion and the message restored nothing
    assert len(resident) == 0  # a finished workflow is not kept


def test_a_state_another_process_wrote_meanwhile_is_restored_from_the_database(db_url):
    first, clock = make_engine(db_url, T0)
    other = build_engine(make_db_engine(db_url), clock=SimulatedClock(T0))  # a second worker on the same database
    instance = start_review(first)  # the first worker keeps the workflow waiting at the review
    [task] = open_tasks(other)
    other.engine.officer.complete_task(task.id, {"decision": "complete"}, actor="officer", roles=["officer"])
    # what the first worker kept still waits at the review; the row says it waits for the payment
    done = first.engine.officer.deliver_message(instance.id, "payment_confirmed", {"paid": True}, actor="gateway")
    assert done.status == "completed"
    assert done.completed == WHOLE_PATH
    assert first.engine.runtime.resident.hits == 0


def test_a_step_whose_transaction_rolled_back_leaves_nothing_to_take(db_url, monkeypatch):
    wiring, _ = make_engine(db_url, T0)
    start_review(wiring)
    [task] = open_tasks(wiring)

    def fails_after_the_step(session, row, **kw):
        raise RuntimeError("the answer could not be built")

    with monkeypatch.context() as patch:  # the step has run and written; its transaction then fails
        patch.setattr(officer_module, "instance_view", fails_after_the_step)
        with pytest.raises(RuntimeError):
            wiring.engine.officer.complete_task(task.id, {"decision": "complete"}, actor="officer",
                                                roles=["officer"])
    [still_open] = open_tasks(wiring)
    assert still_open.id == task.id
    view = wiring.engine.officer.complete_task(task.id, {"decision": "complete"}, actor="officer", roles=["officer"])
    assert view.active == ["wait_payment"]


def test_with_a_size_of_zero_every_step_restores_its_state(db_url):
    wiring, _ = make_engine(db_url, T0, resident_workflows=0)
    instance = start_review(wiring)
    [task] = open_tasks(wiring)
    wiring.engine.officer.complete_task(task.id, {"decision": "complete"}, actor="officer", roles=["officer"])
    done = wiring.engine.officer.deliver_message(instance.id, "payment_confirmed", {"paid": True}, actor="gateway")
    assert done.completed == WHOLE_PATH
    assert wiring.engine.runtime.resident.hits == 0 and len(wiring.engine.runtime.resident) == 0


def test_a_workflow_whose_deadline_fired_is_not_kept(db_url):
    wiring, _ = make_engine(db_url, T0)
    resident = wiring.engine.runtime.resident
    start_review(wiring)
    assert len(resident) == 1
    fired = wiring.engine.operator.set_clock(datetime(2025, 3, 27, 13, 30, tzinfo=UTC) + timedelta(seconds=1))
    assert [f.element for f in fired] == ["review_deadline"]
    assert len(resident) == 0  # the next step is a person's, days later: the memory goes to others
