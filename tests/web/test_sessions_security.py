"""The security boundary as a browser and an API client meet it: sessions, cookies, headers, redirects,
sign-in throttling, demo accounts, token revocation, diagram downloads, /metrics and the API docs page."""

from __future__ import annotations

import hashlib
import re

import pytest

from tests.web.conftest import make_app
from tests.web.test_ui_workspace import Browser, csrf

WRONG = {"errors": [{"field": "password", "message": "unknown user name or wrong password"}]}


def sign_in(client, user: str, password: str | None = None, next_: str | None = None,
            base_url: str = "http://localhost", **environ):
    page = client.get("/login", base_url=base_url).data.decode()
    path = "/login" if next_ is None else f"/login?next={next_}"
    return client.post(path, data={"username": user, "password": password or user, "csrf_token": csrf(page)},
                       base_url=base_url, environ_base=environ, headers={"Referer": f"{base_url}/login"})


def token_attempt(client, user: str, password: str, address: str = "127.0.0.1"):
    return client.post("/api/v1/auth/token", json={"username": user, "password": password},
                       headers={"Accept-Language": "en"}, environ_base={"REMOTE_ADDR": address})


def session_cookie(response) -> str:
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))


# -- the API acts on Bearer tokens only ------------------------------------------------------------------


def test_a_signed_in_browser_cookie_alone_gets_401_from_the_api(app):
    browser = Browser(app)
    browser.login("officer")
    assert browser.get("/tasks").status_code == 200  # the cookie does sign the workspace in
    assert browser.client.get("/api/v1/tasks").status_code == 401
    r = browser.client.post("/api/v1/licences/KZ-0001/suspensions",
                            json={"grounds": "x", "reason": "y", "months": 2, "scope": "licence"})
    assert r.status_code == 401


# -- cookies and headers ---------------------------------------------------------------------------------


def test_the_session_cookie_is_http_only_and_same_site_lax_and_secure_only_over_https(app, keys_dir, tmp_path):
    plain = sign_in(app.test_client(), "officer")
    cookie = session_cookie(plain)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    over_https = sign_in(app.test_client(), "officer", base_url="https://localhost")
    assert "Secure" in session_cookie(over_https)

    proxied = make_app(f"sqlite:///{tmp_path / 'proxied.db'}", keys_dir, PROXY_FIX=1)
    try:
        client = proxied.test_client()
        page = client.get("/login").data.decode()
        r = client.post("/login", data={"username": "officer", "password": "officer", "csrf_token": csrf(page)},
                        headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7",
                                 "Referer": "https://localhost/login"})
        assert r.status_code == 302 and "Secure" in session_cookie(r)
        for _ in range(5):  # the throttle counts the client's address as the proxy reports it
            client.post("/api/v1/auth/token", json={"username": "signer", "password": "guess-guess"},
                        headers={"X-Forwarded-For": "203.0.113.9"})
        r = client.post("/api/v1/auth/token", json={"username": "signer", "password": "signer"},
                        headers={"X-Forwarded-For": "203.0.113.9"})
        assert r.status_code == 429
        r = client.post("/api/v1/auth/token", json={"username": "signer", "password": "signer"},
                        headers={"X-Forwarded-For": "203.0.113.10"})
        assert r.status_code == 200
    finally:
        proxied.extensions["licensing"].wiring.db.dispose()


def assert_security_headers(response) -> None:
    policy = response.headers["Content-Security-Policy"]
    for directive in ("script-src 'self'", "object-src 'none'", "base-uri 'self'", "frame-ancestors 'none'",
                      "form-action 'self'"):
        assert directive in policy, (directive, policy)
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in ("same-origin", "no-referrer")


def test_every_kind_of_answer_carries_the_security_headers(app, api):
    client = app.test_client()
    assert_security_headers(client.get("/login"))  # an HTML page
    assert_security_headers(client.get("/no-such-page"))  # an HTML error page
    assert_security_headers(api.get("/api/v1/processes", user="analyst"))  # an API answer
    assert_security_headers(client.get("/api/v1/processes"))  # an API error (401)
    assert_security_headers(api.get("/api/v1/applications/no-such-id", user="portal"))  # 404
    assert_security_headers(client.get("/healthz"))


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def test_pages_have_no_inline_script_or_event_handler(app, api):
    api.set_clock("2025-06-05T10:00:00+05:00")
    from tests.web.portal import issue_body

    api.submit(issue_body(api, "II"))
    pages = {"officer": ["/login", "/tasks", "/notifications"],
             "auditor": ["/audit", "/audit/reports", "/audit/verify"],
             "analyst": ["/processes", "/processes/licence_issue/1", "/processes/licence_issue/1/edit"]}
    instance = api.get("/api/v1/instances", user="auditor").get_json()
    instances = instance["items"] if isinstance(instance, dict) else instance
    pages["auditor"].append(f"/audit/instances/{instances[0]['id']}")
    for user, paths in pages.items():
        browser = Browser(app)
        browser.login(user)
        for path in paths:
            r = browser.get(path)
            assert r.status_code == 200, (user, path, r.status_code)
            html = r.data.decode()
            assert not INLINE_SCRIPT.findall(html), (path, INLINE_SCRIPT.findall(html))
            assert not INLINE_HANDLER.findall(html), (path, INLINE_HANDLER.findall(html))


def test_the_api_docs_page_loads_only_assets_of_this_site(client):
    r = client.get("/api/v1/docs")
    assert r.status_code == 200
    html = r.data.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert client.get(asset).status_code == 200, asset
    assert not INLINE_SCRIPT.findall(html)


# -- diagrams are downloads --------------------------------------------------------------------------------


def assert_sandboxed_download(response) -> None:
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert b"<bpmn:definitions" in response.data or b"<definitions" in response.data


def test_diagram_xml_is_served_as_a_sandboxed_attachment(app, api):
    assert_sandboxed_download(api.get("/api/v1/processes/licence_issue/1/xml", user="auditor"))
    analyst = Browser(app)
    analyst.login("analyst")
    assert_sandboxed_download(analyst.get("/processes/licence_issue/1.xml"))
    auditor = Browser(app)
    auditor.login("auditor")
    assert_sandboxed_download(auditor.get("/audit/definitions/licence_issue/1.xml"))


# -- sessions and tokens end for good ----------------------------------------------------------------------


def test_after_logout_the_old_cookie_no_longer_signs_in(app):
    browser = Browser(app)
    browser.login("officer")
    old = browser.client.get_cookie("session").value
    page = browser.get("/tasks").data.decode()
    assert browser.client.post("/logout", data={"csrf_token": csrf(page)}).status_code == 302
    replay = app.test_client()
    replay.set_cookie("session", old)
    r = replay.get("/tasks")
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_a_revoked_token_answers_401(api):
    token = api.token("officer")
    assert api.get("/api/v1/tasks", user="officer").status_code == 200
    r = api.client.delete("/api/v1/auth/token", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 204
    assert api.get("/api/v1/tasks", user="officer").status_code == 401
    assert api.client.delete("/api/v1/auth/token", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert api.client.delete("/api/v1/auth/token").status_code == 401


# -- redirects stay on the site ----------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["//evil.example", "/\\evil.example", "https://evil.example",
                                    "/%09/evil.example", "javascript:alert(1)"])
def test_sign_in_and_language_switch_never_redirect_off_the_site(app, target):
    client = app.test_client()
    r = sign_in(client, "officer", next_=target)
    assert r.status_code == 302
    assert r.headers["Location"] in ("/", "http://localhost/"), r.headers["Location"]
    page = client.get("/tasks").data.decode()
    r = client.post("/language", data={"lang": "kk", "next": target.replace("%09", "\t"),
                                       "csrf_token": csrf(page)})
    assert r.headers["Location"] in ("/tasks", "http://localhost/tasks"), r.headers["Location"]


def test_a_path_of_the_site_is_kept_as_the_next_page(app):
    r = sign_in(app.test_client(), "auditor", next_="/audit/reports")
    assert r.headers["Location"].endswith("/audit/reports")


# -- /metrics ----------------------------------------------------------------------------------------------


def test_metrics_need_the_admin_role(api):
    assert api.client.get("/metrics").status_code == 401
    assert api.get("/metrics", user="officer").status_code == 403
    r = api.get("/metrics", user="admin")
    assert r.status_code == 200 and b"licensing_http_requests_total" in r.data


# -- sign-in -----------------------------------------------------------------------------------------------


def test_wrong_credentials_answer_401_and_an_unknown_user_looks_the_same(client, monkeypatch):
    unknown = token_attempt(client, "nobody-here", "whatever1")
    wrong = token_attempt(client, "officer", "whatever1")
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.get_json() == wrong.get_json() == WRONG

    import engine.accounts

    calls = []
    real = hashlib.scrypt
    monkeypatch.setattr(engine.accounts.hashlib, "scrypt", lambda *a, **k: calls.append(1) or real(*a, **k))
    token_attempt(client, "nobody-else", "whatever2")
    unknown_cost = len(calls)
    calls.clear()
    token_attempt(client, "officer", "whatever2")
    assert unknown_cost == len(calls) == 1  # one scrypt whether or not the user exists


def test_demo_accounts_accept_no_login_when_the_app_runs_without_demo(keys_dir, tmp_path):
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    demo = make_app(url, keys_dir, DEMO=True)
    old_token = token_attempt(demo.test_client(), "officer", "officer").get_json()["token"]
    demo.extensions["licensing"].wiring.db.dispose()

    plain = make_app(url, keys_dir, DEMO=False)
    try:
        client = plain.test_client()
        r = token_attempt(client, "admin", "admin")
        assert r.status_code == 401 and r.get_json() == WRONG
        assert client.get("/api/v1/tasks", headers={"Authorization": f"Bearer {old_token}"}).status_code == 401
        assert sign_in(client, "officer").status_code == 401
    finally:
        plain.extensions["licensing"].wiring.db.dispose()


def test_five_failures_make_that_account_wait_from_that_address_only(api):
    client = api.client
    api.set_clock("2025-06-05T10:00:00+05:00")
    for _ in range(5):
        assert token_attempt(client, "officer", "guess-guess", "10.0.0.1").status_code == 401
    held = token_attempt(client, "officer", "officer", "10.0.0.1")  # even the right password waits
    assert held.status_code == 429
    assert 0 < int(held.headers["Retry-After"]) <= 15 * 60
    assert token_attempt(client, "officer", "officer", "10.0.0.2").status_code == 200  # the real user elsewhere
    assert token_attempt(client, "signer", "signer", "10.0.0.1").status_code == 200  # other accounts from there
    api.set_clock("2025-06-05T10:16:00+05:00")
    assert token_attempt(client, "officer", "officer", "10.0.0.1").status_code == 200


def test_twenty_failures_from_one_address_make_the_address_wait(api):
    client = api.client
    for n in range(20):
        assert token_attempt(client, f"user{n % 4}", "guess-guess", "10.0.0.9").status_code == 401
    assert token_attempt(client, "officer", "officer", "10.0.0.9").status_code == 429
    assert token_attempt(client, "officer", "officer", "10.0.0.10").status_code == 200


def test_the_ui_sign_in_is_throttled_the_same_way_in_the_users_language(app):
    client = app.test_client()
    for _ in range(5):
        assert sign_in(client, "head", "nope-nope", REMOTE_ADDR="10.0.0.5").status_code == 401
    r = sign_in(client, "head", REMOTE_ADDR="10.0.0.5")
    assert r.status_code == 429 and r.headers["Retry-After"]
    assert "Слишком много неудачных попыток входа" in r.data.decode()
    assert sign_in(app.test_client(), "head", REMOTE_ADDR="10.0.0.6").status_code == 302


def test_the_request_rate_cap_on_sign_in_endpoints(keys_dir, tmp_path):
    capped = make_app(f"sqlite:///{tmp_path / 'capped.db'}", keys_dir, RATELIMIT_ENABLED=True,
                      LOGIN_RATE_LIMIT="3 per minute")
    try:
        client = capped.test_client()
        answers = [token_attempt(client, "officer", "officer", "10.0.0.3") for _ in range(4)]
        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        assert answers[-1].headers["Retry-After"]
        assert answers[-1].get_json()["errors"][0]["message"]
        assert token_attempt(client, "officer", "officer", "10.0.0.4").status_code == 200  # per address
    finally:
        capped.extensions["licensing"].wiring.db.dispose()
