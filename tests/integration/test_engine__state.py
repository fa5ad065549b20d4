"""The stored state: SpiffWorkflow's predicted tasks are left out and predicted again on restore, and a
finished instance keeps its final data only — the restored workflow runs as the saved one did.

Each engine here keeps no workflow in memory between steps (``resident_workflows=0``): every step restores its
state from the row, which is what these tests are about."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from engine.bpmn import serializer
from tests.support import make_engine, open_tasks, start_review

T0 = datetime(2025, 3, 20, 14, 0, tzinfo=UTC)
DUE = datetime(2025, 3, 27, 13, 30, tzinfo=UTC)  # the review's R7 deadline (tests/integration/test_engine__timers)
MAYBE, LIKELY, FUTURE, WAITING, READY, COMPLETED = 1, 2, 4, 8, 16, 64


def _state(wiring, instance_id: str) -> dict:
    with wiring.db.connect() as conn:
        return json.loads(conn.execute(text("SELECT state_json FROM process_instance WHERE id = :i"),
                                       {"i": instance_id}).scalar_one())


def test_a_waiting_instance_is_stored_without_predicted_tasks(db_url):
    wiring, _ = make_engine(db_url, T0, resident_workflows=0)
    instance = start_review(wiring)
    tasks = _state(wiring, instance.id)["tasks"]
    states = {t["state"] for t in tasks.values()}
    assert MAYBE not in states and LIKELY not in states
    assert {READY, WAITING, COMPLETED} <= states  # the review, its deadline, what ran before
    for task in tasks.values():  # every task's parent and children are stored too
        assert task["parent"] is None or task["parent"] in tasks
        assert all(child in tasks for child in task["children"])


def test_a_restored_instance_still_takes_the_branches_and_boundary_events_it_did_not_store(db_url):
    wiring, _ = make_engine(db_url, T0, resident_workflows=0)
    instance = start_review(wiring)
    fired = wiring.engine.operator.set_clock(DUE + timedelta(seconds=1))  # the non-interrupting deadline
    assert [(f.element, f.clause) for f in fired] == [("review_deadline", "R7")]
    [task] = open_tasks(wiring)
    assert task.overdue
    wiring.engine.officer.complete_task(task.id, {"decision": "complete"}, actor="officer", roles=["officer"])
    assert wiring.engine.officer.get_instance(instance.id).active == ["wait_payment"]
    done = wiring.engine.officer.deliver_message(instance.id, "payment_confirmed", {"paid": True}, actor="gateway")
    assert done.status == "completed"
    assert done.completed == ["start", "precheck", "review_deadline", "mark_review_overdue", "end_overdue", "review",
                              "decide", "wait_payment", "end_ok"]


def test_a_finished_instance_keeps_its_final_data(db_url):
    wiring, _ = make_engine(db_url, T0, resident_workflows=0)
    instance = start_review(wiring)
    [task] = open_tasks(wiring)
    wiring.engine.officer.complete_task(task.id, {"decision": "complete"}, actor="officer", roles=["officer"])
    wiring.engine.officer.deliver_message(instance.id, "payment_confirmed", {"paid": True}, actor="gateway")
    state = _state(wiring, instance.id)
    assert state["finished"] is True and "tasks" not in state
    data = wiring.engine.officer.instance_data(instance.id)
    assert data["application_id"] == "app-1"
    assert data["completeness_check"] == {"decision": "complete"}


def test_a_state_stored_with_its_predicted_tasks_by_the_previous_release_still_restores_and_runs(db_url, monkeypatch):
    wiring, _ = make_engine(db_url, T0, resident_workflows=0)
    # serializer 1.5 stored every task, predicted ones included
    monkeypatch.setattr(serializer, "_definite_tasks", lambda converter, workflow: converter.mapping_to_dict(
        workflow.tasks))
    instance = start_review(wiring)
    assert {MAYBE, LIKELY} & {t["state"] for t in _state(wiring, instance.id)["tasks"].values()}
    monkeypatch.undo()
    [task] = open_tasks(wiring)
    wiring.engine.officer.complete_task(task.id, {"decision": "complete"}, actor="officer", roles=["officer"])
    done = wiring.engine.officer.deliver_message(instance.id, "payment_confirmed", {"paid": True}, actor="gateway")
    assert done.status == "completed"
    assert done.completed == ["start", "precheck", "review", "decide", "wait_payment", "end_ok"]
