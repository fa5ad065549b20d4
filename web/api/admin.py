"""Operator endpoints: the simulated clock and the simulated e-government gateway."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from apiflask import APIBlueprint

from engine import legal_time
from engine.errors import InvalidInput, NotFound
from web.api import json_body
from web.auth import requires
from web.services import services

bp = APIBlueprint("api_admin", __name__, url_prefix="/api/v1/admin", tag="Simulation")


def _require_simulated() -> None:
    if not services().clock.simulated:
        raise NotFound("the clock is not simulated (start with --clock simulated)")


@bp.get("/clock")
@bp.doc(summary="The simulated clock's moment")
@requires("admin")
def get_clock() -> Any:
    _require_simulated()
    return {"now": legal_time.iso(services().clock.now())}


@bp.put("/clock")
@bp.doc(summary="Set the simulated clock; every timer due up to it fires, in due order, before the answer")
@requires("admin")
def set_clock() -> Any:
    _require_simulated()
    body = json_body()
    raw = body.get("now") if isinstance(body, dict) else None
    if not isinstance(raw, str):
        raise InvalidInput("an ISO-8601 moment with offset is required", field="now")
    try:
        target = datetime.fromisoformat(raw)
    except ValueError:
        raise InvalidInput("not an ISO-8601 moment", field="now") from None
    if target.tzinfo is None:
        raise InvalidInput("the moment needs a time zone offset", field="now")
    fired = services().engine.set_clock(target)
    return {"now": legal_time.iso(services().clock.now()), "fired": [f.as_dict() for f in fired]}


@bp.put("/gateway/<registry>/<bin_iin>")
@bp.doc(summary="Seed the simulated e-government gateway")
@requires("admin")
def seed_gateway(registry: str, bin_iin: str) -> Any:
    _require_simulated()
    return services().licensing.seed_gateway(registry, bin_iin, json_body())
