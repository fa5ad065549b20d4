"""Issue 16, point 8 with R9 (a licence "and (or) an annex", forms A6/A7): an existing licensee applies for an
annex alone — a new data centre — through the same checks as an issue, and gets an annex in Kazakh and Russian
added to the licence in the register; the licence and its first annex are untouched, and the new annex can be
suspended on its own.

By hand on the 2026 calendar (8 March moved to Monday 9 March; Nauryz 21–23 March with the weekend days moved to
Tuesday 24 and Wednesday 25 March): registered Wednesday 4 March 2026, 10:00; working days after it: 5, 6 (1, 2),
10–13 (3–6), 16–20 (7–11), 26, 27 (12, 13), 30, 31 March (14, 15): the A3.4 term ends 31 March 2026, 18:30.
"""

from __future__ import annotations

from tests.web.portal import drive_to_licence, issued_licence

SUBMITTED = "2026-03-04T10:00:00+05:00"
NEW_CENTRE = {"address": "Қарағанды қ., Индустриялық аймақ, 7"}


def _annex_body(holder, number):
    return {"procedure": "annex", "licence_number": number, "applicant": holder["applicant"],
            "data_centers": [NEW_CENTRE],
            "qualification": {"hardware_registry_notice": "HW-2026-000888", "pool": None},
            "confirmations": holder["confirmations"], "signed_by": holder["signed_by"]}


def _licensee(api):
    api.set_clock("2026-03-02T10:00:00+05:00")
    holder, number = issued_licence(api, "II", paid_at="2026-03-02T09:30:00+05:00")
    api.set_clock(SUBMITTED)
    api.pay(holder["applicant"]["bin_iin"], 5 * 4325, "2026-03-04T09:30:00+05:00")  # 5 MCI of 2026
    return holder, number


def _register(api, number, at=None):
    query = f"?at={at.replace('+', '%2B')}" if at else ""
    return api.get(f"/api/v1/licences/{number}{query}").get_json()


def test_r9_an_annex_alone_runs_the_issue_checks_within_15_working_days_ending_31_march_2026(api):
    holder, number = _licensee(api)
    r = api.submit(_annex_body(holder, number))
    assert r.status_code == 201, r.get_json()
    app = r.get_json()
    assert app["procedure"] == "annex" and app["subtype"] == "II"
    deadlines = {d["clause"]: d["due_at"] for d in app["deadlines"]}
    assert deadlines["A3.4"] == "2026-03-31T18:30:00+05:00"
    assert deadlines["R7"] == "2026-03-06T18:30:00+05:00"  # working day 2
    assert api.tasks(app["id"])[0]["element"] == "completeness_check"


def test_r9_the_annex_is_signed_in_kk_and_ru_and_added_to_the_licence_which_stays_as_it_was(api):
    holder, number = _licensee(api)
    app = api.submit(_annex_body(holder, number)).get_json()
    done = drive_to_licence(api, app["id"])
    assert done["outcome"] == "issued" and done["licence_number"] == number
    docs = api.get(f"/api/v1/applications/{app['id']}/documents", user="portal").get_json()
    assert sorted((d["kind"], d["lang"]) for d in docs if d["kind"] != "receipt") == [("annex", "kk"),
                                                                                      ("annex", "ru")]
    view = _register(api, number)
    assert view["status"] == "active"
    assert [(a["number"], a["status"]) for a in view["annexes"]] == [(f"{number}/1", "active"),
                                                                     (f"{number}/2", "active")]
    assert view["annexes"][1]["data_centers"] == [NEW_CENTRE]
    before = _register(api, number, "2026-03-04T09:59:00+05:00")
    assert [a["number"] for a in before["annexes"]] == [f"{number}/1"]


def test_r18_1_the_new_annex_is_suspended_while_the_licence_and_the_first_annex_stay_active(api):
    holder, number = _licensee(api)
    app = api.submit(_annex_body(holder, number)).get_json()
    drive_to_licence(api, app["id"])
    api.set_clock("2026-03-10T10:00:00+05:00")
    r = api.post(f"/api/v1/licences/{number}/suspensions",
                 {"ground": "LPN art. 45", "scope": "annex", "annex_number": f"{number}/2"}, user="officer")
    assert r.status_code == 201, r.get_json()
    [task] = [t for t in api.get("/api/v1/tasks", user="officer").get_json()
              if t["instance_id"] == r.get_json()["instance_id"]]
    r = api.complete(task["id"], {"decision": "suspend", "ground": "LPN art. 45", "decided_by": "licensor",
                                  "scope": "annex", "annex_number": f"{number}/2", "months": 1,
                                  "remedy_due": "2026-03-31"})
    assert r.status_code == 200, r.get_json()
    view = _register(api, number)
    assert view["status"] == "active"
    assert [(a["number"], a["status"], a["suspended_until"]) for a in view["annexes"]] == [
        (f"{number}/1", "active", None), (f"{number}/2", "suspended", "2026-04-11T00:00:00+05:00")]


def test_r9_an_annex_for_a_licence_the_applicant_does_not_hold_is_refused_with_the_field(api):
    holder, number = _licensee(api)
    r = api.submit({**_annex_body(holder, number), "licence_number": "NO-SUCH-1"})
    assert r.status_code == 422
    assert "licence_number" in {e["field"] for e in r.get_json()["errors"]}
