"""Every API endpoint × every role: no role reaches what it must not."""

from __future__ import annotations

import re

import pytest

from engine.accounts import DEMO_USERS

PUBLIC = {"/api/v1/auth/token", "/api/v1/openapi.json", "/api/v1/docs", "/healthz", "/metrics"}
USERS = list(DEMO_USERS)


def api_rules(app):
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.rule in PUBLIC or "docs" in rule.rule:
            continue
        view = app.view_functions[rule.endpoint]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method, view


def concrete(rule) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: "1" if "version" in m.group(1) else "x-" + m.group(1),
                  rule.rule)


def call(client, method, path, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.open(path, method=method, headers=headers, json={} if method in ("POST", "PUT") else None)


def test_every_api_endpoint_declares_its_roles(app):
    missing = [f"{m} {r.rule}" for r, m, view in api_rules(app) if not hasattr(view, "required_roles")]
    assert missing == []


def test_without_a_token_every_endpoint_answers_401(app, client):
    for rule, method, _ in api_rules(app):
        r = call(client, method, concrete(rule))
        assert r.status_code == 401, f"{method} {rule.rule} -> {r.status_code}"
        assert r.get_json()["errors"][0]["message"]


def test_each_role_is_refused_where_it_has_no_business(app, client, api):
    tokens = {u: api.token(u) for u in USERS}
    for rule, method, view in api_rules(app):
        allowed = set(view.required_roles)
        for username in USERS:
            roles = set(DEMO_USERS[username][1])
            r = call(client, method, concrete(rule), tokens[username])
            if roles & allowed:
                assert r.status_code != 403 or "claimed" in str(r.get_json()), \
                    f"{username} refused at {method} {rule.rule}"
                assert r.status_code < 500, f"{username} {method} {rule.rule} -> {r.status_code}"
            else:
                assert r.status_code == 403, f"{username} reached {method} {rule.rule} ({r.status_code})"


@pytest.mark.parametrize("path", ["/api/v1/processes", "/api/v1/applications", "/api/v1/files",
                                  "/api/v1/admin/clock", "/api/v1/tasks/x/complete"])
def test_auditors_change_nothing(api, path):
    method = "put" if "clock" in path else "post"
    r = getattr(api.client, method)(path, json={}, headers=api.headers("auditor"))
    assert r.status_code == 403


def test_officers_cannot_deploy_processes(api):
    r = api.client.post("/api/v1/processes", data=b"<x/>", headers=api.headers("officer"))
    assert r.status_code == 403


def test_a_portal_sees_only_its_own_applications(app, api):
    from tests.web.portal import issue_body

    api.set_clock("2025-06-05T10:00:00+05:00")
    accounts = app.extensions["licensing"].accounts
    accounts.create("portal2", "portal2", demo=True, full_name="Another portal", roles=["portal"])
    r = api.submit(issue_body(api, "II"))
    app_id = r.get_json()["id"]
    assert api.get(f"/api/v1/applications/{app_id}", user="portal").status_code == 200
    assert api.get(f"/api/v1/applications/{app_id}", user="portal2").status_code == 404
    assert api.get(f"/api/v1/applications/{app_id}/documents", user="portal2").status_code == 404


def test_metrics_report_requests_steps_timers_and_tasks(api):
    from tests.web.portal import issue_body

    api.set_clock("2025-06-05T10:00:00+05:00")
    api.submit(issue_body(api, "II"))
    text = api.client.get("/metrics").data.decode()
    for name in ("licensing_http_requests_total", "licensing_engine_step_seconds_count", "licensing_timers_pending",
                 "licensing_tasks_open", "licensing_tasks_overdue", "licensing_timers_late"):
        assert name in text
