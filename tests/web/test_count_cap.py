"""List counts are exact below 10 000; from there on the API says the count is capped."""

from __future__ import annotations

import uuid

from sqlalchemy import insert, select

from engine.store.tables import HumanTask
from tests.web.portal import issue_body

MORNING = "2025-06-05T10:00:00+05:00"


def test_the_task_list_says_when_its_count_stops_at_ten_thousand(api, app):
    api.set_clock(MORNING)
    assert api.submit(issue_body(api, "II")).status_code == 201
    listed = api.get("/api/v1/tasks?limit=5", user="officer")
    assert (listed.headers["X-Total-Count"], listed.headers["X-Total-Count-Capped"]) == ("1", "false")

    db = app.extensions["licensing"].wiring.db
    with db.begin() as conn:  # 10 004 more open tasks: copies of the real one with their own ids
        row = dict(conn.execute(select(HumanTask.__table__)).mappings().one())
        conn.execute(insert(HumanTask.__table__), [{**row, "id": str(uuid.uuid4())} for _ in range(10_004)])
    listed = api.get("/api/v1/tasks?limit=5", user="officer")
    assert listed.status_code == 200 and len(listed.get_json()) == 5
    assert (listed.headers["X-Total-Count"], listed.headers["X-Total-Count-Capped"]) == ("10000", "true")
    searched = api.get("/api/v1/instances", user="auditor")
    assert (searched.headers["X-Total-Count"], searched.headers["X-Total-Count-Capped"]) == ("1", "false")
