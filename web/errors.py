"""The one mapping from engine errors to HTTP answers: JSON ``{"errors": [...]}`` for every 4xx, its messages in
the language of ``Accept-Language`` (web/error_messages.py)."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, current_app, jsonify, request
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from engine import (
    Conflict,
    DefinitionInvalid,
    Forbidden,
    InvalidInput,
    NotFound,
    ProcessFailure,
    TooManyAttempts,
    Unauthorized,
    Unavailable,
)
from web.error_messages import translate

log = logging.getLogger(__name__)


def problem(status: int, message: str, field: str = "") -> tuple[Any, int]:
    return jsonify({"errors": [{"field": field, "message": translate(message)}]}), status


def problem_or_page(status: int, message: str) -> Any:
    """JSON for the API and for clients asking for JSON; the staff site's own error page for a browser."""
    page = current_app.extensions.get("error_page")
    return page(status) if page is not None and not _wants_json() else problem(status, message)


def register(app: Flask) -> None:
    @app.errorhandler(InvalidInput)
    def _invalid(exc: InvalidInput) -> Any:
        return jsonify({"errors": [{**p.as_dict(), "message": translate(p.message)} for p in exc.problems]}), 422

    @app.errorhandler(DefinitionInvalid)
    def _definition(exc: DefinitionInvalid) -> Any:
        return jsonify({"errors": [
            {"field": p.element or "", "line": p.line, "file": p.file, "message": translate(p.message)}
            for p in exc.problems
        ]}), 422

    @app.errorhandler(NotFound)
    def _not_found(exc: NotFound) -> Any:
        return problem_or_page(404, str(exc))

    @app.errorhandler(Unauthorized)
    def _unauthorized(exc: Unauthorized) -> Any:
        return problem(401, str(exc), exc.field)

    @app.errorhandler(TooManyAttempts)
    def _too_many(exc: TooManyAttempts) -> Any:
        response, status = problem(429, str(exc))
        response.headers["Retry-After"] = str(exc.retry_after_seconds)
        return response, status

    @app.errorhandler(Forbidden)
    def _forbidden(exc: Forbidden) -> Any:
        return problem_or_page(403, str(exc))

    @app.errorhandler(Conflict)
    def _conflict(exc: Conflict) -> Any:
        return problem_or_page(409, str(exc))

    @app.errorhandler(ProcessFailure)
    def _failure(exc: ProcessFailure) -> Any:
        log.error("process failure on %s: %s", request.path, exc)
        return problem(422, f"the process could not continue, nothing was changed: {exc}")

    @app.errorhandler(Unavailable)
    def _unavailable(exc: Unavailable) -> Any:
        response = jsonify({"errors": [{"field": "", "message": translate(str(exc))}]})
        response.headers["Retry-After"] = "5"
        return response, 503

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Any:
        if not _wants_json():  # a browser: the site's own page where there is one, else werkzeug's answer
            return problem_or_page(exc.code, "") if exc.code in (403, 404, 409, 500) else exc
        return problem(exc.code or 500, exc.description or exc.name)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Any:
        # A database error never reaches the client as such: a value the database refuses is the caller's 422,
        # a clash with stored data a 409, and only a database that cannot be reached a 503.
        if isinstance(exc, DataError):
            log.warning("the database refused a value on %s: %s", request.path, exc.orig)
            return problem(422, "a value is not acceptable (out of range, too long or not text); check the input")
        if isinstance(exc, IntegrityError):
            log.warning("integrity error on %s: %s", request.path, exc.orig)
            return problem(409, "the change conflicts with stored data; reload and retry")
        if isinstance(exc, (OperationalError, InterfaceError)) or \
                (isinstance(exc, DBAPIError) and exc.connection_invalidated):
            log.warning("database unavailable: %s", exc)
            message = translate("the database is not reachable; try again")
            response = jsonify({"errors": [{"field": "", "message": message}]})
            response.headers["Retry-After"] = "5"
            return response, 503
        log.exception("unexpected error on %s", request.path)
        return problem_or_page(500, "internal error; it has been logged")


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path in ("/healthz", "/metrics") or \
        request.accept_mimetypes.best == "application/json"
