"""Complaints (R19–R23) driven through the API with the simulated clock."""

from __future__ import annotations

from datetime import datetime

from engine import legal_time
from tests.web.portal import issue_body

MORNING = "2025-06-05T10:00:00+05:00"  # Thursday


def refused_application(api):
    r = api.submit(issue_body(api, "II"))
    app = r.get_json()
    api.do(app["id"], "completeness_check", {"decision": "incomplete", "reason": "expired document"})
    api.do(app["id"], "sign_not_considered", {"decision": "sign"}, user="signer")
    return app


def file(api, app_id, addressed_to="provider"):
    r = api.post("/api/v1/complaints", {"application_id": app_id, "addressed_to": addressed_to,
                                        "text": "The documents were valid; the refusal is unlawful."})
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def test_the_filed_complaint_shows_its_terms(api):
    api.set_clock(MORNING)
    complaint = file(api, refused_application(api)["id"])
    terms = {d["clause"]: d["due_at"] for d in complaint["deadlines"]}
    assert terms["R20"] == legal_time.iso(legal_time.add_working_days(MORNING, 3))
    assert terms["R21"] == legal_time.iso(legal_time.add_working_days(MORNING, 5))
    other = file(api, refused_application(api)["id"], "quality_authority")
    assert {d["clause"]: d["due_at"] for d in other["deadlines"]}["R22"] == \
        legal_time.iso(legal_time.add_working_days(MORNING, 15))


def test_bad_complaints_get_field_errors(api):
    api.set_clock(MORNING)
    r = api.post("/api/v1/complaints", {"application_id": "nope", "addressed_to": "king", "text": " "})
    assert r.status_code == 422
    assert {e["field"] for e in r.get_json()["errors"]} == {"addressed_to", "text"}
    r = api.post("/api/v1/complaints", {"application_id": "nope", "addressed_to": "provider", "text": "x"})
    assert r.status_code == 422 and r.get_json()["errors"][0]["field"] == "application_id"


def test_satisfied_within_three_days_nothing_is_forwarded(api):
    api.set_clock(MORNING)
    complaint = file(api, refused_application(api)["id"])
    api.set_clock("2025-06-09T12:00:00+05:00")
    api.do(complaint["id"], "complaint_triage", {"decision": "satisfy_fully", "act_description": "refusal withdrawn"})
    done = api.get(f"/api/v1/complaints/{complaint['id']}", user="portal").get_json()
    assert done["outcome"] == "satisfied"
    path = api.get(f"/api/v1/instances/{complaint['instance_id']}", user="auditor").get_json()["completed"]
    assert "forward_complaint_task" not in path
    docs = api.get(f"/api/v1/applications/{complaint['id']}/documents", user="portal").get_json()
    assert {("complaint_decision", "kk"), ("complaint_decision", "ru")} <= {(d["kind"], d["lang"]) for d in docs}


def test_forwarded_on_day_three_reviewed_in_five_and_an_annulled_refusal_reopens_the_application(api):
    api.set_clock(MORNING)
    refused = refused_application(api)
    complaint = file(api, refused["id"])
    api.set_clock("2025-06-10T18:00:00+05:00")  # the 3rd working day
    api.do(complaint["id"], "complaint_triage", {"decision": "forward"})
    api.do(complaint["id"], "complaint_review", {"decision": "satisfied", "reasoning": "documents were valid",
                                                  "annul_refusal": True}, user="head")
    done = api.application(complaint["id"])
    assert done["outcome"] == "satisfied"
    assert datetime.fromisoformat(done["decided_at"]) <= legal_time.add_working_days(MORNING, 5)
    reopened = api.application(refused["id"])
    assert reopened["outcome"] is None and "reopened" in [n["kind"] for n in reopened["notices"]]
    assert reopened["registered_at"] == "2025-06-10T18:00:00+05:00"  # counted anew from the re-opening
    assert [t["element"] for t in api.tasks(refused["id"])] == ["completeness_check"]
    # the complaint and the re-opened procedure are found by the applicant's name, newest first
    found = api.get("/api/v1/instances?applicant=digital%20mining&status=running", user="auditor").get_json()
    assert [i["process"]["key"] for i in found] == ["licence_issue", "complaint"]


def test_quality_authority_review_in_fifteen_days_and_a_late_review_is_flagged_then_court_recorded(api):
    api.set_clock(MORNING)
    complaint = file(api, refused_application(api)["id"], "quality_authority")
    api.do(complaint["id"], "complaint_triage", {"decision": "forward"})
    due = legal_time.add_working_days(MORNING, 15)
    fired = api.set_clock(legal_time.iso(due.replace(second=1)))["fired"]
    assert {"quality_review_deadline", "review_term_authority"} <= {f["element"] for f in fired}
    [task] = [t for t in api.tasks(complaint["id"], user="quality") if t["element"] == "quality_review"]
    assert task["overdue"] is True
    api.do(complaint["id"], "quality_review", {"decision": "rejected", "reasoning": "the refusal was lawful"},
           user="quality")
    assert api.application(complaint["id"])["outcome"] == "rejected"
    r = api.post(f"/api/v1/complaints/{complaint['id']}/court", {"court": "SMAC of Astana", "case_number": "7-1"})
    assert r.status_code == 200
    api.do(complaint["id"], "court_record", {"decision": "recorded", "court": "SMAC of Astana",
                                              "position": "The refusal rests on A3.10.3."})
    view = api.get(f"/api/v1/instances/{complaint['instance_id']}", user="auditor").get_json()
    assert view["status"] == "completed" and "court_recorded" in view["completed"]
