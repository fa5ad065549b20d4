"""Incidents of failed service tasks (CONTRACT.md §3): list, retry, resolve with a reason. Administrators only."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint
from flask import request

from engine import InvalidInput
from web.api import json_body, schemas
from web.auth import requires, user
from web.services import services

bp = APIBlueprint("api_incidents", __name__, url_prefix="/api/v1/incidents", tag="Incidents")

STATUSES = {"open": "open", "resolved": "resolved", "all": None}
RESOLVE = schemas.obj({"resolution": schemas.text(2000)}, required=("resolution",))


@bp.get("")
@bp.doc(summary="Incidents, newest first (default: the open ones; ?status=resolved|all)")
@requires("admin")
def list_incidents() -> Any:
    status = request.args.get("status") or "open"
    if status not in STATUSES:
        raise InvalidInput(f"one of: {', '.join(STATUSES)}", field="status")
    return services().engine.admin.list_incidents(status=STATUSES[status])


@bp.post("/<incident_id>/retry")
@bp.doc(summary="Run the failed step again now; the answer shows the incident afterwards (resolved, or its "
                "new attempt's error)")
@requires("admin")
def retry_incident(incident_id: str) -> Any:
    return services().engine.admin.retry_incident(incident_id, actor=user().username)


@bp.post("/<incident_id>/resolve")
@bp.doc(summary="Close the incident with a recorded reason; a step still waiting runs again at the next "
                "scheduler pass")
@requires("admin")
def resolve_incident(incident_id: str) -> Any:
    body = json_body(RESOLVE)
    return services().engine.admin.resolve_incident(incident_id, actor=user().username, resolution=body["resolution"])
