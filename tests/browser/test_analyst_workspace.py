"""An analyst edits a timer: a term against the terms table and a broken expression are flagged on the
diagram; a lawful edit deploys as v2, and running instances stay on their version."""

from __future__ import annotations

import pytest

from tests.browser.live import chromium, live_app, login
from tests.web.portal import Api, drive_to_licence, issue_body, pay_fee

pytestmark = pytest.mark.browser
DEADLINE = "completeness_check_deadline"


def select(page, element_id):
    page.evaluate("id => { const m = window.licensingModeler; "
                  "m.get('selection').select(m.get('elementRegistry').get(id)); }", element_id)


def test_edit_validate_fix_deploy_and_running_instances_stay_on_their_version(tmp_path):
    with live_app(tmp_path) as (app, base), chromium() as browser:
        api = Api(app.test_client())
        api.set_clock("2025-06-05T10:00:00+05:00")
        body = issue_body(api, "II")
        pay_fee(api, body, "2025-06-02T12:00:00+05:00")
        old = api.submit(body).get_json()

        page = browser.new_page(viewport={"width": 1440, "height": 900})
        login(page, base, "analyst", landing="/processes")
        page.goto(f"{base}/processes/licence_issue/1/edit?fresh=1")
        page.wait_for_selector("#editor[data-ready='1']")
        assert page.locator("#editor").get_attribute("data-warnings") == "0"
        select(page, DEADLINE)
        assert "add_working_days(registration['registered_at'], 2)" == page.input_value("#prop-timer")
        page.fill("#prop-timer", "add_working_days(registration['registered_at'], 3)")  # R7 says 2 working days
        page.dispatch_event("#prop-timer", "change")
        page.click("#validate")
        page.wait_for_selector("#editor[data-state='invalid']")
        assert "таблица сроков" in page.locator(f"#problems li[data-element='{DEADLINE}']").inner_text()  # ru UI
        page.fill("#prop-timer", "add_working_days(registration['registered_at'], 2")  # a broken expression
        page.dispatch_event("#prop-timer", "change")
        page.click("#validate")
        page.wait_for_selector(f"#problems li[data-element='{DEADLINE}']:not(:has-text('таблица сроков'))")
        assert page.locator(f"#problems li[data-element='{DEADLINE}']").count() == 1
        assert page.locator(f"g[data-element-id='{DEADLINE}'].invalid").count() == 1
        # the lawful edit: the same term, written with the other quotes
        page.fill("#prop-timer", 'add_working_days(registration["registered_at"], 2)')
        page.dispatch_event("#prop-timer", "change")
        page.click("#validate")
        page.wait_for_selector("#editor[data-state='valid']")
        page.click("#deploy")
        page.wait_for_selector("#editor[data-state='deployed']")

        versions = [(v["key"], v["version"]) for v in api.get("/api/v1/processes", user="analyst").get_json()]
        assert ("licence_issue", 2) in versions
        new = api.submit(issue_body(api, "II")).get_json()
        r7 = {a["id"]: {d["clause"]: d["due_at"] for d in a["deadlines"]}["R7"] for a in (old, new)}
        # 6 June 2025 is Kurban Ait: 2 working days from Thursday the 5th end on Tuesday the 10th
        assert r7[old["id"]] == "2025-06-10T18:30:00+05:00" and r7[new["id"]] == "2025-06-10T18:30:00+05:00"
        instances = {i["id"]: i["process"]["version"]
                     for i in api.get("/api/v1/instances?process=licence_issue", user="auditor").get_json()}
        assert instances[old["instance_id"]] == 1 and instances[new["instance_id"]] == 2
        assert drive_to_licence(api, old["id"])["outcome"] == "issued"

        page.goto(f"{base}/processes/licence_issue/diff?from=1&to=2")
        assert page.locator("tr.changed", has_text=DEADLINE).count() >= 1


def test_every_diagram_in_processes_opens_in_the_modeler_without_import_warnings(tmp_path):
    from tests.conftest import ROOT

    keys = sorted(p.parent.name for p in (ROOT / "processes").glob("*/*.bpmn"))
    with live_app(tmp_path) as (app, base), chromium() as browser:
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        login(page, base, "analyst", landing="/processes")
        for key in keys:
            page.goto(f"{base}/processes/{key}/1")
            page.wait_for_selector("#editor[data-ready='1']")
            assert page.locator("#editor").get_attribute("data-warnings") == "0", key
