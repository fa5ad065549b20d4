"""Submissions do not queue behind the rendering of receipts (PostgreSQL, the real row locks).

The receipt is rendered and signed in a step of its own after the submission commits, and takes its
application's number, so no counter is locked while a PDF is drawn. Here the first submission's receipt is
held mid-rendering; a second submission must go through meanwhile, and both end with their receipts.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import make_app
from tests.web.portal import Api, issue_body


@pytest.fixture
def app(pg_url: str, tmp_path: Path) -> Any:
    application = make_app(pg_url, tmp_path / "keys")
    yield application
    application.extensions["licensing"].wiring.db.dispose()


def test_a_second_submission_completes_while_the_first_receipt_is_still_being_rendered(app, monkeypatch):
    api = Api(app.test_client())
    api.set_clock("2025-06-04T10:00:00+05:00")  # a Wednesday, working hours
    first_body, second_body = issue_body(api), issue_body(api)
    issuer = app.extensions["licensing"].licensing.issuer
    render = issuer.issue
    rendering, release = threading.Event(), threading.Event()

    def held_first_receipt(session: Any, **kw: Any) -> Any:
        if kw["kind"] == "receipt" and not rendering.is_set():
            rendering.set()
            release.wait(120)
        return render(session, **kw)

    monkeypatch.setattr(issuer, "issue", held_first_receipt)
    answers: dict[str, Any] = {}

    def submit(name: str, body: dict[str, Any]) -> None:
        answers[name] = Api(app.test_client()).submit(body)

    first = threading.Thread(target=submit, args=("first", first_body))
    first.start()
    try:
        assert rendering.wait(60), "the first receipt never started rendering"
        second = threading.Thread(target=submit, args=("second", second_body))
        second.start()
        second.join(60)
        assert not second.is_alive(), "the second submission waited for the first receipt's rendering"
        assert answers["second"].status_code == 201, answers["second"].get_json()
        assert "first" not in answers  # the first is still held in its receipt step
    finally:
        release.set()
        first.join(60)
    assert answers["first"].status_code == 201, answers["first"].get_json()
    for name in ("first", "second"):
        application = api.application(answers[name].get_json()["id"])
        documents = api.get(f"/api/v1/applications/{application['id']}/documents", user="portal").get_json()
        receipts = [d for d in documents if d["kind"] == "receipt"]
        assert sorted(d["lang"] for d in receipts) == ["kk", "ru"]
        assert {d["number"] for d in receipts} == {"RC-" + application["number"].removeprefix("KZ-DM-")}
