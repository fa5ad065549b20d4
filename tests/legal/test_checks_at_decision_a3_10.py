"""A3.10.4 / A3.10.5 / A3.10.2: court and bailiff bans and the fee are checked again when the licence is
prepared, not only at registration; the officer may set an automatic finding aside only with a recorded
justification."""

from __future__ import annotations

from tests.web.portal import issue_body, pay_fee

REGISTERED = "2026-03-03T10:00:00+05:00"  # Tuesday


def _compliant_after_a_new_court_ban(api):
    api.set_clock(REGISTERED)
    body = issue_body(api, "II")
    pay_fee(api, body, "2026-03-02T12:00:00+05:00", mci=4325)
    app = api.submit(body).get_json()
    api.do(app["id"], "completeness_check", {"decision": "complete"})
    # a court decision banning the activity comes into force after registration
    api.seed("court_bans", body["applicant"]["bin_iin"], {"bans": [
        {"decision": "No. 2-501/2026", "in_force_from": "2026-03-05T00:00:00+05:00", "until": None}]})
    api.set_clock("2026-03-06T11:00:00+05:00")
    api.do(app["id"], "qualification_check", {"decision": "compliant"})
    return app


def test_a3_10_4_a_court_ban_that_arose_after_registration_stops_the_licence_at_decision_time(api):
    app = _compliant_after_a_new_court_ban(api)
    assert [t["element"] for t in api.tasks(app["id"])] == ["qualification_check"]  # back to the officer
    assert api.tasks(app["id"], user="signer") == []
    events = api.get(f"/api/v1/instances/{app['instance_id']}", user="auditor").get_json()["events"]
    [recheck] = [e["data"]["result"] for e in events if e["element"] == "recheck_at_decision_task"]
    assert recheck["new_grounds"] == ["A3.10.4"] and recheck["at"] == "2026-03-06T11:00:00+05:00"
    api.do(app["id"], "qualification_check", {"decision": "grounds_found", "grounds": ["A3.10.4"]})
    assert [t["element"] for t in api.tasks(app["id"])] == ["hearing"]


def test_a3_10_an_automatic_finding_is_set_aside_only_with_a_recorded_justification(api):
    app = _compliant_after_a_new_court_ban(api)
    [task] = api.tasks(app["id"])
    r = api.complete(task["id"], {"decision": "compliant", "disproved": [{"ground": "A3.10.4", "justification": "no"}]})
    assert r.status_code == 422 and [e["field"] for e in r.get_json()["errors"]] == ["disproved.0.justification"]
    why = "The ban No. 2-501/2026 concerns a namesake: the BIN in the decision differs (checked with the court)."
    api.do(app["id"], "qualification_check", {"decision": "compliant",
                                              "disproved": [{"ground": "A3.10.4", "justification": why}]})
    [sign] = api.tasks(app["id"], user="signer")
    assert sign["element"] == "sign_licence"
    events = api.get(f"/api/v1/instances/{app['instance_id']}", user="auditor").get_json()["events"]
    rechecks = [e["data"]["result"] for e in events if e["element"] == "recheck_at_decision_task"]
    assert rechecks[-1]["disproved"] == {"A3.10.4": why} and rechecks[-1]["outcome"] == "clear"


def test_a3_10_2_an_unpaid_fee_found_at_registration_is_set_aside_only_with_a_recorded_justification(api):
    # Wednesday 4 June 2025, 10:00: the gateway shows no payment, so the fee check finds A3.10.2 at registration
    api.set_clock("2025-06-04T10:00:00+05:00")
    app_id = api.submit(issue_body(api, "II")).get_json()["id"]
    api.do(app_id, "completeness_check", {"decision": "complete"})
    task = next(t for t in api.tasks(app_id) if t["element"] == "qualification_check")
    r = api.complete(task["id"], {"decision": "compliant"})
    assert r.status_code == 422, r.get_json()
    assert [e["field"] for e in r.get_json()["errors"]] == ["disproved"]
    assert "A3.10.2" in r.get_json()["errors"][0]["message"]
    r = api.complete(task["id"], {"decision": "compliant", "disproved": [{"ground": "A3.10.2", "justification": "  "}]})
    assert r.status_code == 422, r.get_json()
    r = api.complete(task["id"], {"decision": "compliant", "disproved": [
        {"ground": "A3.10.2", "justification": "Paid at the bank on 3 June, receipt No. 118 attached to the file"}]})
    assert r.status_code == 200, r.get_json()
    assert [t["element"] for t in api.tasks(app_id, user="signer")] == ["sign_licence"]


def test_a3_10_2_the_officer_reads_why_the_compliant_decision_was_refused_in_russian(api):
    api.set_clock("2025-06-04T10:00:00+05:00")
    app_id = api.submit(issue_body(api, "II")).get_json()["id"]
    api.do(app_id, "completeness_check", {"decision": "complete"})
    task = next(t for t in api.tasks(app_id) if t["element"] == "qualification_check")
    r = api.client.post(f"/api/v1/tasks/{task['id']}/complete", json={"data": {"decision": "compliant"}},
                        headers={**api.headers("officer"), "Accept-Language": "ru"})
    assert r.status_code == 422
    assert r.get_json()["errors"] == [{"field": "disproved", "message": (
        "автоматические проверки выявили A3.10.2: примите решение grounds_found или опровергните каждый результат "
        "с записанным обоснованием")}]
