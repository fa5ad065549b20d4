"""Numbers that are unique and never reused: a counter row per series, bumped in the caller's
transaction (row-locked on PostgreSQL), so a rolled-back step gives its number back unused. A receipt takes
its application's number (no shared counter: receipts are rendered in parallel)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine import legal_time
from engine.store.licensing_tables import Application, Document, NumberSequence


def next_value(session: Session, series: str) -> int:
    query = select(NumberSequence).where(NumberSequence.name == series)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    row = session.scalars(query).first()
    if row is None:
        row = NumberSequence(name=series, value=0)
        session.add(row)
    row.value += 1
    session.flush()
    return row.value


def application_number(session: Session, at: datetime) -> str:
    year = legal_time.to_local(at).year
    return f"KZ-DM-{year}-{next_value(session, f'application-{year}'):06d}"


def licence_number(session: Session, at: datetime, subtype: str) -> str:
    year = legal_time.to_local(at).year
    kind = "01" if subtype == "I" else "02"
    return f"DM{kind}-{year}-{next_value(session, f'licence-{year}'):06d}"


def document_number(session: Session, at: datetime, kind: str) -> str:
    year = legal_time.to_local(at).year
    prefix = {"receipt": "RC", "preliminary_decision": "PD", "hearing_notice": "HN", "refusal": "RF",
              "not_considered": "NC", "complaint_decision": "CD", "suspension_decision": "SD",
              "restoration_decision": "RD", "revocation_decision": "VD"}.get(kind, "DC")
    return f"{prefix}-{year}-{next_value(session, f'doc-{prefix}-{year}'):06d}"


def receipt_number(session: Session, app: Application) -> str:
    """The application's own number, ``RC-``; a re-opened application's later receipts count on (``-2``)."""
    earlier = session.scalar(select(func.count(func.distinct(Document.number))).where(
        Document.application_id == app.id, Document.kind == "receipt")) or 0
    base = "RC-" + app.number.removeprefix("KZ-DM-")
    return base if earlier == 0 else f"{base}-{earlier + 1}"
