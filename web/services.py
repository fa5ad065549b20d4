"""What the web app holds for its lifetime: the engine and the domain services, built once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy.orm import sessionmaker

from engine.accounts import Accounts
from engine.bootstrap import Wiring, build_engine, make_db_engine
from engine.clock import Clock, SystemClock
from engine.clock_ledger import LedgerClock


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
    from engine.licensing.service import build_licensing

    licensing, ports = build_licensing(clock=clock, keys_dir=Path(config["KEYS_DIR"]))
    wiring = build_engine(db, clock=clock, ports=ports)
    licensing.bind(wiring)
    accounts = Accounts(wiring.engine.session_factory, clock)
    return Services(wiring=wiring, accounts=accounts, licensing=licensing, clock=clock, config=config)


def services() -> Services:
    return current_app.extensions["licensing"]  # type: ignore[no-any-return]
