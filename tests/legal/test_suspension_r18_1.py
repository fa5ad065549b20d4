"""R18-1 with the Law on digital assets art. 9(4) and the Law on permits and notifications art. 45: a suspension
lasts one to six months (no default); the licence is restored only when the holder reports the remedy and the
officer confirms it; revocation may be decided on its own ground, without a suspension first.

By hand: the suspension decided Tuesday 10 March 2026 at 10:00 for 2 months ends with 10 May 2026, i.e. at
00:00 of 11 May 2026; the remedy deadline "2026-04-30" is the end of that working day (Thursday), 18:30.
"""

from __future__ import annotations

import pytest

from tests.legal.suspension_steps import licence_at_decision as _licence
from tests.legal.suspension_steps import officer_task as _task
from tests.legal.suspension_steps import register_view
from tests.legal.suspension_steps import start_suspension as _start


def _status(api, number, at=None):
    return register_view(api, number, at)["status"]


SUSPEND = {"decision": "suspend", "ground": "LDA art. 9(4)", "decided_by": "licensor", "scope": "licence"}


@pytest.mark.parametrize("months", [0, 7, "3", 2.5])
def test_lda_9_a_suspension_outside_one_to_six_months_is_refused(api, months):
    number = _licence(api)
    r = api.post(f"/api/v1/licences/{number}/suspensions", {"ground": "LDA art. 9", "months": months},
                 user="officer")
    assert r.status_code == 422 and "months" in {e["field"] for e in r.get_json()["errors"]}
    s = _start(api, number, ground="LDA art. 9")
    task = _task(api, s["instance_id"], "suspension_decision")
    r = api.complete(task["id"], {**SUSPEND, "months": months, "remedy_due": "2026-04-30"})
    assert r.status_code == 422 and [e["field"] for e in r.get_json()["errors"]] == ["months"]
    r = api.complete(task["id"], {**SUSPEND, "remedy_due": "2026-04-30"})  # no invented default period
    assert r.status_code == 422 and [e["field"] for e in r.get_json()["errors"]] == ["months"]
    assert _status(api, number) == "active"


def test_lda_9_two_months_end_with_the_same_date_of_the_second_month(api):
    number = _licence(api)
    s = _start(api, number, ground="LDA art. 9", months=2)
    r = api.complete(_task(api, s["instance_id"], "suspension_decision")["id"],
                     {**SUSPEND, "months": 2, "remedy_due": "2026-05-20"})
    assert r.status_code == 200, r.get_json()
    view = api.get(f"/api/v1/instances/{s['instance_id']}", user="auditor").get_json()
    assert {t["element"]: t["due_at"] for t in view["timers"]}["suspension_period_end"] == \
        "2026-05-11T00:00:00+05:00"
    assert _status(api, number, "2026-05-10T23:59:00+05:00") == "suspended"


def test_lpn_45_restoration_needs_the_holders_remedy_report_and_the_officers_confirmation(api):
    number = _licence(api)
    s = _start(api, number, ground="LPN art. 45")
    api.complete(_task(api, s["instance_id"], "suspension_decision")["id"],
                 {**SUSPEND, "months": 2, "remedy_due": "2026-04-30"})
    fired = api.set_clock("2026-04-30T18:30:01+05:00")["fired"]
    assert "remedy_deadline_passed" in {f["element"] for f in fired}
    review = _task(api, s["instance_id"], "remedy_review")
    r = api.complete(review["id"], {"decision": "restore", "reasoning": "looks fine"})
    assert r.status_code == 422 and [e["field"] for e in r.get_json()["errors"]] == ["decision"]
    assert _status(api, number) == "suspended"
    r = api.complete(review["id"], {"decision": "extend", "reasoning": "the holder asked for a week",
                                    "remedy_due": "2026-05-08"})
    assert r.status_code == 200, r.get_json()
    r = api.post(f"/api/v1/suspensions/{s['instance_id']}/remedy", {"text": "metering installed"}, user="portal")
    assert r.status_code == 200, r.get_json()
    api.set_clock("2026-05-05T11:00:00+05:00")
    r = api.complete(_task(api, s["instance_id"], "remedy_review")["id"],
                     {"decision": "restore", "reasoning": "verified on site"})
    assert r.status_code == 200, r.get_json()
    assert _status(api, number) == "active"
    assert _status(api, number, "2026-05-05T10:59:00+05:00") == "suspended"


def test_lda_9_the_remedy_deadline_cannot_stretch_the_suspension_past_six_months(api):
    number = _licence(api)
    s = _start(api, number, ground="LPN art. 45")
    api.complete(_task(api, s["instance_id"], "suspension_decision")["id"],
                 {**SUSPEND, "months": 1, "remedy_due": "2026-03-31"})
    api.set_clock("2026-03-31T18:30:01+05:00")
    r = api.complete(_task(api, s["instance_id"], "remedy_review")["id"],
                     {"decision": "extend", "reasoning": "more time", "remedy_due": "2026-09-11"})
    assert r.status_code == 422 and [e["field"] for e in r.get_json()["errors"]] == ["remedy_due"]


def test_lpn_45_revocation_on_its_own_ground_needs_no_suspension_first(api):
    number = _licence(api)
    s = _start(api, number, ground="LPN art. 45: court decision 2-77/2026")
    r = api.complete(_task(api, s["instance_id"], "suspension_decision")["id"],
                     {"decision": "revoke", "ground": "LPN art. 45", "decided_by": "court", "scope": "licence",
                      "comment": "court decision 2-77/2026 deprives the licence"})
    assert r.status_code == 200, r.get_json()
    assert _status(api, number) == "revoked"
    assert _status(api, number, "2026-03-10T09:59:00+05:00") == "active"
