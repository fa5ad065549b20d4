"""The auditors' read side: instance search and exports, over relational columns only."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import Session

from engine import legal_time
from engine.queries import instance_view
from engine.store.licensing_tables import Application
from engine.store.tables import AuditEvent, HumanTask, ProcessInstance

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
    overdue: bool | None = None
    started_after: datetime | None = None
    started_before: datetime | None = None
    ended_after: datetime | None = None
    ended_before: datetime | None = None
    sort: str = "-started_at"


def query(f: InstanceFilter) -> Select[Any]:
    q = select(ProcessInstance).outerjoin(Application, Application.id == ProcessInstance.business_key)
    simple: tuple[tuple[Any, Any], ...] = (
              (f.process, ProcessInstance.process_key), (f.version, ProcessInstance.process_version),
              (f.status, ProcessInstance.status), (f.outcome, ProcessInstance.outcome),
              (f.bin_iin, Application.bin_iin), (f.licence_number, Application.licence_number))
    for value, column in simple:
        if value is not None and value != "":
            q = q.where(column == value)
    if f.application:
        q = q.where(or_(Application.id == f.application, Application.number == f.application))
    if f.applicant:
        q = q.where(Application.applicant_key.contains(f.applicant.casefold(), autoescape=True))
    if f.officer:
        q = q.where(exists().where(HumanTask.instance_id == ProcessInstance.id,
                                   or_(HumanTask.completed_by == f.officer, HumanTask.claimed_by == f.officer)))
    if f.breached is not None:
        q = q.where(ProcessInstance.term_breached.is_(f.breached))
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
    return q.order_by(order.desc() if f.sort.startswith("-") else order.asc(), ProcessInstance.id)


def search(session: Session, f: InstanceFilter, *, offset: int, limit: int) -> tuple[list[dict[str, Any]], int]:
    q = query(f)
    total = session.scalar(select(func.count()).select_from(q.order_by(None).subquery())) or 0
    rows = list(session.scalars(q.offset(offset).limit(limit)))
    apps = {a.id: a for a in session.scalars(select(Application).where(
        Application.id.in_([r.business_key for r in rows if r.business_key])))} if rows else {}
    items = []
    for row in rows:
        item = instance_view(session, row).as_dict()
        app = apps.get(row.business_key or "")
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
                         __import__("json").dumps(e["data"], ensure_ascii=False)))
    return out.getvalue()


def log_access(session: Session, *, actor: str, kind: str, now: datetime, data: dict[str, Any]) -> None:
    """Every auditor action (search, view, export) is itself an audit event."""
    from engine import audit

    audit.append(session, at=now, actor=actor, kind=kind, data=data)


def recent_access(session: Session, limit: int = 50) -> list[dict[str, Any]]:
    rows = session.scalars(select(AuditEvent).where(AuditEvent.kind.like("auditor_%"))
                           .order_by(AuditEvent.id.desc()).limit(limit))
    return [{"at": legal_time.iso(r.at), "actor": r.actor, "kind": r.kind, "data": r.data} for r in rows]
