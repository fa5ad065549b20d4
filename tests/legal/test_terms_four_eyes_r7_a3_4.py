"""Issue 16, point 12: changing the table of legal terms needs a second person (four-eyes), both steps are in the
audit log with both names, and only the approved change is in force — for validation and for running cases.

By hand on the 2026 calendar (8 March moved to Monday 9 March; Nauryz 21–23 March with the weekend days moved to
Tuesday 24 and Wednesday 25 March): registered Tuesday 3 March 2026, 10:00; working day 15 after it is Monday
30 March, working day 16 is Tuesday 31 March.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from engine import legal_time
from engine.store.tables import AuditEvent
from tests.conftest import ROOT
from tests.web.portal import issue_body

REGISTERED = "2026-03-03T10:00:00+05:00"
ISSUE = ROOT / "processes" / "licence_issue" / "licence_issue.bpmn"


@pytest.fixture(autouse=True)
def _shipped_table_afterwards() -> Iterator[None]:
    yield
    legal_time.set_effective_terms(legal_time.LEGAL_TERMS)  # the next app seeds its own database anyway


def _propose(api, body, user="analyst"):
    return api.post("/api/v1/terms/proposals", body, user=user)


def _terms(api, clause):
    return [t for t in api.get("/api/v1/terms", user="officer").get_json()["terms"] if t["clause"] == clause]


def _validate(api):
    r = api.client.post("/api/v1/processes/validate", data=ISSUE.read_bytes(),
                        headers={**api.headers("analyst"), "Content-Type": "application/xml"})
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def test_point12_the_terms_table_lists_each_clause_with_term_unit_start_event_and_source(api):
    [r7] = _terms(api, "R7")
    assert (r7["term"], r7["unit"], r7["start_event"], r7["version"]) == ("2 working days", "working days",
                                                                          "registration", 1)
    assert "cl. 7" in r7["source"]
    assert sorted(t["days"] for t in _terms(api, "R10.2")) == [2, 3]


def test_point12_r7_changed_to_3_days_by_one_analyst_is_not_in_force_until_a_second_person_approves(api, app):
    proposal = _propose(api, {"clause": "R7", "days": 3, "source": "Order amending Rules 169/НҚ, cl. 7",
                              "reason": "the amended clause 7 gives three working days"})
    assert proposal.status_code == 201, proposal.get_json()
    proposal = proposal.get_json()
    assert _terms(api, "R7")[0]["days"] == 2  # proposed only
    assert _validate(api)["valid"] is True
    own = api.post(f"/api/v1/terms/proposals/{proposal['id']}/approve", user="analyst")
    assert own.status_code == 403
    approved = api.post(f"/api/v1/terms/proposals/{proposal['id']}/approve", user="admin")
    assert approved.status_code == 200, approved.get_json()
    assert approved.get_json()["status"] == "approved"
    [r7] = _terms(api, "R7")
    assert (r7["days"], r7["version"], r7["changed_by"]) == (3, 2, "admin")
    assert api.post(f"/api/v1/terms/proposals/{proposal['id']}/approve", user="admin").status_code == 409
    # the shipped diagram still counts 2 working days for R7: now it disagrees with the table in force
    result = _validate(api)
    assert result["valid"] is False
    assert any("2 working days for R7" in e["message"] and "says 3" in e["message"] for e in result["errors"])
    sessions = app.extensions["licensing"].wiring.engine.session_factory
    with sessions() as session:
        events = {e.kind: e.data for e in session.scalars(
            select(AuditEvent).where(AuditEvent.kind.in_(["terms_change_proposed", "terms_change_approved"])))}
    assert events["terms_change_proposed"]["proposed_by"] == "analyst"
    assert (events["terms_change_approved"]["proposed_by"], events["terms_change_approved"]["approved_by"],
            events["terms_change_approved"]["days_from"], events["terms_change_approved"]["days_to"]) == (
        "analyst", "admin", 2, 3)


def test_point12_a3_4_approved_as_16_days_makes_a_new_application_due_on_tuesday_31_march_2026(api):
    proposal = _propose(api, {"clause": "A3.4", "days": 16, "source": "Amended Appendix 3 row 4",
                              "reason": "the amended appendix gives sixteen working days"}).get_json()
    assert api.post(f"/api/v1/terms/proposals/{proposal['id']}/approve", user="admin").status_code == 200
    api.set_clock(REGISTERED)
    r = api.submit(issue_body(api, "II"))
    assert r.status_code == 201, r.get_json()
    deadlines = {d["clause"]: d["due_at"] for d in r.get_json()["deadlines"]}
    assert deadlines["A3.4"] == "2026-03-31T18:30:00+05:00"


def test_point12_a_proposal_must_name_which_of_r10_2s_two_terms_it_changes_and_only_an_analyst_proposes(api):
    body = {"clause": "R10.2", "days": 4, "source": "x", "reason": "y"}
    r = _propose(api, body)
    assert r.status_code == 422
    assert "start_event" in str(r.get_json())
    assert _propose(api, {**body, "start_event": "the hearing notice"}).status_code == 201
    assert _propose(api, {**body, "clause": "R99"}).status_code == 422
    assert _propose(api, {**body, "days": 0, "start_event": "the hearing notice"}).status_code == 422
    assert _propose(api, body, user="officer").status_code == 403
    assert _propose(api, body, user="admin").status_code == 403
