"""Frozen views the engine returns to callers; no SpiffWorkflow object or ORM row leaves the engine."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from engine import legal_time


def _iso(value: datetime | None) -> str | None:
    return legal_time.iso(value) if value is not None else None


@dataclass(frozen=True)
class DefinitionView:
    key: str
    version: int
    deployed_at: datetime
    deployed_by: str
    sha256: str
    source_name: str
    created: bool = True
    instances: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "version": self.version, "deployed_at": _iso(self.deployed_at),
                "deployed_by": self.deployed_by, "sha256": self.sha256, "source_name": self.source_name,
                "instances": self.instances}


@dataclass(frozen=True)
class TaskView:
    id: str
    name: str
    element: str
    clause: str
    role: str
    form_key: str
    status: str
    instance_id: str
    process_key: str
    application_id: str | None
    applicant_name: str | None
    bin_iin: str | None
    subtype: str | None
    created_at: datetime
    due_at: datetime | None
    overdue: bool
    claimed_by: str | None
    completed_at: datetime | None = None
    completed_by: str | None = None
    data: dict[str, Any] | None = None
    draft: dict[str, Any] | None = None
    working_days_left: int | None = None
    names: dict[str, str] | None = None

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for key in ("created_at", "due_at", "completed_at"):
            d[key] = _iso(d[key])
        return d


@dataclass(frozen=True)
class TimerView:
    element: str
    name: str
    clause: str
    due_at: datetime
    fired_at: datetime | None
    cancelled_at: datetime | None
    attached_to: str | None

    def as_dict(self) -> dict[str, Any]:
        return {"element": self.element, "name": self.name, "clause": self.clause, "due_at": _iso(self.due_at),
                "fired_at": _iso(self.fired_at), "cancelled_at": _iso(self.cancelled_at),
                "attached_to": self.attached_to}


@dataclass(frozen=True)
class EventView:
    id: int
    seq: int
    at: datetime
    actor: str
    kind: str
    element: str | None
    clause: str | None
    data: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "seq": self.seq, "at": _iso(self.at), "actor": self.actor, "kind": self.kind,
                "element": self.element, "clause": self.clause, "data": self.data}


@dataclass(frozen=True)
class InstanceView:
    id: str
    process_key: str
    process_version: int
    status: str
    business_key: str | None
    started_at: datetime
    ended_at: datetime | None
    outcome: str | None
    term_breached: bool
    completed: list[str]
    active: list[str]
    last_error: str | None = None
    timers: list[TimerView] = field(default_factory=list)
    events: list[EventView] = field(default_factory=list)
    tasks: list[TaskView] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "process": {"key": self.process_key, "version": self.process_version},
            "status": self.status,
            "application_id": self.business_key,
            "started_at": _iso(self.started_at),
            "ended_at": _iso(self.ended_at),
            "outcome": self.outcome,
            "term_breached": self.term_breached,
            "completed": self.completed,
            "active": self.active,
            "last_error": self.last_error,
            "timers": [t.as_dict() for t in self.timers],
            "events": [e.as_dict() for e in self.events],
        }
