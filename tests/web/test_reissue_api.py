"""Reissue (R11–R15): each ground for the subtypes it applies to, refusals, and the register as of a moment."""

from __future__ import annotations

from datetime import datetime

import pytest

from engine import legal_time
from tests.web.portal import issued_licence, reissue_body

MORNING = "2025-06-05T10:00:00+05:00"


def submit(api, body):
    r = api.submit(body)
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def refused_with_reasons(api, app_id, ground="A3.10.7"):
    """The procedure answers a reissue of a licence that can no longer be reissued: a motivated refusal."""
    events = api.get(f"/api/v1/instances/{api.application(app_id)['instance_id']}", user="auditor").get_json()
    [found] = [e["data"]["result"] for e in events["events"] if e["element"] == "check_completeness_task"]
    assert found["ground"] == ground
    api.do(app_id, "reissue_completeness", {"decision": "complete"})
    api.do(app_id, "reissue_review", {"decision": "grounds_found", "grounds": [ground]})
    api.do(app_id, "sign_refusal", {"decision": "sign"}, user="signer")
    done = api.application(app_id)
    assert done["outcome"] == "refused" and done["refusal_grounds"] == [ground]
    return found


def reissue(api, app_id):
    api.do(app_id, "reissue_completeness", {"decision": "complete"})
    api.do(app_id, "reissue_review", {"decision": "compliant"})
    api.do(app_id, "sign_reissue", {"decision": "sign"}, user="signer")
    return api.application(app_id)


@pytest.mark.parametrize(("subtype", "grounds", "changes", "check"), [
    ("I", ["rename_or_relocate"], {"name": "ТОО «Жаңа Атау»"}, lambda lic: lic["holder"]["name"] == "ТОО «Жаңа Атау»"),
    ("II", ["rename_or_relocate"], {"address": "Астана, Мәңгілік Ел 1"}, lambda lic: True),
    ("I", ["dc_relocation"], {"data_centers": [{"address": "Ақсу, 7", "power_source": "single_buyer"}]},
     lambda lic: lic["data_centers"][0]["address"] == "Ақсу, 7"),
    ("I", ["power_source_change"], {"data_centers": [{"address": "Ақсу, 7", "power_source": "isolated_generator"}]},
     lambda lic: lic["data_centers"][0]["power_source"] == "isolated_generator"),
    ("II", ["subtype_rename"], {}, lambda lic: lic["subtype"] == "II"),
    ("I", ["legal_requirement"], {}, lambda lic: True),
])
def test_each_ground_reissues_the_licence_and_the_old_one_stops_at_signature(api, subtype, grounds, changes, check):
    api.set_clock(MORNING)
    body, old = issued_licence(api, subtype)
    api.set_clock("2025-06-09T11:00:00+05:00")
    documents = [api.upload()] if set(grounds) & {"dc_relocation", "power_source_change"} else []
    app = submit(api, reissue_body(body, old, grounds, changes=changes, documents=documents))
    assert {d["clause"] for d in app["deadlines"]} == {"R14", "R15"}
    [r15] = [d for d in app["deadlines"] if d["clause"] == "R15"]
    assert r15["due_at"] == legal_time.iso(legal_time.add_working_days(app["registered_at"], 2))
    assert "үш" in r15["name"]
    before_sign = "2025-06-09T12:00:00+05:00"
    api.set_clock(before_sign)
    done = reissue(api, app["id"])
    assert done["outcome"] == "reissued" and done["licence_number"] != old
    new = api.get(f"/api/v1/licences/{done['licence_number']}").get_json()
    assert new["status"] == "active" and new["replaces"] == old and check(new)
    assert api.get(f"/api/v1/licences/{old}").get_json()["status"] == "replaced"
    assert api.get(f"/api/v1/licences/{old}?at=2025-06-09T11:59:59%2B05:00").get_json()["status"] == "active"
    docs = api.get(f"/api/v1/applications/{app['id']}/documents", user="portal").get_json()
    assert {("licence", "kk"), ("licence", "ru")} <= {(d["kind"], d["lang"]) for d in docs}


def test_an_incomplete_reissue_ends_in_a_motivated_refusal_within_one_working_day(api):
    api.set_clock(MORNING)
    body, old = issued_licence(api, "II")
    api.set_clock("2025-06-09T11:00:00+05:00")
    app = submit(api, reissue_body(body, old, ["rename_or_relocate"], changes={"name": "X"}))
    api.do(app["id"], "reissue_completeness", {"decision": "incomplete", "reason": "no registration certificate"})
    api.do(app["id"], "sign_not_considered", {"decision": "sign"}, user="signer")
    done = api.application(app["id"])
    assert done["outcome"] == "not_considered"
    assert datetime.fromisoformat(done["decided_at"]) <= legal_time.add_working_days(app["registered_at"], 1)
    assert api.get(f"/api/v1/licences/{old}").get_json()["status"] == "active"


def test_power_source_change_is_refused_for_subtype_ii(api):
    api.set_clock(MORNING)
    body, old = issued_licence(api, "II")
    r = api.submit(reissue_body(body, old, ["power_source_change"],
                                changes={"data_centers": [{"address": "A", "power_source": "isolated_generator"}]}))
    assert r.status_code == 422 and r.get_json()["errors"][0]["field"] == "grounds"


def test_unknown_and_already_reissued_licences_are_refused_with_the_ground(api):
    api.set_clock(MORNING)
    body, old = issued_licence(api, "II")
    r = api.submit(reissue_body(body, "DM02-2025-999999", ["legal_requirement"]))
    assert r.status_code == 422 and "unknown licence" in r.get_json()["errors"][0]["message"]
    app = submit(api, reissue_body(body, old, ["legal_requirement"]))
    reissue(api, app["id"])
    again = submit(api, reissue_body(body, old, ["legal_requirement"]))  # registered (R13), then refused
    assert "already reissued" in refused_with_reasons(api, again["id"])["licence"]["text_en"]


def test_division_gives_each_successor_its_own_licence(api):
    api.set_clock(MORNING)
    body, old = issued_licence(api, "I")
    from tests.web.portal import valid_bin

    successors = [{"bin_iin": valid_bin(), "name": "ТОО «Бірінші»", "address": "Павлодар",
                   "data_centers": [{"address": "Екібастұз, 5", "power_source": "single_buyer"}]},
                  {"bin_iin": valid_bin(), "name": "ТОО «Екінші»", "address": "Ақсу",
                   "data_centers": [{"address": "Ақсу, 9", "power_source": "single_buyer"}]}]
    app = submit(api, reissue_body(body, old, ["reorganization"], reorganization_form="division",
                                   changes={"successors": successors}, documents=[api.upload()]))
    done = reissue(api, app["id"])
    decision = [e for e in api.get(f"/api/v1/instances/{app['instance_id']}", user="auditor").get_json()["events"]
                if e["kind"] == "licence_reissued"][0]
    licences = decision["data"]["licences"]
    assert len(licences) == 2 and done["licence_number"] == licences[0]
    holders = {api.get(f"/api/v1/licences/{n}").get_json()["holder"]["name"] for n in licences}
    assert holders == {"ТОО «Бірінші»", "ТОО «Екінші»"}


def _set_status(app, number, status, until=None):
    from engine.licensing import register
    from engine.transactions import transaction

    engine = app.extensions["licensing"].engine
    with transaction(engine.session_factory) as session:
        register.change(session, number, status=status, at=engine.clock.now(), until=until, reason=f"test: {status}")


def test_a_revoked_licence_is_refused_and_a_suspended_one_carries_its_suspension(app, api):
    api.set_clock(MORNING)
    body, revoked = issued_licence(api, "II")
    _set_status(app, revoked, "revoked")
    refused = submit(api, reissue_body(body, revoked, ["legal_requirement"]))  # registered (R13), then refused
    assert "revoked" in refused_with_reasons(api, refused["id"])["licence"]["text_en"]
    body2, suspended = issued_licence(api, "II")
    until = datetime.fromisoformat("2025-07-01T18:30:00+05:00")
    _set_status(app, suspended, "suspended", until)
    done = reissue(api, submit(api, reissue_body(body2, suspended, ["legal_requirement"]))["id"])
    new = api.get(f"/api/v1/licences/{done['licence_number']}").get_json()
    assert new["status"] == "suspended" and new["suspended_until"] == "2025-07-01T18:30:00+05:00"
    later = api.get(f"/api/v1/licences/{done['licence_number']}?at=2025-07-02T10:00:00%2B05:00").get_json()
    assert later["status"] == "active"


def test_pool_change_notices_are_kept_and_a_late_one_is_flagged(api):
    api.set_clock(MORNING)
    body, number = issued_licence(api, "I")
    api.set_clock("2025-06-10T10:00:00+05:00")
    on_time = api.post(f"/api/v1/licences/{number}/pool-notices",
                       {"changed_at": "2025-06-09T15:00:00+05:00", "pool": {"name": "KZ Pool 2"}})
    assert on_time.status_code == 201 and on_time.get_json() == {
        "due_at": "2025-06-11T18:30:00+05:00", "late": False, "received_at": "2025-06-10T10:00:00+05:00",
        "licence_number": number}
    late = api.post(f"/api/v1/licences/{number}/pool-notices",
                    {"changed_at": "2025-06-02T09:00:00+05:00", "pool": {"name": "KZ Pool 3"}})
    assert late.status_code == 201 and late.get_json()["late"] is True
    licence = api.get(f"/api/v1/licences/{number}", user="auditor").get_json()
    assert [p["late"] for p in licence["pool_notices"]] == [False, True]
    assert licence["pool"]["name"] == "KZ Pool 3"
    bad = api.post(f"/api/v1/licences/{number}/pool-notices", {"changed_at": "yesterday", "pool": {}})
    assert bad.status_code == 422 and {e["field"] for e in bad.get_json()["errors"]} == {"changed_at", "pool.name"}
    assert api.post("/api/v1/licences/NOPE/pool-notices", {"changed_at": "2025-06-09T15:00:00+05:00",
                                                          "pool": {"name": "x"}}).status_code == 404
