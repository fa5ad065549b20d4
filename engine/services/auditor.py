"""The auditors' use cases: search and export instances, reports, the audit log's integrity, an instance's
monitoring feed with its delivery states, and the log of what auditors looked at."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from engine import audit, inspection, legal_time, outbox
from engine.services.parts import EngineParts
from engine.store.tables import OutboxEvent
from engine.transactions import reading, transaction


class AuditorService:
    def __init__(self, parts: EngineParts) -> None:
        self._parts = parts
        self._sf = parts.session_factory

    def search(self, f: inspection.InstanceFilter, *, offset: int = 0,
               limit: int = 50) -> tuple[list[dict[str, Any]], int]:
        with reading(self._sf) as session:
            return inspection.search(session, f, offset=offset, limit=limit)

    def reports(self, *, since: datetime | None = None, until: datetime | None = None) -> dict[str, Any]:
        with reading(self._sf) as session:
            return inspection.reports(session, since=since, until=until)

    def verify_audit(self, *, instance_id: str | None = None) -> audit.VerifyResult:
        with reading(self._sf) as session:
            return audit.verify(session, chain=instance_id)

    def feed(self, instance_id: str) -> list[dict[str, Any]]:
        """The monitoring events (R18) an instance produced, in order."""
        with reading(self._sf) as session:
            rows = session.scalars(select(OutboxEvent).where(OutboxEvent.instance_id == instance_id)
                                   .order_by(OutboxEvent.id))
            return [feed_event(r) for r in rows]

    def delivery_states(self, instance_id: str) -> dict[str, dict[int, dict[str, Any]]]:
        with reading(self._sf) as session:
            return outbox.delivery_states(session, instance_id)

    def log_access(self, *, actor: str, kind: str, data: dict[str, Any]) -> None:
        """What an auditor searched, viewed or exported goes to the audit log (its own transaction)."""
        with transaction(self._sf) as session:
            inspection.log_access(session, actor=actor, kind=kind, now=self._parts.clock.now(), data=data)

    def recent_access(self, *, limit: int = 50) -> list[dict[str, Any]]:
        with reading(self._sf) as session:
            return inspection.recent_access(session, limit)


def feed_event(r: OutboxEvent) -> dict[str, Any]:
    return {"id": r.id, "at": legal_time.iso(r.at), "instance_id": r.instance_id, "application_id": r.application_id,
            "kind": r.kind, "element": r.element, "clause": r.clause, "payload": r.payload}
