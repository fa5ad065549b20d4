"""An auditor opens a finished instance, sees the path and clauses, exports it and checks integrity."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from tests.browser.live import chromium, live_app, login
from tests.web.portal import Api, drive_to_licence, issue_body, pay_fee

pytestmark = pytest.mark.browser


def test_the_auditor_sees_the_path_exports_and_a_tampered_event_is_named(tmp_path):
    with live_app(tmp_path) as (app, base), chromium() as browser:
        api = Api(app.test_client())
        api.set_clock("2025-06-05T10:00:00+05:00")
        body = issue_body(api, "II", name="ТОО «Аудит»")
        pay_fee(api, body, "2025-06-02T12:00:00+05:00")
        submitted = api.submit(body).get_json()
        drive_to_licence(api, submitted["id"])

        page = browser.new_page(viewport={"width": 1440, "height": 900})
        login(page, base, "auditor", landing="/audit")
        page.fill("input[name=applicant]", "аудит")
        page.select_option("select[name=process]", "licence_issue")  # not the licence's validity watch
        page.click("button.primary")
        page.locator("td a").first.click()
        page.wait_for_selector("#diagram[data-ready='1']")
        assert page.locator(".djs-element.done").count() >= 10
        assert page.locator("g[data-element-id='licence_issued'].done").count() == 1
        assert page.locator(".run-count").count() >= 10
        assert page.locator("td .clause", has_text="R7").count() >= 1
        with page.expect_download() as download:
            page.click("text=JSON")
        exported = json.loads(download.value.path().read_text())
        assert exported["id"] == submitted["instance_id"] and exported["events"]

        page.click("#verify-instance")
        expect(page.locator("#verify-result .badge.ok")).to_have_count(1)
        victim = exported["events"][5]
        with app.extensions["licensing"].wiring.db.begin() as conn:
            conn.execute(text("UPDATE audit_event SET data = '{}' WHERE id = :id"), {"id": victim["id"]})
        page.goto(f"{base}/audit/verify")
        assert page.locator("#verify-result .badge.bad").count() == 1
        assert page.locator("td.failed-event").first.inner_text() == str(victim["id"])

        page.goto(f"{base}/audit/reports")
        assert page.locator("#terms-chart").count() == 1
