"""Operator endpoints: the simulated clock and the simulated e-government gateway."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint

from engine import NotFound, legal_time
from web.api import json_body, parse_moment, schemas
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
    body = json_body(schemas.CLOCK)
    fired = services().engine.operator.set_clock(parse_moment(body["now"], "now"))
    return {"now": legal_time.iso(services().clock.now()), "fired": [f.as_dict() for f in fired]}


@bp.put("/gateway/<registry>/<bin_iin>")
@bp.doc(summary="Seed the simulated e-government gateway")
@requires("admin")
def seed_gateway(registry: str, bin_iin: str) -> Any:
    _require_simulated()
    return services().licensing.seed_gateway(registry, bin_iin, json_body(schemas.GATEWAY_SEEDS.get(registry)))
