"""The legal terms in force, kept in the database, and their four-eyes changes (issue 16, point 12).

engine/legal_time/terms.py LEGAL_TERMS seeds the table at first start. An analyst proposes a change of one term
(its days and the source that makes it law, with a reason); a second person — another analyst or an
administrator, never the proposer — approves it. Both steps are in the audit log with both names; only then does
the change become effective: diagram validation and the operations' term counts read the table in force
(``legal_time.effective_terms``), which this module sets from the database at start and after each approval.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import audit, legal_time
from engine.errors import Conflict, FieldProblem, Forbidden, InvalidInput, NotFound
from engine.store.licensing_tables import LegalTermProposal, LegalTermRow
from engine.transactions import SessionFactory, reading, transaction

MAX_DAYS = 250  # a term in working days longer than a working year is a typing error


def _as_term(row: LegalTermRow) -> legal_time.LegalTerm:
    return legal_time.LegalTerm(row.clause, row.days, row.start_event, row.source, row.unit)


def _rows(session: Session) -> list[LegalTermRow]:
    return list(session.scalars(select(LegalTermRow).order_by(LegalTermRow.id)))


def load(session_factory: SessionFactory) -> None:
    """Seed the table from LEGAL_TERMS when it is empty, then make it the table in force."""
    with transaction(session_factory) as session:
        rows = _rows(session)
        if not rows:
            for term in legal_time.LEGAL_TERMS:
                session.add(LegalTermRow(clause=term.clause, start_event=term.counted_from, days=term.days,
                                         unit=term.unit, source=term.source, version=1))
            session.flush()
            rows = _rows(session)
        legal_time.set_effective_terms([_as_term(r) for r in rows])


def refresh(session: Session) -> None:
    """Re-read the table in force before counting a term: another worker may have approved a change."""
    rows = _rows(session)
    if rows:
        legal_time.set_effective_terms([_as_term(r) for r in rows])


def _term_view(row: LegalTermRow) -> dict[str, Any]:
    return {"clause": row.clause, "term": f"{row.days} {row.unit}", "days": row.days, "unit": row.unit,
            "start_event": row.start_event, "source": row.source, "version": row.version,
            "changed_at": legal_time.iso(row.changed_at) if row.changed_at else None, "changed_by": row.changed_by}


def _proposal_view(row: LegalTermProposal, term: LegalTermRow) -> dict[str, Any]:
    return {"id": row.id, "clause": term.clause, "start_event": term.start_event, "days": row.days,
            "source": row.source, "reason": row.reason,
            "status": row.status, "proposed_by": row.proposed_by, "proposed_at": legal_time.iso(row.proposed_at),
            "approved_by": row.approved_by,
            "approved_at": legal_time.iso(row.approved_at) if row.approved_at else None}


def listing(session_factory: SessionFactory) -> list[dict[str, Any]]:
    with reading(session_factory) as session:
        return [_term_view(r) for r in _rows(session)]


def proposals(session_factory: SessionFactory) -> list[dict[str, Any]]:
    with reading(session_factory) as session:
        query = select(LegalTermProposal, LegalTermRow).join(LegalTermRow, LegalTermProposal.term_id == LegalTermRow.id)
        return [_proposal_view(p, t) for p, t in session.execute(query.order_by(LegalTermProposal.proposed_at))]


def _target(session: Session, clause: str, start_event: str | None) -> LegalTermRow:
    rows = [r for r in _rows(session) if r.clause == clause]
    if not rows:
        raise InvalidInput(f"no legal term is bound to clause {clause!r}", field="clause")
    if start_event is not None:
        rows = [r for r in rows if r.start_event == start_event]
        if not rows:
            raise InvalidInput(f"clause {clause} has no term counted from {start_event!r}", field="start_event")
    if len(rows) > 1:
        choices = "; ".join(repr(r.start_event) for r in rows)
        raise InvalidInput(f"clause {clause} has several terms: name the start_event, one of {choices}",
                           field="start_event")
    return rows[0]


def propose(session_factory: SessionFactory, body: dict[str, Any], *, actor: str, now: datetime) -> dict[str, Any]:
    days = body["days"]
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput([FieldProblem("days", f"a term of 1 to {MAX_DAYS} working days")])
    with transaction(session_factory) as session:
        term = _target(session, body["clause"], body.get("start_event"))
        if days == term.days and body["source"] == term.source:
            raise InvalidInput(f"{term.clause} already has {days} {term.unit} from that source", field="days")
        row = LegalTermProposal(id=str(uuid.uuid4()), term_id=term.id, days=days, source=body["source"],
                                reason=body["reason"], proposed_by=actor, proposed_at=now, status="proposed")
        session.add(row)
        audit.append(session, at=now, actor=actor, kind="terms_change_proposed", clause=term.clause,
                     data={"proposal": row.id, "clause": term.clause, "start_event": term.start_event,
                           "days_from": term.days, "days_to": days, "source": body["source"],
                           "reason": body["reason"], "proposed_by": actor})
        return _proposal_view(row, term)


def approve(session_factory: SessionFactory, proposal_id: str, *, actor: str, now: datetime) -> dict[str, Any]:
    with transaction(session_factory) as session:
        row = session.get(LegalTermProposal, proposal_id)
        if row is None:
            raise NotFound(f"no proposed change of the terms {proposal_id}")
        if row.status != "proposed":
            raise Conflict(f"the change was already {row.status}")
        if row.proposed_by == actor:
            raise Forbidden("a change of the legal terms needs a second person: the proposer cannot approve it")
        term = session.get(LegalTermRow, row.term_id)
        assert term is not None  # the foreign key
        days_from = term.days
        view = _proposal_view(row, term)
        term.days, term.source, term.version = row.days, row.source, term.version + 1
        term.changed_at, term.changed_by = now, actor
        row.status, row.approved_by, row.approved_at = "approved", actor, now
        audit.append(session, at=now, actor=actor, kind="terms_change_approved", clause=term.clause,
                     data={"proposal": row.id, "clause": term.clause, "start_event": term.start_event,
                           "days_from": days_from, "days_to": row.days, "source": row.source, "version": term.version,
                           "proposed_by": row.proposed_by, "approved_by": actor})
        view.update(status="approved", approved_by=actor, approved_at=legal_time.iso(now))
        session.flush()
        effective = [_as_term(r) for r in _rows(session)]
    legal_time.set_effective_terms(effective)
    return view
