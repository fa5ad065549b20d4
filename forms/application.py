"""Applications submitted through the portal (CONTRACT.md §2): the form's schema plus the rules a schema
cannot say (check digits, the submission date, conditions across fields).

Left to the engine, which alone knows the licence being reissued: that the licence exists and may be
reissued, that the applicant holds it (or succeeds it after a reorganization), and that the grounds
``dc_relocation`` and ``power_source_change`` are used only for subtype I licences (A9; A10 has no such
rows). Whether the files exist and belong to the applicant is the API's check (see :func:`file_refs`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from forms.errors import FieldError
from forms.identifiers import KINDS, PHONE_HINT, bin_iin_problem, normalize_phone
from forms.registry import schema_of
from forms.validation import validate

FORM_OF_PROCEDURE = {"issue": "application_issue", "reissue": "application_reissue"}
METERING_REQUIRED_FROM = date(2024, 1, 1)  # A11.1.4 is in force from 2024-01-01 (order 169/НҚ, item 4)


def validate_application(body: Any, *, submitted_on: date) -> list[FieldError]:
    """Every problem of an application body, [] when it may be registered. ``submitted_on`` is the local
    date of submission: it decides which items of A11 are in force. Never raises for bad data."""
    if not isinstance(body, dict):
        return [FieldError("", "the application must be a JSON object")]
    procedure = body.get("procedure")
    if procedure not in FORM_OF_PROCEDURE:
        if "procedure" not in body:
            return [FieldError("procedure", "procedure is required: issue or reissue")]
        return [FieldError("procedure", "must be one of: issue, reissue")]
    errors = validate(FORM_OF_PROCEDURE[procedure], body)
    rules = list(_applicant_rules(body.get("applicant"), submitted_on))
    if procedure == "issue":
        rules += _issue_rules(body, submitted_on)
    else:
        rules += _reissue_rules(body)
    reported = {e.field for e in errors}
    return errors + [e for e in rules if not _covered(e.field, reported)]


def file_refs(body: Any) -> list[tuple[str, str]]:
    """(field, FILE_ID) for every file an application refers to, in the form's order: the fields marked
    ``x-file-id`` in its schema. Malformed parts are skipped (validation reports them)."""
    if not isinstance(body, dict) or body.get("procedure") not in FORM_OF_PROCEDURE:
        return []
    return list(_walk(schema_of(FORM_OF_PROCEDURE[body["procedure"]]), body, ""))


def file_ids(body: Any) -> list[str]:
    """Every FILE_ID an application refers to, each once, in the form's order."""
    return list(dict.fromkeys(file_id for _, file_id in file_refs(body)))


def _walk(schema: dict[str, Any], data: Any, path: str) -> Iterator[tuple[str, str]]:
    if schema.get("x-file-id") and isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for name, node in schema.get("properties", {}).items():
            if name in data and isinstance(node, dict):
                yield from _walk(node, data[name], f"{path}.{name}" if path else name)
    elif isinstance(data, list) and isinstance(schema.get("items"), dict):
        for i, item in enumerate(data):
            yield from _walk(schema["items"], item, f"{path}.{i}" if path else str(i))


def _applicant_rules(applicant: Any, submitted_on: date) -> Iterator[FieldError]:
    if not isinstance(applicant, dict):
        return
    kind, bin_iin = applicant.get("kind"), applicant.get("bin_iin")
    if kind in KINDS and isinstance(bin_iin, str):
        problem = bin_iin_problem(bin_iin, kind, today=submitted_on)
        if problem:
            yield FieldError("applicant.bin_iin", problem)
    phone = applicant.get("phone")
    if isinstance(phone, str) and phone.strip() and normalize_phone(phone) is None:
        yield FieldError("applicant.phone", f"must be a Kazakhstan phone number: {PHONE_HINT}")


def _issue_rules(body: dict[str, Any], submitted_on: date) -> list[FieldError]:
    qualification, centers = body.get("qualification"), body.get("data_centers")
    if body.get("subtype") != "I" or not isinstance(qualification, dict):
        return []
    out = []
    if submitted_on >= METERING_REQUIRED_FROM and "metering_document" not in qualification:
        out.append(FieldError(
            "qualification.metering_document",
            "metering_document is required for subtype I from 2024-01-01 (A11.1.4): the document proving the "
            "automated commercial electricity metering, the telecom link and the load-disconnection devices"))
    listed = centers if isinstance(centers, list) else []
    sources = [c.get("power_source") for c in listed if isinstance(c, dict)]
    all_isolated = bool(sources) and all(s == "isolated_generator" for s in sources)
    if sources and not all_isolated and "grid_connection_document" not in qualification:
        out.append(FieldError(
            "qualification.grid_connection_document",
            "grid_connection_document is required unless every data centre buys its electricity from an "
            "isolated generator (A11.1.5): the technical conditions for connection to the grid"))
    return out


def _reissue_rules(body: dict[str, Any]) -> list[FieldError]:
    grounds, applicant = body.get("grounds"), body.get("applicant")
    if isinstance(grounds, list) and "reorganization" in grounds and isinstance(applicant, dict) \
            and applicant.get("kind") == "entrepreneur":
        return [FieldError("grounds", "reorganization applies to legal entities only (A9, A10 item 2): "
                                      "the applicant is an individual entrepreneur")]
    return []


def _covered(field: str, reported: set[str]) -> bool:
    """True when the schema already reported this field or a field containing it."""
    parts = field.split(".")
    return any(".".join(parts[:i]) in reported for i in range(1, len(parts) + 1))
