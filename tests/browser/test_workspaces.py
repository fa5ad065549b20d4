"""Staff workspaces walked in Debian's Chromium (Playwright): forms drawn from the schema, read-only
completed tasks, each role's home and the site's own error pages, in Kazakh and Russian."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.live import chromium, live_app, login
from tests.web.portal import Api, issue_body, pay_fee

pytestmark = pytest.mark.browser


def switch_language(page, lang):
    page.select_option("#lang-select", lang)
    page.locator(f"html[lang={lang}]").wait_for(state="attached")


def test_an_incomplete_set_with_two_missing_documents_then_the_task_reads_back_read_only_in_kk(tmp_path):
    with live_app(tmp_path) as (app, base), chromium() as browser:
        api = Api(app.test_client())
        api.set_clock("2025-06-05T10:00:00+05:00")
        api.submit(issue_body(api, "II", name="ТОО «Неполный»"))

        officer = browser.new_page()
        login(officer, base, "officer")
        switch_language(officer, "kk")
        officer.goto(f"{base}/tasks?applicant=Неполный")
        officer.locator("td a").first.click()
        task_url = officer.url
        reason = officer.locator("[data-field=reason]")
        expect(reason).to_be_hidden()  # asked for only when the set is incomplete
        officer.check("input[name=decision][value=incomplete]")
        expect(reason).to_be_visible()
        officer.fill("#f-reason", "Құжаттар толық емес")
        rows = officer.locator("[data-field=missing_items] input[name=missing_items]")
        rows.nth(0).fill("Жарғының көшірмесі")
        officer.get_by_role("button", name="Жол қосу").click()
        rows.nth(1).fill("Электр энергиясымен жабдықтау шарты")
        officer.click("button[value=complete]")
        officer.wait_for_url(f"{base}/tasks")

        officer.goto(task_url)
        assert officer.locator("button[value=complete]").count() == 0
        note = officer.locator("[data-role=read-only]")
        assert "Тапсырма аяқталды, оны өзгертуге болмайды" in note.inner_text()
        assert "officer" in note.inner_text() and "2025\u202fж. 05 мау., 10:00" in note.inner_text()  # Babel, kk
        items = officer.locator("[data-field=missing_items] li")
        assert items.all_inner_texts() == ["Жарғының көшірмесі", "Электр энергиясымен жабдықтау шарты"]
        assert "Құжаттар топтамасы толық емес" in officer.locator("[data-field=decision]").inner_text()


def test_grounds_appear_only_with_grounds_found_and_a_blank_reason_is_shown_on_its_field_in_ru(tmp_path):
    with live_app(tmp_path) as (app, base), chromium() as browser:
        api = Api(app.test_client())
        api.set_clock("2025-06-05T10:00:00+05:00")
        api.submit(issue_body(api, "II", name="ТОО «Основания»"))

        officer = browser.new_page()
        login(officer, base, "officer")
        switch_language(officer, "ru")
        officer.goto(f"{base}/tasks?applicant=Основания")
        officer.locator("td a").first.click()
        officer.check("input[name=decision][value=incomplete]")
        officer.fill("#f-reason", "   ")  # blank: the server refuses it on the field
        officer.click("button[value=complete]")
        error = officer.locator("[data-field=reason] .error-text")
        expect(error).to_be_visible()
        assert officer.locator("input[name=decision][value=incomplete]").is_checked()
        officer.check("input[name=decision][value=complete]")
        officer.click("button[value=complete]")
        officer.wait_for_url(f"{base}/tasks")

        officer.goto(f"{base}/tasks?applicant=Основания")
        officer.locator("td a").first.click()
        grounds = officer.locator("[data-field=grounds]")
        expect(grounds).to_be_hidden()
        officer.check("input[name=decision][value=grounds_found]")
        expect(grounds).to_be_visible()
        hearing = officer.locator("#f-hearing_at")
        assert hearing.get_attribute("min") == "2025-06-05T10:00"
        # the 2nd working day after Thursday 5 June 2025: Friday 6 June is Kurban Ait, then Mon 9, Tue 10
        assert hearing.get_attribute("max") == "2025-06-10T18:30"


@pytest.mark.parametrize(("user", "home", "absent"), [
    ("officer", "/tasks", "/audit"),
    ("head", "/tasks", "/processes"),
    ("signer", "/sign", "/admin/incidents"),
    ("auditor", "/audit", "/tasks"),
    ("analyst", "/processes", "/tasks"),
    ("admin", "/admin/incidents", "/tasks"),
    ("quality", "/tasks", "/sign"),
])
def test_each_role_lands_on_its_own_home_and_sees_only_links_it_may_open(tmp_path, user, home, absent):
    with live_app(tmp_path) as (_app, base), chromium() as browser:
        page = browser.new_page()
        login(page, base, user, landing=home)
        assert page.locator("nav[aria-label=main] a").count() >= 1
        assert page.locator(f"nav[aria-label=main] a[href='{absent}']").count() == 0


def test_a_missing_page_in_kk_and_a_forbidden_one_in_ru_are_pages_of_the_site_with_a_way_home(tmp_path):
    with live_app(tmp_path) as (_app, base), chromium() as browser:
        page = browser.new_page()
        login(page, base, "auditor", landing="/audit")
        switch_language(page, "kk")
        answer = page.goto(f"{base}/tasks/00000000-0000-0000-0000-000000000000")
        assert answer.status == 404
        assert page.locator("h1").inner_text() == "Бет табылмады"
        page.get_by_role("link", name="Басты бетке оралу").click()
        page.wait_for_url(f"{base}/audit")

        switch_language(page, "ru")
        answer = page.goto(f"{base}/tasks")
        assert answer.status == 403
        assert page.locator("h1").inner_text() == "У вас нет доступа к этой странице"
        assert page.get_by_role("link", name="Вернуться на главную").get_attribute("href") == "/"


RETURNS = {  # the signer's comment and the banner the preparer reads, in each language
    "ru": ("Уточните адрес центра обработки данных", "Возвращено подписантом: signer"),
    "kk": ("Деректерді өңдеу орталығының мекенжайын нақтылаңыз", "Қол қоюшы қайтарды: signer"),
}


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_a_returned_licence_goes_back_to_the_officer_who_prepared_it_with_the_signers_comment(tmp_path, lang):
    comment, returned = RETURNS[lang]
    with live_app(tmp_path) as (app, base), chromium() as browser:
        api = Api(app.test_client())
        api.set_clock("2025-06-05T10:00:00+05:00")
        body = issue_body(api, "II", name="ТОО «Возврат»")
        pay_fee(api, body, "2025-06-02T12:00:00+05:00")
        application = api.submit(body).get_json()
        api.do(application["id"], "completeness_check", {"decision": "complete"})
        api.do(application["id"], "qualification_check", {"decision": "compliant"}, user="officer2")

        signer = browser.new_page()
        login(signer, base, "signer", landing="/sign")
        switch_language(signer, lang)
        signer.locator("tr", has_text="ТОО «Возврат»").get_by_role("link").first.click()
        signer.check("input[name=decision][value=return]")
        signer.fill("#f-comment", comment)
        signer.click("button[value=complete]")
        signer.wait_for_url(f"{base}/tasks")

        preparer = browser.new_page()
        login(preparer, base, "officer2")
        switch_language(preparer, lang)
        preparer.goto(f"{base}/tasks?box=mine")
        preparer.locator("tr", has_text="ТОО «Возврат»").get_by_role("link").first.click()
        banner = preparer.locator("[data-role=returned]")
        assert returned in banner.text_content()
        assert comment in banner.inner_text()
        timeline = preparer.locator("[data-role=timeline]")
        assert comment in timeline.inner_text()
        assert timeline.locator("li[data-kind=application_submitted]").count() == 1
        assert "officer2" in preparer.locator("p.muted").first.inner_text()  # claimed by the preparer

        other = browser.new_page()
        login(other, base, "officer")
        other.goto(f"{base}/tasks?box=queue")
        assert other.locator("tr", has_text="ТОО «Возврат»").count() == 0  # not back in the common queue

        preparer.check("input[name=decision][value=compliant]")
        preparer.click("button[value=complete]")
        preparer.wait_for_url(f"{base}/tasks")
        signer.goto(f"{base}/sign")
        signer.locator("tr", has_text="ТОО «Возврат»").get_by_role("link").first.click()
        expect(signer.locator("[data-role=timeline]")).to_be_visible()  # the act's page has loaded
        assert signer.locator("[data-role=returned]").count() == 0
        assert comment in signer.locator("[data-role=timeline]").inner_text()


def test_an_auditor_finds_a_missed_r7_in_kk_and_ru_and_reads_reports_and_integrity_in_words(tmp_path):
    with live_app(tmp_path) as (app, base), chromium() as browser:
        api = Api(app.test_client())
        api.set_clock("2025-06-05T10:00:00+05:00")
        api.submit(issue_body(api, "II", name="ТОО «Просрочка»"))
        kept = api.submit(issue_body(api, "II", name="ТОО «Вовремя»")).get_json()
        api.do(kept["id"], "completeness_check", {"decision": "complete"})
        # R7: 2 working days after Thursday 5 June (Friday 6 June is Kurban Ait) end on Tuesday 10 June 18:30
        api.set_clock("2025-06-11T10:00:00+05:00")

        auditor = browser.new_page()
        login(auditor, base, "auditor", landing="/audit")
        switch_language(auditor, "kk")
        auditor.select_option("select[name=breached_clause]", "R7")
        auditor.get_by_role("button", name="Іздеу").click()
        auditor.wait_for_url("**breached_clause=R7**")
        rows = auditor.locator("tbody tr")
        expect(rows).to_have_count(1)
        assert "ТОО «Просрочка»" in rows.first.inner_text()
        r7 = rows.first.locator("li[data-clause=R7]")
        assert r7.get_attribute("data-state") == "breached" and "бұзылды" in r7.inner_text()
        assert "бұзылды" in rows.first.locator("li[data-role=total]").inner_text()

        switch_language(auditor, "ru")
        auditor.goto(f"{base}/audit?applicant=Вовремя")
        row = auditor.locator("tbody tr").first
        assert row.locator("li[data-clause=R7]").get_attribute("data-state") == "kept"
        assert "соблюдён" in row.locator("li[data-clause=R7]").inner_text()
        assert "ожидается" in row.locator("li[data-role=total]").inner_text()  # R8 is still running

        auditor.goto(f"{base}/audit/reports?since=2025-06-01&until=2025-06-30")
        assert "Рабочих дней от регистрации до решения" in auditor.locator("main, body").first.inner_text()
        assert auditor.locator("[data-role=refusals]").inner_text().startswith("Отказов: 0.")
        auditor.goto(f"{base}/audit/verify")
        words = auditor.locator("[data-role=verify-words]").inner_text()
        assert words.startswith("Проверено ") and "изменений нет" in words
