"""Validate data against a form and explain each failure in words, on a dotted field path."""

from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from forms.errors import FieldError
from forms.formats import DESCRIPTIONS, format_checker
from forms.registry import schema_of

_TYPES = {"string": "text", "integer": "a whole number", "number": "a number", "boolean": "true or false",
          "array": "a list", "object": "an object", "null": "null"}


def validate(key: str, data: Any) -> list[FieldError]:
    """Every problem of ``data`` against form ``key``, in the form's order; [] when valid.

    Raises UnknownForm for an unknown key; never raises for bad data."""
    return schema_errors(_validator(key), data)


def schema_errors(validator: Draft202012Validator, data: Any) -> list[FieldError]:
    try:
        failures = list(validator.iter_errors(data))
    except (TypeError, ValueError, RecursionError) as exc:  # data that is not JSON-like
        return [FieldError("", f"the data cannot be validated: {exc}")]
    out: list[FieldError] = []
    for failure in failures:
        for error in _explain(failure, validator.schema):
            if error not in out:
                out.append(error)
    return out


@cache
def _validator(key: str) -> Draft202012Validator:
    schema = schema_of(key)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=format_checker())


def _explain(error: ValidationError, root: dict[str, Any]) -> list[FieldError]:
    path = [str(part) for part in error.absolute_path]
    here = ".".join(path)
    keyword = str(error.validator)
    when = _condition(error, root)
    if keyword == "required":
        present = error.instance if isinstance(error.instance, dict) else {}
        return [FieldError(_join(path, name), f"{name} is required{when}")
                for name in error.validator_value if name not in present]
    if keyword == "additionalProperties":
        known = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        given = error.instance if isinstance(error.instance, dict) else {}
        extra = [name for name in given if name not in known]
        return [FieldError(_join(path, name), f"{name} is not an allowed field") for name in extra]
    custom = error.schema.get("x-errors", {}).get(keyword) if isinstance(error.schema, dict) else None
    if custom:
        return [FieldError(here, str(custom))]
    return [FieldError(here, _message(error, path[-1] if path else "the value", when))]


def _message(error: ValidationError, name: str, when: str) -> str:
    keyword, value = error.validator, error.validator_value
    if keyword == "type":
        kinds = [value] if isinstance(value, str) else list(value)
        return "must be " + " or ".join(_TYPES.get(k, k) for k in kinds)
    if keyword == "enum":
        return "must be one of: " + ", ".join(_show(v) for v in value) + when
    if keyword == "const":
        return f"must be {_show(value)}{when}"
    if keyword == "format":
        return f"must be {DESCRIPTIONS.get(value, value)}"
    if keyword == "minLength":
        return ("must not be empty" if value == 1 else f"must be at least {value} characters long") + when
    if keyword == "maxLength":
        return f"must be at most {value} characters long"
    if keyword in ("minItems", "maxItems"):
        bound = "at least" if keyword == "minItems" else "at most"
        return f"must contain {bound} {'one item' if value == 1 else f'{value} items'}{when}"
    if keyword == "uniqueItems":
        return "must not contain the same item twice"
    if keyword in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        words = {"minimum": "at least", "exclusiveMinimum": "more than", "maximum": "at most",
                 "exclusiveMaximum": "less than"}
        return f"must be {words[keyword]} {value}"
    if keyword == "pattern":
        return "does not have the expected format"
    if keyword in ("not", "None", "false"):
        return f"{name} is not allowed{when}"
    return str(error.message)


def _condition(error: ValidationError, root: dict[str, Any]) -> str:
    """' when decision is incomplete' for a failure inside the ``then``/``else`` of an ``if``."""
    steps = list(error.absolute_schema_path)
    for i in range(len(steps) - 1, -1, -1):
        if steps[i] not in ("then", "else"):
            continue
        node: Any = root
        try:
            for step in steps[:i]:
                node = node[step]
        except (KeyError, IndexError, TypeError):
            return ""
        if isinstance(node, dict) and isinstance(node.get("if"), dict):
            return _describe(node["if"], negate=steps[i] == "else")
    return ""


def _describe(test: dict[str, Any], *, negate: bool) -> str:
    parts = []
    for name, node in test.get("properties", {}).items():
        if not isinstance(node, dict):
            continue
        if "const" in node:
            parts.append(f"{name} is {'not ' if negate else ''}{_show(node['const'])}")
        elif "enum" in node:
            values = [_show(v) for v in node["enum"]]
            parts.append(f"{name} is neither {' nor '.join(values)}" if negate
                         else f"{name} is {' or '.join(values)}")
        elif isinstance(node.get("contains"), dict) and "const" in node["contains"]:
            verb = "do not include" if negate else "include"
            parts.append(f"{name} {verb} {_show(node['contains']['const'])}")
    if not parts:
        return ""
    return " when " + (" or " if negate else " and ").join(parts)


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return str(value)


def _join(path: list[str], name: str) -> str:
    return ".".join([*path, name])
