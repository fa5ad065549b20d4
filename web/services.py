"""What the web app holds for its lifetime: the engine and the domain services, built once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import current_app

from engine.accounts import Accounts
from engine.bootstrap import Wiring, build_engine, make_db_engine
from engine.clock import Clock, SimulatedClock, SystemClock


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
    clock: Clock = SimulatedClock(datetime.now(UTC)) if config["CLOCK"] == "simulated" else SystemClock()
    db = make_db_engine(config["DATABASE_URL"])
    from engine.licensing.service import build_licensing

    licensing, ports = build_licensing(clock=clock, keys_dir=Path(config["KEYS_DIR"]))
    wiring = build_engine(db, clock=clock, ports=ports)
    licensing.bind(wiring)
    accounts = Accounts(wiring.engine.session_factory, clock)
    return Services(wiring=wiring, accounts=accounts, licensing=licensing, clock=clock, config=config)


def services() -> Services:
    return current_app.extensions["licensing"]  # type: ignore[no-any-return]
