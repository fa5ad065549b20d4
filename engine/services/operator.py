"""The operators' use cases: the scheduler's passes (due timers, continuations, incident retries), the
simulated clock, the monitoring feed (R18) read by cursor, and the figures the metrics endpoint exports."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from engine import audit
from engine.clock import SettableClock
from engine.clock_ledger import check_moment
from engine.errors import Conflict, NotFound
from engine.runtime import incidents
from engine.runtime.step import FiredTimer
from engine.runtime.timers import fire_due, next_due, with_continuations
from engine.services.auditor import feed_event
from engine.services.parts import EngineParts
from engine.store.tables import HumanTask, OutboxEvent, ProcessInstance, Timer
from engine.transactions import reading, transaction

log = logging.getLogger(__name__)


class OperatorService:
    def __init__(self, parts: EngineParts) -> None:
        self._parts = parts
        self._sf = parts.session_factory

    def fire_due_timers(self) -> list[FiredTimer]:
        fired = fire_due(self._sf, self._parts.runtime)
        for instance_id in with_continuations(self._sf, list(dict.fromkeys(f.instance_id for f in fired))):
            incidents.run_pending(self._sf, self._parts.runtime, instance_id=instance_id, actor="scheduler")
        return fired

    def next_timer_due(self) -> datetime | None:
        with reading(self._sf) as session:
            return next_due(session)

    def run_continuations(self, *, instance_id: str | None = None, actor: str = "system") -> list[Any]:
        return incidents.run_pending(self._sf, self._parts.runtime, instance_id=instance_id, actor=actor)

    def checkpoint_audit(self) -> bool:
        """The scheduler's pass: every audit chain's head signed into the checkpoint file, once an interval."""
        with reading(self._sf) as session:
            return audit.checkpoint_every_chain(session)

    def retry_due_incidents(self) -> list[Any]:
        """The scheduler's pass: transient incidents whose backoff ran out, and continuations not yet run."""
        return incidents.retry_due(self._sf, self._parts.runtime)

    def set_clock(self, target: datetime, *, actor: str = "system") -> list[FiredTimer]:
        """Move the simulated clock, firing every timer due on the way, in due order.

        Any moment from 2023 to 2100 while no process instance exists; after that only forward.
        """
        clock = self._parts.clock
        if not clock.simulated or not isinstance(clock, SettableClock):
            raise NotFound("the clock is not simulated")
        target = check_moment(target)
        with reading(self._sf) as session:
            has_instances = session.scalar(select(ProcessInstance.id).limit(1)) is not None
        if target < clock.now() and has_instances:
            raise Conflict("the simulated clock only moves forward once process instances exist")
        if not has_instances:
            clock.set(target, actor=actor)
        fired: list[FiredTimer] = []
        while True:
            due = self.next_timer_due()
            if due is None or due >= target:
                break
            step_to = min(due + timedelta(seconds=1), target)
            if step_to > clock.now():
                clock.set(step_to, actor=actor, forward_only=True)
            batch = self.fire_due_timers()
            fired += batch
            if not batch and step_to >= target:
                break
            if not batch and due < clock.now():
                # a due timer that could not fire (failed instance) must not stall the clock
                self._skip_stuck(due)
        clock.set(target, actor=actor, forward_only=has_instances)
        fired += self.fire_due_timers()
        with transaction(self._sf) as session:
            audit.append(session, at=target, actor=actor, kind="clock_set",
                         data={"now": target.isoformat(), "fired": len(fired)})
        return fired

    def _skip_stuck(self, due: datetime) -> None:
        log.warning("a timer due at %s did not fire; its instance was parked", due)
        with transaction(self._sf) as session:
            for row in session.scalars(select(Timer).where(Timer.due_at == due, Timer.fired_at.is_(None),
                                                           Timer.cancelled_at.is_(None))):
                row.cancelled_at = self._parts.clock.now()

    def monitoring_feed(self, *, after: int = 0, limit: int = 100) -> list[dict[str, Any]]:
        with reading(self._sf) as session:
            rows = session.scalars(select(OutboxEvent).where(OutboxEvent.id > after)
                                   .order_by(OutboxEvent.id).limit(limit))
            return [feed_event(r) for r in rows]

    def gauges(self) -> dict[str, int]:
        """Open and overdue tasks, pending and late timers, timers fired: what /metrics exports."""
        now = self._parts.clock.now()
        pending = (Timer.fired_at.is_(None), Timer.cancelled_at.is_(None))
        with reading(self._sf) as session:
            def count(*where: Any) -> int:
                return session.scalar(select(func.count()).where(*where)) or 0

            return {"tasks_open": count(HumanTask.status == "open"),
                    "tasks_overdue": count(HumanTask.status == "open", HumanTask.due_at < now),
                    "timers_pending": count(*pending),
                    "timers_late": count(*pending, Timer.due_at < now),
                    "timers_fired": count(Timer.fired_at.is_not(None))}

    def database_answers(self) -> bool:
        """Does the database answer a trivial query (the liveness check)?"""
        try:
            with reading(self._sf) as session:
                session.execute(select(1))
        except Exception:  # any failure to answer is the answer
            return False
        return True


