"""Read side: plain selects that turn rows into views."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, defer

from engine import legal_time
from engine.store.tables import AuditEvent, HumanTask, ProcessInstance, Timer
from engine.views import EventView, InstanceView, TaskView, TimerView


def task_view(row: HumanTask, *, now: datetime | None = None, with_data: bool = False) -> TaskView:
    left = None
    if now is not None and row.due_at is not None and row.status == "open":
        left = legal_time.working_days_between(now, row.due_at) if now <= row.due_at else -1
    return TaskView(
        id=row.id, name=row.name, element=row.element, clause=row.clause, role=row.role, form_key=row.form,
        status=row.status, instance_id=row.instance_id, process_key=row.process_key,
        application_id=row.application_id, applicant_name=row.applicant_name, bin_iin=row.bin_iin,
        subtype=row.subtype, created_at=row.created_at, due_at=row.due_at, overdue=row.overdue,
        claimed_by=row.claimed_by, completed_at=row.completed_at, completed_by=row.completed_by,
        data=row.data if with_data else None, draft=row.draft if with_data else None, working_days_left=left,
        names=row.names,
    )


@dataclass(frozen=True)
class TaskFilter:
    roles: Collection[str]
    user: str | None = None
    box: str = "all"  # all | mine | queue
    application_id: str | None = None
    process_key: str | None = None
    subtype: str | None = None
    status: str = "open"
    applicant: str | None = None
    bin_iin: str | None = None
    due_before: datetime | None = None
    overdue: bool | None = None


# a list shows no form data: the rows' JSON columns stay in the database (built once: a statement and its options
# are immutable, and building them was a third of a short list's time)
_TASK_LIST = select(HumanTask).options(defer(HumanTask.data), defer(HumanTask.draft))
_TASK_ORDER = (HumanTask.due_at.asc().nulls_last(), HumanTask.id)


def task_query(f: TaskFilter) -> Select[Any]:
    q = _TASK_LIST.where(HumanTask.role.in_(list(f.roles)))
    if f.status:
        q = q.where(HumanTask.status == f.status)
    if f.box == "mine":
        q = q.where(HumanTask.claimed_by == f.user)
    elif f.box == "queue":
        q = q.where(HumanTask.claimed_by.is_(None))
    elif f.user is not None and f.status == "open":
        q = q.where(or_(HumanTask.claimed_by.is_(None), HumanTask.claimed_by == f.user))
    if f.application_id:
        q = q.where(HumanTask.application_id == f.application_id)
    if f.process_key:
        q = q.where(HumanTask.process_key == f.process_key)
    if f.subtype:
        q = q.where(HumanTask.subtype == f.subtype)
    if f.applicant:
        q = q.where(HumanTask.applicant_key.contains(f.applicant.casefold(), autoescape=True))
    if f.bin_iin:
        q = q.where(HumanTask.bin_iin == f.bin_iin)
    if f.due_before:
        q = q.where(HumanTask.due_at <= f.due_before)
    if f.overdue is not None:
        q = q.where(HumanTask.overdue.is_(f.overdue))
    return q


COUNT_CAP = 10_000


def capped_count(session: Session, query: Select[Any], cap: int = COUNT_CAP) -> int:
    """Exact below ``cap``; a list of 100 000 open tasks does not need every row counted on each page view."""
    return session.scalar(select(func.count()).select_from(query.order_by(None).limit(cap).subquery())) or 0


def page_total(session: Session, query: Select[Any], *, offset: int, limit: int, shown: int) -> int:
    """The total of a list whose page at ``offset`` showed ``shown`` rows of at most ``limit``.

    A short page is the last one, so it tells the total without counting (an officer's or an application's few
    tasks, the instances of one BIN); an empty page past the end tells nothing, and a full one is counted."""
    short = shown < limit and (shown > 0 or offset == 0)
    return min(offset + shown, COUNT_CAP) if short else capped_count(session, query)


def list_tasks(session: Session, f: TaskFilter, *, now: datetime, offset: int = 0,
               limit: int = 50) -> tuple[list[TaskView], int]:
    q = task_query(f)
    rows = list(session.scalars(
        q.order_by(*_TASK_ORDER).offset(offset).limit(limit)
    ))
    total = page_total(session, q, offset=offset, limit=limit, shown=len(rows))
    return [task_view(r, now=now) for r in rows], total


def instance_view(session: Session, row: ProcessInstance, *, detail: bool = False) -> InstanceView:
    timers: list[TimerView] = []
    events: list[EventView] = []
    tasks: list[TaskView] = []
    if detail:
        timers = [
            TimerView(t.element, t.name, t.clause, t.due_at, t.fired_at, t.cancelled_at, t.attached_to)
            for t in session.scalars(select(Timer).where(Timer.instance_id == row.id).order_by(Timer.id))
        ]
        events = [
            EventView(e.id, e.seq, e.at, e.actor, e.kind, e.element, e.clause, e.data)
            for e in session.scalars(select(AuditEvent).where(AuditEvent.chain == row.id).order_by(AuditEvent.seq))
        ]
        tasks = [task_view(t, with_data=True) for t in session.scalars(
            select(HumanTask).where(HumanTask.instance_id == row.id).order_by(HumanTask.created_at))]
    return InstanceView(
        id=row.id, process_key=row.process_key, process_version=row.process_version, status=row.status,
        business_key=row.business_key, started_at=row.started_at, ended_at=row.ended_at, outcome=row.outcome,
        term_breached=row.term_breached, completed=list(row.completed_path or []),
        active=list(row.active_elements or []), last_error=row.last_error, timers=timers, events=events,
        tasks=tasks,
    )


# -- the case's timeline: what happened to it, for everyone who works on it -------------------------------------

TIMELINE_KINDS = ("application_submitted", "task_completed", "position_stated", "document_issued", "term_breached",
                  "instance_completed")
# what a decision says, in the order a reader wants it (form fields of forms/definitions)
TIMELINE_FIELDS = ("reason", "reasoning", "missing_items", "grounds", "minutes", "act_description", "position",
                   "comment")


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    actor: str
    kind: str
    element: str | None
    clause: str | None
    form: str | None = None
    decision: str | None = None
    notes: tuple[tuple[str, Any], ...] = ()  # (field, value) of the decision, or ("text", ...) of a position
    documents: tuple[str, ...] = ()  # file ids (a position's attachments) or numbers of issued acts

    @property
    def is_return(self) -> bool:
        return self.kind == "task_completed" and self.decision == "return"


def case_timeline(events: Collection[EventView]) -> list[TimelineEntry]:
    """The events of an instance that tell its story (decisions and their reasons, comments, returns, minutes,
    the applicant's position, documents issued, breached terms), oldest first."""
    out = []
    for e in events:
        if e.kind not in TIMELINE_KINDS:
            continue
        data = e.data or {}
        if e.kind == "task_completed":
            submitted = data.get("submitted") or {}
            notes = tuple((name, submitted[name]) for name in TIMELINE_FIELDS if submitted.get(name))
            out.append(TimelineEntry(e.at, e.actor, e.kind, e.element, e.clause, data.get("form"),
                                     submitted.get("decision"), notes))
        elif e.kind == "position_stated":
            out.append(TimelineEntry(e.at, e.actor, e.kind, e.element, e.clause,
                                     notes=(("text", data.get("text", "")),),
                                     documents=tuple(str(d) for d in data.get("documents") or ())))
        elif e.kind == "document_issued":
            out.append(TimelineEntry(e.at, e.actor, e.kind, e.element, e.clause, decision=data.get("kind"),
                                     documents=(str(data.get("number") or ""),)))
        else:
            out.append(TimelineEntry(e.at, e.actor, e.kind, e.element, e.clause))
    return out


def pending_return(timeline: list[TimelineEntry]) -> TimelineEntry | None:
    """The signer's return that sent the case back, while nothing has been decided since."""
    decisions = [entry for entry in timeline if entry.kind == "task_completed"]
    return decisions[-1] if decisions and decisions[-1].is_return else None
