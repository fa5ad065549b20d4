"""Screenshots of the workspace in Kazakh and Russian: ``python -m tests.browser.screenshots [DIR]``."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from tests.browser.live import chromium, live_app, login
from tests.web.portal import Api, issue_body, pay_fee


def main(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    shots = []
    with tempfile.TemporaryDirectory() as tmp, live_app(Path(tmp)) as (app, base), chromium() as browser:
        api = Api(app.test_client())
        api.set_clock("2025-06-05T10:00:00+05:00")
        for name, subtype in (("ТОО «Екібастұз Майнинг»", "I"), ("ТОО «Астана Дата»", "II"),
                              ("ИП Жумабаев", "II"), ("ТОО «Павлодар Хэш»", "I")):
            body = issue_body(api, subtype, name=name)
            if subtype == "I":
                pay_fee(api, body, "2025-06-02T12:00:00+05:00")
            api.submit(body)
        from tests.web.portal import drive_to_licence

        finished = issue_body(api, "I", name="ТОО «Қазақ Хэш»")
        pay_fee(api, finished, "2025-06-02T12:00:00+05:00")
        done = api.submit(finished).get_json()
        drive_to_licence(api, done["id"])
        api.set_clock("2025-06-09T12:00:00+05:00")
        auditor = browser.new_page(viewport={"width": 1440, "height": 900})
        login(auditor, base, "auditor", landing="/audit")
        for lang in ("kk", "ru"):
            with auditor.expect_navigation():
                auditor.select_option("#lang-select", lang)
            auditor.goto(f"{base}/audit/instances/{done['instance_id']}")
            auditor.wait_for_selector("#diagram[data-ready='1']")
            shots.append(out / f"instance-{lang}.png")
            auditor.screenshot(path=str(shots[-1]), full_page=True)
            auditor.goto(f"{base}/audit/reports")
            auditor.wait_for_timeout(300)
            shots.append(out / f"reports-{lang}.png")
            auditor.screenshot(path=str(shots[-1]), full_page=True)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        login(page, base, "head")
        for lang in ("kk", "ru"):
            with page.expect_navigation():
                page.select_option("#lang-select", lang)
            page.goto(f"{base}/tasks")
            shots.append(out / f"task-list-{lang}.png")
            page.screenshot(path=str(shots[-1]), full_page=True)
            page.locator("td a").first.click()
            shots.append(out / f"task-page-{lang}.png")
            page.screenshot(path=str(shots[-1]), full_page=True)
    return shots


if __name__ == "__main__":
    for path in main(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")):
        print(path)
