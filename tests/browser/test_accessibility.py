"""Accessible and responsive workspaces: axe-core finds nothing serious or critical (WCAG 2 A and AA) on each
role's main pages in Kazakh and Russian, on a desktop and on a 390 px phone screen, where nothing is wider
than the screen; the sign-in form and a task form are completed with the keyboard alone.

axe-core comes from npm (web/static/package.json, installed by ``make assets``), never from a CDN; it is put
into the pages by Playwright, so the pages that carry it are opened with their Content-Security-Policy
bypassed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.live import chromium, live_app, login
from tests.browser.screenshots import HOMES, LANGUAGES, VIEWPORTS, open_screen, screens, seed, switch_language
from tests.web.portal import Api, issue_body

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("accessibility")]

AXE = Path(__file__).resolve().parents[2] / "web" / "static" / "node_modules" / "axe-core" / "axe.min.js"
PHONE_WIDTH = 390

# Controls of the page that lie (partly) outside the screen's width; the diagram's canvas is excluded: it is
# drawn by bpmn-js, clipped to its box and panned by dragging.
OFF_SCREEN = """() => [...document.querySelectorAll(
    'header a, header button, header select, main a, main button, main input, main select, main textarea')]
  .filter(el => !el.closest('.djs-container') && el.type !== 'hidden')
  .map(el => [el, el.getBoundingClientRect()])
  .filter(([el, r]) => r.width > 0 && (r.left < -1 || r.right > document.documentElement.clientWidth + 1))
  .map(([el, r]) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} ${el.name || el.textContent.trim()}`
                    + ` ${Math.round(r.left)}..${Math.round(r.right)}`)"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    assert AXE.exists(), "axe-core is missing: run `make assets`"
    with live_app(tmp_path_factory.mktemp("a11y")) as (app, base), chromium() as browser:
        api = Api(app.test_client())
        yield SimpleNamespace(base=base, api=api, browser=browser, tour=screens(seed(api)))


def serious_violations(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})""",
                           ["wcag2a", "wcag2aa"])
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def overflow(page: Any) -> list[str]:
    """What a phone user would have to scroll sideways for: the document itself, or a control."""
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = [f"document is {width} px wide"] if width > PHONE_WIDTH + 1 else []
    return wide + page.evaluate(OFF_SCREEN)


@pytest.mark.parametrize("view", list(VIEWPORTS))
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_sign_in_page_passes_axe(site: SimpleNamespace, lang: str, view: str) -> None:
    page = site.browser.new_page(viewport=VIEWPORTS[view], bypass_csp=True)
    page.goto(f"{site.base}/login")
    switch_language(page, lang)
    expect(page.locator("#username")).to_be_visible()
    assert serious_violations(page) == []
    if view == "390":
        assert overflow(page) == []
    page.close()


@pytest.mark.parametrize("view", list(VIEWPORTS))
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("role", list(HOMES))
def test_each_roles_main_pages_pass_axe_and_fit_a_phone(site: SimpleNamespace, role: str, lang: str,
                                                        view: str) -> None:
    page = site.browser.new_page(viewport=VIEWPORTS[view], bypass_csp=True)
    login(page, site.base, role, landing=HOMES[role])
    switch_language(page, lang)
    problems: dict[str, list[str]] = {}
    for screen in site.tour[role]:
        open_screen(page, site.base, screen)
        expect(page.locator("html")).to_have_attribute("lang", lang)
        found = serious_violations(page)
        if view == "390":
            found += overflow(page)
            nav = page.locator("nav[aria-label=main] a")
            assert nav.count() >= 1
            for link in nav.all():  # every workspace link is on the screen, none hidden or cut off
                expect(link).to_be_in_viewport(ratio=1)
        if found:
            problems[screen.path] = found
    assert problems == {}
    page.close()


def tab_to(page: Any, selector: str, presses: int = 200) -> None:
    """Press Tab until the focus is on an element matching the selector."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} was not reached with Tab")


def test_signing_in_and_completing_a_task_with_the_keyboard_alone(site: SimpleNamespace) -> None:
    application = site.api.submit(issue_body(site.api, "II", name="ТОО «Пернетақта»")).get_json()
    page = site.browser.new_page(viewport=VIEWPORTS["desktop"])
    page.goto(f"{site.base}/login")
    expect(page.locator("#username")).to_be_focused()
    page.keyboard.type("officer")
    page.keyboard.press("Tab")
    expect(page.locator("#password")).to_be_focused()
    page.keyboard.type("officer")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site.base}/tasks")
    # after signing in: the officer's remembered language (another test of this module may have chosen kk)
    # would otherwise replace a choice made on the sign-in page
    switch_language(page, "ru")

    tab_to(page, "input[name=applicant]")
    page.keyboard.type("Пернетақта")
    page.keyboard.press("Enter")  # the filter form
    expect(page.locator("tbody tr")).to_have_count(1)
    tab_to(page, "td a")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Проверка полноты документов")
    tab_to(page, "input[name=decision]")  # the group's first choice: the set is complete
    page.keyboard.press("Space")
    expect(page.locator("input[name=decision][value=complete]")).to_be_checked()
    tab_to(page, "button[value=complete]")
    focused = page.locator("button[value=complete]")
    expect(focused).to_have_css("outline-style", "solid")  # the focus is seen
    expect(focused).to_have_css("outline-width", "3px")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site.base}/tasks")

    elements = [t["element"] for t in site.api.tasks(application["id"])]
    assert "completeness_check" not in elements and "qualification_check" in elements
    page.close()
