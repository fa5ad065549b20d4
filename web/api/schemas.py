"""The JSON Schema of every JSON body the API accepts (CONTRACT.md §2), checked by ``json_body(schema)``.

Every string has a maxLength, every list a maxItems and every object a maxProperties, so no body grows beyond
what its use needs; objects whose shape the contract fixes refuse other fields. Moments use the format
``moment``: an ISO-8601 moment with offset between the years 2000 and 2100 (see ``web.api.parse_moment``).
Applications have their own schema in ``forms`` (with the rules a schema cannot say); the task forms too.
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]

NAME = 300  # names, courts, references, identifiers given by people
TEXT = 20_000  # free text: complaints, reasons, descriptions
ID = 100  # application ids, licence numbers, file ids, user names

MOMENT: Schema = {
    "type": "string", "maxLength": 40, "format": "moment",
    "x-errors": {"format": "must be an ISO-8601 moment with offset between the years 2000 and 2100, "
                           "e.g. 2025-03-20T10:00:00+05:00"},
}
DATE: Schema = {"type": "string", "maxLength": 10, "format": "date"}


def text(max_length: int, *, required: bool = True) -> Schema:
    """A string of at most ``max_length`` characters; not blank when ``required``."""
    schema: Schema = {"type": "string", "maxLength": max_length}
    if required:
        schema["minLength"] = 1
        schema["pattern"] = r"\S"
        schema["x-errors"] = {"pattern": "must not be blank"}
    return schema


def obj(properties: dict[str, Schema], *, required: tuple[str, ...] = (), closed: bool = True) -> Schema:
    """An object with these properties; ``closed`` refuses others, an open one holds at most 200."""
    schema: Schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    if closed:
        schema["additionalProperties"] = False
    else:
        schema["maxProperties"] = 200
    return schema


FORM_DATA: Schema = {"type": "object", "maxProperties": 200}

# -- tasks -------------------------------------------------------------------------------------------------------

TASK_COMPLETE = obj({"data": FORM_DATA}, required=("data",))
TASK_DRAFT = obj({"data": FORM_DATA}, closed=False)  # {"data": {...}} or the form's data itself
TASK_CLAIM = obj({"assignee": {"type": ["string", "null"], "maxLength": ID}})

# -- complaints, court, suspensions, remedies ------------------------------------------------------------------

COMPLAINT = obj({
    "application_id": {"type": ["string", "null"], "maxLength": ID},
    "licence_number": {"type": ["string", "null"], "maxLength": ID},
    "addressed_to": {"enum": ["provider", "quality_authority"]},
    "text": text(TEXT),
}, required=("addressed_to", "text"))

COURT_APPEAL = obj({
    "court": text(NAME),
    "case_number": {"type": ["string", "null"], "maxLength": ID},
}, required=("court",))

SUSPENSION = obj({
    # CONTRACT.md §2: grounds, reason, months 1..6 (Law on digital assets art. 9(4)), scope, annex_number
    "grounds": text(TEXT),
    "reason": text(TEXT),
    "months": {"type": "integer", "minimum": 1, "maximum": 6},
    "scope": {"enum": ["licence", "annex"]},
    "annex_number": {"type": ["string", "integer", "null"], "maxLength": ID, "minimum": 1, "maximum": 10_000},
    # what the officer may name already at the start (the suspension decision form has the same fields)
    "ground": text(TEXT, required=False),
    "decided_by": {"enum": ["licensor", "court"]},
    "period_working_days": {"type": "integer", "minimum": 1, "maximum": 130},
    "remedy_due": DATE,
})
SUSPENSION["allOf"] = [{
    "if": {"properties": {"scope": {"const": "annex"}}, "required": ["scope"]},
    "then": {"required": ["annex_number"]},
}]

REMEDY = obj({
    "text": text(TEXT),
    "evidence": {"type": "array", "maxItems": 20, "items": text(ID)},
}, required=("text",))

# -- licence register --------------------------------------------------------------------------------------------

POOL_NOTICE_MAX_BYTES = 16 * 1024
POOL_NOTICE = obj({
    "changed_at": MOMENT,
    "pool": obj({
        "name": text(NAME),
        "document": {"type": ["string", "null"], "maxLength": ID},
        "url": {"type": ["string", "null"], "maxLength": NAME},
        "operator": {"type": ["string", "null"], "maxLength": NAME},
        "country": {"type": ["string", "null"], "maxLength": ID},
        "wallet": {"type": ["string", "null"], "maxLength": NAME},
    }, required=("name",)),
    "comment": text(TEXT, required=False),
}, required=("changed_at", "pool"))

# -- simulation (CONTRACT.md §2 Simulation) -----------------------------------------------------------------------

CLOCK = obj({"now": MOMENT}, required=("now",))

_BANS = obj({"bans": {"type": "array", "maxItems": 100, "items": obj({
    "decision": text(NAME),
    "in_force_from": MOMENT,
    "until": {**MOMENT, "type": ["string", "null"]},
}, required=("decision", "in_force_from"))}}, required=("bans",))

GATEWAY_SEEDS: dict[str, Schema] = {
    "payments": obj({"payments": {"type": "array", "maxItems": 100, "items": obj({
        "purpose": {"enum": ["licence_fee", "reissue_fee"]},
        "amount_kzt": {"type": "integer", "minimum": 1, "maximum": 10**12},
        "paid_at": MOMENT,
        "reference": text(NAME),
    }, required=("purpose", "amount_kzt", "paid_at", "reference"))}}, required=("payments",)),
    "business_registry": obj({
        "registered": {"type": "boolean"},
        "name": {"type": ["string", "null"], "maxLength": NAME},
        "kind": {"enum": ["legal_entity", "entrepreneur", None]},
    }, required=("registered",)),
    "court_bans": _BANS,
    "bailiff_bans": _BANS,
}

TERM_PROPOSAL = obj({  # a proposed change of one legal term (four-eyes; engine/licensing/terms_table.py)
    "clause": text(40),
    "start_event": text(200, required=False),
    "days": {"type": "integer", "minimum": 1, "maximum": 250},
    "source": text(NAME),
    "reason": text(TEXT),
}, required=("clause", "days", "source", "reason"))
