"""A gateway outage makes incidents, never findings; retrying them completes the procedure (CONTRACT.md §3).

The web app talks to a stand-in gateway over a real socket. The done-criterion of the work is the first
test: a licence procedure on the real clock, an outage, an incident, a retry from the API, a licence.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from engine.checks.mci import mci_on
from tests.integration.standins import StandInGateway, running
from tests.web.conftest import make_app
from tests.web.portal import Api, drive_to_licence, issue_body
from tests.web.test_ui_workspace import Browser

GATEWAY_SETTINGS = {"GATEWAY_ATTEMPTS": 2, "GATEWAY_BACKOFF_MS": 0, "GATEWAY_TIMEOUT_SECONDS": 2,
                    "GATEWAY_BREAKER_FAILURES": 1000}


@pytest.fixture
def gateway() -> Iterator[StandInGateway]:
    with running(StandInGateway()) as server:
        yield server


def app_for(url: str, gateway: StandInGateway, keys: Path, **config: Any) -> Any:
    return make_app(url, keys, GATEWAY_URL=gateway.url, **{**GATEWAY_SETTINGS, **config})


@pytest.fixture
def real_clock_api(tmp_path: Path, gateway: StandInGateway) -> Iterator[Api]:
    app = app_for(f"sqlite:///{tmp_path / 'app.db'}", gateway, tmp_path / "keys", CLOCK="real")
    yield Api(app.test_client())
    app.extensions["licensing"].wiring.db.dispose()


@pytest.fixture
def simulated_api(tmp_path: Path, gateway: StandInGateway) -> Iterator[Api]:
    app = app_for(f"sqlite:///{tmp_path / 'app.db'}", gateway, tmp_path / "keys")
    yield Api(app.test_client())
    app.extensions["licensing"].wiring.db.dispose()


def seed_good_answers(gateway: StandInGateway, body: dict[str, Any]) -> None:
    applicant = body["applicant"]
    paid_at = datetime.now(UTC) - timedelta(hours=1)
    gateway.records[("business_registry", applicant["bin_iin"])] = {
        "registered": True, "name": applicant["name"], "kind": applicant["kind"]}
    gateway.records[("payments", applicant["bin_iin"])] = {"payments": [
        {"purpose": "licence_fee", "amount_kzt": 2000 * mci_on(paid_at).mci_kzt, "paid_at": paid_at.isoformat(),
         "reference": "KZ-PAY-1"}]}


def incidents(api: Api, **query: str) -> list[dict[str, Any]]:
    r = api.get("/api/v1/incidents", query_string=query)
    assert r.status_code == 200, r.get_json()
    return r.get_json()  # type: ignore[no-any-return]


def events(api: Api, instance_id: str, kind: str) -> list[dict[str, Any]]:
    r = api.get(f"/api/v1/instances/{instance_id}", user="auditor")
    assert r.status_code == 200, r.get_json()
    return [e for e in r.get_json()["events"] if e["kind"] == kind]


def test_an_outage_makes_an_incident_and_a_retry_completes_the_procedure_on_the_real_clock(real_clock_api, gateway):
    api = real_clock_api
    body = issue_body(api)
    gateway.outage = True

    r = api.submit(body)
    assert r.status_code == 201, r.get_json()
    app = r.get_json()
    assert app["registered_at"] is not None  # registered and waiting: the receipt went out

    [incident] = incidents(api)
    assert incident["element"] == "check_business_registry_task"
    assert incident["instance_id"] == app["instance_id"]
    assert incident["attempts"] == 1
    assert "503" in incident["error"]
    assert api.tasks(app["id"]) == []  # no finding was made, so the officer has nothing to decide yet
    completed = [e["element"] for e in events(api, app["instance_id"], "element_completed")]
    assert "register_application_task" in completed and "check_business_registry_task" not in completed
    calls = events(api, app["instance_id"], "gateway_call")
    assert [(c["data"]["registry"], c["data"]["status"]) for c in calls] == [("business_registry", 503)] * 2
    assert set(calls[0]["data"]) == {"registry", "bin_iin", "attempt", "outcome", "status", "duration_ms"}

    gateway.outage = False
    seed_good_answers(gateway, body)
    r = api.post(f"/api/v1/incidents/{incident['id']}/retry", user="admin")
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["status"] == "resolved"
    assert r.get_json()["resolved_by"] == "admin"
    assert incidents(api) == []

    [fee] = [e for e in events(api, app["instance_id"], "element_completed") if e["element"] == "check_fee_task"]
    assert fee["data"]["result"]["paid"] is True
    [bans] = [e for e in events(api, app["instance_id"], "element_completed") if e["element"] == "check_bans_task"]
    assert bans["data"]["result"]["banned"] is False
    assert [t["element"] for t in api.tasks(app["id"])] == ["completeness_check"]

    done = drive_to_licence(api, app["id"])
    assert done["outcome"] == "issued" and done["licence_number"]


def test_a_malformed_answer_waits_for_a_person_and_keeps_the_checks_before_it(simulated_api, gateway):
    api = simulated_api
    body = issue_body(api)
    seed_good_answers(gateway, body)
    gateway.records[("payments", body["applicant"]["bin_iin"])] = {"payments": [{"purpose": "licence_fee"}]}

    app = api.submit(body).get_json()
    [incident] = incidents(api)
    assert incident["element"] == "check_fee_task"
    assert incident["transient"] is False and incident["next_retry_at"] is None
    assert "contract's shape" in incident["error"]
    completed = [e["element"] for e in events(api, app["instance_id"], "element_completed")]
    assert "check_business_registry_task" in completed and "check_bans_task" in completed
    assert "check_fee_task" not in completed

    engine = api.client.application.extensions["licensing"].engine
    api.set_clock("2099-01-01T10:00:00+05:00")
    engine.operator.retry_due_incidents()  # not transient: the scheduler leaves it to a person
    [still] = incidents(api)
    assert still["attempts"] == 1

    r = api.post(f"/api/v1/incidents/{incident['id']}/resolve", {"resolution": "  "}, user="admin")
    assert r.status_code == 422 and r.get_json()["errors"][0]["field"] == "resolution"
    seed_good_answers(gateway, body)
    r = api.post(f"/api/v1/incidents/{incident['id']}/retry", user="admin")
    assert r.get_json()["status"] == "resolved"
    assert [t["element"] for t in api.tasks(app["id"])] == ["completeness_check"]
    r = api.post(f"/api/v1/incidents/{incident['id']}/retry", user="admin")
    assert r.status_code == 409  # already resolved


def test_transient_incidents_are_retried_by_the_scheduler_after_a_growing_wait(simulated_api, gateway):
    api = simulated_api
    engine = api.client.application.extensions["licensing"].engine
    api.set_clock("2025-06-05T10:00:00+05:00")
    body = issue_body(api)
    gateway.outage = True
    app = api.submit(body).get_json()
    [incident] = incidents(api)
    assert incident["next_retry_at"] == "2025-06-05T10:01:00+05:00"  # a minute after the first failure

    engine.operator.retry_due_incidents()
    assert incidents(api)[0]["attempts"] == 1  # not due yet

    api.set_clock("2025-06-05T10:01:30+05:00")
    engine.operator.retry_due_incidents()
    [again] = incidents(api)
    assert again["attempts"] == 2 and again["next_retry_at"] == "2025-06-05T10:03:30+05:00"  # then two minutes

    gateway.outage = False
    seed_good_answers(gateway, body)
    api.set_clock("2025-06-05T10:04:00+05:00")
    engine.operator.retry_due_incidents()
    assert incidents(api) == []
    [resolved] = incidents(api, status="resolved")
    assert resolved["resolved_by"] == "scheduler" and resolved["attempts"] == 2
    assert [t["element"] for t in api.tasks(app["id"])] == ["completeness_check"]


def test_legal_terms_keep_running_while_an_incident_holds_the_application(simulated_api, gateway):
    api = simulated_api
    api.set_clock("2025-06-05T10:00:00+05:00")
    gateway.outage = True
    app = api.submit(issue_body(api)).get_json()
    assert [d["clause"] for d in app["deadlines"]] == ["A3.4"]
    assert app["expected_result_at"] == "2025-06-27T18:30:00+05:00"  # 15 working days; 6 June is Kurban ait

    fired = api.set_clock("2025-06-30T09:00:00+05:00")["fired"]
    assert [(f["element"], f["clause"]) for f in fired] == [("total_term_expired", "A3.4")]
    assert len(incidents(api)) == 1  # still held: the term ran out and was recorded all the same
    kinds = [n["kind"] for n in api.application(app["id"])["notices"]]
    assert "term_breached" in kinds


def test_two_schedulers_retrying_at_once_run_each_step_exactly_once(pg_url, tmp_path, gateway):
    keys = tmp_path / "keys"
    first = app_for(pg_url, gateway, keys)
    second = app_for(pg_url, gateway, keys)
    try:
        api = Api(first.test_client())
        api.set_clock("2025-06-05T10:00:00+05:00")
        gateway.outage = True
        bodies = [issue_body(api) for _ in range(4)]
        apps = [api.submit(body).get_json() for body in bodies]
        assert len(incidents(api)) == 4

        gateway.outage = False
        for body in bodies:
            seed_good_answers(gateway, body)
        gateway.answers = [(404, b"{}", 0.2)] * 6  # slow answers, so both schedulers are busy at once
        api.set_clock("2025-06-05T10:05:00+05:00")
        schedulers = [first.extensions["licensing"].engine, second.extensions["licensing"].engine]
        start = threading.Barrier(2)

        def run(engine: Any) -> None:
            start.wait()
            engine.operator.retry_due_incidents()

        threads = [threading.Thread(target=run, args=(engine,)) for engine in schedulers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert incidents(api) == []
        assert len(incidents(api, status="resolved")) == 4
        for app in apps:
            completed = [e["element"] for e in events(api, app["instance_id"], "element_completed")]
            for element in ("check_business_registry_task", "check_bans_task", "check_fee_task",
                            "check_completeness_task"):
                assert completed.count(element) == 1, (element, completed)
            assert len(events(api, app["instance_id"], "incident_resolved")) == 1
            assert [t["element"] for t in api.tasks(app["id"])] == ["completeness_check"]
    finally:
        first.extensions["licensing"].wiring.db.dispose()
        second.extensions["licensing"].wiring.db.dispose()


def test_the_officer_sees_the_held_application_and_the_administrator_retries_or_resolves_it(simulated_api, gateway):
    api = simulated_api
    app_under_test = api.client.application
    api.set_clock("2025-06-05T10:00:00+05:00")
    gateway.outage = True
    held = api.submit(issue_body(api)).get_json()
    other = api.submit(issue_body(api)).get_json()
    first, second = sorted(incidents(api), key=lambda i: i["instance_id"] != held["instance_id"])

    officer = Browser(app_under_test)
    officer.login("officer")
    page = officer.get("/tasks").data.decode()
    assert "Заявления, остановленные инцидентом" in page and "Законные сроки продолжают течь" in page
    assert held["number"] in page and other["number"] in page
    assert "27 июн. 2025\u202fг., 18:30" in page  # the total term A3.4 still counts, shown in local time

    admin = Browser(app_under_test)
    admin.login("admin")
    page = admin.get("/admin/incidents").data.decode()
    assert f'id="incident-{first["id"]}"' in page and "503" in page

    gateway.outage = False
    r = admin.post(f"/admin/incidents/{first['id']}/retry", {}, page=page)
    assert r.status_code == 302
    assert [t["element"] for t in api.tasks(held["id"])] == ["completeness_check"]

    page = admin.get("/admin/incidents").data.decode()
    r = admin.post(f"/admin/incidents/{second['id']}/resolve", {"resolution": "withdrawn by phone"}, page=page)
    assert r.status_code == 302
    [resolved] = [i for i in incidents(api, status="resolved") if i["id"] == second["id"]]
    assert resolved["resolution"] == "withdrawn by phone" and resolved["resolved_by"] == "admin"
    assert officer.get("/tasks").data.decode().count("Заявления, остановленные инцидентом") == 0
    auditor = Browser(app_under_test)
    auditor.login("auditor")
    record = auditor.get(f"/audit/instances/{second['instance_id']}").data.decode()
    assert 'data-status="resolved">закрыт<' in record  # an incident is masculine in Russian
