"""The append-only, hash-chained audit log.

Each instance has its own chain (events outside any instance go to the "system" chain), so steps on
different instances never contend for one head. An event's hash covers its content and the previous
event's hash; ``audit_chain_head`` keeps the last hash, so a deleted or truncated tail is caught too.
Nothing in the application updates or deletes an event.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.store.tables import AuditEvent, ChainHead

SYSTEM_CHAIN = "system"
GENESIS = "0" * 64


def _canonical(event: AuditEvent) -> bytes:
    body = {
        "chain": event.chain,
        "seq": event.seq,
        "at": event.at.isoformat(timespec="microseconds"),
        "actor": event.actor,
        "kind": event.kind,
        "instance_id": event.instance_id,
        "element": event.element,
        "clause": event.clause,
        "data": event.data,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def event_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_canonical(event)).hexdigest()


def append(
    session: Session,
    *,
    at: datetime,
    actor: str,
    kind: str,
    instance_id: str | None = None,
    element: str | None = None,
    clause: str | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to its chain (the caller's transaction commits it)."""
    chain = instance_id or SYSTEM_CHAIN
    heads: dict[str, ChainHead] = session.info.setdefault("audit_heads", {})
    head = heads.get(chain)  # one lookup per chain and transaction; the row stays locked and in the session
    if head is None:
        query = select(ChainHead).where(ChainHead.chain == chain)
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update()
        with session.no_autoflush:
            head = session.scalars(query).first()
        if head is None:
            head = ChainHead(chain=chain, seq=0, hash=GENESIS)
            session.add(head)
        heads[chain] = head
    event = AuditEvent(
        chain=chain,
        seq=head.seq + 1,
        at=at,
        actor=actor,
        kind=kind,
        instance_id=instance_id,
        element=element,
        clause=clause,
        data=json.loads(json.dumps(data or {}, default=str)),
        prev_hash=head.hash,
    )
    event.hash = event_hash(event)
    head.seq, head.hash = event.seq, event.hash
    session.add(event)
    return event


@dataclass(frozen=True)
class VerifyResult:
    valid: bool
    events: int
    chains: int
    failures: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        return {"valid": self.valid, "events": self.events, "chains": self.chains, "failures": self.failures}


def verify(session: Session, *, chain: str | None = None, batch: int = 5000) -> VerifyResult:
    """Recompute every hash of one chain (or all) and name each event that does not match."""
    heads = {h.chain: h for h in session.scalars(select(ChainHead))}
    query = select(AuditEvent).order_by(AuditEvent.chain, AuditEvent.seq)
    if chain is not None:
        query = query.where(AuditEvent.chain == chain)
    failures: list[dict[str, Any]] = []
    count = 0
    current: str | None = None
    prev = GENESIS
    expected_seq = 1
    seen: set[str] = set()

    def fail(event: AuditEvent | None, chain_name: str, reason: str) -> None:
        failures.append({"chain": chain_name, "event_id": event.id if event else None,
                         "seq": event.seq if event else None, "kind": event.kind if event else None,
                         "reason": reason})

    def close(chain_name: str, last_seq: int, last_hash: str) -> None:
        head = heads.get(chain_name)
        if head is None or head.seq != last_seq or head.hash != last_hash:
            fail(None, chain_name, f"chain ends at event {last_seq} but its recorded head is "
                                   f"{head.seq if head else 'missing'}: events were removed or added")

    for event in session.execute(query.execution_options(yield_per=batch)).scalars():
        count += 1
        if event.chain != current:
            if current is not None:
                close(current, expected_seq - 1, prev)
            current, prev, expected_seq = event.chain, GENESIS, 1
            seen.add(event.chain)
        if event.seq != expected_seq:
            fail(event, event.chain, f"sequence gap: expected event {expected_seq}, found {event.seq}")
        if event.prev_hash != prev:
            fail(event, event.chain, "does not link to the previous event")
        if event_hash(event) != event.hash:
            fail(event, event.chain, "content was altered: its hash does not match")
        prev, expected_seq = event.hash, event.seq + 1
    if current is not None:
        close(current, expected_seq - 1, prev)
    for name, head in heads.items():
        if name not in seen and (chain is None or chain == name) and head.seq > 0:
            fail(None, name, "every event of this chain is missing")
    return VerifyResult(valid=not failures, events=count, chains=len(seen), failures=failures)
