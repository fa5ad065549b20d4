"""JSON text as the engine stores it: written and read by orjson, with the standard library where orjson differs.

Every JSON value the engine stores goes through here: each step's serialized state, the JSON columns of every
table (the database engine's serializer, engine/bootstrap.py) and the normalized data of audit events.
:func:`dumps` writes the values ``json.dumps(value, separators=(",", ":"), ensure_ascii=False)`` writes; what
orjson would write differently — a datetime, a dataclass, a subclass of a JSON type, a number beyond 64 bits,
a lone surrogate — is written by the standard library, and refused where it refuses it. :func:`loads` reads
with the standard library what orjson cannot read (NaN, text an earlier release wrote) and what it would read
differently: orjson reads an integer beyond 64 bits as an approximate float, so a text with a run of 19 digits
(every such integer has one) is read by the standard library, which keeps it exact.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

_PLAIN = (orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
          | orjson.OPT_PASSTHROUGH_SUBCLASS)
# orjson reads integers from -2**63 to 2**64 - 1 exactly; one outside has at least 19 digits (-2**63 - 1). A text
# is looked for such a run by mapping every digit to "9" and everything else to a space (C-speed, unlike a regex
# scan, which cost five times orjson's parse on a step's state)
_DIGIT_RUNS = bytes(0x39 if 0x30 <= byte <= 0x39 else 0x20 for byte in range(256))
_LONG_RUN = b"9" * 19
# as ``json.dumps(value, default=str)``: what JSON has no word for is written as its str()
_AS_TEXT = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def _not_plain_json(value: Any) -> Any:
    raise TypeError(type(value).__name__)


def _as_text(value: Any) -> Any:
    if isinstance(value, tuple):  # a named tuple: the standard library writes a tuple's subclass as a list
        return list(value)
    return str(value)


def _no_number(_constant: str) -> None:
    return None  # NaN, Infinity, -Infinity: JSON has no word for them (PostgreSQL's jsonb refuses them)


def dumps(value: Any) -> str:
    """Compact JSON text of the values ``json.dumps(value, separators=(",", ":"), ensure_ascii=False)`` writes."""
    try:
        return orjson.dumps(value, default=_not_plain_json, option=_PLAIN).decode()
    except (TypeError, orjson.JSONEncodeError):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def loads(text: str | bytes | bytearray | memoryview) -> Any:
    # psycopg hands a jsonb value over as a buffer; a state may hold a lone surrogate the standard library wrote
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else bytes(text)
    if _LONG_RUN not in raw.translate(_DIGIT_RUNS):
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass
    return json.loads(text if isinstance(text, str) else raw)


def normalized(value: Any) -> Any:
    """What ``json.loads(json.dumps(value, default=str))`` gives: plain JSON values, anything else as its str()
    (a datetime as ``2025-06-05 10:00:00+05:00``); NaN and the infinities become None."""
    try:
        # orjson refuses to write an integer beyond 64 bits, so what it wrote it reads back exact
        return orjson.loads(orjson.dumps(value, default=_as_text, option=_AS_TEXT))
    except (TypeError, orjson.JSONEncodeError):
        return json.loads(json.dumps(value, default=str), parse_constant=_no_number)
