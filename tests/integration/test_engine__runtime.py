"""Starting, completing, messages, cancelling, conflicts, and the audit chain."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from engine.errors import Conflict, Forbidden, InvalidInput
from tests.support import make_engine, open_tasks, start_review

T0 = datetime(2025, 3, 20, 14, 0, tzinfo=UTC)


def test_a_started_instance_waits_on_the_officers_task_with_its_lane_form_and_clause(db_url):
    wiring, _ = make_engine(db_url, T0)
    instance = start_review(wiring)
    assert instance.completed == ["start", "precheck"]
    [task] = open_tasks(wiring)
    assert (task.element, task.role, task.form_key, task.clause) == ("review", "officer", "completeness_check", "R7")
    assert open_tasks(wiring, role="signer") == []


def test_form_data_is_validated_and_bad_data_changes_nothing(db_url):
    wiring, _ = make_engine(db_url, T0)
    start_review(wiring)
    [task] = open_tasks(wiring)
    with pytest.raises(InvalidInput) as err:
        wiring.engine.officer.complete_task(task.id, {"decision": "incomplete"}, actor="officer", roles=["officer"])
    assert any(p.field == "reason" for p in err.value.problems)
    with pytest.raises(InvalidInput):
        wiring.engine.officer.complete_task(task.id, {"decision": "maybe"}, actor="officer", roles=["officer"])
    assert open_tasks(wiring)[0].status == "open"


def test_a_role_that_does_not_own_the_lane_is_refused(db_url):
    wiring, _ = make_engine(db_url, T0)
    start_review(wiring)
    [task] = open_tasks(wiring)
    with pytest.raises(Forbidden):
        wiring.engine.officer.complete_task(task.id, {"decision": "complete"}, actor="signer", roles=["signer"])


def test_message_moves_a_waiting_instance_to_its_end(db_url):
    wiring, _ = make_engine(db_url, T0)
    instance = start_review(wiring)
    [task] = open_tasks(wiring)
    wiring.engine.officer.complete_task(task.id, {"decision": "complete"}, actor="officer", roles=["officer"])
    assert wiring.engine.officer.get_instance(instance.id).active == ["wait_payment"]
    with pytest.raises(Conflict):
        wiring.engine.officer.deliver_message(instance.id, "something_else", {}, actor="gateway")
    done = wiring.engine.officer.deliver_message(instance.id, "payment_confirmed", {"paid": True}, actor="gateway")
    assert done.status == "completed"
    assert done.completed[-2:] == ["wait_payment", "end_ok"]


def test_cancel_closes_tasks_and_timers(db_url):
    wiring, _ = make_engine(db_url, T0)
    instance = start_review(wiring)
    wiring.engine.officer.cancel_instance(instance.id, actor="admin", reason="withdrawn by the applicant")
    view = wiring.engine.officer.get_instance(instance.id)
    assert view.status == "cancelled"
    assert all(t.cancelled_at for t in view.timers)
    assert open_tasks(wiring) == []


def test_two_concurrent_completions_of_one_task_exactly_one_wins(db_url):
    wiring, _ = make_engine(db_url, T0)
    start_review(wiring)
    [task] = open_tasks(wiring)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def complete(decision: str) -> None:
        barrier.wait()
        try:
            wiring.engine.officer.complete_task(task.id, {"decision": decision, "reason": "x"}, actor=f"o-{decision}",
                                        roles=["officer"])
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=complete, args=(d,)) for d in ("complete", "incomplete")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "ok"]
    completed = [e for e in wiring.engine.officer.get_instance(task.instance_id).events if e.kind == "task_completed"]
    assert len(completed) == 1


def test_every_user_task_and_timer_event_in_the_trail_carries_its_clause(db_url):
    wiring, clock = make_engine(db_url, T0)
    instance = start_review(wiring)
    wiring.engine.operator.set_clock(datetime(2025, 3, 28, tzinfo=UTC))
    view = wiring.engine.officer.get_instance(instance.id)
    for event in view.events:
        if event.kind.startswith(("task_", "timer_")):
            assert event.clause, event


def test_a_tampered_audit_event_is_detected_and_named(db_url):
    wiring, _ = make_engine(db_url, T0)
    instance = start_review(wiring)
    assert wiring.engine.auditor.verify_audit().valid
    events = wiring.engine.officer.get_instance(instance.id).events
    victim = events[2]
    with wiring.db.begin() as conn:
        conn.execute(text("UPDATE audit_event SET actor = 'mallory' WHERE id = :id"), {"id": victim.id})
    result = wiring.engine.auditor.verify_audit()
    assert not result.valid
    assert result.failures[0]["event_id"] == victim.id
    assert "altered" in result.failures[0]["reason"]


def test_an_event_deleted_from_the_middle_of_a_chain_is_named_as_a_gap_and_nothing_else(db_url):
    wiring, _ = make_engine(db_url, T0)
    instance = start_review(wiring)
    events = wiring.engine.officer.get_instance(instance.id).events
    with wiring.db.begin() as conn:
        conn.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": events[1].id})
    result = wiring.engine.auditor.verify_audit(instance_id=instance.id)
    assert not result.valid
    assert [(f["seq"], f["reason"]) for f in result.failures] == [(3, "sequence gap: expected event 2, found 3")]


def test_a_deleted_last_audit_event_is_detected(db_url):
    wiring, _ = make_engine(db_url, T0)
    instance = start_review(wiring)
    last = wiring.engine.officer.get_instance(instance.id).events[-1]
    with wiring.db.begin() as conn:
        conn.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": last.id})
    result = wiring.engine.auditor.verify_audit(instance_id=instance.id)
    assert not result.valid
    assert "removed" in result.failures[0]["reason"]
