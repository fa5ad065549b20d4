"""Tokens for API clients."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint

from engine.errors import FieldProblem, InvalidInput
from web.api import json_body
from web.services import services

bp = APIBlueprint("api_auth", __name__, url_prefix="/api/v1/auth", tag="Auth")


@bp.post("/token")
@bp.doc(summary="Exchange a user name and password for a Bearer token")
def token() -> Any:
    body = json_body()
    if not isinstance(body, dict):
        raise InvalidInput("the body must be a JSON object")
    problems = [FieldProblem(f, "is required") for f in ("username", "password")
                if not isinstance(body.get(f), str) or not body.get(f)]
    if problems:
        raise InvalidInput(problems)
    accounts = services().accounts
    user = accounts.authenticate(body["username"], body["password"])
    return {"token": accounts.issue_token(user), "roles": list(user.roles), "username": user.username}
