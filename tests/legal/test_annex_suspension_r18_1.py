"""Issue 16, point 8 with R18-1 and the Law on permits and notifications art. 45: an annex is suspended, restored
or revoked on its own — the licence and its other annexes stay active, at every moment the register is asked.

By hand: the licence is issued in early March 2026 with annex "<number>/1"; the annex is suspended on Tuesday
10 March 2026 at 10:00 for 1 month, i.e. until the end of 10 April 2026 = 00:00 of Saturday 11 April 2026.
"""

from __future__ import annotations

from tests.legal.suspension_steps import licence_at_decision as _licence
from tests.legal.suspension_steps import officer_task as _task
from tests.legal.suspension_steps import register_view as _register
from tests.legal.suspension_steps import start_suspension as _start


def _annexes(view):
    return {a["number"]: (a["status"], a["suspended_until"]) for a in view["annexes"]}


def test_r18_1_an_annex_suspended_for_1_month_leaves_the_licence_active_until_00_00_of_11_april_2026(api):
    number = _licence(api)
    annex = f"{number}/1"
    s = _start(api, number, ground="LPN art. 45", scope="annex", annex_number=annex)
    r = api.complete(_task(api, s["instance_id"], "suspension_decision")["id"],
                     {"decision": "suspend", "ground": "LPN art. 45", "decided_by": "licensor", "scope": "annex",
                      "annex_number": annex, "months": 1, "remedy_due": "2026-03-31"})
    assert r.status_code == 200, r.get_json()
    now = _register(api, number)
    assert now["status"] == "active"
    assert _annexes(now) == {annex: ("suspended", "2026-04-11T00:00:00+05:00")}
    before = _register(api, number, "2026-03-10T09:59:00+05:00")
    assert before["status"] == "active" and _annexes(before) == {annex: ("active", None)}
    last = _register(api, number, "2026-04-10T23:59:00+05:00")
    assert last["status"] == "active" and _annexes(last)[annex][0] == "suspended"


def test_lpn_45_an_annex_is_restored_after_the_reported_and_confirmed_remedy_the_licence_never_changed(api):
    number = _licence(api)
    annex = f"{number}/1"
    s = _start(api, number, ground="LPN art. 45", scope="annex", annex_number=annex)
    api.complete(_task(api, s["instance_id"], "suspension_decision")["id"],
                 {"decision": "suspend", "ground": "LPN art. 45", "decided_by": "licensor", "scope": "annex",
                  "annex_number": annex, "months": 2, "remedy_due": "2026-03-31"})
    r = api.post(f"/api/v1/suspensions/{s['instance_id']}/remedy", {"text": "cooling repaired"}, user="portal")
    assert r.status_code == 200, r.get_json()
    api.set_clock("2026-03-31T18:30:01+05:00")  # the remedy deadline (Tuesday 31 March, 18:30) passed
    api.set_clock("2026-04-01T11:00:00+05:00")
    r = api.complete(_task(api, s["instance_id"], "remedy_review")["id"],
                     {"decision": "restore", "reasoning": "verified on site"})
    assert r.status_code == 200, r.get_json()
    view = _register(api, number)
    assert view["status"] == "active" and _annexes(view) == {annex: ("active", None)}
    assert _annexes(_register(api, number, "2026-04-01T10:59:00+05:00"))[annex][0] == "suspended"
    assert [h["status"] for h in view["history"]] == ["active", "active", "active"]  # the licence never changed


def test_r18_1_an_annex_revoked_on_its_own_ground_leaves_the_licence_active(api):
    number = _licence(api)
    annex = f"{number}/1"
    s = _start(api, number, ground="LPN art. 45", scope="annex", annex_number=annex)
    r = api.complete(_task(api, s["instance_id"], "suspension_decision")["id"],
                     {"decision": "revoke", "ground": "LPN art. 45", "decided_by": "court", "scope": "annex",
                      "annex_number": annex, "comment": "court decision 2-78/2026 on the data centre"})
    assert r.status_code == 200, r.get_json()
    view = _register(api, number)
    assert view["status"] == "active"
    assert _annexes(view) == {annex: ("revoked", None)}
    assert _annexes(_register(api, number, "2026-03-10T09:59:00+05:00")) == {annex: ("active", None)}


def test_r18_1_a_suspension_naming_an_annex_the_licence_does_not_have_is_refused_with_the_field(api):
    number = _licence(api)
    r = api.post(f"/api/v1/licences/{number}/suspensions",
                 {"ground": "LPN art. 45", "scope": "annex", "annex_number": f"{number}/9"}, user="officer")
    assert r.status_code == 422
    assert [e["field"] for e in r.get_json()["errors"]] == ["annex_number"]
    assert _register(api, number)["status"] == "active"
