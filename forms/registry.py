"""The form definitions in ``forms/definitions``: listing, loading and reading their labels.

A form is a JSON Schema (draft 2020-12) file ``<key>.schema.json``. Besides standard keywords it carries
custom annotations, which validators ignore:

- ``x-labels``: ``{"kk", "ru", "en"}`` label, on the form itself (the task's name) and on every property;
- ``x-enum-labels``: ``{value: {"kk", "ru", "en"}}`` beside every ``enum``;
- ``x-clause``: the clause of the Rules the form serves (``R7``);
- ``x-errors``: ``{keyword: message}`` overriding the generic message of a failed keyword;
- ``x-file-id``: ``true`` on a string property that holds a FILE_ID from ``POST /api/v1/files``.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from forms.errors import UnknownForm

DEFINITIONS = Path(__file__).resolve().parent / "definitions"
SUFFIX = ".schema.json"
LANGUAGES = ("kk", "ru", "en")
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


def form_keys() -> list[str]:
    """Every form key, sorted."""
    return list(_keys())


def exists(key: str) -> bool:
    return isinstance(key, str) and key in _keys()


def load(key: str) -> dict[str, Any]:
    """The parsed JSON Schema of the form (a fresh copy: callers may change it)."""
    return copy.deepcopy(schema_of(key))


def schema_of(key: str) -> dict[str, Any]:
    """The cached schema itself, shared: read it, never change it (``load`` gives a copy to change)."""
    if not exists(key):
        raise UnknownForm(key)
    return _read(key)


def form_label(key: str, lang: str) -> str:
    """The form's own name (the task's name) in ``lang``."""
    _check_lang(lang)
    return str(schema_of(key).get("x-labels", {}).get(lang, key))


def labels(key: str, lang: str) -> dict[str, str]:
    """Field → label in ``lang``. Nested fields are dotted without list indices: ``applicant.bin_iin``,
    ``data_centers.address`` (the label of ``data_centers.0.address``)."""
    _check_lang(lang)
    return {path: node["x-labels"][lang] for path, node in _fields(schema_of(key))
            if lang in node.get("x-labels", {})}


def enum_labels(key: str, lang: str) -> dict[str, dict[str, str]]:
    """Field → {value → label in ``lang``} for every field with a closed list of values (lists included)."""
    _check_lang(lang)
    out: dict[str, dict[str, str]] = {}
    for path, node in _fields(schema_of(key)):
        for holder in (node, node.get("items")):
            if isinstance(holder, dict) and "x-enum-labels" in holder:
                out[path] = {value: names[lang] for value, names in holder["x-enum-labels"].items()}
    return out


def decision_values(key: str) -> list[str]:
    """The values of the form's ``decision`` field (``properties.decision.enum``); [] without one."""
    decision = schema_of(key).get("properties", {}).get("decision", {})
    return list(decision.get("enum", []))


def field_label(key: str, field: str, lang: str) -> str:
    """The label of a dotted field path as reported in a FieldError (indices are skipped); the path itself
    when the form does not label it."""
    names = labels(key, lang)
    plain = ".".join(part for part in field.split(".") if not part.isdigit())
    return names.get(plain, field)


def _fields(schema: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    for name, node in schema.get("properties", {}).items():
        if not isinstance(node, dict):
            continue
        path = f"{prefix}{name}"
        yield path, node
        yield from _fields(node, f"{path}.")
        items = node.get("items")
        if isinstance(items, dict):
            yield from _fields(items, f"{path}.")


def _check_lang(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}: use one of {', '.join(LANGUAGES)}")


@cache
def _keys() -> tuple[str, ...]:
    found = (p.name[: -len(SUFFIX)] for p in DEFINITIONS.glob(f"*{SUFFIX}"))
    return tuple(sorted(k for k in found if _KEY.match(k)))


@cache
def _read(key: str) -> dict[str, Any]:
    schema = json.loads((DEFINITIONS / f"{key}{SUFFIX}").read_text(encoding="utf-8"))
    if not isinstance(schema, dict):
        raise ValueError(f"{key}{SUFFIX} does not hold a JSON object")
    return schema
