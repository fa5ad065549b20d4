"""Make SpiffWorkflow's timers read the engine clock instead of the wall clock.

SpiffWorkflow's timer event definitions call ``datetime.now(timezone.utc)`` themselves. The module's
``datetime`` name is replaced, once, by a subclass whose ``now`` answers the clock bound to the current
context (a ContextVar, so concurrent steps on different clocks never mix).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from datetime import UTC, datetime

from SpiffWorkflow.bpmn.specs.event_definitions import timer as spiff_timer

from engine.clock import Clock

_current: ContextVar[Clock | None] = ContextVar("engine_clock", default=None)


class _EngineDatetime(datetime):
    @classmethod
    def now(cls, tz=None):  # type: ignore[override]
        clock = _current.get()
        moment = clock.now() if clock is not None else datetime.now(UTC)
        return moment.astimezone(tz) if tz is not None else moment.astimezone().replace(tzinfo=None)


def install() -> None:
    """Point SpiffWorkflow's timer module at the engine clock (idempotent)."""
    if spiff_timer.datetime is not _EngineDatetime:
        spiff_timer.datetime = _EngineDatetime  # type: ignore[misc]


@contextlib.contextmanager
def using(clock: Clock) -> Iterator[None]:
    """Run the block with SpiffWorkflow's timers reading ``clock``."""
    install()
    token = _current.set(clock)
    try:
        yield
    finally:
        _current.reset(token)
