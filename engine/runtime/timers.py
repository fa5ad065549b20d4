"""Firing due timers across instances: one transaction per instance, due order, exactly once.

The timer table is the source of truth. Each instance is locked while its timers fire (on PostgreSQL
``FOR UPDATE SKIP LOCKED``, so a second scheduler moves on to other instances instead of waiting);
SpiffWorkflow's own state then guarantees a timer that has fired cannot fire again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from engine.errors import EngineError
from engine.runtime.instances import Runtime
from engine.store.tables import ProcessInstance, Timer

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FiredTimer:
    instance_id: str
    element: str
    clause: str
    due_at: datetime
    fired_at: datetime

    def as_dict(self) -> dict[str, str]:
        from engine import legal_time

        return {"instance_id": self.instance_id, "element": self.element, "clause": self.clause,
                "due_at": legal_time.iso(self.due_at)}


def next_due(session: Session) -> datetime | None:
    return session.scalar(
        select(Timer.due_at).where(Timer.fired_at.is_(None), Timer.cancelled_at.is_(None))
        .order_by(Timer.due_at).limit(1)
    )


def due_instance_ids(session: Session, now: datetime, limit: int) -> list[str]:
    rows = session.execute(
        select(Timer.instance_id, Timer.due_at)
        .where(Timer.fired_at.is_(None), Timer.cancelled_at.is_(None), Timer.due_at < now)
        .order_by(Timer.due_at, Timer.id)
        .limit(limit)
    ).all()
    seen: dict[str, None] = {}
    for instance_id, _ in rows:
        seen.setdefault(instance_id, None)
    return list(seen)


def fire_due(
    session_factory: Callable[[], Session],
    runtime: Runtime,
    *,
    batch: int = 200,
    max_batches: int = 1000,
) -> list[FiredTimer]:
    """Fire every timer due before the runtime's clock, earliest first; returns what fired."""
    fired: list[FiredTimer] = []
    skipped: set[str] = set()
    for _ in range(max_batches):
        now = runtime.clock.now()
        with session_factory() as session:
            ids = [i for i in due_instance_ids(session, now, batch + len(skipped)) if i not in skipped]
        if not ids:
            break
        for instance_id in ids:
            try:
                fired += _fire_one(session_factory, runtime, instance_id)
            except (StaleDataError, OperationalError) as exc:
                log.info("timers of %s are being fired elsewhere: %s", instance_id, exc)
                skipped.add(instance_id)
            except EngineError as exc:
                log.error("timers of %s could not fire: %s", instance_id, exc)
                skipped.add(instance_id)
                _record_failure(session_factory, runtime, instance_id, str(exc))
    return fired


def _fire_one(session_factory: Callable[[], Session], runtime: Runtime, instance_id: str) -> list[FiredTimer]:
    with session_factory() as session, session.begin():
        if session.get_bind().dialect.name == "postgresql":
            locked = session.scalars(
                select(ProcessInstance.id).where(ProcessInstance.id == instance_id)
                .with_for_update(skip_locked=True)
            ).first()
            if locked is None:
                return []
        rows = runtime.fire_timers(session, instance_id)
        return [FiredTimer(r.instance_id, r.element, r.clause, r.due_at, r.fired_at or r.due_at) for r in rows]


def _record_failure(
    session_factory: Callable[[], Session], runtime: Runtime, instance_id: str, message: str
) -> None:
    """A diagram that fails on a timer is parked as failed (with the error) instead of retried forever."""
    from engine import audit

    now = runtime.clock.now()
    with session_factory() as session, session.begin():
        instance = session.get(ProcessInstance, instance_id)
        if instance is None:
            return
        instance.last_error = message
        instance.status = "failed"
        for row in session.scalars(select(Timer).where(Timer.instance_id == instance_id,
                                                       Timer.fired_at.is_(None), Timer.cancelled_at.is_(None))):
            row.cancelled_at = now
        audit.append(session, at=now, actor="scheduler", kind="instance_failed", instance_id=instance_id,
                     data={"error": message})
