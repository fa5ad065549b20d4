"""Suspension, restoration and revocation (R18-1) with the register answering as of each moment."""

from __future__ import annotations

from tests.web.portal import issued_licence

MORNING = "2025-06-05T10:00:00+05:00"


def start(api, number, **body):
    r = api.post(f"/api/v1/licences/{number}/suspensions", body, user="officer")
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def decide(api, instance_id, data):
    tasks = api.get("/api/v1/tasks", user="officer").get_json()
    [task] = [t for t in tasks if t["instance_id"] == instance_id and t["element"] == data.pop("_element")]
    r = api.complete(task["id"], data)
    assert r.status_code == 200, r.get_json()


def status(api, number, at=None):
    query = f"?at={at.replace('+', '%2B')}" if at else ""
    return api.get(f"/api/v1/licences/{number}{query}").get_json()["status"]


def test_a_suspension_whose_period_ends_with_no_confirmed_remedy_stays_suspended_until_the_officer_decides(api):
    # LDA art. 9(4), LPN art. 45: one month from Monday 9 June 2025 ends at the end of 9 July 2025
    api.set_clock(MORNING)
    _, number = issued_licence(api, "I")
    api.set_clock("2025-06-09T10:00:00+05:00")
    s = start(api, number, ground="LDA art. 9: no metering data", decided_by="licensor")
    decide(api, s["instance_id"], {"_element": "suspension_decision", "decision": "suspend",
                                   "ground": "LDA art. 9", "decided_by": "licensor", "months": 1,
                                   "scope": "licence", "remedy_due": "2025-07-15"})
    assert status(api, number) == "suspended"
    assert status(api, number, "2025-06-08T10:00:00+05:00") == "active"
    assert api.set_clock("2025-07-10T00:00:00+05:00")["fired"] == []
    fired = api.set_clock("2025-07-10T00:00:01+05:00")["fired"]
    assert "suspension_period_end" in {f["element"] for f in fired}
    assert status(api, number) == "suspended"  # not restored by itself
    assert status(api, number, "2025-07-09T23:00:00+05:00") == "suspended"
    assert [t["element"] for t in api.get("/api/v1/tasks", user="officer").get_json()
            if t["instance_id"] == s["instance_id"]] == ["remedy_review"]


def test_a_suspension_restored_early_after_the_remedy(api):
    api.set_clock(MORNING)
    _, number = issued_licence(api, "II")
    s = start(api, number, ground="LPN art. 45", decided_by="licensor")
    found = api.get("/api/v1/instances?process=licence_suspension&applicant=digital%20mining", user="auditor")
    assert [i["id"] for i in found.get_json()] == [s["instance_id"]]  # found by the holder's name
    decide(api, s["instance_id"], {"_element": "suspension_decision", "decision": "suspend", "ground": "LPN 45",
                                   "decided_by": "licensor", "months": 2, "scope": "licence",
                                   "remedy_due": "2025-06-20"})
    api.set_clock("2025-06-10T11:00:00+05:00")
    r = api.post(f"/api/v1/suspensions/{s['instance_id']}/remedy",
                 {"text": "metering installed", "evidence": [api.upload()]}, user="portal")
    assert r.status_code == 200, r.get_json()
    decide(api, s["instance_id"], {"_element": "remedy_review", "decision": "restore", "reasoning": "verified"})
    assert status(api, number) == "active"
    assert status(api, number, "2025-06-10T10:00:00+05:00") == "suspended"


def test_a_suspension_that_ends_in_revocation_never_becomes_active_again(api):
    api.set_clock(MORNING)
    _, number = issued_licence(api, "II")
    s = start(api, number, ground="LPN art. 45", decided_by="court")
    decide(api, s["instance_id"], {"_element": "suspension_decision", "decision": "suspend", "ground": "court",
                                   "decided_by": "court", "months": 3, "scope": "licence",
                                   "remedy_due": "2025-06-16"})
    fired = api.set_clock("2025-06-17T10:00:00+05:00")["fired"]
    assert "remedy_deadline_passed" in {f["element"] for f in fired}
    decide(api, s["instance_id"], {"_element": "remedy_review", "decision": "revoke",
                                   "reasoning": "court decision 2-55/2025 deprives the licence"})
    assert status(api, number) == "revoked"
    api.set_clock("2026-06-17T10:00:00+05:00")
    assert status(api, number) == "revoked"
    assert api.post(f"/api/v1/licences/{number}/suspensions", {}, user="officer").status_code == 409


def test_suspensions_need_a_known_licence_and_an_officer(api):
    api.set_clock(MORNING)
    assert api.post("/api/v1/licences/NOPE/suspensions", {}, user="officer").status_code == 404
    assert api.post("/api/v1/licences/NOPE/suspensions", {}, user="portal").status_code == 403
