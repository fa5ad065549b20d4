"""The licence register and the pool-change notices (CONTRACT.md §2 Licence register)."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint

from web.api import json_body, moment_arg, schemas
from web.auth import requires, user
from web.services import services

bp = APIBlueprint("api_register", __name__, url_prefix="/api/v1/licences", tag="Licence register")


@bp.get("/<number>")
@bp.doc(summary="A licence as it stood at 'at' (default: now)")
@requires("portal", "officer", "head", "signer", "auditor", "admin")
def get_licence(number: str) -> Any:
    return services().licensing.licence(number, user=user(), at=moment_arg("at"))


@bp.post("/<number>/pool-notices")
@bp.doc(summary="Notice of a change of mining-pool information (R16); late notices are accepted and flagged")
@requires("portal", "officer")
def pool_notice(number: str) -> Any:
    return services().licensing.pool_notice(
        number, json_body(schemas.POOL_NOTICE, max_bytes=schemas.POOL_NOTICE_MAX_BYTES), user=user()), 201
