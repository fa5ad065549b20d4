"""Steps the suspension tests share: a licence issued in early March 2026, a suspension decided on
Tuesday 10 March 2026 at 10:00, the officer's tasks and the register as it stood at a moment."""

from __future__ import annotations

from typing import Any

from tests.web.portal import Api, issued_licence

DECIDED = "2026-03-10T10:00:00+05:00"


def licence_at_decision(api: Api) -> str:
    api.set_clock("2026-03-02T10:00:00+05:00")
    _, number = issued_licence(api, "II", paid_at="2026-03-02T09:30:00+05:00")
    api.set_clock(DECIDED)
    return number


def start_suspension(api: Api, number: str, **body: Any) -> dict[str, Any]:
    r = api.post(f"/api/v1/licences/{number}/suspensions", body, user="officer")
    assert r.status_code == 201, r.get_json()
    return dict(r.get_json())


def officer_task(api: Api, instance_id: str, element: str) -> dict[str, Any]:
    [task] = [t for t in api.get("/api/v1/tasks", user="officer").get_json()
              if t["instance_id"] == instance_id and t["element"] == element]
    return dict(task)


def register_view(api: Api, number: str, at: str | None = None) -> dict[str, Any]:
    query = f"?at={at.replace('+', '%2B')}" if at else ""
    return dict(api.get(f"/api/v1/licences/{number}{query}").get_json())
