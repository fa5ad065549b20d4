"""The engine's one source of "now".

Nothing in engine/ reads the wall clock directly: every component asks the injected clock. The
simulated clock stands still until it is set, so deadlines can be tested to the second.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Protocol, runtime_checkable


class Clock(Protocol):
    """Anything that can tell the current moment as an aware UTC datetime."""

    simulated: bool

    def now(self) -> datetime: ...


@runtime_checkable
class SettableClock(Protocol):
    """A simulated clock that can be moved (the in-memory one, or the database ledger)."""

    simulated: bool

    def now(self) -> datetime: ...

    def set(self, moment: datetime, *, actor: str = "system", forward_only: bool = False) -> None: ...


class SystemClock:
    """The wall clock."""

    simulated = False

    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """One moment that does not move: a simulated clock as one step sees it."""

    simulated = True

    def __init__(self, moment: datetime) -> None:
        self._moment = moment

    def now(self) -> datetime:
        return self._moment


def for_step(clock: Clock, moment: datetime) -> Clock:
    """The clock a step's diagram, scripts and timers read. A simulated clock only moves when someone sets
    it, never in the middle of a step, so its moment is read once per step (the database ledger's ``now()``
    is a query); the wall clock goes on."""
    return FixedClock(moment) if clock.simulated else clock


class SimulatedClock:
    """A clock that only moves when told to (``--clock simulated``)."""

    simulated = True

    def __init__(self, start: datetime | None = None) -> None:
        self._now = (start or datetime.now(UTC)).astimezone(UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def set(self, moment: datetime, *, actor: str = "system", forward_only: bool = False) -> None:
        if moment.tzinfo is None:
            raise ValueError("the simulated clock needs a moment with a time zone offset")
        with self._lock:
            if forward_only and moment < self._now:
                raise ValueError("the simulated clock only moves forward")
            self._now = moment.astimezone(UTC)
