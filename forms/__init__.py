"""Forms: the JSON Schemas of the officers' task forms and of the portal's applications, with kk/ru/en
labels, and the validation of data against them (field errors on dotted paths, never exceptions).

A leaf package: it imports neither ``engine`` nor ``web`` nor Flask.
"""

from __future__ import annotations

from forms.application import (
    FORM_OF_PROCEDURE,
    MissingItem,
    application_warnings,
    file_ids,
    file_refs,
    validate_application,
)
from forms.errors import FieldError, UnknownForm
from forms.files import ALLOWED_MEDIA_TYPES, MAX_UPLOAD_BYTES, sniff_media_type
from forms.formats import format_checker
from forms.identifiers import bin_iin_problem, check_digit, has_valid_check_digit, normalize_phone
from forms.registry import (
    LANGUAGES,
    decision_values,
    enum_labels,
    exists,
    field_label,
    form_keys,
    form_label,
    labels,
    load,
    schema_of,
)
from forms.validation import schema_errors, validate

__all__ = [
    "ALLOWED_MEDIA_TYPES",
    "FORM_OF_PROCEDURE",
    "LANGUAGES",
    "MAX_UPLOAD_BYTES",
    "FieldError",
    "MissingItem",
    "UnknownForm",
    "application_warnings",
    "bin_iin_problem",
    "check_digit",
    "decision_values",
    "enum_labels",
    "exists",
    "field_label",
    "file_ids",
    "file_refs",
    "form_keys",
    "form_label",
    "format_checker",
    "has_valid_check_digit",
    "labels",
    "load",
    "normalize_phone",
    "schema_errors",
    "schema_of",
    "sniff_media_type",
    "validate",
    "validate_application",
]
