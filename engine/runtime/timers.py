"""Firing due timers across instances: in batches, due order, exactly once.

The timer table is the source of truth. A batch is one transaction (the project's ``transaction()`` unit
of work): it claims up to ``batch`` instances with a due timer, earliest due first — on PostgreSQL with
``SELECT … FOR UPDATE SKIP LOCKED`` on their ``process_instance`` rows, so a second scheduler claims other
instances instead of waiting — and fires the claimed instances' timers, written by one flush. If one of
them fails, the batch is fired again with a savepoint per instance: the failing instance is rolled back
to its savepoint alone (the others of the batch commit) and is parked as failed afterwards.
SpiffWorkflow's own state, restored under the row lock, guarantees that a timer which has fired cannot fire
again, even when a claim saw a timer row another scheduler had just fired.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from engine import audit
from engine.errors import EngineError
from engine.runtime.instances import Runtime
from engine.runtime.step import FiredTimer, forget_open_tasks, preload_open_tasks
from engine.store.tables import Continuation, ProcessInstance, Timer
from engine.transactions import reading, transaction

log = logging.getLogger(__name__)

# instances per transaction: long enough to pay for the claim and the commit (10 000 due timers, two schedulers:
# 11.3 s in batches of 50, 10.8 s of 150), short enough not to hold their locks long (about 0.3 s for 150)
BATCH = 150


def next_due(session: Session) -> datetime | None:
    return session.scalar(
        select(Timer.due_at).where(Timer.fired_at.is_(None), Timer.cancelled_at.is_(None))
        .order_by(Timer.due_at).limit(1)
    )


def _pending_due(now: datetime) -> tuple:
    return Timer.fired_at.is_(None), Timer.cancelled_at.is_(None), Timer.due_at < now


def claim(session: Session, now: datetime, limit: int, skipped: set[str]) -> list[ProcessInstance]:
    """Up to ``limit`` instances with a due timer, earliest due first, loaded and locked for this transaction.

    On PostgreSQL the instances' rows are locked with ``FOR UPDATE SKIP LOCKED``: instances another
    scheduler is firing are passed over. SQLite has one writer at a time: the batch's transaction is the
    lock there."""
    query = (select(ProcessInstance).join(Timer, Timer.instance_id == ProcessInstance.id)
             .where(Timer.fired_at.is_(None), Timer.cancelled_at.is_(None), Timer.due_at < now)
             .order_by(Timer.due_at).limit(limit))
    if skipped:
        query = query.where(Timer.instance_id.not_in(skipped))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(of=ProcessInstance, skip_locked=True)
    return list({row.id: row for row in session.scalars(query)}.values())


def fire_due(
    session_factory: Callable[[], Session],
    runtime: Runtime,
    *,
    batch: int = BATCH,
    max_batches: int = 10_000,
) -> list[FiredTimer]:
    """Fire every timer due before the runtime's clock, earliest first; returns what fired."""
    fired: list[FiredTimer] = []
    skipped: set[str] = set()
    for _ in range(max_batches):
        claimed, done, failures = _fire_batch(session_factory, runtime, batch, skipped)
        fired += done
        for instance_id, message in failures:
            _record_failure(session_factory, runtime, instance_id, message)
        if not claimed:
            break
    return fired


def _fire_batch(
    session_factory: Callable[[], Session], runtime: Runtime, batch: int, skipped: set[str]
) -> tuple[int, list[FiredTimer], list[tuple[str, str]]]:
    """One transaction: claim a batch and fire the instances' timers, written together.

    The instances are fired in one savepoint and written by one flush (one INSERT per table for the batch's
    audit, feed and notification rows; the instance, chain-head and task updates batched by the ORM). If
    one of them fails, that savepoint is rolled back and the batch is fired again with a savepoint per
    instance, so the failing one is rolled back alone.

    Returns how many instances were claimed, what fired (once the batch has committed) and the instances
    whose diagram failed on a timer (to be parked by the caller, in their own transaction)."""
    done: list[FiredTimer] = []
    failures: list[tuple[str, str]] = []
    with transaction(session_factory) as session:
        moment = runtime.clock.now()
        instances = claim(session, moment, batch, skipped)
        ids = [instance.id for instance in instances]
        # a simulated clock stands still: the batch fires at the moment it claimed at (the database ledger
        # is not read again for each instance); the wall clock is read by each step
        now = moment if runtime.clock.simulated else None
        try:
            with audit.savepoint(session), session.no_autoflush:
                audit.lock_heads(session, ids)
                preload_open_tasks(session, ids)
                fired = {instance.id: runtime.fire_timers(session, instance.id, now=now, flush=False,
                                                          locked=instance)
                         for instance in instances}
                session.flush()
        except (StaleDataError, OperationalError, EngineError) as exc:
            log.info("a batch of %d instances is fired again one by one: %s", len(ids), exc)
            forget_open_tasks(session)  # rolled back: the one-by-one steps query their own rows
            fired = _fire_one_by_one(session, runtime, ids, now, skipped, failures)
        forget_open_tasks(session)
        for instance_id, rows in fired.items():
            if not rows:
                skipped.add(instance_id)  # nothing left to fire there (fired elsewhere, or not running)
            done += rows
    return len(ids), done, failures


def _fire_one_by_one(session: Session, runtime: Runtime, ids: list[str], now: datetime | None, skipped: set[str],
                     failures: list[tuple[str, str]]) -> dict[str, list[FiredTimer]]:
    """Each instance in its own savepoint: one that fails is rolled back alone."""
    fired: dict[str, list[FiredTimer]] = {}
    for instance_id in ids:
        try:
            with audit.savepoint(session):
                fired[instance_id] = runtime.fire_timers(session, instance_id, now=now)
        except (StaleDataError, OperationalError) as exc:
            log.info("timers of %s are being fired elsewhere: %s", instance_id, exc)
            skipped.add(instance_id)
        except EngineError as exc:
            log.error("timers of %s could not fire: %s", instance_id, exc)
            skipped.add(instance_id)
            failures.append((instance_id, str(exc)))
    return fired


def with_continuations(session_factory: Callable[[], Session], instance_ids: list[str]) -> list[str]:
    """The instances (of ``instance_ids``, in their order) that wait at a service task of a step of its own:
    only those need ``incidents.run_pending`` after their timers fired (one query, not a pass each)."""
    found: set[str] = set()
    with reading(session_factory) as session:
        for i in range(0, len(instance_ids), 1000):
            found.update(session.scalars(select(Continuation.instance_id).where(
                Continuation.instance_id.in_(instance_ids[i:i + 1000]))))
    return [i for i in instance_ids if i in found]


def _record_failure(
    session_factory: Callable[[], Session], runtime: Runtime, instance_id: str, message: str
) -> None:
    """A diagram that fails on a timer is parked as failed (with the error) instead of retried forever."""
    now = runtime.clock.now()
    with transaction(session_factory) as session:
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
