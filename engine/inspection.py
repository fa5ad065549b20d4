"""The auditors' read side: instance search and exports, over relational columns only."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, exists, func, or_, select, text
from sqlalchemy.orm import Session, defer

from engine import audit, legal_time
from engine.queries import instance_view, page_total
from engine.store.licensing_tables import Application
from engine.store.tables import AuditEvent, HumanTask, InstanceOfficer, ProcessInstance, Timer

SORTS = {"started_at": ProcessInstance.started_at, "ended_at": ProcessInstance.ended_at,
         "status": ProcessInstance.status, "process": ProcessInstance.process_key}


@dataclass(frozen=True)
class InstanceFilter:
    process: str | None = None
    version: int | None = None
    status: str | None = None
    outcome: str | None = None
    application: str | None = None  # id or number
    applicant: str | None = None
    bin_iin: str | None = None
    licence_number: str | None = None
    officer: str | None = None
    breached: bool | None = None
    breached_clause: str | None = None  # a term of this clause ran out before its action (R7, R8, R10.2, ...)
    overdue: bool | None = None
    started_after: datetime | None = None
    started_before: datetime | None = None
    ended_after: datetime | None = None
    ended_before: datetime | None = None
    sort: str = "-started_at"


def query(f: InstanceFilter) -> Select[Any]:
    # an instance's serialized state (13 kB, compressed out of line) is never shown in a list: unread, not fetched
    q = (select(ProcessInstance).options(defer(ProcessInstance.state_json, raiseload=True))
         .outerjoin(Application, Application.id == ProcessInstance.business_key))
    simple: tuple[tuple[Any, Any], ...] = (
              (f.process, ProcessInstance.process_key), (f.version, ProcessInstance.process_version),
              (f.status, ProcessInstance.status), (f.outcome, ProcessInstance.outcome),
              (f.bin_iin, Application.bin_iin), (f.licence_number, Application.licence_number))
    for value, column in simple:
        if value is not None and value != "":
            q = q.where(column == value)
    if f.application:
        q = q.where(or_(Application.id == f.application, Application.number == f.application))
    if f.applicant:  # the instance's own copy of its application's name (one trigram index, no join to read)
        q = q.where(ProcessInstance.applicant_key.contains(f.applicant.casefold(), autoescape=True))
    if f.officer:  # the instances the officer took part in, from their own rows in start order
        q = q.join(InstanceOfficer, and_(InstanceOfficer.instance_id == ProcessInstance.id,
                                         InstanceOfficer.officer == f.officer))
    if f.breached is not None:
        q = q.where(ProcessInstance.term_breached.is_(f.breached))
    if f.breached_clause:
        q = q.where(exists().where(Timer.instance_id == ProcessInstance.id, Timer.clause == f.breached_clause,
                                   or_(Timer.fired_at.is_not(None), Timer.cancelled_at > Timer.due_at)))
    if f.overdue:
        q = q.where(exists().where(HumanTask.instance_id == ProcessInstance.id, HumanTask.overdue.is_(True)))
    ranges: tuple[tuple[datetime | None, Any, str], ...] = ((f.started_after, ProcessInstance.started_at, "ge"),
                              (f.started_before, ProcessInstance.started_at, "lt"),
                              (f.ended_after, ProcessInstance.ended_at, "ge"),
                              (f.ended_before, ProcessInstance.ended_at, "lt"))
    for moment, attribute, op in ranges:
        if moment is not None:
            q = q.where(attribute >= moment if op == "ge" else attribute < moment)
    order: Any = SORTS.get(f.sort.lstrip("-"), ProcessInstance.started_at)
    tie: Any = ProcessInstance.id
    if f.officer and order is ProcessInstance.started_at:
        # the same values, named as the officer's rows hold them: their index gives the page in this order
        order, tie = InstanceOfficer.started_at, InstanceOfficer.instance_id
    return q.order_by(order.desc() if f.sort.startswith("-") else order.asc(), tie)


def without_parallel_workers(session: Session) -> None:
    """Plan the rest of this transaction without parallel workers (PostgreSQL).

    A page is found by walking the sort index until enough rows pass the filters. With a filter that one
    instance in 15 passes (a common fragment of an applicant's name) the planner splits that walk between two
    workers and itself: each walks until it has rows of its own to merge, so together they check about 2 200
    instances where one walk checks 870, and each worker has to be started first. One process finds that page
    several times faster, and a web worker's request should not take the cores the other web workers share."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))


def counted(f: InstanceFilter, q: Select[Any]) -> Select[Any]:
    """What the total of the search ``q`` by ``f`` counts: ``q`` itself, or, when the officer is the only filter,
    the officer's own rows (one per instance; an index alone counts them, where ``q`` reads each instance)."""
    if f.officer and replace(f, officer=None, sort=InstanceFilter.sort) == InstanceFilter():
        return select(InstanceOfficer.instance_id).where(InstanceOfficer.officer == f.officer)
    return q


# what a search shows of each instance's application (not its body: several kB of JSON each)
APPLICATION_SHOWN = (Application.id, Application.number, Application.applicant_name, Application.bin_iin,
                     Application.licence_number, Application.procedure, Application.subtype)


def search(session: Session, f: InstanceFilter, *, offset: int, limit: int) -> tuple[list[dict[str, Any]], int]:
    q = query(f)
    without_parallel_workers(session)
    rows = list(session.scalars(q.offset(offset).limit(limit)))
    total = page_total(session, counted(f, q), offset=offset, limit=limit, shown=len(rows))
    apps = {a.id: a for a in session.execute(select(*APPLICATION_SHOWN).where(
        Application.id.in_([r.business_key for r in rows if r.business_key])))} if rows else {}
    terms = term_states(session, rows)
    items = []
    for row in rows:
        item = instance_view(session, row).as_dict()
        app = apps.get(row.business_key or "")
        item["terms"] = terms.get(row.id, [])
        item["terms_total"] = total_outcome([term["state"] for term in item["terms"]])
        item["application"] = {"number": app.number, "applicant": app.applicant_name, "bin_iin": app.bin_iin,
                               "licence_number": app.licence_number, "procedure": app.procedure,
                               "subtype": app.subtype} if app else None
        items.append(item)
    return items, total


CSV_COLUMNS = ("id", "process", "version", "status", "outcome", "application_number", "applicant", "bin_iin",
               "licence_number", "started_at", "ended_at", "term_breached")


def to_csv(items: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for i in items:
        app = i.get("application") or {}
        writer.writerow([i["id"], i["process"]["key"], i["process"]["version"], i["status"], i["outcome"] or "",
                         app.get("number", ""), app.get("applicant", ""), app.get("bin_iin", ""),
                         app.get("licence_number") or "", i["started_at"], i["ended_at"] or "", i["term_breached"]])
    return out.getvalue()


def events_csv(events: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(("seq", "at", "actor", "kind", "element", "clause", "data"))
    for e in events:
        writer.writerow((e["seq"], e["at"], e["actor"], e["kind"], e["element"] or "", e["clause"] or "",
                         json.dumps(e["data"], ensure_ascii=False)))
    return out.getvalue()


def log_access(session: Session, *, actor: str, kind: str, now: datetime, data: dict[str, Any]) -> None:
    """Every auditor action (search, view, export) is itself an audit event."""
    audit.append(session, at=now, actor=actor, kind=kind, data=data)


def recent_access(session: Session, limit: int = 50) -> list[dict[str, Any]]:
    rows = session.scalars(select(AuditEvent).where(AuditEvent.kind.like("auditor_%"))
                           .order_by(AuditEvent.id.desc()).limit(limit))
    return [{"at": legal_time.iso(r.at), "actor": r.actor, "kind": r.kind, "data": r.data} for r in rows]


ENDED_UNFINISHED = ("failed", "cancelled")


def term_outcome(*, due_at: datetime, fired_at: datetime | None, cancelled_at: datetime | None,
                 instance_status: str, instance_ended_at: datetime | None) -> str:
    """"kept" only when the action came before the due moment; "breached" when the term ran out first;
    "not_completed" when the instance failed or was cancelled before the action; else "pending"."""
    if fired_at is not None:
        return "breached"
    if cancelled_at is not None:
        ended_with_instance = instance_ended_at is not None and cancelled_at >= instance_ended_at
        if instance_status in ENDED_UNFINISHED and ended_with_instance:
            return "not_completed"
        return "kept" if cancelled_at <= due_at else "breached"
    return "pending" if instance_status == "running" else "not_completed"


OUTCOME_ORDER = ("breached", "pending", "not_completed", "kept")


def total_outcome(states: list[str]) -> str:
    """The instance's terms as one word: the worst of its terms ("kept" when there were none)."""
    return next((state for state in OUTCOME_ORDER if state in states), "kept")


def term_states(session: Session, instances: list[ProcessInstance]) -> dict[str, list[dict[str, Any]]]:
    """Each term of each instance, in the order they started: clause, name, due moment and its outcome."""
    by_id = {i.id: i for i in instances}
    out: dict[str, list[dict[str, Any]]] = {i.id: [] for i in instances}
    if not instances:
        return out
    for tm in session.execute(select(Timer.instance_id, Timer.clause, Timer.name, Timer.due_at, Timer.fired_at,
                                     Timer.cancelled_at).where(Timer.instance_id.in_(list(by_id)))
                              .order_by(Timer.created_at, Timer.id)):
        instance = by_id[tm.instance_id]
        out[tm.instance_id].append({
            "clause": tm.clause, "name": tm.name, "due_at": legal_time.iso(tm.due_at),
            "state": term_outcome(due_at=tm.due_at, fired_at=tm.fired_at, cancelled_at=tm.cancelled_at,
                                  instance_status=instance.status, instance_ended_at=instance.ended_at)})
    return out


def reports(session: Session, *, since: datetime | None = None, until: datetime | None = None) -> dict[str, Any]:
    """Terms kept vs breached per procedure and month (by due moment); working days to decision; refusals by
    ground; outcomes. ``since``/``until`` (until exclusive) bound the due moment, the decision and the end."""
    from statistics import mean

    def within(column: Any) -> list[Any]:
        return [c for c in (column >= since if since else None, column < until if until else None) if c is not None]

    terms: dict[tuple[str, str], dict[str, int]] = {}
    rows = session.execute(select(ProcessInstance.process_key, Timer.due_at, Timer.fired_at, Timer.cancelled_at,
                                  ProcessInstance.status, ProcessInstance.ended_at)
                           .join(ProcessInstance, ProcessInstance.id == Timer.instance_id).where(*within(Timer.due_at)))
    for key, due, fired, cancelled, status, ended in rows:
        month = legal_time.to_local(due).strftime("%Y-%m")
        bucket = terms.setdefault((key, month), {"kept": 0, "breached": 0, "not_completed": 0, "pending": 0})
        bucket[term_outcome(due_at=due, fired_at=fired, cancelled_at=cancelled, instance_status=status,
                            instance_ended_at=ended)] += 1
    durations: dict[str, list[int]] = {}
    for procedure, registered, decided in session.execute(
            select(Application.procedure, Application.registered_at, Application.decided_at)
            .where(Application.decided_at.is_not(None), Application.registered_at.is_not(None),
                   *within(Application.decided_at))):
        if registered is not None and decided is not None:
            durations.setdefault(procedure, []).append(legal_time.working_days_between(registered, decided))
    # a refusal rests on the grounds of its last decision that named grounds (the hearing's, when there was
    # one, not also the qualification check's that it upheld): each refusal counts once per ground
    last_grounds: dict[str, list[str]] = {}
    refused = select(ProcessInstance.id).where(ProcessInstance.outcome == "refused", *within(ProcessInstance.ended_at))
    for instance_id, data in session.execute(
            select(HumanTask.instance_id, HumanTask.data).where(HumanTask.instance_id.in_(refused),
                                                                HumanTask.status == "completed")
            .order_by(HumanTask.completed_at, HumanTask.id)):
        named = (data or {}).get("grounds")
        if named:
            last_grounds[instance_id] = list(dict.fromkeys(named))
    grounds: dict[str, int] = {}
    for named in last_grounds.values():
        for ground in named:
            grounds[ground] = grounds.get(ground, 0) + 1
    outcomes = dict(session.execute(select(Application.outcome, func.count()).where(
        Application.outcome.is_not(None), *within(Application.decided_at)).group_by(Application.outcome)).all())

    def p90(values: list[int]) -> int:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]

    return {
        "terms": [{"procedure": k, "month": m, **v} for (k, m), v in sorted(terms.items())],
        "decision_days": [{"procedure": p, "count": len(v), "average": round(mean(v), 1), "p90": p90(v)}
                          for p, v in sorted(durations.items())],
        "refusal_grounds": [{"ground": g, "count": c} for g, c in sorted(grounds.items())],
        "refusals": len(last_grounds),
        "outcomes": [{"outcome": o, "count": c} for o, c in sorted(outcomes.items())],
    }
