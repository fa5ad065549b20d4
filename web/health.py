"""Liveness with a database check, and Prometheus metrics."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint
from sqlalchemy import text

from web.errors import problem
from web.services import services

bp = APIBlueprint("health", __name__, tag="Health")


@bp.get("/healthz")
@bp.doc(summary="200 when the database answers, 503 otherwise")
def healthz() -> Any:
    try:
        with services().engine.session_factory() as session:
            session.execute(text("SELECT 1"))
    except Exception:
        return problem(503, "the database is not reachable")
    return {"status": "ok"}
