"""Every API endpoint × every role, against a hand-written table of what each may do.

The expected answers below are typed out by hand: they say what the contract and the security boundary require,
not what the decorators happen to declare. Each endpoint is called with real objects — ``portal``'s application,
licence, documents, file, complaint and suspension, an officer task and a signer task — so the table also shows
the owner (``portal``) and a stranger applicant (``portal2``): a stranger gets 404, never the data.

Requests that would change something are sent with a body that fails validation wherever that keeps the world as
it is (422 then means: this role got past the authorization checks). A new endpoint fails
``test_the_table_names_every_api_endpoint`` until a row for it is written here.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.portal import drive_to_licence, issue_body, pay_fee

MORNING = "2025-06-05T10:00:00+05:00"
ROLES = ("anonymous", "portal", "portal2", "officer", "head", "signer", "analyst", "auditor", "admin", "quality")
PUBLIC = {("POST", "/api/v1/auth/token"), ("GET", "/api/v1/openapi.json"), ("GET", "/api/v1/docs")}
NO_BODY = None

# (method, rule, concrete path, JSON body): expected status for
#   anonymous portal portal2 officer head signer analyst auditor admin quality (the quality authority)
MATRIX: list[tuple[str, str, str, Any, tuple[int, ...]]] = [
    # the simulated clock and gateway: the administrator only
    ("GET", "/api/v1/admin/clock", "/api/v1/admin/clock", NO_BODY,
     (401, 403, 403, 403, 403, 403, 403, 403, 200, 403)),
    ("PUT", "/api/v1/admin/clock", "/api/v1/admin/clock", {},
     (401, 403, 403, 403, 403, 403, 403, 403, 422, 403)),
    ("PUT", "/api/v1/admin/gateway/<registry>/<bin_iin>", "/api/v1/admin/gateway/payments/{bin_iin}",
     {"payments": "none"},
     (401, 403, 403, 403, 403, 403, 403, 403, 422, 403)),
    # incidents of failed service tasks: the administrator only (no incident exists here: 404 / 422)
    ("GET", "/api/v1/incidents", "/api/v1/incidents", NO_BODY,
     (401, 403, 403, 403, 403, 403, 403, 403, 200, 403)),
    ("POST", "/api/v1/incidents/<incident_id>/retry", "/api/v1/incidents/no-such-incident/retry", NO_BODY,
     (401, 403, 403, 403, 403, 403, 403, 403, 404, 403)),
    ("POST", "/api/v1/incidents/<incident_id>/resolve", "/api/v1/incidents/no-such-incident/resolve", {},
     (401, 403, 403, 403, 403, 403, 403, 403, 422, 403)),
    # the portal: applicants submit; the owner and staff read; a stranger applicant finds nothing
    ("POST", "/api/v1/files", "/api/v1/files", {},
     (401, 422, 422, 422, 422, 403, 403, 403, 422, 403)),
    ("GET", "/api/v1/files/<file_id>", "/api/v1/files/{file_id}", NO_BODY,
     (401, 200, 404, 200, 200, 200, 403, 200, 200, 403)),
    ("POST", "/api/v1/applications", "/api/v1/applications", {},
     (401, 422, 422, 403, 403, 403, 403, 403, 403, 403)),
    ("GET", "/api/v1/applications/<app_id>", "/api/v1/applications/{app_id}", NO_BODY,
     (401, 200, 404, 200, 200, 200, 403, 200, 200, 403)),
    # the owner states a position before a hearing; none is pending here (409)
    ("POST", "/api/v1/applications/<app_id>/positions", "/api/v1/applications/{app_id}/positions",
     {"text": "The data centre meets every requirement."},
     (401, 409, 404, 403, 403, 403, 403, 403, 403, 403)),
    ("GET", "/api/v1/applications/<app_id>/documents", "/api/v1/applications/{app_id}/documents", NO_BODY,
     (401, 200, 404, 200, 200, 200, 403, 200, 200, 403)),
    ("GET", "/api/v1/documents/<doc_id>", "/api/v1/documents/{doc_id}", NO_BODY,
     (401, 200, 404, 200, 200, 200, 403, 200, 200, 403)),
    ("GET", "/api/v1/documents/<doc_id>/signature", "/api/v1/documents/{doc_id}/signature", NO_BODY,
     (401, 200, 404, 200, 200, 200, 403, 200, 200, 403)),
    ("GET", "/api/v1/documents/<doc_id>/verify", "/api/v1/documents/{doc_id}/verify", NO_BODY,
     (401, 200, 404, 200, 200, 200, 403, 200, 200, 403)),
    # what a QR code on an act points to: public
    ("GET", "/api/v1/verify/<number>", "/api/v1/verify/{doc_number}", NO_BODY,
     (200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    # the register
    ("GET", "/api/v1/licences/<number>", "/api/v1/licences/{licence}", NO_BODY,
     (401, 200, 404, 200, 200, 200, 403, 200, 200, 403)),
    ("POST", "/api/v1/licences/<number>/pool-notices", "/api/v1/licences/{licence}/pool-notices",
     {"changed_at": "2025-06-05T09:00:00+05:00", "pool": {"name": "KZ Pool 2"}},
     (401, 201, 404, 201, 201, 403, 403, 403, 403, 403)),
    ("POST", "/api/v1/licences/<number>/suspensions", "/api/v1/licences/{licence}/suspensions", {"scope": "x"},
     (401, 403, 403, 422, 422, 403, 403, 403, 403, 403)),
    # complaints and suspensions
    ("POST", "/api/v1/complaints", "/api/v1/complaints",
     {"application_id": "{app_id}", "addressed_to": "provider", "text": "The term was breached."},
     (401, 201, 404, 201, 201, 403, 403, 403, 403, 403)),
    ("GET", "/api/v1/complaints/<complaint_id>", "/api/v1/complaints/{complaint_id}", NO_BODY,
     (401, 200, 404, 200, 200, 403, 403, 200, 200, 403)),
    ("POST", "/api/v1/complaints/<complaint_id>/court", "/api/v1/complaints/{complaint_id}/court",
     {"court": "Specialised inter-district administrative court of Astana"},
     (401, 409, 404, 409, 409, 403, 403, 403, 403, 403)),
    # the holder reports the remedy first; after it the procedure no longer waits for one (409)
    ("POST", "/api/v1/suspensions/<instance_id>/remedy", "/api/v1/suspensions/{suspension_id}/remedy",
     {"text": "Metering installed and registered."},
     (401, 200, 404, 409, 409, 403, 403, 403, 403, 403)),
    # tasks: staff in their lanes; auditors and administrators read, never act
    ("GET", "/api/v1/tasks", "/api/v1/tasks", NO_BODY,
     (401, 403, 403, 200, 200, 200, 403, 403, 200, 200)),
    ("GET", "/api/v1/tasks/<task_id>", "/api/v1/tasks/{officer_task}", NO_BODY,
     (401, 403, 403, 200, 200, 403, 403, 200, 200, 403)),
    ("GET", "/api/v1/tasks/<task_id>", "/api/v1/tasks/{signer_task}", NO_BODY,
     (401, 403, 403, 403, 403, 200, 403, 200, 200, 403)),
    ("POST", "/api/v1/tasks/<task_id>/complete", "/api/v1/tasks/{officer_task}/complete", {"data": {}},
     (401, 403, 403, 422, 422, 403, 403, 403, 403, 403)),
    ("POST", "/api/v1/tasks/<task_id>/complete", "/api/v1/tasks/{signer_task}/complete", {"data": {}},
     (401, 403, 403, 403, 403, 422, 403, 403, 403, 403)),
    ("PUT", "/api/v1/tasks/<task_id>/draft", "/api/v1/tasks/{officer_task}/draft", {"data": {}},
     (401, 403, 403, 200, 200, 403, 403, 403, 403, 403)),
    ("PUT", "/api/v1/tasks/<task_id>/draft", "/api/v1/tasks/{signer_task}/draft", {"data": {}},
     (401, 403, 403, 403, 403, 200, 403, 403, 403, 403)),
    ("POST", "/api/v1/tasks/<task_id>/unclaim", "/api/v1/tasks/{officer_task}/unclaim", {},
     (401, 403, 403, 200, 200, 403, 403, 403, 403, 403)),
    # the officer claims the free task, then the head takes it over: both may, no one else
    ("POST", "/api/v1/tasks/<task_id>/claim", "/api/v1/tasks/{claim_task}/claim", {},
     (401, 403, 403, 200, 200, 403, 403, 403, 403, 403)),
    ("POST", "/api/v1/tasks/<task_id>/claim", "/api/v1/tasks/{signer_task}/claim", {},
     (401, 403, 403, 403, 403, 200, 403, 403, 403, 403)),
    # audit
    ("GET", "/api/v1/instances", "/api/v1/instances", NO_BODY,
     (401, 403, 403, 403, 403, 403, 403, 200, 200, 403)),
    ("GET", "/api/v1/instances/export", "/api/v1/instances/export", NO_BODY,
     (401, 403, 403, 403, 403, 403, 403, 200, 200, 403)),
    ("GET", "/api/v1/instances/<instance_id>", "/api/v1/instances/{instance_id}", NO_BODY,
     (401, 403, 403, 403, 403, 403, 403, 200, 200, 403)),
    ("GET", "/api/v1/instances/<instance_id>/export", "/api/v1/instances/{instance_id}/export", NO_BODY,
     (401, 403, 403, 403, 403, 403, 403, 200, 200, 403)),
    ("GET", "/api/v1/audit/verify", "/api/v1/audit/verify", NO_BODY,
     (401, 403, 403, 403, 403, 403, 403, 200, 200, 403)),
    ("GET", "/api/v1/monitoring/events", "/api/v1/monitoring/events", NO_BODY,
     (401, 403, 403, 403, 403, 403, 403, 200, 200, 403)),
    # process definitions: analysts deploy; officers, auditors and administrators read
    ("GET", "/api/v1/processes", "/api/v1/processes", NO_BODY,
     (401, 403, 403, 200, 200, 403, 200, 200, 200, 403)),
    ("POST", "/api/v1/processes", "/api/v1/processes", {},
     (401, 403, 403, 403, 403, 403, 422, 403, 403, 403)),
    ("POST", "/api/v1/processes/validate", "/api/v1/processes/validate", {},
     (401, 403, 403, 403, 403, 403, 200, 403, 403, 403)),
    # the legal terms in force: every signed-in user reads them; an analyst proposes a change, a second
    # analyst or an administrator approves it (no proposal exists here: 404)
    ("GET", "/api/v1/terms", "/api/v1/terms", NO_BODY,
     (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/terms/proposals", "/api/v1/terms/proposals", NO_BODY,
     (401, 403, 403, 403, 403, 403, 200, 200, 200, 403)),
    ("POST", "/api/v1/terms/proposals", "/api/v1/terms/proposals", {},
     (401, 403, 403, 403, 403, 403, 422, 403, 403, 403)),
    ("POST", "/api/v1/terms/proposals/<proposal_id>/approve", "/api/v1/terms/proposals/no-such-proposal/approve",
     NO_BODY,
     (401, 403, 403, 403, 403, 403, 404, 403, 404, 403)),
    ("GET", "/api/v1/processes/<key>/<int:version>/xml", "/api/v1/processes/licence_issue/1/xml", NO_BODY,
     (401, 403, 403, 403, 403, 403, 200, 200, 200, 403)),
    # signing out revokes the caller's own token: any signed-in role; the last row, as it ends every token
    ("DELETE", "/api/v1/auth/token", "/api/v1/auth/token", NO_BODY,
     (401, 204, 204, 204, 204, 204, 204, 204, 204, 204)),
]


def api_rules(app: Any) -> set[tuple[str, str]]:
    return {(method, rule.rule) for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")
            for method in rule.methods - {"HEAD", "OPTIONS"}}


def world(api: Any) -> dict[str, str]:
    """``portal``'s things, and open tasks in the officer's and the signer's lanes."""
    api.set_clock(MORNING)
    body = issue_body(api, "II")
    pay_fee(api, body, "2025-06-02T12:00:00+05:00")
    app_id = api.submit(body).get_json()["id"]
    licence = drive_to_licence(api, app_id)["licence_number"]
    docs = api.get(f"/api/v1/applications/{app_id}/documents", user="portal").get_json()
    r = api.post("/api/v1/complaints", {"application_id": app_id, "addressed_to": "provider",
                                        "text": "The receipt came late."}, user="portal")
    assert r.status_code == 201, r.get_json()
    complaint_id = r.get_json()["id"]
    r = api.post(f"/api/v1/licences/{licence}/suspensions", {"ground": "LPN art. 45"}, user="officer")
    assert r.status_code == 201, r.get_json()
    suspension_id = r.get_json()["instance_id"]
    [decision] = [t for t in api.get("/api/v1/tasks", user="officer").get_json() if t["instance_id"] == suspension_id]
    r = api.complete(decision["id"], {"decision": "suspend", "ground": "LPN 45", "decided_by": "licensor",
                                      "months": 2, "scope": "licence", "remedy_due": "2025-06-20"})
    assert r.status_code == 200, r.get_json()

    signing = issue_body(api, "II")
    pay_fee(api, signing, "2025-06-02T12:00:00+05:00")
    signing_id = api.submit(signing).get_json()["id"]
    api.do(signing_id, "completeness_check", {"decision": "complete"})
    api.do(signing_id, "qualification_check", {"decision": "compliant"})
    [signer_task] = [t["id"] for t in api.tasks(signing_id, user="signer") if t["element"] == "sign_licence"]

    def completeness_task() -> str:
        new_id = api.submit(issue_body(api, "II")).get_json()["id"]
        [task] = [t["id"] for t in api.tasks(new_id) if t["element"] == "completeness_check"]
        return task

    [licence_doc] = [d for d in docs if d["kind"] == "licence" and d["lang"] == "kk"]
    return {"app_id": app_id, "licence": licence, "doc_id": licence_doc["id"], "doc_number": licence_doc["number"],
            "file_id": api.upload(user="portal"), "complaint_id": complaint_id, "suspension_id": suspension_id,
            "instance_id": api.application(app_id)["instance_id"], "bin_iin": body["applicant"]["bin_iin"],
            "officer_task": completeness_task(), "claim_task": completeness_task(), "signer_task": signer_task}


def fill(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {k: fill(v, ids) for k, v in value.items()}
    return value


def test_the_table_names_every_api_endpoint(app):
    written = {(method, rule) for method, rule, *_ in MATRIX}
    assert api_rules(app) - PUBLIC - written == set()
    assert written - api_rules(app) == set()


def test_each_role_gets_exactly_the_answer_the_table_gives(api):
    ids = world(api)
    tokens = {role: api.token(role) for role in ROLES if role != "anonymous"}
    wrong = []
    for method, rule, path, body, expected in MATRIX:
        assert len(expected) == len(ROLES), rule
        for role, status in zip(ROLES, expected, strict=True):
            headers = {"Authorization": f"Bearer {tokens[role]}"} if role != "anonymous" else {}
            r = api.client.open(fill(path, ids), method=method, headers=headers, json=fill(body, ids))
            if r.status_code != status:
                wrong.append(f"{role:9} {method} {rule}: {r.status_code}, expected {status} "
                             f"{(r.get_json(silent=True) or {}).get('errors', '')}")
            if status in (401, 403, 404):
                assert r.get_json()["errors"][0]["message"], f"{role} {method} {rule}"
    assert wrong == []


def test_a_stranger_applicant_learns_nothing_from_the_answer(api):
    ids = world(api)
    for path in (f"/api/v1/applications/{ids['app_id']}", f"/api/v1/licences/{ids['licence']}",
                 f"/api/v1/documents/{ids['doc_id']}/verify", f"/api/v1/complaints/{ids['complaint_id']}"):
        text = api.get(path, user="portal2").get_data(as_text=True)
        assert ids["bin_iin"] not in text and "holder" not in text, path


@pytest.mark.parametrize("path", ["/api/v1/processes", "/api/v1/applications", "/api/v1/files",
                                  "/api/v1/admin/clock", "/api/v1/tasks/x/complete"])
def test_auditors_change_nothing(api, path):
    method = "put" if "clock" in path else "post"
    r = getattr(api.client, method)(path, json={}, headers=api.headers("auditor"))
    assert r.status_code == 403


def test_metrics_report_requests_steps_timers_and_tasks(api):
    api.set_clock(MORNING)
    api.submit(issue_body(api, "II"))
    assert api.client.get("/metrics").status_code == 401
    assert api.get("/metrics", user="auditor").status_code == 403
    text = api.get("/metrics", user="admin").data.decode()
    for name in ("licensing_http_requests_total", "licensing_engine_step_seconds_count", "licensing_timers_pending",
                 "licensing_tasks_open", "licensing_tasks_overdue", "licensing_timers_late"):
        assert name in text
