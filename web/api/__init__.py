"""The JSON API under /api/v1 (CONTRACT.md §2), and its one input layer.

Every JSON body goes through :func:`json_body`: UTF-8 only (no byte-order mark, no UTF-16/32), strict JSON
(no NaN, no duplicate keys), no NUL character or lone surrogate in any string or field name, nesting at most
MAX_DEPTH levels, at most MAX_VALUES values and MAX_STRING characters a string, then the endpoint's JSON Schema
(web/api/schemas.py). Every moment, in a query or a body, goes through :func:`parse_moment`.
"""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, datetime
from typing import Any

from flask import request
from jsonschema import Draft202012Validator, FormatChecker
from werkzeug.exceptions import RequestEntityTooLarge, UnsupportedMediaType

from engine import FieldProblem, InvalidInput
from forms import format_checker, schema_errors

MAX_BODY_BYTES = 1024 * 1024
MAX_DEPTH = 32
MAX_VALUES = 20_000
MAX_STRING = 100_000
MAX_PROBLEMS = 20
FIRST_YEAR, LAST_YEAR = 2000, 2100  # the moments the system handles, in UTC
MOMENT_HELP = f"an ISO-8601 moment with offset between the years {FIRST_YEAR} and {LAST_YEAR}, " \
              "e.g. 2025-03-20T10:00:00+05:00"

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_NOT_TEXT = re.compile("[\x00\ud800-\udfff]")


def json_body(schema: dict[str, Any] | None = None, *, max_bytes: int = MAX_BODY_BYTES,
              optional: bool = False) -> Any:
    """The request's JSON body checked as the module says, or a 413/415/422 naming what is wrong with it.
    An ``optional`` body may be left out (the answer is then ``{}``)."""
    if request.content_length is not None and request.content_length > max_bytes:
        raise RequestEntityTooLarge(f"the body is larger than {_size(max_bytes)}")
    raw = request.get_data(cache=True)
    if not raw:
        if optional:
            return {}
        raise InvalidInput("a JSON body is required", field="")
    if len(raw) > max_bytes:
        raise RequestEntityTooLarge(f"the body is larger than {_size(max_bytes)}")
    body = decode_json(raw, request.mimetype, request.mimetype_params.get("charset"))
    problems = value_problems(body)
    if not problems and schema is not None:
        problems = [FieldProblem(e.field, e.message) for e in schema_errors(_validator(schema), body)]
    if problems:
        raise InvalidInput(problems[:MAX_PROBLEMS])
    return body


def decode_json(raw: bytes, mimetype: str, charset: str | None) -> Any:
    """Strictly decode a JSON body: UTF-8 only, standard JSON only."""
    if mimetype != "application/json" and not mimetype.endswith("+json"):
        raise UnsupportedMediaType("send the body as JSON with Content-Type: application/json")
    if charset is not None and charset.lower() not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"JSON bodies are UTF-8 only, not {charset[:20]}")
    if raw.startswith(_BOMS) or b"\x00" in raw:
        raise UnsupportedMediaType("JSON bodies are UTF-8 only, without a byte-order mark (not UTF-16 or UTF-32)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnsupportedMediaType(f"the body is not valid UTF-8 (byte {exc.start})") from None
    try:
        return json.loads(text, parse_constant=_no_constant, object_pairs_hook=_no_duplicates)
    except RecursionError:
        raise InvalidInput(f"the body is nested deeper than {MAX_DEPTH} levels", field="") from None
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"the body is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
                           field="") from None
    except ValueError as exc:
        raise InvalidInput(f"the body is not valid JSON: {str(exc)[:200]}", field="") from None


def value_problems(body: Any) -> list[FieldProblem]:
    """What makes a decoded body unfit whatever the endpoint: depth, size, and strings that are not text."""
    problems: list[FieldProblem] = []
    stack: list[tuple[Any, str, int]] = [(body, "", 1)]
    count = 0
    while stack and len(problems) < MAX_PROBLEMS:
        value, path, depth = stack.pop()
        count += 1
        if count > MAX_VALUES:
            return [FieldProblem("", f"the body holds more than {MAX_VALUES} values")]
        if depth > MAX_DEPTH:
            problems.append(FieldProblem(path, f"nested deeper than {MAX_DEPTH} levels"))
        elif isinstance(value, str):
            problem = _text_problem(value)
            if problem:
                problems.append(FieldProblem(path, problem))
        elif isinstance(value, float) and not math.isfinite(value):
            problems.append(FieldProblem(path, "must be a finite number"))
        elif isinstance(value, dict):
            for key, item in reversed(value.items()):
                where = f"{path}.{key}" if path else str(key)
                problem = _text_problem(key)
                if problem:
                    problems.append(FieldProblem(where, f"the field name {problem}"))
                stack.append((item, where, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, f"{path}.{i}" if path else str(i), depth + 1)
                         for i, item in reversed(list(enumerate(value))))
    return problems


def parse_moment(raw: Any, field: str) -> datetime:
    """An ISO-8601 moment with offset that converts to UTC within FIRST_YEAR..LAST_YEAR, or a 422 on ``field``."""
    if not isinstance(raw, str) or len(raw) > 40:
        raise InvalidInput(f"must be {MOMENT_HELP}", field=field)
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(f"must be {MOMENT_HELP}", field=field) from None
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(f"needs a time zone offset: {MOMENT_HELP}", field=field)
    try:
        year = value.astimezone(UTC).year
    except OverflowError:
        year = value.year
    if not FIRST_YEAR <= year <= LAST_YEAR or not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise InvalidInput(f"lies outside the years the system handles: {MOMENT_HELP}", field=field)
    return value


def is_moment(value: object) -> bool:
    """The ``moment`` format of the schemas (non-strings are the ``type`` keyword's business)."""
    if not isinstance(value, str):
        return True
    try:
        parse_moment(value, "")
    except InvalidInput:
        return False
    return True


def int_arg(name: str, default: int, *, minimum: int = 0, maximum: int = 1000) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if len(raw) > 20:
        raise InvalidInput(f"must be between {minimum} and {maximum}", field=name)
    try:
        value = int(raw)
    except ValueError:
        raise InvalidInput("must be a whole number", field=name) from None
    if not minimum <= value <= maximum:
        raise InvalidInput(f"must be between {minimum} and {maximum}", field=name)
    return value


def moment_arg(name: str) -> datetime | None:
    raw = request.args.get(name)
    if not raw:
        return None
    return parse_moment(raw.replace(" ", "+"), name)  # a '+' in a query string arrives as a space


def _text_problem(value: str) -> str | None:
    if len(value) > MAX_STRING:
        return f"is longer than {MAX_STRING} characters"
    bad = _NOT_TEXT.search(value)
    if bad is None:
        return None
    if bad.group() == "\x00":
        return "must not contain a NUL character (U+0000)"
    return "must not contain a lone surrogate (U+D800..U+DFFF): it is not valid Unicode text"


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            raise ValueError(f"the field {key[:50]!r} appears twice")
        seen.add(key)
    return dict(pairs)


def _size(limit: int) -> str:
    return f"{limit // 1024} KB" if limit < 1024 * 1024 else f"{limit // (1024 * 1024)} MB"


def _checker() -> FormatChecker:
    checker = format_checker()
    checker.checks("moment")(is_moment)
    return checker


_FORMATS = _checker()
_VALIDATORS: dict[int, Draft202012Validator] = {}


def _validator(schema: dict[str, Any]) -> Draft202012Validator:
    """The schema's validator, made once (the schemas are module constants)."""
    validator = _VALIDATORS.get(id(schema))
    if validator is None:
        Draft202012Validator.check_schema(schema)
        validator = _VALIDATORS[id(schema)] = Draft202012Validator(schema, format_checker=_FORMATS)
    return validator
