"""The JSON API under /api/v1 (CONTRACT.md §2)."""

from __future__ import annotations

from typing import Any

from flask import request

from engine.errors import InvalidInput


def json_body() -> Any:
    """The request's JSON body, or a 422 naming what is wrong with it."""
    if not request.data:
        raise InvalidInput("a JSON body is required", field="")
    body = request.get_json(silent=True)
    if body is None:
        raise InvalidInput("the body is not valid JSON (Content-Type: application/json)", field="")
    return body


def int_arg(name: str, default: int, *, minimum: int = 0, maximum: int = 1000) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidInput("must be a whole number", field=name) from None
    if not minimum <= value <= maximum:
        raise InvalidInput(f"must be between {minimum} and {maximum}", field=name)
    return value


def moment_arg(name: str) -> Any:
    from datetime import datetime

    raw = request.args.get(name)
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw.replace(" ", "+"))
    except ValueError:
        raise InvalidInput("must be an ISO-8601 moment with offset", field=name) from None
    if value.tzinfo is None:
        raise InvalidInput("needs a time zone offset", field=name)
    return value


def register_blueprints(app: Any) -> None:
    from web.api import admin, applications, audit, auth, complaints, processes, register, tasks

    for module in (auth, admin, applications, tasks, register, audit, processes, complaints):
        app.register_blueprint(module.bp)
