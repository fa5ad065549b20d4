"""The gateway over HTTP against a stand-in gateway on a real socket (CONTRACT.md §3)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from engine.errors import IntegrationFailure
from engine.gateway import Ban, GatewaySettings, HttpGateway, HttpGatewayClient, Payment, RegistryRecord
from tests.integration.standins import StandInGateway, running

BIN = "150540012345"
ALMATY = timezone(timedelta(hours=5))


class FakeMonotonic:
    """The breaker's cool-down is operational time; the test moves it by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def gateway() -> Iterator[StandInGateway]:
    with running(StandInGateway()) as server:
        yield server


def client_for(url: str, *, waits: list[float] | None = None, monotonic: Any = None,
               **settings: Any) -> HttpGatewayClient:
    options: dict[str, Any] = {"timeout_seconds": 1.0, "attempts": 3, "backoff_seconds": 0.2,
                               "breaker_failures": 5, "breaker_cooldown_seconds": 30.0, **settings}
    sleep = waits.append if waits is not None else (lambda seconds: None)
    extra = {"monotonic": monotonic} if monotonic is not None else {}
    return HttpGatewayClient(GatewaySettings(url=url, **options), sleep=sleep, **extra)


def test_records_come_back_in_the_contracts_shape_and_each_call_is_recorded(gateway):
    gateway.records[("payments", BIN)] = {"payments": [
        {"purpose": "licence_fee", "amount_kzt": 7_384_000, "paid_at": "2025-03-18T10:00:00+05:00",
         "reference": "KZ-1"}]}
    gateway.records[("business_registry", BIN)] = {"registered": True, "name": "ТОО Альфа", "kind": "legal_entity"}
    gateway.records[("court_bans", BIN)] = {"bans": [
        {"decision": "Решение суда № 2-15", "in_force_from": "2025-01-10T00:00:00+05:00", "until": None}]}
    recorded: list[dict[str, Any]] = []
    adapter = HttpGateway(client_for(gateway.url, bearer_token="s3cret"), record=recorded.append)

    assert adapter.payments(BIN) == [Payment("licence_fee", 7_384_000, datetime(2025, 3, 18, 10, tzinfo=ALMATY),
                                             "KZ-1")]
    assert adapter.business_registry(BIN) == RegistryRecord(True, "ТОО Альфа", "legal_entity")
    assert adapter.court_bans(BIN) == [Ban("Решение суда № 2-15", datetime(2025, 1, 10, tzinfo=ALMATY), None)]

    assert gateway.paths() == [f"/payments/{BIN}", f"/business_registry/{BIN}", f"/court_bans/{BIN}"]
    assert gateway.requests[0]["headers"]["Authorization"] == "Bearer s3cret"
    assert [(r["registry"], r["bin_iin"], r["status"], r["outcome"]) for r in recorded] == [
        ("payments", BIN, 200, "ok"), ("business_registry", BIN, 200, "ok"), ("court_bans", BIN, 200, "ok")]
    assert all(isinstance(r["duration_ms"], int) for r in recorded)
    assert set(recorded[0]) == {"registry", "bin_iin", "attempt", "outcome", "status", "duration_ms"}


def test_404_is_no_record_which_is_the_registrys_default(gateway):
    adapter = HttpGateway(client_for(gateway.url))
    assert adapter.business_registry(BIN) is None
    assert adapter.payments(BIN) == []
    assert adapter.court_bans(BIN) == []
    assert adapter.bailiff_bans(BIN) == []


def test_a_5xx_is_retried_with_growing_waits_and_then_fails_as_transient(gateway):
    gateway.outage = True
    waits: list[float] = []
    adapter = HttpGateway(client_for(gateway.url, waits=waits))
    with pytest.raises(IntegrationFailure) as failure:
        adapter.payments(BIN)
    assert failure.value.transient is True
    assert "503" in str(failure.value)
    assert len(gateway.requests) == 3
    assert waits == [0.2, 0.4]
    assert [e["status"] for e in failure.value.exchanges] == [503, 503, 503]


def test_a_passing_5xx_is_absorbed_by_the_retry(gateway):
    gateway.answers = [(502, b"bad gateway", 0.0)]
    gateway.records[("bailiff_bans", BIN)] = {"bans": []}
    assert HttpGateway(client_for(gateway.url)).bailiff_bans(BIN) == []
    assert len(gateway.requests) == 2


def test_no_answer_in_time_is_a_transient_failure_and_a_slow_answer_in_time_is_fine(gateway):
    gateway.answers = [(200, b'{"bans": []}', 0.6)] * 2
    client = client_for(gateway.url, timeout_seconds=0.2, attempts=2)
    with pytest.raises(IntegrationFailure) as failure:
        HttpGateway(client).court_bans(BIN)
    assert failure.value.transient is True and "no answer in time" in str(failure.value)
    assert [e["outcome"] for e in failure.value.exchanges] == ["timeout", "timeout"]

    gateway.answers = [(200, b'{"bans": []}', 0.3)]
    assert HttpGateway(client_for(gateway.url, timeout_seconds=2.0)).court_bans(BIN) == []


@pytest.mark.parametrize(("status", "body", "says"), [
    (200, b"<html>not json</html>", "not JSON"),
    (200, b'{"payments": [{"purpose": "licence_fee", "amount_kzt": "a lot"}]}', "contract's shape"),
    (200, b'{"nothing": []}', "contract's shape"),
    (200, b"[]", "contract's shape"),
    (401, b'{"error": "who are you"}', "unexpected answer 401"),
])
def test_a_wrong_answer_fails_at_once_and_waits_for_a_person(gateway, status, body, says):
    gateway.answers = [(status, body, 0.0)]
    with pytest.raises(IntegrationFailure) as failure:
        HttpGateway(client_for(gateway.url)).payments(BIN)
    assert failure.value.transient is False
    assert says in str(failure.value)
    assert len(gateway.requests) == 1  # not retried: asking again gives the same wrong answer


def test_unknown_extra_fields_of_a_newer_gateway_are_ignored(gateway):
    gateway.records[("business_registry", BIN)] = {"registered": False, "checked_by": "bridge v2"}
    assert HttpGateway(client_for(gateway.url)).business_registry(BIN) == RegistryRecord(False, None, None)


def test_an_unreachable_gateway_is_a_transient_failure():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(IntegrationFailure) as failure:
        HttpGateway(client_for(f"http://127.0.0.1:{port}")).payments(BIN)
    assert failure.value.transient is True and "cannot be reached" in str(failure.value)


def test_the_breaker_opens_after_repeated_failures_and_closes_after_a_good_trial(gateway):
    clock = FakeMonotonic()
    client = client_for(gateway.url, attempts=1, breaker_failures=3, breaker_cooldown_seconds=30, monotonic=clock)
    gateway.outage = True
    for _ in range(3):
        with pytest.raises(IntegrationFailure):
            HttpGateway(client).payments(BIN)
    assert client.breaker.state == "open"

    with pytest.raises(IntegrationFailure) as failure:
        HttpGateway(client).payments(BIN)
    assert "circuit breaker open" in str(failure.value) and failure.value.transient is True
    assert len(gateway.requests) == 3  # the open breaker did not ask

    clock.now += 31
    assert client.breaker.state == "half_open"
    with pytest.raises(IntegrationFailure):  # the trial call fails: open again for another cool-down
        HttpGateway(client).payments(BIN)
    assert client.breaker.state == "open" and len(gateway.requests) == 4

    clock.now += 31
    gateway.outage = False
    assert HttpGateway(client).payments(BIN) == []
    assert client.breaker.state == "closed"
    assert HttpGateway(client).court_bans(BIN) == []
    assert len(gateway.requests) == 6
