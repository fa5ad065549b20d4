"""R10.2: the hearing notice goes at least 3 working days before the 15-working-day term (A3.4) ends, i.e.
by 18:30 of working day 12 after registration; the hearing is held within 2 working days of the notice.

Dates worked out by hand on the 2026 calendar: 8 March (Sunday) moved to Monday 9 March; Nauryz 21–23 March
(Saturday to Monday) with the weekend days moved to Tuesday 24 and Wednesday 25 March.
Registered Tuesday 3 March 2026, 10:00. Working days after it: 4, 5, 6 (1–3), 10–13 (4–7), 16–20 (8–12),
26, 27 (13, 14), 30 March (15).
"""

from __future__ import annotations

from tests.web.portal import issue_body

REGISTERED = "2026-03-03T10:00:00+05:00"
R7_DUE = "2026-03-05T18:30:00+05:00"  # working day 2
R10_2_DUE = "2026-03-20T18:30:00+05:00"  # working day 12
A3_4_DUE = "2026-03-30T18:30:00+05:00"  # working day 15


def _submit(api):
    api.set_clock(REGISTERED)
    r = api.submit(issue_body(api, "II"))
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def _deadlines(app):
    return {d["clause"]: d["due_at"] for d in app["deadlines"]}


def test_r10_2_the_hearing_notice_deadline_is_1830_of_working_day_12_once_the_qualification_check_is_open(api):
    app = _submit(api)
    assert _deadlines(app)["R7"] == R7_DUE and _deadlines(app)["A3.4"] == A3_4_DUE
    assert "R10.2" not in _deadlines(app)  # not yet: the qualification check is not open
    api.set_clock("2026-03-04T11:00:00+05:00")
    api.do(app["id"], "completeness_check", {"decision": "complete"})
    assert _deadlines(api.application(app["id"]))["R10.2"] == R10_2_DUE
    [task] = api.tasks(app["id"])
    assert task["element"] == "qualification_check"
    assert task["due_at"] == R10_2_DUE  # the effective due time while grounds may still be found


def test_r10_2_a_missed_hearing_notice_deadline_escalates_to_the_head(api):
    app = _submit(api)
    api.set_clock("2026-03-04T11:00:00+05:00")
    api.do(app["id"], "completeness_check", {"decision": "complete"})
    assert api.set_clock("2026-03-20T18:30:00+05:00")["fired"] == []
    fired = api.set_clock("2026-03-20T18:30:01+05:00")["fired"]
    assert [(f["element"], f["clause"], f["due_at"]) for f in fired] == [
        ("hearing_notice_deadline", "R10.2", R10_2_DUE)]
    [task] = api.tasks(app["id"])
    assert task["overdue"] is True
    events = api.get(f"/api/v1/instances/{app['instance_id']}", user="auditor").get_json()["events"]
    assert ("timer_fired", "hearing_notice_deadline", "R10.2") in {(e["kind"], e["element"], e["clause"])
                                                                   for e in events}
    overdue = [e for e in events if e["kind"] == "task_overdue"]  # the head of the unit is notified with it
    assert [e["element"] for e in overdue] == ["qualification_check"]


def _to_qualification_on_thursday(api):
    app = _submit(api)
    api.set_clock("2026-03-04T11:00:00+05:00")
    api.do(app["id"], "completeness_check", {"decision": "complete"})
    # Notice on Thursday 5 March 10:00: the hearing is due by the end of the 2nd working day after it,
    # Friday 6 (1) and — Monday 9 March being the moved 8 March holiday — Tuesday 10 March (2), 18:30.
    api.set_clock("2026-03-05T10:00:00+05:00")
    [task] = api.tasks(app["id"])
    return app, task


def test_r10_2_a_hearing_moment_outside_the_lawful_window_is_refused_not_replaced(api):
    app, task = _to_qualification_on_thursday(api)
    for outside in ("2026-03-07T11:00:00+05:00",   # Saturday
                    "2026-03-09T11:00:00+05:00",   # Monday, the moved 8 March holiday
                    "2026-03-10T13:30:00+05:00",   # lunch break (A3.8.1)
                    "2026-03-11T11:00:00+05:00",   # 3rd working day after the notice
                    "2026-03-05T09:30:00+05:00"):  # before the notice
        r = api.complete(task["id"], {"decision": "grounds_found", "grounds": ["A3.10.3"], "hearing_at": outside})
        assert r.status_code == 422, (outside, r.get_json())
        assert [e["field"] for e in r.get_json()["errors"]] == ["hearing_at"]
    assert [t["element"] for t in api.tasks(app["id"])] == ["qualification_check"]
    docs = api.get(f"/api/v1/applications/{app['id']}/documents", user="portal").get_json()
    assert "hearing_notice" not in {d["kind"] for d in docs}


def test_r10_2_a_hearing_moment_inside_the_lawful_window_is_kept(api):
    app, task = _to_qualification_on_thursday(api)
    r = api.complete(task["id"], {"decision": "grounds_found", "grounds": ["A3.10.3"],
                                  "hearing_at": "2026-03-10T15:00:00+05:00"})
    assert r.status_code == 200, r.get_json()
    [hearing] = api.tasks(app["id"])
    assert hearing["element"] == "hearing" and hearing["due_at"] == "2026-03-10T18:30:00+05:00"
    notice = [n for n in api.application(app["id"])["notices"] if n["kind"] == "preliminary_decision"][-1]
    assert "2026 жылғы 10 наурыз, 15:00" in notice["text_kk"] and "10 марта 2026 года, 15:00" in notice["text_ru"]
