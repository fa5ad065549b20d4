"""R6/R7 and A3.10.8: an application missing a document or the personal-data consent is received and
registered on the day (R6) and answered by the procedure — a motivated refusal of further consideration within
2 working days (R7), or the A3.10.8 ground after a hearing — never turned away at the door. The portal still
sees at once what is missing (warnings). Only malformed input gets 422.

By hand: submitted Tuesday 3 March 2026, 10:00 (a working morning): registered at that moment; R7 ends at the
end of the 2nd working day after it, Thursday 5 March 18:30.
"""

from __future__ import annotations

from tests.web.portal import issue_body

SUBMITTED = "2026-03-03T10:00:00+05:00"


def _finding(api, app, element="check_completeness_task"):
    events = api.get(f"/api/v1/instances/{app['instance_id']}", user="auditor").get_json()["events"]
    [found] = [e["data"]["result"] for e in events if e["element"] == element]
    return found


def test_r7_a_set_missing_the_metering_document_is_registered_with_a_warning_and_refused_further_consideration(api):
    api.set_clock(SUBMITTED)
    body = issue_body(api, "I")
    del body["qualification"]["metering_document"]
    r = api.submit(body)
    assert r.status_code == 201, r.get_json()
    app = r.get_json()
    assert app["registered_at"] == SUBMITTED and app["status"] != "rejected"
    assert [w["field"] for w in app["warnings"]] == ["qualification.metering_document"]
    assert "A11.1.4" in app["warnings"][0]["message"] and app["warnings"][0]["message_kk"]
    assert {d["clause"]: d["due_at"] for d in app["deadlines"]}["R7"] == "2026-03-05T18:30:00+05:00"
    assert _finding(api, app)["missing"] == ["A11.1.4"]
    api.set_clock("2026-03-05T17:00:00+05:00")
    api.do(app["id"], "completeness_check", {"decision": "incomplete", "reason": "A11.1.4: no metering document"})
    api.do(app["id"], "sign_not_considered", {"decision": "sign"}, user="signer")
    done = api.application(app["id"])
    assert done["outcome"] == "not_considered" and done["refusal_grounds"] == ["R7"]
    assert done["decided_at"] <= "2026-03-05T18:30:00+05:00"


def test_a3_10_8_no_personal_data_consent_is_registered_and_refused_on_that_ground(api):
    api.set_clock(SUBMITTED)
    body = issue_body(api, "II")
    body["confirmations"]["personal_data_consent"] = False
    r = api.submit(body)
    assert r.status_code == 201, r.get_json()
    app = r.get_json()
    assert [w["field"] for w in app["warnings"]] == ["confirmations.personal_data_consent"]
    found = _finding(api, app)
    assert found["missing"] == [] and found["ground"] == "A3.10.8"
    api.do(app["id"], "completeness_check", {"decision": "complete"})
    api.do(app["id"], "qualification_check", {"decision": "grounds_found", "grounds": ["A3.10.8"]})
    api.do(app["id"], "hearing", {"decision": "refuse", "grounds": ["A3.10.8"],
                                  "minutes": "The applicant did not give the consent at the hearing either."})
    api.do(app["id"], "sign_refusal", {"decision": "sign"}, user="signer")
    done = api.application(app["id"])
    assert done["outcome"] == "refused" and done["refusal_grounds"] == ["A3.10.8"]


def test_malformed_input_still_gets_422_and_registers_nothing(api):
    api.set_clock(SUBMITTED)
    body = issue_body(api, "II")
    body["applicant"]["bin_iin"] = body["applicant"]["bin_iin"][:11] + str((int(body["applicant"]["bin_iin"][11])
                                                                           + 1) % 10)
    r = api.submit(body)
    assert r.status_code == 422 and [e["field"] for e in r.get_json()["errors"]] == ["applicant.bin_iin"]
    body = issue_body(api, "II")
    body["confirmations"]["personal_data_consent"] = "yes"  # not a boolean: wrong structure
    r = api.submit(body)
    assert r.status_code == 422 and [e["field"] for e in r.get_json()["errors"]] == [
        "confirmations.personal_data_consent"]
    assert api.get("/api/v1/instances", user="auditor").headers["X-Total-Count"] == "0"
