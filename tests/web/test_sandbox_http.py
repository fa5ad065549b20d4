"""POST /api/v1/processes/validate runs the analyst's expressions: in the sandbox, on a budget, audited."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from engine.store.tables import AuditEvent
from engine.transactions import reading
from tests.conftest import bpmn_fixture
from tests.web.conftest import make_app
from tests.web.portal import Api

SECRET = "sandbox-test-secret-7f3c1d9e"
GOOD = bpmn_fixture("example_review").decode()
TIMER = "add_working_days(registered_at, 2)"


@pytest.fixture
def secret_app(tmp_path: Path, keys_dir: Path) -> Iterator[Any]:
    application = make_app(f"sqlite:///{tmp_path / 'app.db'}", keys_dir, SECRET_KEY=SECRET)
    yield application
    application.extensions["licensing"].wiring.db.dispose()


@pytest.fixture
def analyst_api(secret_app: Any) -> Api:
    return Api(secret_app.test_client())


def validate(api: Api, xml: str, name: str = "review.bpmn") -> Any:
    return api.client.post("/api/v1/processes/validate", data=xml.encode(),
                           headers=api.headers("analyst", **{"Content-Type": "application/xml", "X-Filename": name}))


def audit_events(app: Any, kind: str) -> list[AuditEvent]:
    with reading(app.extensions["licensing"].engine.session_factory) as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.kind == kind).order_by(AuditEvent.seq)))


def test_a_runaway_timer_expression_gets_a_clear_invalid_answer_and_the_server_keeps_serving(analyst_api):
    runaway = GOOD.replace(TIMER, "add_working_days(registered_at, "
                                  "len([i for i in range(10**5) for j in range(10**5)]))")
    started = time.monotonic()
    r = validate(analyst_api, runaway)
    assert time.monotonic() - started < 3.0
    assert r.status_code == 200
    body = r.get_json()
    assert body["valid"] is False
    [error] = body["errors"]
    assert error["field"] == "review_deadline" and error["line"]
    assert "time budget" in error["message"]
    health = analyst_api.client.get("/healthz")
    assert health.status_code == 200 and health.get_json()["status"] == "ok"


@pytest.mark.parametrize("walk", [
    "'{0.__globals__}'.format(now)",
    "'{0.__globals__[app]}'.format(add_working_days)",
    "f'{now.__globals__}'",
    "(x for x in [1]).gi_frame.f_back.f_globals",
])
def test_a_format_string_or_frame_walk_cannot_read_the_secret_key(analyst_api, walk):
    r = validate(analyst_api, GOOD.replace(TIMER, walk.replace("'", "&apos;")))
    assert r.status_code == 200
    assert r.get_json()["valid"] is False
    assert "not allowed" in r.get_json()["errors"][0]["message"]
    assert SECRET not in r.get_data(as_text=True)


def test_validation_attempts_and_refused_deploys_are_audited_with_the_analysts_name(secret_app, analyst_api):
    assert validate(analyst_api, GOOD).get_json() == {"valid": True, "errors": []}
    assert validate(analyst_api, GOOD.replace(TIMER, "while_true"), "broken.bpmn").get_json()["valid"] is False
    refused = analyst_api.client.post("/api/v1/processes", data=GOOD.replace(TIMER, "9**9**9").encode(),
                                      headers=analyst_api.headers("analyst", **{"Content-Type": "application/xml"}))
    assert refused.status_code == 422

    validated = [(e.actor, e.data["source"], e.data["valid"], e.data["problems"])
                 for e in audit_events(secret_app, "process_validated")]
    assert validated == [("analyst", "review.bpmn", True, 0), ("analyst", "broken.bpmn", False, 1)]
    [deploy] = audit_events(secret_app, "process_deploy_refused")
    assert deploy.actor == "analyst" and deploy.data["valid"] is False and deploy.data["problems"] == 1
    assert len(deploy.data["sha256"]) == 64
    assert analyst_api.get("/api/v1/audit/verify", user="auditor").get_json()["valid"] is True
