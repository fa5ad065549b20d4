"""Service tasks that call an outside system, run in steps of their own; their failures become incidents.

A service task whose operation is ``external`` (it asks the e-government gateway) is left READY by the
step that reaches it, with a ``continuation`` row. Right after that step commits — and at every
scheduler pass — the continuation runs in a transaction of its own. If it fails (gateway down, a
malformed answer, an operation error) that transaction rolls back, so the instance stays exactly as
before and a retry runs the same task again, and an ``incident`` row is committed in a separate small
transaction: the error, the attempts, the first and last time. The instance waits at the element;
its timers keep running, so legal terms keep counting.

Transient causes (no answer, 5xx, breaker open) are retried by the scheduler with exponential backoff;
the others wait for an administrator, who retries or resolves the incident with a recorded reason.
Resolving closes the incident; if the instance still waits at the element, the task runs again at
the next scheduler pass.

Exactly once: the continuation row (and, for a retry, the incident row) is locked ``FOR UPDATE SKIP
LOCKED`` on PostgreSQL, so two schedulers never run the same task at once; the loser skips it, and
SpiffWorkflow's state then shows the task done.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session

from engine import audit, legal_time
from engine.errors import Conflict, IntegrationFailure, InvalidInput, NotFound, Unavailable
from engine.runtime.instances import Runtime
from engine.runtime.step import CONTINUATIONS_ADDED
from engine.store.tables import (
    Continuation,
    Incident,
    OutboxEvent,
    ProcessInstance,
    StaffNotification,
    Timer,
)
from engine.transactions import reading, transaction

log = logging.getLogger(__name__)

SessionFactory = Callable[[], Session]
RETRY_FIRST = timedelta(minutes=1)  # wait before the first automatic retry; doubled after each failure
RETRY_LONGEST = timedelta(hours=1)
MAX_STEPS_PER_PASS = 500


@dataclass(frozen=True)
class StepOutcome:
    instance_id: str
    element: str
    result: str  # done | failed | skipped | busy
    incident_id: str | None = None


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4 … minutes after the 1st, 2nd, 3rd … failure, at most an hour."""
    return min(RETRY_FIRST * 2 ** max(0, attempts - 1), RETRY_LONGEST)


# -- running continuations ---------------------------------------------------------------------------------


def _open_incident_for(session: Session, instance_id: str, element: str) -> Incident | None:
    return session.scalars(select(Incident).where(
        Incident.instance_id == instance_id, Incident.element == element, Incident.status == "open")).first()


def pending(session: Session, *, instance_id: str | None = None, limit: int = 100) -> list[tuple[str, str]]:
    """Continuations no open incident holds (those wait for their retry), oldest first."""
    held = exists().where(and_(Incident.instance_id == Continuation.instance_id,
                               Incident.element == Continuation.element, Incident.status == "open"))
    query = select(Continuation.instance_id, Continuation.element).where(~held)
    if instance_id is not None:
        query = query.where(Continuation.instance_id == instance_id)
    rows = session.execute(query.order_by(Continuation.created_at, Continuation.instance_id).limit(limit)).all()
    return [(r[0], r[1]) for r in rows]


def any_pending(session: Session) -> bool:
    """Did this transaction's steps leave a service task to run in a step of its own (any instance's: a step
    may start another one)? Known without a query; the caller runs them after its commit. Continuations
    left earlier — one an incident holds for its retry, one whose run was cut off — are the scheduler's
    (its pass runs every pending one)."""
    return bool(session.info.get(CONTINUATIONS_ADDED))


def _locked(session: Session, query: Any) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return session.scalars(query).first()


def run_step(session_factory: SessionFactory, runtime: Runtime, instance_id: str, element: str, *,
             actor: str, incident_id: str | None = None) -> StepOutcome:
    """Run one continuation in its own transaction; a failure is committed as an incident afterwards."""
    try:
        with transaction(session_factory) as session:
            row = _locked(session, select(Continuation).where(Continuation.instance_id == instance_id,
                                                              Continuation.element == element))
            if row is None:
                return StepOutcome(instance_id, element, "skipped")
            incident = (_locked(session, select(Incident).where(Incident.id == incident_id))
                        if incident_id else _open_incident_for(session, instance_id, element))
            if incident_id and (incident is None or incident.status != "open"):
                return StepOutcome(instance_id, element, "skipped", incident_id)
            if incident is not None and not incident_id:
                return StepOutcome(instance_id, element, "skipped", incident.id)  # waits for its retry
            ran = runtime.run_continuation(session, instance_id, element, actor=row.actor or actor)
            if incident is not None:
                _resolve(session, incident, actor=actor, now=runtime.clock.now(),
                         resolution="retried: the step ran" if ran else "the instance no longer waits at this step")
            return StepOutcome(instance_id, element, "done", incident.id if incident else None)
    except (Conflict, Unavailable) as exc:
        log.info("continuation %s/%s not run now: %s", instance_id, element, exc)
        return StepOutcome(instance_id, element, "busy", incident_id)
    except Exception as exc:  # the operation failed: its step is undone; the incident is kept
        log.warning("service task %s of instance %s failed: %s", element, instance_id, exc)
        with transaction(session_factory) as session:
            incident = record_failure(session, runtime, instance_id, element, exc, actor=actor)
            return StepOutcome(instance_id, element, "failed", incident.id)


def run_pending(session_factory: SessionFactory, runtime: Runtime, *, instance_id: str | None = None,
                actor: str = "system") -> list[StepOutcome]:
    """Run continuations until none is left that no incident holds (of one instance, or of all)."""
    outcomes: list[StepOutcome] = []
    tried: set[tuple[str, str]] = set()
    while len(tried) < MAX_STEPS_PER_PASS:
        with reading(session_factory) as session:
            todo = [key for key in pending(session, instance_id=instance_id, limit=100 + len(tried))
                    if key not in tried]
        if not todo:
            break
        for key in todo:
            tried.add(key)
            outcomes.append(run_step(session_factory, runtime, *key, actor=actor))
    return outcomes


# -- incidents --------------------------------------------------------------------------------------------


def describe(exc: BaseException) -> str:
    if isinstance(exc, IntegrationFailure):
        return f"e-government gateway: {exc}"
    text = str(exc) or type(exc).__name__
    return text if isinstance(exc, Conflict | InvalidInput | NotFound) else f"{type(exc).__name__}: {text}"


def record_failure(session: Session, runtime: Runtime, instance_id: str, element: str, exc: BaseException, *,
                   actor: str) -> Incident:
    """Open (or count another failed attempt of) the incident of ``element``, with its audit trail."""
    now = runtime.clock.now()
    transient = isinstance(exc, IntegrationFailure) and exc.transient
    for exchange in getattr(exc, "exchanges", []):
        audit.append(session, at=now, actor="system", kind="gateway_call", instance_id=instance_id,
                     element=element, data=exchange)
    incident = _open_incident_for(session, instance_id, element)
    created = incident is None
    if incident is None:
        instance = session.get(ProcessInstance, instance_id)
        clause = None
        if instance is not None:
            info = runtime.definitions.load(session, instance.definition_id).info.elements.get(element)
            clause = info.clause if info else None
        incident = Incident(id=str(uuid.uuid4()), instance_id=instance_id, element=element, clause=clause,
                            error="", transient=transient, attempts=0, created_at=now, last_attempt_at=now,
                            status="open")
        session.add(incident)
    incident.attempts += 1
    incident.error, incident.transient, incident.last_attempt_at = describe(exc)[:4000], transient, now
    incident.next_retry_at = now + retry_delay(incident.attempts) if transient else None
    data = {"incident_id": incident.id, "error": incident.error, "attempts": incident.attempts,
            "transient": transient,
            "next_retry_at": legal_time.iso(incident.next_retry_at) if incident.next_retry_at else None}
    audit.append(session, at=now, actor=actor, kind="incident_opened" if created else "incident_retry_failed",
                 instance_id=instance_id, element=element, clause=incident.clause, data=data)
    if created:
        session.add(OutboxEvent(at=now, instance_id=instance_id, application_id=_application_id(session, instance_id),
                                kind="incident_opened", element=element, clause=incident.clause,
                                payload={"incident_id": incident.id, "transient": transient}))
        session.add(StaffNotification(at=now, recipient="role:admin", kind="incident", instance_id=instance_id,
                                      text={"en": f"Incident at '{element}': {incident.error}",
                                            "ru": f"Инцидент на шаге «{element}»: {incident.error}",
                                            "kk": f"«{element}» қадамындағы инцидент: {incident.error}"}))
    session.flush()
    return incident


def _application_id(session: Session, instance_id: str) -> str | None:
    instance = session.get(ProcessInstance, instance_id)
    return instance.business_key if instance is not None else None


def _resolve(session: Session, incident: Incident, *, actor: str, now: datetime, resolution: str) -> None:
    incident.status, incident.resolved_at, incident.resolved_by = "resolved", now, actor
    incident.resolution, incident.next_retry_at = resolution, None
    audit.append(session, at=now, actor=actor, kind="incident_resolved", instance_id=incident.instance_id,
                 element=incident.element, clause=incident.clause,
                 data={"incident_id": incident.id, "resolution": resolution, "attempts": incident.attempts})


def retry(session_factory: SessionFactory, runtime: Runtime, incident_id: str, *, actor: str) -> dict[str, Any]:
    """Run the failed step again now; then the steps after it that also call outside systems."""
    with reading(session_factory) as session:
        incident = session.get(Incident, incident_id)
        if incident is None:
            raise NotFound(f"incident {incident_id} does not exist")
        if incident.status != "open":
            raise Conflict(f"incident {incident_id} is already resolved")
        instance_id, element = incident.instance_id, incident.element
    outcome = run_step(session_factory, runtime, instance_id, element, actor=actor, incident_id=incident_id)
    if outcome.result == "skipped":
        with transaction(session_factory) as session:
            incident = session.get(Incident, incident_id)
            if incident is not None and incident.status == "open" and session.get(
                    Continuation, (instance_id, element)) is None:
                # nothing waits at the element any more (the instance ended or moved on)
                _resolve(session, incident, actor=actor, now=runtime.clock.now(),
                         resolution="the instance no longer waits at this step")
            elif incident is not None and incident.status == "open":
                raise Conflict("this incident is being retried right now; reload in a moment")
    if outcome.result == "busy":
        raise Conflict("the instance is busy with another change; retry in a moment")
    if outcome.result == "done":
        run_pending(session_factory, runtime, instance_id=instance_id, actor=actor)
    return get(session_factory, incident_id)


def retry_due(session_factory: SessionFactory, runtime: Runtime, *, actor: str = "scheduler",
              limit: int = 100) -> list[StepOutcome]:
    """The scheduler's pass: transient incidents whose backoff ran out, then continuations not yet run."""
    now = runtime.clock.now()
    with reading(session_factory) as session:
        due = session.execute(select(Incident.id, Incident.instance_id, Incident.element).where(
            Incident.status == "open", Incident.transient.is_(True), Incident.next_retry_at <= now)
            .order_by(Incident.next_retry_at).limit(limit)).all()
    outcomes = [run_step(session_factory, runtime, instance_id, element, actor=actor, incident_id=incident_id)
                for incident_id, instance_id, element in due]
    for outcome in outcomes:
        if outcome.result == "done":
            outcomes += run_pending(session_factory, runtime, instance_id=outcome.instance_id, actor=actor)
    return outcomes + run_pending(session_factory, runtime, actor=actor)


def resolve(session_factory: SessionFactory, runtime: Runtime, incident_id: str, *, actor: str,
            resolution: Any) -> dict[str, Any]:
    """Close the incident with a person's recorded reason."""
    if not isinstance(resolution, str) or not resolution.strip():
        raise InvalidInput("the reason is required", field="resolution")
    if len(resolution) > 2000:
        raise InvalidInput("at most 2000 characters", field="resolution")
    with transaction(session_factory) as session:
        incident = session.get(Incident, incident_id)
        if incident is None:
            raise NotFound(f"incident {incident_id} does not exist")
        if incident.status != "open":
            raise Conflict(f"incident {incident_id} is already resolved")
        _resolve(session, incident, actor=actor, now=runtime.clock.now(), resolution=resolution.strip())
    return get(session_factory, incident_id)


# -- views ------------------------------------------------------------------------------------------------


def view(incident: Incident, application_id: str | None) -> dict[str, Any]:
    def moment(value: datetime | None) -> str | None:
        return legal_time.iso(value) if value is not None else None

    return {"id": incident.id, "instance_id": incident.instance_id, "application_id": application_id,
            "element": incident.element, "clause": incident.clause, "error": incident.error,
            "created_at": moment(incident.created_at), "attempts": incident.attempts,
            "last_attempt_at": moment(incident.last_attempt_at), "next_retry_at": moment(incident.next_retry_at),
            "transient": incident.transient, "status": incident.status, "resolved_at": moment(incident.resolved_at),
            "resolved_by": incident.resolved_by, "resolution": incident.resolution}


def get(session_factory: SessionFactory, incident_id: str) -> dict[str, Any]:
    with reading(session_factory) as session:
        incident = session.get(Incident, incident_id)
        if incident is None:
            raise NotFound(f"incident {incident_id} does not exist")
        return view(incident, _application_id(session, incident.instance_id))


def listing(session: Session, *, status: str | None = "open", instance_id: str | None = None,
            limit: int = 200) -> list[dict[str, Any]]:
    """Incidents, newest first, with the application each holds."""
    query = select(Incident, ProcessInstance.business_key).join(
        ProcessInstance, ProcessInstance.id == Incident.instance_id)
    if status is not None:
        query = query.where(Incident.status == status)
    if instance_id is not None:
        query = query.where(Incident.instance_id == instance_id)
    rows = session.execute(query.order_by(Incident.created_at.desc(), Incident.id).limit(limit)).all()
    return [view(incident, application_id) for incident, application_id in rows]


def held(session: Session) -> list[dict[str, Any]]:
    """Open incidents with the legal terms still running on their instance (they keep counting)."""
    result = []
    for item in listing(session):
        terms = session.scalars(select(Timer).where(
            Timer.instance_id == item["instance_id"], Timer.fired_at.is_(None), Timer.cancelled_at.is_(None),
            Timer.clause.is_not(None)).order_by(Timer.due_at))
        item["terms"] = [{"clause": t.clause, "name": t.name, "due_at": legal_time.iso(t.due_at)} for t in terms]
        result.append(item)
    return result
