"""Applicants are kept apart, and officers act only in their lanes (CONTRACT.md §2).

``portal`` and ``portal2`` are two applicants' portal accounts: what one submitted does not exist for the other
(404, and nothing is recorded), while staff keep reading everything. A task is read, claimed, assigned and
completed only by a user whose roles own its lane.
"""

from __future__ import annotations

import re

from sqlalchemy import update

from engine.store.licensing_tables import Account
from tests.web.portal import drive_to_licence, issue_body, pay_fee, reissue_body

MORNING = "2025-06-05T10:00:00+05:00"
TEXT = "The refusal is unlawful."


def licensed(api):
    """portal's application driven to a licence; returns (application id, licence number, documents, body)."""
    api.set_clock(MORNING)
    body = issue_body(api, "II")
    pay_fee(api, body, "2025-06-02T12:00:00+05:00")
    app_id = api.submit(body).get_json()["id"]
    number = drive_to_licence(api, app_id)["licence_number"]
    docs = api.get(f"/api/v1/applications/{app_id}/documents", user="portal").get_json()
    return app_id, number, docs, body


def suspended(api, number):
    r = api.post(f"/api/v1/licences/{number}/suspensions", {"ground": "LPN art. 45"}, user="officer")
    assert r.status_code == 201, r.get_json()
    instance_id = r.get_json()["instance_id"]
    [task] = [t for t in api.get("/api/v1/tasks", user="officer").get_json() if t["instance_id"] == instance_id]
    r = api.complete(task["id"], {"decision": "suspend", "ground": "LPN 45", "decided_by": "licensor",
                                  "months": 2, "scope": "licence", "remedy_due": "2025-06-20"})
    assert r.status_code == 200, r.get_json()
    return instance_id


def complaint_count(api):
    r = api.get("/api/v1/instances?process=complaint", user="auditor")
    return int(r.headers["X-Total-Count"])


# -- applicants kept apart ---------------------------------------------------------------------------------------


def test_another_applicant_cannot_read_the_application_its_documents_or_files(api):
    app_id, number, docs, body = licensed(api)
    file_id = api.upload(user="portal")
    licence_doc = [d for d in docs if d["kind"] == "licence"][0]["id"]
    paths = [f"/api/v1/applications/{app_id}", f"/api/v1/applications/{app_id}/documents",
             f"/api/v1/documents/{licence_doc}", f"/api/v1/documents/{licence_doc}/signature",
             f"/api/v1/documents/{licence_doc}/verify", f"/api/v1/files/{file_id}", f"/api/v1/licences/{number}"]
    for path in paths:
        assert api.get(path, user="portal").status_code == 200, path
        stranger = api.get(path, user="portal2")
        assert stranger.status_code == 404, path
        assert body["applicant"]["bin_iin"] not in stranger.get_data(as_text=True)
        assert body["applicant"]["name"] not in stranger.get_data(as_text=True)
        assert api.get(path, user="officer").status_code == 200, path
        assert api.get(path, user="auditor").status_code == 200, path


def test_another_applicant_cannot_complain_about_the_application_or_the_licence(api):
    app_id, number, _, _ = licensed(api)
    for target in ({"application_id": app_id}, {"licence_number": number}):
        r = api.post("/api/v1/complaints", {**target, "addressed_to": "provider", "text": TEXT}, user="portal2")
        assert r.status_code == 404, r.get_json()
    assert complaint_count(api) == 0
    r = api.post("/api/v1/complaints", {"licence_number": number, "addressed_to": "provider", "text": TEXT},
                 user="portal")
    assert r.status_code == 201, r.get_json()
    complaint_id = r.get_json()["id"]
    assert complaint_count(api) == 1
    assert api.get(f"/api/v1/complaints/{complaint_id}", user="portal2").status_code == 404
    r = api.post(f"/api/v1/complaints/{complaint_id}/court", {"court": "SMAS Astana"}, user="portal2")
    assert r.status_code == 404
    assert api.get(f"/api/v1/complaints/{complaint_id}", user="portal").status_code == 200


def test_another_applicant_cannot_report_the_remedy_of_a_suspension(api):
    _, number, _, _ = licensed(api)
    instance_id = suspended(api, number)
    r = api.post(f"/api/v1/suspensions/{instance_id}/remedy", {"text": "metering installed"}, user="portal2")
    assert r.status_code == 404
    view = api.get(f"/api/v1/instances/{instance_id}", user="auditor").get_json()
    assert "message_received" not in [e["kind"] for e in view["events"]]
    assert api.get(f"/api/v1/licences/{number}", user="portal").get_json()["status"] == "suspended"
    r = api.post(f"/api/v1/suspensions/{instance_id}/remedy", {"text": "metering installed"}, user="portal")
    assert r.status_code == 200, r.get_json()
    view = api.get(f"/api/v1/instances/{instance_id}", user="auditor").get_json()
    assert "message_received" in [e["kind"] for e in view["events"]]


def test_another_applicant_cannot_send_a_pool_notice_for_the_licence(api):
    _, number, _, _ = licensed(api)
    notice = {"changed_at": "2025-06-05T09:00:00+05:00", "pool": {"name": "Other pool"}}
    assert api.post(f"/api/v1/licences/{number}/pool-notices", notice, user="portal2").status_code == 404
    assert api.get(f"/api/v1/licences/{number}", user="portal").get_json()["pool_notices"] == []
    assert api.post(f"/api/v1/licences/{number}/pool-notices", notice, user="portal").status_code == 201
    assert len(api.get(f"/api/v1/licences/{number}", user="portal").get_json()["pool_notices"]) == 1


def test_another_applicant_cannot_reissue_the_licence(api):
    _, number, _, body = licensed(api)
    r = api.post("/api/v1/applications", reissue_body(body, number, ["rename_or_relocate"]), user="portal2",
                 headers={"Idempotency-Key": "stranger-1"})
    assert r.status_code == 422
    assert [e["field"] for e in r.get_json()["errors"]] == ["licence_number"]


def test_the_reissued_licence_belongs_to_whoever_submitted_the_reissue(api):
    _, number, _, body = licensed(api)
    api.set_clock("2025-06-09T11:00:00+05:00")
    r = api.submit(reissue_body(body, number, ["rename_or_relocate"], changes={"name": "ТОО «Жаңа Атау»"}))
    assert r.status_code == 201, r.get_json()
    app_id = r.get_json()["id"]
    api.do(app_id, "reissue_completeness", {"decision": "complete"})
    api.do(app_id, "reissue_review", {"decision": "compliant"})
    api.do(app_id, "sign_reissue", {"decision": "sign"}, user="signer")
    done = api.application(app_id)
    assert done["outcome"] == "reissued"
    new_number = done["licence_number"]
    assert new_number != number
    assert api.get(f"/api/v1/licences/{new_number}", user="portal").status_code == 200
    assert api.get(f"/api/v1/licences/{new_number}", user="portal2").status_code == 404


def test_an_account_acting_for_one_applicant_submits_for_it_only(app, api):
    api.set_clock(MORNING)
    mine, other = issue_body(api, "II"), issue_body(api, "II")
    with app.extensions["licensing"].engine.session_factory() as session:
        session.execute(update(Account).where(Account.username == "portal")
                        .values(acts_for=mine["applicant"]["bin_iin"]))
        session.commit()
    r = api.submit(other)
    assert r.status_code == 422
    assert [e["field"] for e in r.get_json()["errors"]] == ["applicant.bin_iin"]
    assert api.submit(mine).status_code == 201


# -- lanes -------------------------------------------------------------------------------------------------------


def awaiting_signature(api):
    api.set_clock(MORNING)
    body = issue_body(api, "II")
    pay_fee(api, body, "2025-06-02T12:00:00+05:00")
    app_id = api.submit(body).get_json()["id"]
    api.do(app_id, "completeness_check", {"decision": "complete"})
    api.do(app_id, "qualification_check", {"decision": "compliant"})
    [task] = [t for t in api.tasks(app_id, user="signer") if t["element"] == "sign_licence"]
    return app_id, task["id"]


def officer_task(api):
    api.set_clock(MORNING)
    app_id = api.submit(issue_body(api, "II")).get_json()["id"]
    [task] = [t for t in api.tasks(app_id) if t["element"] == "completeness_check"]
    return app_id, task["id"]


def test_an_officer_can_neither_read_nor_complete_a_signer_task(api):
    app_id, task_id = awaiting_signature(api)
    assert api.get(f"/api/v1/tasks/{task_id}", user="officer").status_code == 403
    assert api.complete(task_id, {"decision": "sign"}, user="officer").status_code == 403
    assert api.post(f"/api/v1/tasks/{task_id}/claim", {}, user="officer").status_code == 403
    assert api.client.put(f"/api/v1/tasks/{task_id}/draft", json={"data": {"decision": "sign"}},
                          headers=api.headers("officer")).status_code == 403
    assert api.complete(task_id, {"decision": "sign"}, user="head").status_code == 403
    assert api.application(app_id)["outcome"] is None
    assert api.get(f"/api/v1/tasks/{task_id}", user="signer").status_code == 200
    assert api.complete(task_id, {"decision": "sign"}, user="signer").status_code == 200


def test_the_head_assigns_an_officer_task_to_an_officer_only(api):
    app_id, task_id = officer_task(api)
    for assignee in ("portal", "signer", "nobody"):
        r = api.post(f"/api/v1/tasks/{task_id}/claim", {"assignee": assignee}, user="head")
        assert r.status_code == 422, assignee
        assert [e["field"] for e in r.get_json()["errors"]] == ["assignee"]
    assert api.tasks(app_id)[0]["claimed_by"] is None
    r = api.post(f"/api/v1/tasks/{task_id}/claim", {"assignee": "officer2"}, user="head")
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["claimed_by"] == "officer2"


def test_an_auditor_reads_a_task_but_neither_claims_nor_completes_it(api):
    app_id, task_id = officer_task(api)
    r = api.get(f"/api/v1/tasks/{task_id}", user="auditor")
    assert r.status_code == 200 and r.get_json()["element"] == "completeness_check"
    assert api.post(f"/api/v1/tasks/{task_id}/claim", {}, user="auditor").status_code == 403
    assert api.complete(task_id, {"decision": "complete"}, user="auditor").status_code == 403
    assert api.get(f"/api/v1/tasks/{task_id}", user="admin").status_code == 200
    assert api.complete(task_id, {"decision": "complete"}, user="admin").status_code == 403
    assert [t["element"] for t in api.tasks(app_id)] == ["completeness_check"]


def signed_in(app, username):
    browser = app.test_client()
    page = browser.get("/login").get_data(as_text=True)
    r = browser.post("/login", data={"username": username, "password": username, "csrf_token": csrf(page)})
    assert r.status_code == 302
    return browser


def csrf(html):
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_the_workspace_applies_the_same_lanes(app, api):
    app_id, task_id = awaiting_signature(api)
    assert signed_in(app, "officer").get(f"/tasks/{task_id}").status_code == 403
    auditor = signed_in(app, "auditor")
    page = auditor.get(f"/tasks/{task_id}")
    assert page.status_code == 200
    r = auditor.post(f"/tasks/{task_id}", data={"decision": "sign", "action": "complete",
                                                "csrf_token": csrf(page.get_data(as_text=True))})
    assert r.status_code == 403
    assert api.application(app_id)["outcome"] is None


def test_the_head_cannot_assign_an_officer_task_to_an_applicant_in_the_workspace(app, api):
    app_id, task_id = officer_task(api)
    head = signed_in(app, "head")
    page = head.get(f"/tasks/{task_id}").get_data(as_text=True)
    r = head.post(f"/tasks/{task_id}", data={"action": "assign", "assignee": "portal", "csrf_token": csrf(page)})
    assert r.status_code == 422
    assert api.tasks(app_id)[0]["claimed_by"] is None
