"""The officer's and signer's workspace through the browser's HTTP surface (cookies, CSRF, forms)."""

from __future__ import annotations

import re

from tests.web.portal import issue_body


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


class Browser:
    def __init__(self, app):
        self.client = app.test_client()

    def login(self, user: str) -> None:
        page = self.client.get("/login").data.decode()
        r = self.client.post("/login", data={"username": user, "password": user, "csrf_token": csrf(page)})
        assert r.status_code == 302, r.data[:500]

    def get(self, path: str):
        return self.client.get(path)

    def post(self, path: str, data: dict, page: str | None = None):
        page = page or self.client.get(path if "/tasks/" in path else "/tasks").data.decode()
        return self.client.post(path, data={**data, "csrf_token": csrf(page)})


def task_id(api, app_id, element, user="officer"):
    return [t for t in api.tasks(app_id, user=user) if t["element"] == element][0]["id"]


def test_login_is_required_and_a_form_without_its_csrf_token_is_refused(app):
    browser = Browser(app)
    assert browser.get("/tasks").status_code == 302
    assert browser.client.post("/login", data={"username": "officer", "password": "officer"}).status_code == 400
    page = browser.get("/login").data.decode()
    bad = browser.client.post("/login", data={"username": "officer", "password": "nope", "csrf_token": csrf(page)})
    assert bad.status_code == 401 and "Неверное имя пользователя или пароль" in bad.data.decode()


def test_repeated_failures_make_that_address_wait_but_not_the_user_elsewhere(app):
    browser = Browser(app)
    for _ in range(5):
        page = browser.get("/login").data.decode()
        browser.client.post("/login", data={"username": "officer2", "password": "x", "csrf_token": csrf(page)})
    page = browser.get("/login").data.decode()
    r = browser.client.post("/login", data={"username": "officer2", "password": "officer2", "csrf_token": csrf(page)})
    assert r.status_code == 429 and "Слишком много неудачных попыток" in r.data.decode()
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "10.1.2.3"
    page = elsewhere.get("/login").data.decode()
    r = elsewhere.post("/login", data={"username": "officer2", "password": "officer2", "csrf_token": csrf(page)})
    assert r.status_code == 302


def test_the_task_list_shows_the_task_with_its_term_and_the_language_switch_is_remembered(app, api, submitted):
    browser = Browser(app)
    browser.login("officer")
    html = browser.get("/tasks").data.decode()
    assert "ТОО «Браузер»" in html and "R7" in html and "Задачи" in html
    browser.post("/language", {"lang": "kk", "next": "/tasks"})
    assert "Тапсырмалар" in browser.get("/tasks").data.decode()
    other = Browser(app)
    other.login("officer")  # the choice is remembered for the user
    assert "Тапсырмалар" in other.get("/tasks").data.decode()
    assert "ТОО «Браузер»" not in browser.get("/tasks?applicant=нет такого").data.decode()
    assert "ТОО «Браузер»" in browser.get("/tasks?applicant=браузер").data.decode()


def test_bad_input_shows_the_fields_error_and_keeps_what_was_typed(app, api, submitted):
    browser = Browser(app)
    browser.login("officer")
    tid = task_id(api, submitted["id"], "completeness_check")
    page = browser.get(f"/tasks/{tid}").data.decode()
    assert "A3.10" in page or "A3.7" in page  # the automated findings with their clauses
    r = browser.post(f"/tasks/{tid}", {"decision": "incomplete", "missing_items": "", "action": "complete"}, page)
    html = r.data.decode()
    assert r.status_code == 422 and 'id="reason-err"' in html
    assert 'value="incomplete"' in html and re.search(r'value="incomplete"[^>]*checked', html)


def test_another_officers_claimed_task_cannot_be_completed(app, api, submitted):
    tid = task_id(api, submitted["id"], "completeness_check")
    first = Browser(app)
    first.login("officer")
    first.post(f"/tasks/{tid}", {"action": "claim"})
    second = Browser(app)
    second.login("officer2")
    r = second.post(f"/tasks/{tid}", {"decision": "complete", "action": "complete"})
    assert r.status_code == 403
    assert api.tasks(submitted["id"])[0]["claimed_by"] == "officer"


def test_officer_and_signer_take_an_application_to_a_signed_licence(app, api, submitted):
    officer = Browser(app)
    officer.login("officer")
    for element, data in (("completeness_check", {"decision": "complete"}),
                          ("qualification_check", {"decision": "compliant"})):
        tid = task_id(api, submitted["id"], element)
        r = officer.post(f"/tasks/{tid}", {**data, "action": "complete"})
        assert r.status_code == 302, r.data.decode()[:400]
    signer = Browser(app)
    signer.login("signer")
    queue = signer.get("/sign").data.decode()
    assert "ТОО «Браузер»" in queue
    tid = task_id(api, submitted["id"], "sign_licence", user="signer")
    page = signer.get(f"/tasks/{tid}").data.decode()
    assert f"/tasks/{tid}/preview/kk.pdf" in page and f"/tasks/{tid}/preview/ru.pdf" in page
    assert signer.get(f"/tasks/{tid}/preview/ru.pdf").data.startswith(b"%PDF")
    assert signer.post(f"/tasks/{tid}", {"decision": "sign", "action": "complete"}, page).status_code == 302
    assert api.application(submitted["id"])["outcome"] == "issued"


def test_drafts_are_saved_and_shown_again(app, api, submitted):
    browser = Browser(app)
    browser.login("officer")
    tid = task_id(api, submitted["id"], "completeness_check")
    browser.post(f"/tasks/{tid}", {"decision": "incomplete", "reason": "half written", "action": "draft"})
    assert "half written" in browser.get(f"/tasks/{tid}").data.decode()


def test_a_refusal_counts_once_under_its_ground_in_the_reports_and_a_missing_page_is_the_sites_own(app, api):
    api.set_clock("2025-06-05T10:00:00+05:00")
    refused = api.submit(issue_body(api, "II", name="ТОО «Отказ»")).get_json()  # no fee paid: ground A3.10.2
    api.do(refused["id"], "completeness_check", {"decision": "complete"})
    api.do(refused["id"], "qualification_check", {"decision": "grounds_found", "grounds": ["A3.10.2"]})
    api.do(refused["id"], "hearing", {"decision": "refuse", "minutes": "Fee not paid.", "grounds": ["A3.10.2"]})
    api.do(refused["id"], "sign_refusal", {"decision": "sign"}, user="signer")
    assert api.application(refused["id"])["outcome"] == "refused"

    browser = Browser(app)
    browser.login("auditor")
    page = browser.get("/audit/reports?since=2025-06-01&until=2025-06-30").data.decode()
    assert re.search(r'<span class="clause">A3\.10\.2</span></td><td>1</td>', page)
    assert "Отказов: 1." in page
    outside = browser.get("/audit/reports?since=2025-07-01&until=2025-07-31").data.decode()
    assert "Отказов: 0." in outside and "A3.10.2" not in outside

    missing = browser.get("/no-such-page")
    assert missing.status_code == 404 and "Страница не найдена" in missing.data.decode()
    assert browser.client.get("/api/v1/no-such-thing", headers={"Accept": "application/json"}).get_json()["errors"]
