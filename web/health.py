"""Liveness with a database check, and Prometheus metrics."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint

from web.errors import problem
from web.services import services

bp = APIBlueprint("health", __name__, tag="Health")


@bp.get("/healthz")
@bp.doc(summary="200 when the database answers, 503 otherwise")
def healthz() -> Any:
    if not services().engine.operator.database_answers():
        return problem(503, "the database is not reachable")
    return {"status": "ok"}
