"""The licence register: licences, their annexes and every change of status, queryable as of a moment."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import legal_time
from engine.documents.dates import licence_valid_until
from engine.errors import NotFound
from engine.store.licensing_tables import Licence, LicenceState, PoolNotice


def create(
    session: Session,
    *,
    number: str,
    subtype: str,
    holder: dict[str, Any],
    data_centers: list[dict[str, Any]],
    annexes: list[dict[str, Any]],
    pool: dict[str, Any] | None,
    issued_at: datetime,
    application_id: str | None,
    instance_id: str | None,
    replaces: str | None = None,
) -> Licence:
    licence = Licence(number=number, subtype=subtype, holder_bin_iin=holder["bin_iin"], holder_name=holder["name"],
                      issued_at=issued_at, application_id=application_id, replaces=replaces)
    session.add(licence)
    session.flush()
    snapshot = {"holder": holder, "data_centers": data_centers, "annexes": annexes, "pool": pool,
                "replaces": replaces}
    session.add(LicenceState(licence_number=number, valid_from=issued_at, status="active", status_until=None,
                             snapshot=snapshot, reason="issued" if not replaces else f"reissued, replaces {replaces}",
                             instance_id=instance_id))
    if replaces:
        old = session.get(Licence, replaces)
        if old is not None and old.replaced_by is None:
            old.replaced_by = number
            change(session, replaces, status="replaced", at=issued_at, reason=f"replaced by {number}",
                   instance_id=instance_id)
    session.flush()
    return licence


def current_state(session: Session, number: str, at: datetime | None = None) -> LicenceState | None:
    query = select(LicenceState).where(LicenceState.licence_number == number)
    if at is not None:
        query = query.where(LicenceState.valid_from <= at)
    return session.scalars(query.order_by(LicenceState.valid_from.desc(), LicenceState.id.desc())).first()


def change(
    session: Session,
    number: str,
    *,
    status: str,
    at: datetime,
    reason: str,
    until: datetime | None = None,
    instance_id: str | None = None,
    snapshot_update: dict[str, Any] | None = None,
) -> LicenceState:
    """Record a new state from ``at`` on; the previous snapshot is carried over."""
    previous = current_state(session, number)
    if previous is None:
        raise NotFound(f"licence {number} does not exist")
    snapshot = dict(previous.snapshot)
    snapshot.update(snapshot_update or {})
    state = LicenceState(licence_number=number, valid_from=at, status=status, status_until=until,
                         snapshot=snapshot, reason=reason, instance_id=instance_id)
    session.add(state)
    session.flush()
    return state


def annex_numbers(state: LicenceState) -> list[str]:
    return [str(a.get("number")) for a in state.snapshot.get("annexes", [])]


def change_annex(
    session: Session,
    number: str,
    annex_number: str,
    *,
    status: str,
    at: datetime,
    reason: str,
    until: datetime | None = None,
    instance_id: str | None = None,
) -> LicenceState:
    """Record a new state of one annex from ``at`` on; the licence and its other annexes keep theirs."""
    previous = current_state(session, number)
    if previous is None:
        raise NotFound(f"licence {number} does not exist")
    if annex_number not in annex_numbers(previous):
        raise NotFound(f"licence {number} has no annex {annex_number}")
    annexes = [{**a, "status": status, "status_until": legal_time.iso(until) if until else None}
               if a.get("number") == annex_number else a for a in previous.snapshot.get("annexes", [])]
    state = LicenceState(licence_number=number, valid_from=at, status=previous.status,
                         status_until=previous.status_until, snapshot={**previous.snapshot, "annexes": annexes},
                         reason=f"annex {annex_number}: {reason}", instance_id=instance_id)
    session.add(state)
    session.flush()
    return state


def add_annex(session: Session, number: str, *, data_centers: list[dict[str, Any]], at: datetime,
              instance_id: str | None = None) -> str:
    """Add an annex (new data centres) to a licence from ``at`` on; returns the annex's number. The licence keeps
    its status, its term and its other annexes."""
    previous = current_state(session, number)
    if previous is None:
        raise NotFound(f"licence {number} does not exist")
    annexes = list(previous.snapshot.get("annexes", []))
    annex_number = f"{number}/{len(annexes) + 1}"
    annexes.append({"number": annex_number, "issued_at": legal_time.iso(at), "data_centers": data_centers})
    snapshot = {**previous.snapshot, "annexes": annexes,
                "data_centers": [*previous.snapshot.get("data_centers", []), *data_centers]}
    session.add(LicenceState(licence_number=number, valid_from=at, status=previous.status,
                             status_until=previous.status_until, snapshot=snapshot,
                             reason=f"annex {annex_number} issued", instance_id=instance_id))
    session.flush()
    return annex_number


def _annex_at(annex: dict[str, Any], at: datetime) -> dict[str, Any]:
    """An annex as the register shows it at ``at``: active, suspended (until a moment or a decision) or revoked."""
    status = annex.get("status") or "active"
    until = annex.get("status_until")
    if status == "suspended" and until and at >= datetime.fromisoformat(until):
        status, until = "active", None
    view = {k: v for k, v in annex.items() if k != "status_until"}
    return {**view, "status": status, "suspended_until": until if status == "suspended" else None}


def status_at(state: LicenceState, at: datetime) -> str:
    if state.status == "suspended" and state.status_until is not None and at >= state.status_until:
        return "active"
    return state.status


def original_issue(session: Session, licence: Licence) -> datetime:
    """When the first licence of a reissue line was issued: a reissue keeps the original term."""
    seen = {licence.number}
    while licence.replaces and licence.replaces not in seen:
        previous = session.get(Licence, licence.replaces)
        if previous is None:
            break
        seen.add(previous.number)
        licence = previous
    return licence.issued_at


def as_of(session: Session, number: str, at: datetime) -> dict[str, Any]:
    licence = session.get(Licence, number)
    if licence is None:
        raise NotFound(f"licence {number} does not exist")
    state = current_state(session, number, at)
    if state is None:
        raise NotFound(f"licence {number} was not yet issued at {legal_time.iso(at)}")
    snap = state.snapshot
    status = status_at(state, at)
    first_issued = original_issue(session, licence)
    valid_until = licence_valid_until(legal_time.to_local(first_issued).date())
    if status in ("active", "suspended") and legal_time.to_local(at).date() > valid_until:
        status = "expired"  # three years (Law on digital assets, art. 9); valid_until is the last day
    pools = session.scalars(select(PoolNotice).where(PoolNotice.licence_number == number,
                                                     PoolNotice.received_at <= at).order_by(PoolNotice.id))
    return {
        "number": licence.number,
        "subtype": licence.subtype,
        "holder": {"bin_iin": snap["holder"]["bin_iin"], "name": snap["holder"]["name"]},
        "status": status if status in ("revoked", "suspended", "replaced", "expired") else "active",
        "suspended_until": legal_time.iso(state.status_until) if status == "suspended" and state.status_until
        else None,
        "issued_at": legal_time.iso(licence.issued_at),
        "original_issued_at": legal_time.iso(first_issued),
        "valid_until": valid_until.isoformat(),
        "data_centers": snap.get("data_centers", []),
        "annexes": [_annex_at(a, at) for a in snap.get("annexes", [])],
        "pool": snap.get("pool"),
        "replaces": licence.replaces,
        "replaced_by": licence.replaced_by if status == "replaced" else None,
        "as_of": legal_time.iso(at),
        "pool_notices": [{"changed_at": legal_time.iso(p.changed_at), "received_at": legal_time.iso(p.received_at),
                          "due_at": legal_time.iso(p.due_at), "late": p.late, "pool": p.pool} for p in pools],
        "history": [
            {"from": legal_time.iso(s.valid_from), "status": s.status,
             "until": legal_time.iso(s.status_until) if s.status_until else None, "reason": s.reason}
            for s in session.scalars(select(LicenceState).where(LicenceState.licence_number == number,
                                                                LicenceState.valid_from <= at)
                                     .order_by(LicenceState.valid_from, LicenceState.id))
        ],
    }
