"""Tokens for API clients: exchange a user name and password for a Bearer token, revoke it."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint
from flask import request

from engine import FieldProblem, InvalidInput
from web.api import json_body
from web.auth import presented_token, requires
from web.services import services

bp = APIBlueprint("api_auth", __name__, url_prefix="/api/v1/auth", tag="Auth")


@bp.post("/token")
@bp.doc(summary="Exchange a user name and password for a Bearer token",
        description="401 for an unknown user name or a wrong password (the same answer for both); 429 with "
                    "Retry-After after repeated failures of the account from this address, or from this address "
                    "across accounts.")
def token() -> Any:
    body = json_body()
    if not isinstance(body, dict):
        raise InvalidInput("the body must be a JSON object")
    problems = [FieldProblem(f, "is required") for f in ("username", "password")
                if not isinstance(body.get(f), str) or not body.get(f)]
    if problems:
        raise InvalidInput(problems)
    accounts = services().accounts
    user = accounts.authenticate(body["username"], body["password"], address=request.remote_addr or "")
    return {"token": accounts.issue_token(user), "roles": list(user.roles), "username": user.username}


@bp.delete("/token")
@bp.doc(summary="Revoke the presented Bearer token for good (sign out an API client)",
        responses={204: "Revoked: the token answers 401 from now on"})
@requires()
def revoke_token() -> Any:
    services().accounts.revoke_token(presented_token() or "")
    return "", 204
