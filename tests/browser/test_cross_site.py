"""A page on another site cannot act with a signed-in officer's browser (cross-site request forgery).

The officer signs in in Chromium, then opens pages of a second server that auto-submit forms to the app:
a JSON-looking text/plain POST to the API's suspension endpoint and a UI POST completing a task. They are
served both from another site (127.0.0.2: the SameSite=Lax cookie is not even sent) and from another origin
of the same site (127.0.0.1 on another port: the cookie is sent, the API ignores it, the UI wants its CSRF
token). Nothing changes: no suspension procedure starts, the task stays open.
"""

from __future__ import annotations

import contextlib
import html
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.browser.live import chromium, live_app, login
from tests.web.portal import Api, issue_body, issued_licence, pay_fee

pytestmark = pytest.mark.browser


def attacker_pages(api_target: str, ui_target: str) -> dict[str, str]:
    suspension = '{"grounds": "forged", "reason": "forged", "months": 2, "scope": "licence", "x": "'
    return {
        "/api": f"""<!doctype html><form method="post" enctype="text/plain" action="{html.escape(api_target)}">
<input type="hidden" name="{html.escape(suspension)}" value='"}}'></form>
<script>document.forms[0].submit()</script>""",
        "/ui": f"""<!doctype html><form method="post" action="{html.escape(ui_target)}">
<input type="hidden" name="decision" value="complete"><input type="hidden" name="action" value="complete">
</form><script>document.forms[0].submit()</script>""",
    }


@contextlib.contextmanager
def attacker_site(host: str, pages: dict[str, str]) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            body = pages.get(self.path, "").encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer((host, 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_port}"
    finally:
        server.shutdown()


def test_a_form_on_another_site_cannot_suspend_a_licence_or_complete_a_task(tmp_path):
    with live_app(tmp_path) as (app, base), chromium() as browser:
        api = Api(app.test_client())
        api.set_clock("2025-06-05T10:00:00+05:00")
        _, licence = issued_licence(api, "II")
        pending = issue_body(api, "II", name="ТОО «Подделка»")
        pay_fee(api, pending, "2025-06-02T12:00:00+05:00")
        app_id = api.submit(pending).get_json()["id"]
        task = next(t for t in api.tasks(app_id) if t["element"] == "completeness_check")

        officer = browser.new_page()
        login(officer, base, "officer")
        forged: list[tuple[str, int]] = []
        officer.on("response", lambda r: forged.append((r.url, r.status)) if r.request.method == "POST" else None)
        api_target, ui_target = f"{base}/api/v1/licences/{licence}/suspensions", f"{base}/tasks/{task['id']}"
        pages = attacker_pages(api_target, ui_target)
        for host in ("127.0.0.2", "127.0.0.1"):  # another site; another origin of the same site
            with attacker_site(host, pages) as evil:
                for path in ("/api", "/ui"):
                    officer.goto(f"{evil}{path}")
                    officer.wait_for_url(lambda url: url.startswith(base))
                    officer.wait_for_load_state()

        # the API wants a Bearer token (a cookie, sent or not, counts for nothing); the UI its CSRF token
        assert sorted(forged) == sorted([(api_target, 401), (api_target, 401), (ui_target, 400), (ui_target, 400)])
        officer.goto(f"{base}/tasks")
        assert officer.url == f"{base}/tasks"  # the officer was signed in all along
        suspensions = api.get("/api/v1/instances?process=licence_suspension", user="auditor").get_json()
        assert suspensions == []
        assert api.get(f"/api/v1/licences/{licence}", user="officer").get_json()["status"] == "active"
        assert [t["id"] for t in api.tasks(app_id) if t["element"] == "completeness_check"] == [task["id"]]


def test_the_api_docs_page_works_with_only_this_sites_scripts(tmp_path):
    with live_app(tmp_path) as (_, base), chromium() as browser:
        page = browser.new_page()
        outside: list[str] = []
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base) else None)
        page.goto(f"{base}/api/v1/docs")
        page.wait_for_selector(".opblock-summary-path")
        assert page.locator(".opblock").count() > 10
        assert outside == []
