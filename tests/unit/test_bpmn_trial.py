"""A trial run of a diagram on a simulated clock (issue 18, point 6): it takes the path the data leads to,
fires the timers the clock passes, and writes nothing anywhere (it needs no database at all)."""

from __future__ import annotations

import pytest

from engine.bpmn import loader, trial
from engine.bpmn.elements import read_process
from engine.errors import InvalidInput
from tests.conftest import ROOT

START = "2025-06-05T10:00:00+05:00"  # a Thursday; Friday the 6th is Kurban Ait
RESULTS = {"registration": {"registered_at": START, "total_term_due": "2025-06-27T18:30:00+05:00"}}


def _run(**body):
    xml = (ROOT / "processes" / "licence_issue" / "licence_issue.bpmn").read_text()
    parsed = loader.parse(xml, "licence_issue.bpmn")
    return trial.run(parsed, read_process(parsed.tree, "licence_issue"),
                     {"start_at": START, "results": RESULTS, **body})


def _path(run):
    return [s["element"] for s in run["steps"]]


def test_a_run_stops_at_the_first_person_with_the_r7_term_counted_over_the_holiday():
    run = _run()
    assert run["failure"] is None and not run["completed"]
    assert [w["element"] for w in run["waiting"]] == ["completeness_check"]
    assert _path(run)[:2] == ["application_submitted", "register_application_task"]
    assert {t["element"]: t["due_at"] for t in run["timers"]} == {
        "completeness_check_deadline": "2025-06-10T18:30:00+05:00",
        "total_term_expired": "2025-06-27T18:30:00+05:00"}


def test_the_clock_moved_to_the_r7_term_fires_its_timer_and_the_task_stays_open():
    run = _run(actions=[{"advance_to": "2025-06-10T18:30:00+05:00"}])
    assert _path(run)[-3:] == ["completeness_check_deadline", "mark_completeness_check_overdue",
                               "completeness_check_overdue_recorded"]
    assert [w["element"] for w in run["waiting"]] == ["completeness_check"]
    assert [t["element"] for t in run["timers"]] == ["total_term_expired"]


def test_an_incomplete_set_takes_the_refusal_path_to_the_signer():
    run = _run(actions=[{"complete": "completeness_check", "data": {"decision": "incomplete", "reason": "x"}}])
    assert _path(run)[-3:] == ["completeness_check", "is_complete", "draft_not_considered"]
    assert [w["element"] for w in run["waiting"]] == ["sign_not_considered"]
    assert "qualification_check" not in _path(run)


def test_a_condition_reading_data_the_run_lacks_is_reported_where_it_failed():
    run = _run(actions=[{"complete": "completeness_check", "data": {}}])
    assert run["failure"] is not None and "is_complete" in run["failure"]


def test_a_task_not_waiting_and_a_clock_moved_back_are_refused():
    with pytest.raises(InvalidInput):
        _run(actions=[{"complete": "qualification_check", "data": {}}])
    with pytest.raises(InvalidInput):
        _run(actions=[{"advance_to": "2025-06-01T10:00:00+05:00"}])
