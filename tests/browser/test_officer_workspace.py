"""Officers and signers click through the real pages in Debian's Chromium (Playwright)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.live import chromium, live_app, login
from tests.web.portal import Api, issue_body, pay_fee

pytestmark = pytest.mark.browser


def open_task(page, base, name_fragment):
    page.goto(f"{base}/tasks")
    page.get_by_role("link", name=name_fragment).first.click()


def test_submission_to_a_signed_licence_and_another_to_a_refusal_after_a_hearing(tmp_path):
    with live_app(tmp_path) as (app, base), chromium() as browser:
        api = Api(app.test_client())
        api.set_clock("2025-06-05T10:00:00+05:00")
        good = issue_body(api, "II", name="ТОО «Лицензия»")
        pay_fee(api, good, "2025-06-02T12:00:00+05:00")
        licensed = api.submit(good).get_json()
        refused = api.submit(issue_body(api, "II", name="ТОО «Отказ»")).get_json()

        officer = browser.new_page()
        login(officer, base, "officer")
        for app_name in ("ТОО «Лицензия»", "ТОО «Отказ»"):
            officer.goto(f"{base}/tasks?applicant={app_name}")
            officer.locator("td a").first.click()
            officer.check("input[name=decision][value=complete]")
            officer.click("button[value=complete]")
            officer.wait_for_url(f"{base}/tasks")
        officer.goto(f"{base}/tasks?applicant=Лицензия")
        officer.locator("td a").first.click()
        officer.check("input[name=decision][value=compliant]")
        officer.click("button[value=complete]")
        officer.goto(f"{base}/tasks?applicant=Отказ")
        officer.locator("td a").first.click()
        officer.check("input[name=decision][value=grounds_found]")
        officer.check("input[name=grounds][value='A3.10.2']")
        officer.click("button[value=complete]")
        officer.goto(f"{base}/tasks?applicant=Отказ")
        officer.locator("td a").first.click()
        officer.check("input[name=decision][value=refuse]")
        officer.click("button[value=complete]")  # bad input: minutes are required for a refusal
        assert officer.locator(".error-text").count() >= 1
        assert officer.locator("input[name=decision][value=refuse]").is_checked()
        officer.fill("#f-minutes", "The applicant did not show that the fee was paid.")
        officer.check("input[name=grounds][value='A3.10.2']")
        officer.click("button[value=complete]")
        officer.wait_for_url(f"{base}/tasks")

        signer = browser.new_page()
        login(signer, base, "signer", landing="/sign")
        for app_name in ("ТОО «Лицензия»", "ТОО «Отказ»"):
            signer.goto(f"{base}/sign")
            signer.locator("tr", has_text=app_name).get_by_role("link").first.click()
            expect(signer.locator("iframe[title=kk]")).to_have_count(1)  # waits for the task page to load
            expect(signer.locator("iframe[title=ru]")).to_have_count(1)
            signer.check("input[name=decision][value=sign]")
            signer.click("button[value=complete]")
            signer.wait_for_url(f"{base}/tasks")
        assert api.application(licensed["id"])["outcome"] == "issued"
        assert api.application(refused["id"])["outcome"] == "refused"
