"""The auditors' search by officer finds the instances in which the officer completed a task or holds one:
it follows claims, assignments by the head of unit, releases and completions as they happen, newest first."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.web.conftest import make_app
from tests.web.portal import Api, issue_body, pay_fee


@pytest.fixture(params=["sqlite", "postgresql"])
def api(request: pytest.FixtureRequest, tmp_path: Any, keys_dir: Any) -> Iterator[Api]:
    url = f"sqlite:///{tmp_path / 'app.db'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    application = make_app(url, keys_dir)
    yield Api(application.test_client())
    application.extensions["licensing"].wiring.db.dispose()


def _submit(api: Api, name: str) -> dict[str, Any]:
    body = issue_body(api, "II", name=name)
    pay_fee(api, body, "2025-06-02T12:00:00+05:00")
    r = api.submit(body)
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def _task(api: Api, application: dict[str, Any], element: str) -> str:
    [task] = [t["id"] for t in api.tasks(application["id"]) if t["element"] == element]
    return task


def _ok(r: Any) -> Any:
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def test_the_search_by_officer_follows_claims_assignments_releases_and_completions(api):
    api.set_clock("2025-06-05T10:00:00+05:00")
    a = _submit(api, "ТОО «Альфа»")
    api.set_clock("2025-06-05T11:00:00+05:00")
    b = _submit(api, "ТОО «Бета»")
    a_id, b_id = a["instance_id"], b["instance_id"]

    def found(officer: str, sort: str = "") -> list[str]:
        return [i["id"] for i in _ok(api.get(f"/api/v1/instances?officer={officer}{sort}", user="auditor"))]

    assert (found("officer"), found("head")) == ([], [])
    a_check = _task(api, a, "completeness_check")
    _ok(api.post(f"/api/v1/tasks/{a_check}/claim", {}, user="officer"))
    assert found("officer") == [a_id]
    _ok(api.post(f"/api/v1/tasks/{a_check}/unclaim", {}, user="officer"))
    assert found("officer") == []

    _ok(api.post(f"/api/v1/tasks/{a_check}/claim", {}, user="officer"))
    _ok(api.post(f"/api/v1/tasks/{a_check}/claim", {"assignee": "head"}, user="head"))  # the head takes it over
    assert (found("officer"), found("head")) == ([], [a_id])
    _ok(api.complete(a_check, {"decision": "complete"}, user="head"))
    assert (found("officer"), found("head")) == ([], [a_id])

    api.do(b["id"], "completeness_check", {"decision": "complete"})  # completed without a claim first
    assert found("officer") == [b_id]
    a_qualification = _task(api, a, "qualification_check")
    _ok(api.post(f"/api/v1/tasks/{a_qualification}/claim", {}, user="officer"))
    assert found("officer") == [b_id, a_id]  # newest first: B was submitted an hour after A
    assert found("officer", "&sort=started_at") == [a_id, b_id]
    assert found("officer", "&process=licence_issue&applicant=альфа") == [a_id]

    # released again: a task the officer completed still counts, a task they gave back does not
    _ok(api.post(f"/api/v1/tasks/{a_qualification}/unclaim", {}, user="officer"))
    assert (found("officer"), found("head")) == ([b_id], [a_id])
    _ok(api.post(f"/api/v1/tasks/{a_qualification}/claim", {"assignee": "officer"}, user="head"))
    assert (found("officer"), found("head")) == ([b_id, a_id], [a_id])
    assert found("nobody") == []
