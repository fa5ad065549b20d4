"""Screenshots of each role's main pages in Kazakh and Russian, on a desktop and a 390 px phone screen:
``python -m tests.browser.screenshots [DIR]`` (``make screenshots`` writes them to ``screenshots/``).

The demo data and the list of pages are shared with the accessibility tests, which check the same pages."""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.browser.live import chromium, live_app, login
from tests.web.portal import Api, drive_to_licence, issue_body, pay_fee

LANGUAGES = ("kk", "ru")
VIEWPORTS = {"desktop": {"width": 1440, "height": 900}, "390": {"width": 390, "height": 844}}
HOMES = {"officer": "/tasks", "head": "/tasks", "signer": "/sign", "auditor": "/audit",
         "analyst": "/processes", "admin": "/admin/incidents"}


@dataclass(frozen=True)
class Screen:
    name: str
    path: str
    ready: str | None = None  # a selector present once the page's scripts have drawn it


def seed(api: Api) -> dict[str, str]:
    """Applications waiting for the officers, one waiting for the signer and one licence issued."""
    api.set_clock("2025-06-05T10:00:00+05:00")
    for name, subtype in (("ТОО «Екібастұз Майнинг»", "I"), ("ТОО «Астана Дата»", "II"),
                          ("ИП Жумабаев", "II"), ("ТОО «Павлодар Хэш»", "I")):
        body = issue_body(api, subtype, name=name)
        if subtype == "I":
            pay_fee(api, body, "2025-06-02T12:00:00+05:00")
        api.submit(body)
    body = issue_body(api, "II", name="ТОО «Қол қою»")
    pay_fee(api, body, "2025-06-02T12:00:00+05:00")
    to_sign = api.submit(body).get_json()
    completed = next(t["id"] for t in api.tasks(to_sign["id"]) if t["element"] == "completeness_check")
    api.do(to_sign["id"], "completeness_check", {"decision": "complete"})
    api.do(to_sign["id"], "qualification_check", {"decision": "compliant"})
    body = issue_body(api, "I", name="ТОО «Қазақ Хэш»")
    pay_fee(api, body, "2025-06-02T12:00:00+05:00")
    done = api.submit(body).get_json()
    drive_to_licence(api, done["id"])
    api.set_clock("2025-06-09T12:00:00+05:00")
    first = api.submit(issue_body(api, "II", name="ТОО «Бірінші»")).get_json()
    # a second version of the issue procedure for the analyst's version diff (its wording only: same behaviour)
    v1 = (Path(__file__).resolve().parents[2] / "processes" / "licence_issue" / "licence_issue.bpmn").read_text(
        encoding="utf-8")
    v2 = v1.replace("An incomplete set or expired documents lead", "An incomplete set, or expired documents, leads", 1)
    deployed = api.client.post("/api/v1/processes", data=v2.encode(),
                               headers=api.headers("analyst", **{"X-Filename": "licence_issue.bpmn"}))
    assert deployed.status_code == 201, deployed.get_json()
    return {"task": next(t["id"] for t in api.tasks(first["id"]) if t["element"] == "completeness_check"),
            "sign_task": next(t["id"] for t in api.tasks(to_sign["id"], user="signer")
                              if t["element"] == "sign_licence"),
            "completed_task": completed, "instance": done["instance_id"]}


def screens(ids: dict[str, str]) -> dict[str, list[Screen]]:
    """Each role's main pages."""
    task = Screen("task", f"/tasks/{ids['task']}")
    return {
        "officer": [Screen("tasks", "/tasks"), task, Screen("completed-task", f"/tasks/{ids['completed_task']}"),
                    Screen("notifications", "/notifications"),
                    Screen("not-found", "/tasks/00000000-0000-0000-0000-000000000000")],
        "head": [Screen("tasks", "/tasks"), task],
        "signer": [Screen("sign", "/sign"), Screen("sign-task", f"/tasks/{ids['sign_task']}")],
        "auditor": [Screen("search", "/audit"),
                    Screen("instance", f"/audit/instances/{ids['instance']}", "#diagram[data-ready='1']"),
                    Screen("reports", "/audit/reports", "#terms-chart"), Screen("verify", "/audit/verify")],
        "analyst": [Screen("catalogue", "/processes"),
                    Screen("editor", "/processes/licence_issue/1/edit?fresh=1", "#editor[data-ready='1']"),
                    Screen("viewer", "/processes/licence_issue/1", "#editor[data-ready='1']"),
                    Screen("diff", "/processes/licence_issue/diff?from=1&to=2", "#diff[data-ready='1']")],
        "admin": [Screen("incidents", "/admin/incidents"), Screen("deliveries", "/admin/deliveries")],
    }


def switch_language(page: Any, lang: str) -> None:
    if page.locator(f"html[lang={lang}]").count() == 0:
        with page.expect_navigation():
            page.select_option("#lang-select", lang)
    page.locator(f"html[lang={lang}]").wait_for(state="attached")


def open_screen(page: Any, base: str, screen: Screen, timeout: float = 30_000) -> None:
    page.goto(f"{base}{screen.path}")
    if screen.ready:
        page.wait_for_selector(screen.ready, state="attached", timeout=timeout)
    page.wait_for_load_state("networkidle")


def shoot(page: Any, base: str, screen: Screen, path: Path) -> None:
    """A screenshot even of a page whose scripts never finish drawing: the picture shows what went wrong."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        open_screen(page, base, screen, timeout=10_000)
    except PlaywrightTimeout:
        print(f"{path.name}: {screen.ready} did not appear", file=sys.stderr)
    page.screenshot(path=str(path), full_page=True)


def main(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    shots = []
    with tempfile.TemporaryDirectory() as tmp, live_app(Path(tmp)) as (app, base), chromium() as browser:
        tour = screens(seed(Api(app.test_client())))
        for view, viewport in VIEWPORTS.items():
            page = browser.new_page(viewport=viewport)
            page.goto(f"{base}/login")
            for lang in LANGUAGES:
                switch_language(page, lang)
                shots.append(out / f"login-{lang}-{view}.png")
                page.screenshot(path=str(shots[-1]), full_page=True)
            page.close()
            for role, role_screens in tour.items():
                page = browser.new_page(viewport=viewport)
                login(page, base, role, landing=HOMES[role])
                for lang in LANGUAGES:
                    switch_language(page, lang)
                    for screen in role_screens:
                        shots.append(out / f"{role}-{screen.name}-{lang}-{view}.png")
                        shoot(page, base, screen, shots[-1])
                page.close()
    return shots


if __name__ == "__main__":
    for path in main(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")):
        print(path)
