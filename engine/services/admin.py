"""The administrators' use cases: incidents (failed service tasks waiting for a person) and outbox
deliveries that went dead."""

from __future__ import annotations

from typing import Any

from engine import outbox
from engine.runtime import incidents
from engine.services.parts import EngineParts
from engine.transactions import reading, transaction


class AdminService:
    def __init__(self, parts: EngineParts) -> None:
        self._parts = parts
        self._sf = parts.session_factory

    def list_incidents(self, *, status: str | None = "open", instance_id: str | None = None) -> list[dict[str, Any]]:
        with reading(self._sf) as session:
            return incidents.listing(session, status=status, instance_id=instance_id)

    def held_by_incidents(self) -> list[dict[str, Any]]:
        """Open incidents with the legal terms that keep running on their instances (officers' view)."""
        with reading(self._sf) as session:
            return incidents.held(session)

    def get_incident(self, incident_id: str) -> dict[str, Any]:
        return incidents.get(self._sf, incident_id)

    def retry_incident(self, incident_id: str, *, actor: str) -> dict[str, Any]:
        return incidents.retry(self._sf, self._parts.runtime, incident_id, actor=actor)

    def resolve_incident(self, incident_id: str, *, actor: str, resolution: Any) -> dict[str, Any]:
        return incidents.resolve(self._sf, self._parts.runtime, incident_id, actor=actor, resolution=resolution)

    def list_deliveries(self, *, status: str | None = "dead") -> tuple[list[dict[str, Any]], dict[str, int]]:
        """Deliveries in ``status`` (newest first) and how many there are in each state."""
        with reading(self._sf) as session:
            return outbox.deliveries(session, status=status), outbox.counts(session)

    def requeue_delivery(self, delivery_id: int, *, actor: str) -> dict[str, Any]:
        with transaction(self._sf) as session:
            return outbox.requeue(session, delivery_id, actor=actor, now=self._parts.clock.now())
