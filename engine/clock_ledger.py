"""The simulated clock kept in the database, so every worker reads one moment and a restart keeps it.

``--clock simulated`` serves the app with this clock: ``now()`` reads the one ledger row and
``set()`` moves it under a row lock. The plain :class:`engine.clock.SimulatedClock` stays for engine
tests and tools that run in one process.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from engine.errors import Conflict, InvalidInput
from engine.legal_time import TZ
from engine.store.tables import ClockLedger
from engine.transactions import SessionFactory, reading, transaction

LEDGER_ID = 1
YEARS = range(2023, 2101)  # local calendar years: the Rules took effect in 2023; the calendar data end by 2100


def check_moment(moment: datetime, *, field: str = "now") -> datetime:
    """The moment in UTC, or InvalidInput when it has no offset or lies outside 2023–2100."""
    if moment.tzinfo is None:
        raise InvalidInput("the moment needs a time zone offset", field=field)
    try:
        utc = moment.astimezone(UTC)
        year = moment.astimezone(TZ).year
    except (OverflowError, ValueError):
        raise InvalidInput("the moment is outside the years the system handles (2023–2100)", field=field) from None
    if year not in YEARS:
        raise InvalidInput("the simulated clock accepts moments from 2023 to 2100 only", field=field)
    return utc


class LedgerClock:
    """A simulated clock whose moment is a database row shared by every process."""

    simulated = True

    def __init__(self, session_factory: SessionFactory, *, start: datetime) -> None:
        self.session_factory = session_factory
        self.start = check_moment(start)  # the moment of a database that has no ledger row yet

    def now(self) -> datetime:
        with reading(self.session_factory) as session:
            moment = session.scalar(select(ClockLedger.now).where(ClockLedger.id == LEDGER_ID))
        if moment is None:
            try:
                with transaction(self.session_factory) as session:
                    session.add(ClockLedger(id=LEDGER_ID, now=self.start, updated_at=datetime.now(UTC),
                                            updated_by="system"))
            except Conflict:
                pass  # another worker created it first
            return self.now()
        return moment

    def set(self, moment: datetime, *, actor: str = "system", forward_only: bool = False) -> None:
        target = check_moment(moment)
        with transaction(self.session_factory) as session:
            query = select(ClockLedger).where(ClockLedger.id == LEDGER_ID)
            if session.get_bind().dialect.name == "postgresql":
                query = query.with_for_update()
            row = session.scalars(query).first()
            if row is None:
                session.add(ClockLedger(id=LEDGER_ID, now=target, updated_at=datetime.now(UTC), updated_by=actor))
                return
            if forward_only and target < row.now:
                raise Conflict("the simulated clock only moves forward once process instances exist")
            row.now, row.updated_at, row.updated_by = target, datetime.now(UTC), actor
