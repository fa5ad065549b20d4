"""An analyst working in Kazakh, or in Russian, edits a gateway's condition and the task's name in that language in
the modeler: a broken condition is flagged on its flow when the draft is saved, the fixed one saves clean and deploys;
the other names stay as they were, the version diff colours the changed elements on the diagram; a deployed version
opens in a viewer with no palette and no editing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.live import chromium, live_app, login
from tests.web.portal import Api

pytestmark = pytest.mark.browser
FLOW = "flow_is_complete_to_draft_not_considered"
TASK = "completeness_check"
CONDITION = "completeness_check['decision'] in ('incomplete', 'expired')"
# per language: the task's name before and after the edit, and a word of each as the canvas shows it
NAMES = {
    "kk": ("Құжаттардың толықтығын тексеру", "Құжаттар жиынтығының толықтығын тексеру", "толықтығын", "жиынтығының"),
    "ru": ("Проверка полноты документов", "Проверка полноты комплекта документов", "полноты", "комплекта"),
}
OTHER = {"kk": ("ru", "Проверка полноты документов"), "ru": ("kk", "Құжаттардың толықтығын тексеру")}


def select(page, element_id):
    page.evaluate("id => { const m = window.licensingModeler; "
                  "m.get('selection').select(m.get('elementRegistry').get(id)); }", element_id)


def change(page, selector, value):
    page.fill(selector, value)
    page.dispatch_event(selector, "change")


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_a_condition_and_a_name_edited_saved_validated_deployed_and_coloured_in_the_diff(tmp_path, lang):
    before, after, before_word, after_word = NAMES[lang]
    other_lang, other_name = OTHER[lang]
    with live_app(tmp_path) as (app, base), chromium() as browser:
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        login(page, base, "analyst", landing="/processes")
        page.select_option("#lang-select", lang)
        page.locator(f"html[lang={lang}]").wait_for(state="attached")
        page.goto(f"{base}/processes/licence_issue/1/edit?fresh=1")
        page.wait_for_selector("#editor[data-ready='1']")

        # the canvas speaks the analyst's language
        task_label = page.locator(f"g[data-element-id='{TASK}'] text")
        expect(task_label).to_contain_text(before_word)
        select(page, FLOW)
        expect(page.locator("#prop-condition")).to_have_value("completeness_check['decision'] == 'incomplete'")
        expect(page.locator("#prop-default")).not_to_be_checked()
        change(page, "#prop-condition", "completeness_check['decision'] ==")  # a broken condition
        page.click("#save")
        expect(page.locator("#editor")).to_have_attribute("data-state", "invalid")
        expect(page.locator(f"#problems li[data-element='{FLOW}']")).to_have_count(1)
        expect(page.locator("#editor")).to_have_attribute("data-saved", "1")
        expect(page.locator(f"g.djs-connection[data-element-id='{FLOW}'].invalid")).to_have_count(1)

        change(page, "#prop-condition", CONDITION)
        select(page, TASK)
        expect(page.locator(f"#prop-name-{lang}")).to_have_value(before)
        expect(page.locator("#prop-name-en")).to_have_value("Check completeness")
        expect(page.locator(f"#prop-name-{other_lang}")).to_have_value(other_name)
        change(page, f"#prop-name-{lang}", after)
        expect(task_label).to_contain_text(after_word)
        page.click("#save")
        expect(page.locator("#editor")).to_have_attribute("data-state", "valid")
        expect(page.locator("#status")).not_to_contain_text("1")
        expect(page.locator("#problems li")).to_have_count(0)

        # the saved draft reopens with both edits
        page.goto(f"{base}/processes/licence_issue/1/edit")
        page.wait_for_selector("#editor[data-ready='1']")
        select(page, FLOW)
        expect(page.locator("#prop-condition")).to_have_value(CONDITION)
        page.click("#deploy")
        expect(page.locator("#editor")).to_have_attribute("data-state", "deployed")

        xml = Api(app.test_client()).get("/api/v1/processes/licence_issue/2/xml", user="analyst").get_data(as_text=True)
        assert f'name="name_{lang}" value="{after}"' in xml
        assert 'name="Check completeness"' in xml and f'name="name_{other_lang}" value="{other_name}"' in xml
        assert CONDITION in xml

        page.click("#deployed-diff")  # v1 → v2
        page.wait_for_selector("#diff[data-ready='1']")
        new, old = page.locator("#diff-new"), page.locator("#diff-old")
        for element in (FLOW, TASK):
            expect(new.locator(f"g[data-element-id='{element}'].diff-changed")).to_have_count(1)
            expect(old.locator(f"g[data-element-id='{element}'].diff-changed")).to_have_count(1)
        expect(new.locator(".diff-changed")).to_have_count(2)
        expect(new.locator(".diff-added, .diff-removed")).to_have_count(0)
        expect(page.locator("tr.changed", has_text=f"name_{lang}")).to_contain_text(after)
        expect(page.locator("tr.changed", has_text="condition")).to_contain_text("'expired'")
        expect(page.locator(".djs-palette")).to_have_count(0)


def test_a_deployed_version_opens_read_only_without_palette_or_editing(tmp_path):
    with live_app(tmp_path) as (app, base), chromium() as browser:
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        login(page, base, "analyst", landing="/processes")
        page.goto(f"{base}/processes/licence_issue/1")
        page.wait_for_selector("#editor[data-ready='1']")
        expect(page.locator(f"g[data-element-id='{TASK}']")).to_have_count(1)
        expect(page.locator(".djs-palette")).to_have_count(0)
        expect(page.locator("#save, #deploy, #validate")).to_have_count(0)
        page.locator(f"g[data-element-id='{TASK}']").dblclick()
        expect(page.locator(".djs-direct-editing-parent:visible")).to_have_count(0)
        expect(page.locator(".djs-context-pad:visible")).to_have_count(0)
        select(page, "is_complete")
        expect(page.locator("#prop-name-en")).to_have_value("Complete?")
        expect(page.locator("#prop-name-en")).not_to_be_editable()
        select(page, FLOW)
        expect(page.locator("#prop-condition")).to_have_value("completeness_check['decision'] == 'incomplete'")
        expect(page.locator("#prop-condition")).not_to_be_editable()


def test_a_timer_bound_to_a_term_of_the_table_and_a_lane_given_another_role(tmp_path):
    deadline = "completeness_check_deadline"
    with live_app(tmp_path) as (app, base), chromium() as browser:
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        login(page, base, "analyst", landing="/processes")
        page.goto(f"{base}/processes/licence_issue/1/edit?fresh=1")
        page.wait_for_selector("#editor[data-ready='1']")
        select(page, deadline)
        expect(page.locator("#prop-term option:checked")).to_contain_text("R7: 2 working days (registration)")
        page.select_option("#prop-term", label="R14: 1 working days (registration)")
        expect(page.locator("#prop-timer")).to_have_value("add_working_days(registration['registered_at'], 1)")
        expect(page.locator("#prop-clause")).to_have_value("R14")
        # the timer's label is the term, written anew in every language (the UI is Russian: the canvas shows ru)
        expect(page.locator("#prop-name-en")).to_have_value("1 working day (R14)")
        expect(page.locator("#prop-name-ru")).to_have_value("1 рабочий день (п. 14)")
        expect(page.locator("#prop-name-kk")).to_have_value("1 жұмыс күні (14-т.)")
        expect(page.locator(f"g[data-element-id='{deadline}_label'] text")).to_have_text("1 рабочий день (п. 14)")
        page.click("#validate")
        expect(page.locator("#editor")).to_have_attribute("data-state", "valid")
        # back to the term the Rules give the completeness check
        page.select_option("#prop-term", label="R7: 2 working days (registration)")
        expect(page.locator("#prop-timer")).to_have_value("add_working_days(registration['registered_at'], 2)")
        expect(page.locator("#prop-name-en")).to_have_value("2 working days (R7)")
        expect(page.locator("#prop-name-ru")).to_have_value("2 рабочих дня (п. 7)")
        expect(page.locator("#prop-name-kk")).to_have_value("2 жұмыс күні (7-т.)")

        select(page, "lane_signer")
        expect(page.locator("#row-names")).to_be_hidden()
        expect(page.locator("#prop-role")).to_have_value("signer")
        page.select_option("#prop-role", "head")
        expect(page.locator("g[data-element-id='lane_signer'] text")).to_have_text("head")
        select(page, "sign_licence")
        expect(page.locator("#prop-lane")).not_to_have_text("—")


def test_a_trial_run_of_the_draft_on_the_simulated_clock_shows_the_path_and_the_timers_and_stores_nothing(tmp_path):
    with live_app(tmp_path) as (app, base), chromium() as browser:
        api = Api(app.test_client())
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        login(page, base, "analyst", landing="/processes")
        page.goto(f"{base}/processes/licence_issue/1/edit?fresh=1")
        page.wait_for_selector("#editor[data-ready='1']")
        page.click("#trial summary")
        page.fill("#trial-start", "2025-06-05T10:00:00+05:00")  # Thursday; Friday the 6th is Kurban Ait
        page.fill("#trial-results", '{"registration": {"registered_at": "2025-06-05T10:00:00+05:00", '
                                    '"total_term_due": "2025-06-27T18:30:00+05:00"}}')
        page.click("#trial-begin")
        expect(page.locator("#trial")).to_have_attribute("data-state", "waiting")
        expect(page.locator("#trial-waiting [data-element='completeness_check']")).to_have_count(1)
        expect(page.locator(f"g[data-element-id='{TASK}'].trial-waiting")).to_have_count(1)
        expect(page.locator("g[data-element-id='register_application_task'].trial-done")).to_have_count(1)
        r7 = page.locator("#trial-timers [data-element='completeness_check_deadline']")
        # 2 working days (R7) over the holiday, shown as the analyst's language writes it (the UI is Russian)
        expect(r7.locator("time[datetime='2025-06-10T18:30:00+05:00']")).to_have_count(1)
        expect(r7).to_contain_text("10 июн. 2025 г., 18:30")

        r7.locator("button").click()  # the officer lets the R7 term pass
        expect(page.locator("#trial")).to_have_attribute("data-steps", "1")
        expect(page.locator("#trial-clock time[datetime='2025-06-10T18:30:00+05:00']")).to_have_count(1)
        expect(page.locator("#trial-steps li[data-element='mark_completeness_check_overdue']")).to_have_count(1)
        expect(page.locator("#trial-timers [data-element='completeness_check_deadline']")).to_have_count(0)

        task = page.locator("#trial-waiting [data-element='completeness_check']")
        task.locator("textarea").fill('{"decision": "incomplete"}')  # the form requires a reason then
        task.locator("button").click()
        expect(page.locator("#trial-errors li")).to_contain_text("reason")
        task = page.locator("#trial-waiting [data-element='completeness_check']")
        task.locator("textarea").fill('{"decision": "incomplete", "reason": "no power-supply contract"}')
        task.locator("button").click()
        expect(page.locator("#trial-waiting [data-element='sign_not_considered']")).to_have_count(1)
        for element in ("is_complete", "draft_not_considered", "completeness_check"):
            expect(page.locator(f"g[data-element-id='{element}'].trial-done")).to_have_count(1)
        expect(page.locator("g[data-element-id='qualification_check'].trial-done")).to_have_count(0)

        assert api.get("/api/v1/instances?process=licence_issue", user="auditor").get_json() == []
