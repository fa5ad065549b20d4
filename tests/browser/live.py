"""A live server of the app on a free localhost port, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update"]


@contextlib.contextmanager
def live_app(tmp: Path) -> Iterator[tuple[Any, str]]:
    from tests.web.conftest import make_app

    app = make_app(f"sqlite:///{tmp / 'live.db'}", tmp)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield app, f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        app.extensions["licensing"].wiring.db.dispose()


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """Chromium whose pages (browser.new_page) report every Content-Security-Policy violation: a test that
    ends with one fails, so every page is shown to work with no inline script."""
    from playwright.sync_api import sync_playwright

    violations: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        open_page = browser.new_page

        def new_page(*args: Any, **kwargs: Any) -> Any:
            page = open_page(*args, **kwargs)
            page.on("console", lambda message: violations.append(f"{page.url}: {message.text}")
                    if "Content Security Policy" in message.text else None)
            return page

        browser.new_page = new_page
        try:
            yield browser
        finally:
            browser.close()
    assert not violations, violations


def login(page: Any, base: str, user: str, landing: str = "/tasks") -> None:
    page.goto(f"{base}/login")
    page.fill("#username", user)
    page.fill("#password", user)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}{landing}")
