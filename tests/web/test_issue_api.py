"""The licence issue procedure driven through the public API with the simulated clock (issue 3)."""

from __future__ import annotations

from datetime import datetime

from engine import legal_time
from tests.web.portal import drive_to_licence, issue_body, pay_fee

# Thursday 2025-06-05, 10:00 local: an ordinary working morning (UTC+5)
MORNING = "2025-06-05T10:00:00+05:00"


def submit(api, body, key=None):
    r = api.submit(body, key)
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def test_a_complete_subtype_i_application_ends_with_a_signed_licence_in_kk_and_ru(api):
    api.set_clock(MORNING)
    body = issue_body(api, "I")
    pay_fee(api, body, "2025-06-02T12:00:00+05:00")
    app = submit(api, body)
    assert app["registered_at"] == MORNING
    deadlines = {d["clause"]: d["due_at"] for d in app["deadlines"]}
    assert deadlines["R7"] == legal_time.iso(legal_time.add_working_days(MORNING, 2))
    assert deadlines["A3.4"] == legal_time.iso(legal_time.add_working_days(MORNING, 15))
    assert app["expected_result_at"] == deadlines["A3.4"]
    # 15 working days from Thursday 5 June 2025 (6 June is Kurban Ait) end on Friday 27 June, 18:30
    assert app["notices"][0]["kind"] == "receipt" and "27 июня 2025 года, 18:30" in app["notices"][0]["text_ru"]

    done = drive_to_licence(api, app["id"])
    assert done["outcome"] == "issued" and done["licence_number"]
    docs = api.get(f"/api/v1/applications/{app['id']}/documents", user="portal").get_json()
    kinds = {(d["kind"], d["lang"]) for d in docs}
    assert {("licence", "kk"), ("licence", "ru"), ("annex", "kk"), ("annex", "ru"),
            ("receipt", "kk"), ("receipt", "ru")} <= kinds
    licence_docs = [d for d in docs if d["kind"] == "licence"]
    for doc in licence_docs:
        assert doc["number"] == done["licence_number"]
        pdf = api.get(f"/api/v1/documents/{doc['id']}", user="portal")
        assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
        verdict = api.get(f"/api/v1/documents/{doc['id']}/verify", user="portal").get_json()
        assert verdict["valid"] is True and verdict["signer"]
    register = api.get(f"/api/v1/licences/{done['licence_number']}").get_json()
    assert register["status"] == "active" and register["subtype"] == "I"
    assert register["holder"]["bin_iin"] == body["applicant"]["bin_iin"]


def test_a_complete_subtype_ii_application_ends_with_a_licence(api):
    api.set_clock(MORNING)
    body = issue_body(api, "II")
    pay_fee(api, body, "2025-06-02T12:00:00+05:00")
    app = submit(api, body)
    done = drive_to_licence(api, app["id"])
    assert done["outcome"] == "issued"
    assert api.get(f"/api/v1/licences/{done['licence_number']}").get_json()["subtype"] == "II"


def test_an_incomplete_application_ends_in_a_motivated_refusal_within_two_working_days(api):
    api.set_clock(MORNING)
    app = submit(api, issue_body(api, "I"))
    api.set_clock("2025-06-06T16:00:00+05:00")
    api.do(app["id"], "completeness_check", {"decision": "incomplete", "reason": "the metering document is expired"})
    api.do(app["id"], "sign_not_considered", {"decision": "sign"}, user="signer")
    done = api.application(app["id"])
    assert done["outcome"] == "not_considered"
    assert datetime.fromisoformat(done["decided_at"]) <= legal_time.add_working_days(MORNING, 2)
    docs = api.get(f"/api/v1/applications/{app['id']}/documents", user="portal").get_json()
    assert {("refusal", "kk"), ("refusal", "ru")} <= {(d["kind"], d["lang"]) for d in docs}


def test_unpaid_fee_goes_through_preliminary_decision_and_hearing_to_a_refusal(api):
    api.set_clock(MORNING)
    app = submit(api, issue_body(api, "I"))
    instance = api.get(f"/api/v1/instances/{app['instance_id']}", user="auditor").get_json()
    [fee] = [e for e in instance["events"] if e["element"] == "check_fee_task"]
    assert fee["data"]["result"]["paid"] is False and fee["data"]["result"]["ground"] == "A3.10.2"
    api.do(app["id"], "completeness_check", {"decision": "complete"})
    api.do(app["id"], "qualification_check", {"decision": "grounds_found", "grounds": ["A3.10.2"]})
    docs = api.get(f"/api/v1/applications/{app['id']}/documents", user="portal").get_json()
    assert {"preliminary_decision", "hearing_notice"} <= {d["kind"] for d in docs}
    [hearing] = [t for t in api.tasks(app["id"]) if t["element"] == "hearing"]
    notice_day = legal_time.to_local(datetime.fromisoformat(MORNING))
    assert datetime.fromisoformat(hearing["due_at"]) == legal_time.add_working_days(notice_day, 2)
    api.do(app["id"], "hearing", {"decision": "refuse", "minutes": "The fee was not paid.", "grounds": ["A3.10.2"]})
    api.do(app["id"], "sign_refusal", {"decision": "sign"}, user="signer")
    done = api.application(app["id"])
    assert done["outcome"] == "refused"
    assert [n["kind"] for n in done["notices"]][-1] == "refused"


def test_a_court_ban_found_then_lifted_at_the_hearing_ends_with_a_licence(api):
    api.set_clock(MORNING)
    body = issue_body(api, "II")
    pay_fee(api, body, "2025-06-02T12:00:00+05:00")
    api.seed("court_bans", body["applicant"]["bin_iin"], {"bans": [
        {"decision": "No. 2-123/2025", "in_force_from": "2025-01-10T00:00:00+05:00", "until": None}]})
    app = submit(api, body)
    data = api.get(f"/api/v1/tasks?application={app['id']}", user="officer").get_json()[0]
    assert data["element"] == "completeness_check"
    api.do(app["id"], "completeness_check", {"decision": "complete"})
    api.do(app["id"], "qualification_check", {"decision": "grounds_found", "grounds": ["A3.10.4"]})
    api.do(app["id"], "hearing", {"decision": "issue", "minutes": "The ban was lifted on appeal."})
    api.do(app["id"], "sign_licence_after_hearing", {"decision": "sign"}, user="signer")
    assert api.application(app["id"])["outcome"] == "issued"


def test_a_signer_can_return_the_draft_to_the_officer(api):
    api.set_clock(MORNING)
    body = issue_body(api, "II")
    pay_fee(api, body, "2025-06-02T12:00:00+05:00")
    app = submit(api, body)
    api.do(app["id"], "completeness_check", {"decision": "complete"})
    api.do(app["id"], "qualification_check", {"decision": "compliant"})
    api.do(app["id"], "sign_licence", {"decision": "return", "comment": "check the DC address"}, user="signer")
    assert [t["element"] for t in api.tasks(app["id"])] == ["qualification_check"]


def test_an_application_submitted_friday_evening_before_a_holiday_counts_from_the_next_working_day(api):
    # Friday 7 March 2025 at 19:00: 8 March falls on Saturday, the day off moves to Monday 10 March
    api.set_clock("2025-03-07T19:00:00+05:00")
    app = submit(api, issue_body(api, "II"))
    assert app["registered_at"] == "2025-03-11T09:00:00+05:00"
    # Thursday evening 20 March 2025, before Nauryz (21-23 March, weekend days moved to 24-25):
    # registered Wednesday 26 March 09:00
    api.set_clock("2025-03-20T19:00:00+05:00")
    app = submit(api, issue_body(api, "II"))
    assert app["registered_at"] == "2025-03-26T09:00:00+05:00"
    deadlines = {d["clause"]: d["due_at"] for d in app["deadlines"]}
    assert deadlines["R7"] == "2025-03-28T18:30:00+05:00"


def test_an_officer_who_misses_the_deadline_gets_the_overdue_mark_and_the_audit_event(api):
    api.set_clock(MORNING)
    app = submit(api, issue_body(api, "II"))
    due = legal_time.add_working_days(MORNING, 2)
    result = api.set_clock(legal_time.iso(due.replace(second=1)))
    assert [f["element"] for f in result["fired"]] == ["completeness_check_deadline"]
    [task] = api.tasks(app["id"])
    assert task["overdue"] is True
    events = api.get(f"/api/v1/instances/{app['instance_id']}", user="auditor").get_json()["events"]
    overdue = [e for e in events if e["kind"] == "task_overdue"]
    assert overdue and overdue[0]["clause"] == "R7" and overdue[0]["element"] == "completeness_check"


def test_idempotent_resubmission_creates_nothing_and_a_reused_key_with_another_body_is_a_conflict(api):
    api.set_clock(MORNING)
    body = issue_body(api, "II")
    first = api.submit(body, key="portal-req-1")
    again = api.submit(body, key="portal-req-1")
    assert first.status_code == 201 and again.status_code == 200
    assert again.get_json()["id"] == first.get_json()["id"]
    other = dict(body, signed_by="Someone Else")
    assert api.submit(other, key="portal-req-1").status_code == 409
    listed = api.get("/api/v1/instances?process=licence_issue", user="auditor")
    assert listed.headers["X-Total-Count"] == "1"


def test_invalid_input_gets_field_errors_and_creates_nothing(api):
    api.set_clock(MORNING)
    body = issue_body(api, "I")
    body["applicant"]["bin_iin"] = body["applicant"]["bin_iin"][:11] + str((int(body["applicant"]["bin_iin"][11]) + 1)
                                                                           % 10)
    del body["qualification"]["data_center_document"]  # missing, not malformed: no error for it (R7)
    r = api.submit(body)
    assert r.status_code == 422
    assert [e["field"] for e in r.get_json()["errors"]] == ["applicant.bin_iin"]
    body = issue_body(api, "I")
    body["qualification"]["metering_document"] = "no-such-file"
    r = api.submit(body)
    assert r.status_code == 422 and r.get_json()["errors"][0]["field"] == "qualification.metering_document"
    assert api.get("/api/v1/instances", user="auditor").headers["X-Total-Count"] == "0"


def test_every_user_task_and_timer_in_the_audit_trail_carries_its_clause(api):
    api.set_clock(MORNING)
    body = issue_body(api, "I")
    pay_fee(api, body, "2025-06-02T12:00:00+05:00")
    app = submit(api, body)
    drive_to_licence(api, app["id"])
    events = api.get(f"/api/v1/instances/{app['instance_id']}", user="auditor").get_json()["events"]
    for event in events:
        if event["kind"].startswith(("task_", "timer_")):
            assert event["clause"], event
    assert api.get("/api/v1/audit/verify", user="auditor").get_json()["valid"] is True


def test_every_stage_reaches_the_monitoring_feed_and_a_cursor_resumes_without_loss(api):
    api.set_clock(MORNING)
    body = issue_body(api, "II")
    pay_fee(api, body, "2025-06-02T12:00:00+05:00")
    app = submit(api, body)
    first = api.get("/api/v1/monitoring/events?limit=5", user="auditor").get_json()
    assert len(first["events"]) == 5
    drive_to_licence(api, app["id"])
    rest = api.get(f"/api/v1/monitoring/events?after={first['next']}&limit=1000", user="auditor").get_json()
    ids = [e["id"] for e in first["events"] + rest["events"]]
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    elements = [e["element"] for e in first["events"] + rest["events"] if e["kind"] == "stage"]
    assert {"register_application_task", "completeness_check", "qualification_check", "sign_licence",
            "issue_licence", "licence_issued"} <= set(elements)
    decision = [e for e in rest["events"] if e["kind"] == "decision"]
    assert decision and decision[0]["payload"]["outcome"] == "issued"
