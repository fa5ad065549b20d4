"""An operation that fails after a person's step keeps the person's action and waits as an incident.

The officer decides the completeness check; drafting the decision for the signer then fails. The officer's
decision stays committed (the task is done, the answer is 200), an incident records the failure, and the
administrator's retry drafts the decision on the officer's behalf (CONTRACT.md incidents).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from engine.errors import ProcessFailure
from engine.licensing import operations
from tests.web.conftest import make_app
from tests.web.portal import Api, issue_body


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Any]:
    application = make_app(f"sqlite:///{tmp_path / 'app.db'}", tmp_path / "keys")
    yield application
    application.extensions["licensing"].wiring.db.dispose()


@pytest.fixture
def api(app: Any) -> Api:
    return Api(app.test_client())


def _incidents(api: Api) -> list[dict[str, Any]]:
    r = api.get("/api/v1/incidents", user="admin")
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def test_a_failed_draft_after_the_officers_decision_keeps_the_decision_and_opens_an_incident(app, api, monkeypatch):
    api.set_clock("2025-06-04T10:00:00+05:00")  # a Wednesday, working hours
    app_id = api.submit(issue_body(api)).get_json()["id"]
    draft = operations.decision_context

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ProcessFailure("the decision template is missing")

    monkeypatch.setattr(operations, "decision_context", broken)
    task = next(t for t in api.tasks(app_id) if t["element"] == "completeness_check")
    r = api.complete(task["id"], {"decision": "incomplete", "reason": "Қосымша құжаттар жоқ / Нет документов",
                                  "missing_items": ["grid_connection_document"]})
    assert r.status_code == 200, r.get_json()
    assert [t["element"] for t in api.tasks(app_id)] == []  # done: nothing waits for the officer again
    held = [i for i in _incidents(api) if i["instance_id"] == api.application(app_id)["instance_id"]]
    assert len(held) == 1 and "the decision template is missing" in held[0]["error"]
    assert api.get(f"/api/v1/tasks/{task['id']}", user="officer").get_json()["status"] == "completed"

    monkeypatch.setattr(operations, "decision_context", draft)
    r = api.post(f"/api/v1/incidents/{held[0]['id']}/retry", user="admin")
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["status"] == "resolved"
    sign = [t for t in api.tasks(app_id, user="signer") if t["element"] == "sign_not_considered"]
    assert len(sign) == 1
    data = app.extensions["licensing"].engine.officer.instance_data(api.application(app_id)["instance_id"])
    assert data["draft"]["drafted_by"] == "officer"  # on the officer's behalf, not the administrator's
    instance = api.get(f"/api/v1/applications/{app_id}", user="portal").get_json()
    assert instance["status"] == "awaiting_signature"
