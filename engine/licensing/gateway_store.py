"""The simulated e-government gateway's seeds, kept in the database (CONTRACT: admin/gateway)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from engine.errors import FieldProblem, InvalidInput, NotFound
from engine.gateway import REGISTRIES, validate_seed
from engine.store.tables import GatewaySeed


class DbSeedStore:
    """SeedStore over the step's session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, registry: str, bin_iin: str) -> dict[str, Any] | None:
        row = self.session.get(GatewaySeed, (registry, bin_iin))
        return dict(row.body) if row else None


def seed(session: Session, registry: str, bin_iin: str, body: Any, *, now: datetime) -> dict[str, Any]:
    if registry not in REGISTRIES:
        raise NotFound(f"unknown registry '{registry}'; known: {', '.join(REGISTRIES)}")
    if not (isinstance(bin_iin, str) and len(bin_iin) == 12 and bin_iin.isdigit()):
        raise InvalidInput("a BIN/IIN has 12 digits", field="bin_iin")
    if not isinstance(body, dict):
        raise InvalidInput("the body must be a JSON object")
    problems = validate_seed(registry, body)
    if problems:
        raise InvalidInput([FieldProblem(field, message) for field, message in problems])
    row = session.get(GatewaySeed, (registry, bin_iin))
    if row is None:
        session.add(GatewaySeed(registry_name=registry, bin_iin=bin_iin, body=body, updated_at=now))
    else:
        row.body, row.updated_at = body, now
    return {"registry": registry, "bin_iin": bin_iin, "body": body}
