"""R20: the provider forwards a complaint no later than 3 working days from the day it is received
("шағым түскен күннен бастап") — working days from the next day, without the after-hours shift of R5, which is
for service applications. R23: the Rules set no term for the court; its outcome is recorded when it arrives.

By hand: received Friday 6 March 2026 at 19:00. Monday 9 March is the day off for 8 March (a Sunday):
R20 = Tuesday 10 (1), Wednesday 11 (2), Thursday 12 March (3), 18:30. Registered (after hours) Tuesday 10 March
09:00: R21 = 5 working days after it = Tuesday 17 March 18:30.
"""

from __future__ import annotations

from tests.web.portal import issue_body


def _refused(api):
    api.set_clock("2026-03-02T10:00:00+05:00")
    app = api.submit(issue_body(api, "II")).get_json()
    api.do(app["id"], "completeness_check", {"decision": "incomplete", "reason": "the pool document is unreadable"})
    api.do(app["id"], "sign_not_considered", {"decision": "sign"}, user="signer")
    return app


def _complain(api, app_id, addressed_to="provider"):
    r = api.post("/api/v1/complaints", {"application_id": app_id, "addressed_to": addressed_to,
                                        "text": "The pool document was readable; the refusal is unlawful."})
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def test_r20_the_forwarding_term_counts_from_the_day_the_complaint_is_received_not_from_registration(api):
    refused = _refused(api)
    api.set_clock("2026-03-06T19:00:00+05:00")
    complaint = _complain(api, refused["id"])
    terms = {d["clause"]: d["due_at"] for d in complaint["deadlines"]}
    assert terms["R20"] == "2026-03-12T18:30:00+05:00"
    assert terms["R21"] == "2026-03-17T18:30:00+05:00"


def test_r23_no_invented_court_window_the_court_outcome_is_recorded_whenever_it_arrives(api):
    refused = _refused(api)
    api.set_clock("2026-03-06T11:00:00+05:00")
    complaint = _complain(api, refused["id"])
    api.do(complaint["id"], "complaint_triage", {"decision": "forward"})
    api.do(complaint["id"], "complaint_review", {"decision": "rejected", "reasoning": "the refusal was lawful"},
           user="head")
    view = api.get(f"/api/v1/instances/{complaint['instance_id']}", user="auditor").get_json()
    assert [t for t in view["timers"] if t["clause"] == "R23"] == []
    # four months later the claim arrives: it is still recorded, with no term of its own
    api.set_clock("2026-07-06T11:00:00+05:00")
    r = api.post(f"/api/v1/complaints/{complaint['id']}/court", {"court": "SMAC of Astana", "case_number": "7-1"})
    assert r.status_code == 200, r.get_json()
    [task] = [t for t in api.tasks(complaint["id"]) if t["element"] == "court_record"]
    assert task["due_at"] is None
    api.do(complaint["id"], "court_record", {"decision": "recorded", "court": "SMAC of Astana",
                                              "position": "The refusal rests on R7."})
    view = api.get(f"/api/v1/instances/{complaint['instance_id']}", user="auditor").get_json()
    assert view["status"] == "completed" and "court_recorded" in view["completed"]


def test_r22_a_complaint_to_the_quality_authority_is_reviewed_by_that_authority_not_the_providers_head(api):
    # received and registered Tuesday 3 March 2026, 11:00: R20 = Friday 6 March 18:30 (3rd working day);
    # R22 = 15th working day = Monday 30 March 18:30 (9 March and 23–25 March are days off)
    refused = _refused(api)
    api.set_clock("2026-03-03T11:00:00+05:00")
    complaint = _complain(api, refused["id"], "quality_authority")
    terms = {d["clause"]: d["due_at"] for d in complaint["deadlines"]}
    assert terms["R20"] == "2026-03-06T18:30:00+05:00" and terms["R22"] == "2026-03-30T18:30:00+05:00"
    api.do(complaint["id"], "complaint_triage", {"decision": "forward"})
    assert [t["element"] for t in api.tasks(complaint["id"], user="head")] == []
    [task] = api.tasks(complaint["id"], user="quality")
    assert task["element"] == "quality_review" and task["role"] == "quality_authority"
    assert task["due_at"] == "2026-03-30T18:30:00+05:00"
    assert api.complete(task["id"], {"decision": "rejected", "reasoning": "x"}, user="head").status_code == 403
    api.do(complaint["id"], "quality_review", {"decision": "rejected", "reasoning": "the refusal was lawful"},
           user="quality")
    assert api.application(complaint["id"])["outcome"] == "rejected"
