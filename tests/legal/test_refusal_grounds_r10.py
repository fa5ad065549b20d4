"""R10: after the hearing the provider issues the licence or a motivated refusal; the refusal rests on the
grounds upheld at the hearing, and only on grounds the preliminary decision put to the applicant."""

from __future__ import annotations

from tests.web.portal import issue_body

REGISTERED = "2026-03-03T10:00:00+05:00"  # Tuesday


def _to_hearing(api, grounds):
    api.set_clock(REGISTERED)
    r = api.submit(issue_body(api, "II"))
    assert r.status_code == 201, r.get_json()
    app = r.get_json()
    api.set_clock("2026-03-04T11:00:00+05:00")
    api.do(app["id"], "completeness_check", {"decision": "complete"})
    api.do(app["id"], "qualification_check", {"decision": "grounds_found", "grounds": grounds})
    [hearing] = api.tasks(app["id"])
    assert hearing["element"] == "hearing"
    return app, hearing


def test_r10_a_refusal_after_the_hearing_rests_only_on_the_grounds_upheld_at_the_hearing(api):
    app, _ = _to_hearing(api, ["A3.10.2", "A3.10.3"])
    api.do(app["id"], "hearing", {"decision": "refuse", "grounds": ["A3.10.2"],
                                  "minutes": "The qualification documents were accepted; the fee is unpaid."})
    api.do(app["id"], "sign_refusal", {"decision": "sign"}, user="signer")
    done = api.application(app["id"])
    assert done["outcome"] == "refused"
    assert done["refusal_grounds"] == ["A3.10.2"]
    refused = done["notices"][-1]
    assert refused["kind"] == "refused"
    assert "A3.10.2" in refused["text_ru"] and "A3.10.3" not in refused["text_ru"]


def test_r10_a_ground_never_put_to_the_applicant_cannot_carry_the_refusal(api):
    app, hearing = _to_hearing(api, ["A3.10.2"])
    r = api.complete(hearing["id"], {"decision": "refuse", "grounds": ["A3.10.2", "A3.10.6"],
                                     "minutes": "The officer now doubts the documents."})
    assert r.status_code == 422, r.get_json()
    assert [e["field"] for e in r.get_json()["errors"]] == ["grounds"]
    assert "A3.10.6" in r.get_json()["errors"][0]["message"]
    assert [t["element"] for t in api.tasks(app["id"])] == ["hearing"]  # nothing moved
    assert api.application(app["id"])["refusal_grounds"] is None


def test_r7_a_refusal_of_further_consideration_names_its_clause(api):
    api.set_clock(REGISTERED)
    app = api.submit(issue_body(api, "II")).get_json()
    api.do(app["id"], "completeness_check", {"decision": "incomplete", "reason": "the pool document is unreadable"})
    api.do(app["id"], "sign_not_considered", {"decision": "sign"}, user="signer")
    done = api.application(app["id"])
    assert done["outcome"] == "not_considered" and done["refusal_grounds"] == ["R7"]


def test_r10_the_applicant_states_its_position_before_the_hearing_and_the_minutes_record_it(api):
    app, _ = _to_hearing(api, ["A3.10.3"])
    evidence = api.upload()
    r = api.post(f"/api/v1/applications/{app['id']}/positions",
                 {"text": "The data-centre lease was renewed; the new contract is attached.", "documents": [evidence]})
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["positions"][0]["documents"] == [evidence]
    assert api.post(f"/api/v1/applications/{app['id']}/positions", {"text": "x", "documents": ["nope"]}).status_code \
        == 422
    assert api.post(f"/api/v1/applications/{app['id']}/positions", {"text": "mine"},
                    user="portal2").status_code == 404  # another applicant
    seen = api.application(app["id"], user="officer")["positions"]  # the officer reads it with the application
    assert seen[0]["text"].startswith("The data-centre lease was renewed")
    [hearing] = [t for t in api.tasks(app["id"]) if t["element"] == "hearing"]
    on_task = api.get(f"/api/v1/tasks/{hearing['id']}", user="officer").get_json()["applicant_positions"]
    assert [(p["text"][:30], p["documents"]) for p in on_task] == [("The data-centre lease was rene", [evidence])]
    api.do(app["id"], "hearing", {"decision": "refuse", "grounds": ["A3.10.3"], "minutes": "Heard; not convinced."})
    api.do(app["id"], "sign_refusal", {"decision": "sign"}, user="signer")
    events = api.get(f"/api/v1/instances/{app['instance_id']}", user="auditor").get_json()["events"]
    assert ("position_stated", "R10") in {(e["kind"], e["clause"]) for e in events}
    [draft] = [e["data"]["result"] for e in events if e["element"] == "draft_refusal"]
    assert "The data-centre lease was renewed" in draft["context"]["minutes"]  # the minutes record it
    assert api.post(f"/api/v1/applications/{app['id']}/positions", {"text": "late"}).status_code == 409
