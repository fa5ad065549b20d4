"""The e-government gateway: the simulation's defaults, seeds and seed validation (CONTRACT: admin/gateway); the
breaker of the HTTP adapter; no silent simulation when the real clock has no gateway URL (CONTRACT §1)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from click.testing import CliRunner

from engine.errors import IntegrationFailure
from engine.gateway import (
    REGISTRIES,
    Ban,
    Gateway,
    Payment,
    RegistryRecord,
    SimulatedGateway,
    UnconfiguredGateway,
    validate_seed,
)
from engine.gateway.http import CircuitBreaker
from web.cli import main

BIN = "230540012345"


class FakeSeedStore:
    def __init__(self, seeds: dict[tuple[str, str], dict[str, Any]] | None = None) -> None:
        self.seeds = seeds or {}

    def get(self, registry: str, bin_iin: str) -> dict[str, Any] | None:
        return self.seeds.get((registry, bin_iin))


def test_unseeded_gateway_gives_the_contract_defaults() -> None:
    gateway: Gateway = SimulatedGateway(FakeSeedStore())
    assert gateway.business_registry(BIN) is None
    assert gateway.payments(BIN) == [] and gateway.court_bans(BIN) == [] and gateway.bailiff_bans(BIN) == []


def test_seeded_answers_are_parsed_into_records_with_aware_moments() -> None:
    store = FakeSeedStore({
        ("payments", BIN): {"payments": [
            {"purpose": "licence_fee", "amount_kzt": 18460, "paid_at": "2024-05-02T10:00:00+05:00",
             "reference": "B"},
            {"purpose": "reissue_fee", "amount_kzt": 1846, "paid_at": "2024-05-01T10:00:00Z",
             "reference": "A"}]},
        ("business_registry", BIN): {"registered": True, "name": "Qazaq Hash", "kind": "legal_entity"},
        ("court_bans", BIN): {"bans": [{"decision": "2-1", "in_force_from": "2025-01-01T00:00:00+05:00",
                                        "until": None}]},
        ("bailiff_bans", BIN): {"bans": [{"decision": "IP-2", "in_force_from": "2025-01-01T00:00:00+05:00",
                                          "until": "2025-02-01T00:00:00+05:00"}]},
    })
    gateway = SimulatedGateway(store)
    payments = gateway.payments(BIN)
    assert [p.reference for p in payments] == ["A", "B"]  # oldest first
    assert isinstance(payments[0], Payment) and payments[0].paid_at.utcoffset() is not None
    assert gateway.business_registry(BIN) == RegistryRecord(True, "Qazaq Hash", "legal_entity")
    court, = gateway.court_bans(BIN)
    assert isinstance(court, Ban) and court.until is None
    bailiff, = gateway.bailiff_bans(BIN)
    assert bailiff.until == datetime.fromisoformat("2025-02-01T00:00:00+05:00")
    assert gateway.payments("000000000000") == []


def test_registries_are_the_contracts_four() -> None:
    assert REGISTRIES == ("payments", "business_registry", "court_bans", "bailiff_bans")


@pytest.mark.parametrize(("registry", "body"), [
    ("payments", {"payments": []}),
    ("payments", {"payments": [{"purpose": "licence_fee", "amount_kzt": 7384000,
                                "paid_at": "2024-05-02T10:00:00+05:00", "reference": "KZ-1"}]}),
    ("business_registry", {"registered": True, "name": "Qazaq Hash", "kind": "entrepreneur"}),
    ("business_registry", {"registered": False}),
    ("court_bans", {"bans": [{"decision": "2-1", "in_force_from": "2025-01-01T00:00:00+05:00",
                              "until": None}]}),
    ("bailiff_bans", {"bans": [{"decision": "IP", "in_force_from": "2025-01-01T00:00:00Z",
                                "until": "2025-06-01T00:00:00Z"}]}),
])
def test_valid_seeds(registry: str, body: dict[str, Any]) -> None:
    assert validate_seed(registry, body) == []


@pytest.mark.parametrize(("registry", "body", "fields"), [
    ("payments", {}, ["payments"]),
    ("payments", {"payments": [{"purpose": "tax", "amount_kzt": "100", "paid_at": "2024-05-02T10:00:00",
                                "reference": ""}]},
     ["payments.0.purpose", "payments.0.amount_kzt", "payments.0.paid_at", "payments.0.reference"]),
    ("payments", {"payments": [{"purpose": "licence_fee", "amount_kzt": True, "paid_at": "yesterday",
                                "reference": "R", "extra": 1}]},
     ["payments.0.extra", "payments.0.amount_kzt", "payments.0.paid_at"]),
    ("payments", {"payments": ["x"]}, ["payments.0"]),
    ("business_registry", {"registered": "yes"}, ["registered", "name", "kind"]),
    ("business_registry", {"registered": True, "name": " ", "kind": "company"}, ["name", "kind"]),
    ("court_bans", {"bans": [{"decision": "", "in_force_from": None}]},
     ["bans.0.decision", "bans.0.in_force_from"]),
    ("bailiff_bans", {"bans": [{"decision": "d", "in_force_from": "2025-01-01T00:00:00+05:00",
                                "until": "2024-01-01T00:00:00+05:00"}]}, ["bans.0.until"]),
    ("bailiff_bans", {"bans": [{"decision": "d", "in_force_from": "2025-01-01T00:00:00+05:00",
                                "until": "2026-01-01"}]}, ["bans.0.until"]),
    ("court_bans", [], [""]),
    ("tax_debts", {}, ["registry"]),
])
def test_invalid_seeds_name_their_fields(registry: str, body: Any, fields: list[str]) -> None:
    problems = validate_seed(registry, body)
    assert [field for field, _ in problems] == fields
    assert all(message for _, message in problems)


def test_without_a_configured_gateway_every_call_fails_loudly_instead_of_answering_nothing() -> None:
    gateway: Gateway = UnconfiguredGateway()
    for ask in (gateway.payments, gateway.business_registry, gateway.court_bans, gateway.bailiff_bans):
        with pytest.raises(IntegrationFailure) as failure:
            ask(BIN)
        assert "LICENSING_GATEWAY_URL" in str(failure.value) and failure.value.transient is False


def test_the_breaker_opens_after_n_failures_and_lets_one_trial_through_after_the_cool_down() -> None:
    now = [100.0]
    breaker = CircuitBreaker(failures=2, cooldown_seconds=10, monotonic=lambda: now[0])
    breaker.failed()
    assert breaker.state == "closed" and breaker.allow()
    breaker.failed()
    assert breaker.state == "open" and not breaker.allow()
    now[0] = 110.0
    assert breaker.state == "half_open"
    assert breaker.allow() and not breaker.allow()  # one trial at a time
    breaker.succeeded()
    assert breaker.state == "closed" and breaker.allow()


@pytest.mark.parametrize("command", [["serve", "--port", "5999"], ["scheduler"]])
def test_serve_and_scheduler_refuse_the_real_clock_without_a_gateway_url(command: list[str], monkeypatch, tmp_path):
    for name in ("LICENSING_GATEWAY_URL", "LICENSING_CLOCK", "LICENSING_DEMO"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LICENSING_KEYS_DIR", str(tmp_path / "keys"))

    def started(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("it started")

    monkeypatch.setattr("werkzeug.serving.run_simple", started)
    monkeypatch.setattr("web.scheduler.run_blocking", started)
    result = CliRunner().invoke(main, [*command, "--database-url", f"sqlite:///{tmp_path / 'x.db'}"])
    assert result.exit_code != 0
    assert "LICENSING_GATEWAY_URL" in result.output
    assert not (tmp_path / "x.db").exists()  # refused before touching the database
