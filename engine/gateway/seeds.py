"""Validation of the simulated gateway's seeds (CONTRACT: PUT /api/v1/admin/gateway/{registry}/{bin_iin}).

``validate_seed`` returns (field path, message) pairs — dotted paths with list indices, e.g.
``payments.0.paid_at`` — so the admin API can answer 422 with field errors. An empty list means valid.
Unknown fields are refused, so a typo in an acceptance script shows up instead of being ignored.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .records import APPLICANT_KINDS, PAYMENT_PURPOSES

REGISTRIES = ("payments", "business_registry", "court_bans", "bailiff_bans")

Problems = list[tuple[str, str]]


def validate_seed(registry: str, body: Any) -> Problems:
    """Field errors of ``body`` as a seed of ``registry``; [] when it is valid."""
    if registry not in REGISTRIES:
        return [("registry", f"unknown registry '{registry}'; known: {', '.join(REGISTRIES)}")]
    if not isinstance(body, dict):
        return [("", "the body must be a JSON object")]
    if registry == "payments":
        return _payments(body)
    if registry == "business_registry":
        return _business_registry(body)
    return _bans(body)


def _payments(body: dict[str, Any]) -> Problems:
    problems = _unknown(body, ("payments",), "")
    items = body.get("payments")
    if not isinstance(items, list):
        return [*problems, ("payments", "required: a list of payments")]
    for i, item in enumerate(items):
        path = f"payments.{i}"
        if not isinstance(item, dict):
            problems.append((path, "must be an object"))
            continue
        problems += _unknown(item, ("purpose", "amount_kzt", "paid_at", "reference"), path)
        if item.get("purpose") not in PAYMENT_PURPOSES:
            problems.append((f"{path}.purpose", f"must be one of: {', '.join(PAYMENT_PURPOSES)}"))
        amount = item.get("amount_kzt")
        if not (isinstance(amount, int) and not isinstance(amount, bool)) or amount <= 0:
            problems.append((f"{path}.amount_kzt", "must be a positive whole number of tenge"))
        problems += _moment(item, "paid_at", path, required=True)
        reference = item.get("reference")
        if not isinstance(reference, str) or not reference.strip():
            problems.append((f"{path}.reference", "required: the payment reference (a non-empty string)"))
    return problems


def _business_registry(body: dict[str, Any]) -> Problems:
    problems = _unknown(body, ("registered", "name", "kind"), "")
    registered = body.get("registered")
    if not isinstance(registered, bool):
        problems.append(("registered", "required: true or false"))
    # A registered subject has a name and a kind; for "not registered" both may be left out.
    required = registered is not False
    name = body.get("name")
    if name is None:
        if required:
            problems.append(("name", "required: the registered name"))
    elif not isinstance(name, str) or not name.strip():
        problems.append(("name", "must be a non-empty string"))
    kind = body.get("kind")
    if kind is None:
        if required:
            problems.append(("kind", f"required: one of {', '.join(APPLICANT_KINDS)}"))
    elif kind not in APPLICANT_KINDS:
        problems.append(("kind", f"must be one of: {', '.join(APPLICANT_KINDS)}"))
    return problems


def _bans(body: dict[str, Any]) -> Problems:
    problems = _unknown(body, ("bans",), "")
    items = body.get("bans")
    if not isinstance(items, list):
        return [*problems, ("bans", "required: a list of bans")]
    for i, item in enumerate(items):
        path = f"bans.{i}"
        if not isinstance(item, dict):
            problems.append((path, "must be an object"))
            continue
        problems += _unknown(item, ("decision", "in_force_from", "until"), path)
        decision = item.get("decision")
        if not isinstance(decision, str) or not decision.strip():
            problems.append((f"{path}.decision", "required: the decision (a non-empty string)"))
        start_problems = _moment(item, "in_force_from", path, required=True)
        until_problems = _moment(item, "until", path, required=False)
        problems += start_problems + until_problems
        if not start_problems and not until_problems and item.get("until") is not None:
            if _parse(item["until"]) <= _parse(item["in_force_from"]):
                problems.append((f"{path}.until", "must be later than in_force_from"))
    return problems


def _unknown(obj: dict[str, Any], allowed: tuple[str, ...], path: str) -> Problems:
    prefix = f"{path}." if path else ""
    return [(f"{prefix}{key}", f"unknown field; allowed: {', '.join(allowed)}")
            for key in obj if key not in allowed]


def _moment(obj: dict[str, Any], key: str, path: str, *, required: bool) -> Problems:
    field = f"{path}.{key}" if path else key
    value = obj.get(key)
    if value is None:
        return [(field, "required: an ISO-8601 moment with a UTC offset")] if required else []
    if not isinstance(value, str):
        return [(field, "must be an ISO-8601 moment with a UTC offset (a string)")]
    try:
        moment = _parse(value)
    except ValueError:
        return [(field, f"not an ISO-8601 moment: {value!r}")]
    if moment.tzinfo is None or moment.utcoffset() is None:
        return [(field, "the moment must carry a UTC offset, e.g. 2025-03-28T10:00:00+05:00")]
    return []


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.strip())
