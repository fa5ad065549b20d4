"""What the web app holds for its lifetime: the engine and the domain services, built once."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker

from engine import (
    Accounts,
    AuditSeal,
    Clock,
    GatewaySettings,
    HttpGatewayClient,
    LedgerClock,
    SystemClock,
    Wiring,
    build_engine,
    build_licensing,
    make_db_engine,
    seal_for,
)


@dataclass
class Services:
    wiring: Wiring
    accounts: Accounts
    licensing: Any
    clock: Clock
    config: dict[str, Any]

    @property
    def engine(self):  # type: ignore[no-untyped-def]
        return self.wiring.engine


def build(config: dict[str, Any]) -> Services:
    db = make_db_engine(config["DATABASE_URL"])
    clock: Clock = SystemClock()
    if config["CLOCK"] == "simulated":
        # one moment for every worker and across restarts: a row of the database (created at first start)
        clock = LedgerClock(sessionmaker(bind=db, expire_on_commit=False), start=datetime.now(UTC))
    licensing, ports = build_licensing(clock=clock, keys_dir=Path(config["KEYS_DIR"]), gateway=gateway_client(config),
                                       simulated_gateway=config["CLOCK"] == "simulated" or bool(config["DEMO"]),
                                       trust_demo=config["CLOCK"] == "simulated" or bool(config["DEMO"]),
                                       trust_roots=tuple(Path(p) for p in config["TRUST_ROOTS"].split(os.pathsep) if p),
                                       signer_position=config["SIGNER_POSITION"],
                                       verify_base_url=config["PUBLIC_BASE_URL"])
    wiring = build_engine(db, clock=clock, ports=ports, audit_seal=audit_seal(config),
                          resident_workflows=int(config["RESIDENT_WORKFLOWS"]))
    licensing.bind(wiring)
    accounts = Accounts(wiring.engine.session_factory, clock, demo_logins=bool(config["DEMO"]))
    return Services(wiring=wiring, accounts=accounts, licensing=licensing, clock=clock, config=config)


def gateway_client(config: dict[str, Any]) -> HttpGatewayClient | None:
    """The HTTP gateway client when LICENSING_GATEWAY_URL is set (it wins over the simulation)."""
    if not config.get("GATEWAY_URL"):
        return None
    return HttpGatewayClient(GatewaySettings(
        url=config["GATEWAY_URL"], timeout_seconds=float(config["GATEWAY_TIMEOUT_SECONDS"]),
        attempts=int(config["GATEWAY_ATTEMPTS"]), backoff_seconds=int(config["GATEWAY_BACKOFF_MS"]) / 1000,
        breaker_failures=int(config["GATEWAY_BREAKER_FAILURES"]),
        breaker_cooldown_seconds=float(config["GATEWAY_BREAKER_COOLDOWN_SECONDS"]),
        bearer_token=config.get("GATEWAY_TOKEN"), client_cert=config.get("GATEWAY_CLIENT_CERT"),
        client_key=config.get("GATEWAY_CLIENT_KEY"), ca_bundle=config.get("GATEWAY_CA_BUNDLE")))


def services() -> Services:
    return current_app.extensions["licensing"]  # type: ignore[no-any-return]


def audit_seal(config: dict[str, Any]) -> AuditSeal:
    """The audit log's key (KEYS_DIR/audit-hmac.key) and its checkpoint file: the setting, or one per
    database under KEYS_DIR (so test and demo databases sharing a key folder never mix their anchors)."""
    keys_dir = Path(config["KEYS_DIR"])
    checkpoints = config.get("AUDIT_CHECKPOINTS_FILE")
    if not checkpoints:
        url = make_url(config["DATABASE_URL"]).render_as_string(hide_password=True)
        checkpoints = keys_dir / f"audit-checkpoints-{hashlib.sha256(url.encode()).hexdigest()[:12]}.jsonl"
    return seal_for(keys_dir, checkpoints=Path(checkpoints),
                    interval_seconds=60 * float(config.get("AUDIT_CHECKPOINT_MINUTES") or 15))
