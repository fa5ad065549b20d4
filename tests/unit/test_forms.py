"""The form registry, the officers' decision forms and file sniffing (forms package)."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

import forms
from forms import FieldError, UnknownForm

DECISION_FORMS = {
    "completeness_check": ["complete", "incomplete"],
    "reissue_completeness": ["complete", "incomplete"],
    "qualification_check": ["compliant", "grounds_found"],
    "reissue_review": ["compliant", "grounds_found"],
    "hearing": ["issue", "refuse"],
    "signature": ["sign", "return"],
    "complaint_triage": ["satisfy_fully", "forward"],
    "complaint_review": ["satisfied", "partly_satisfied", "rejected"],
    "court_record": ["recorded"],
    "suspension_decision": ["suspend", "revoke", "dismiss"],
    "remedy_review": ["restore", "revoke", "extend"],
}
APPLICATION_FORMS = ["application_annex", "application_issue", "application_reissue"]
GROUNDS = [f"A3.10.{i}" for i in range(1, 9)]
# the clause syntax engine.bpmn.rules accepts
CLAUSE = re.compile(r"^(R\d+(-\d+)?(\.\d+)*|A\d+(\.\d+)*|(LPN|LDA|APPC)\.\d+(\.\d+)*)$")


def fields(errors: list[FieldError]) -> list[str]:
    return [e.field for e in errors]


# -- registry ---------------------------------------------------------------------------------------------


def test_every_form_is_listed() -> None:
    assert forms.form_keys() == sorted([*DECISION_FORMS, *APPLICATION_FORMS])


@pytest.mark.parametrize("key", sorted([*DECISION_FORMS, *APPLICATION_FORMS]))
def test_every_form_is_a_valid_draft_2020_12_schema_with_its_clause(key: str) -> None:
    schema = forms.load(key)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object"
    assert CLAUSE.match(schema["x-clause"]), schema["x-clause"]
    assert set(schema["x-labels"]) == {"kk", "ru", "en"} and schema["title"] == schema["x-labels"]["en"]
    assert not any(k.startswith("$") for k in schema if k not in ("$schema", "$id")), "OpenAPI drops $ keys"


def _walk(node: Any, path: str = "") -> list[tuple[str, dict[str, Any]]]:
    found = []
    for name, sub in node.get("properties", {}).items():
        found.append((f"{path}{name}", sub))
        found += _walk(sub, f"{path}{name}.")
        if isinstance(sub.get("items"), dict):
            found += _walk(sub["items"], f"{path}{name}.")
    return found


@pytest.mark.parametrize("key", sorted([*DECISION_FORMS, *APPLICATION_FORMS]))
def test_every_property_and_enum_value_is_labelled_in_three_languages(key: str) -> None:
    for path, node in _walk(forms.load(key)):
        labels = node.get("x-labels")
        assert labels and all(labels.get(lang, "").strip() for lang in ("kk", "ru", "en")), path
        assert node.get("title") == labels["en"], path
        for holder in (node, node.get("items") or {}):
            if "enum" in holder:
                enum_labels = holder.get("x-enum-labels", {})
                assert list(enum_labels) == holder["enum"], path
                assert all(set(v) == {"kk", "ru", "en"} for v in enum_labels.values()), path


def test_load_returns_a_copy_that_callers_may_change() -> None:
    schema = forms.load("signature")
    schema["properties"]["decision"]["enum"].append("veto")
    assert forms.decision_values("signature") == ["sign", "return"]


def test_an_unknown_form_raises_unknown_form_a_key_error() -> None:
    assert not forms.exists("no_such_form") and not forms.exists("../forms/signature")
    with pytest.raises(UnknownForm):
        forms.load("no_such_form")
    with pytest.raises(KeyError):
        forms.validate("../signature", {})


def test_labels_are_given_per_language_with_dotted_names() -> None:
    assert forms.labels("completeness_check", "kk")["decision"] == "Шешім"
    assert forms.labels("completeness_check", "ru")["decision"] == "Решение"
    issue = forms.labels("application_issue", "ru")
    assert issue["applicant.bin_iin"] == "ИИН/БИН"
    assert "data_centers.power_source" in issue
    assert forms.form_label("hearing", "en") == "Hearing"
    assert forms.field_label("application_issue", "data_centers.0.address", "en") == "Data centre address"
    with pytest.raises(ValueError):
        forms.labels("hearing", "de")


def test_enum_labels_cover_decisions_and_list_items() -> None:
    labels = forms.enum_labels("qualification_check", "ru")
    assert labels["decision"]["grounds_found"] == "Выявлены основания для отказа"
    assert list(labels["grounds"]) == GROUNDS


@pytest.mark.parametrize(("key", "values"), DECISION_FORMS.items())
def test_each_decision_form_lists_its_decision_values(key: str, values: list[str]) -> None:
    assert forms.decision_values(key) == values
    assert "decision" in forms.load(key)["required"]
    assert fields(forms.validate(key, {}))[0] == "decision"
    wrong = forms.validate(key, {"decision": "maybe"})
    assert FieldError("decision", "must be one of: " + ", ".join(values)) in wrong


def test_application_forms_have_no_decision() -> None:
    assert forms.decision_values("application_issue") == []


# -- conditional requirements ----------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["completeness_check", "reissue_completeness"])
def test_completeness_needs_a_reason_only_when_incomplete(key: str) -> None:
    assert forms.validate(key, {"decision": "complete"}) == []
    assert forms.validate(key, {"decision": "incomplete"}) == [
        FieldError("reason", "reason is required when decision is incomplete")]
    assert forms.validate(key, {"decision": "incomplete", "reason": "A11.1.2 missing",
                                "missing_items": ["qualification.data_center_document"]}) == []
    assert forms.validate(key, {"decision": "incomplete", "reason": "   "}) == [
        FieldError("reason", "must not be blank")]
    assert fields(forms.validate(key, {"decision": "incomplete", "reason": "x", "missing_items": [1]})) == [
        "missing_items.0"]


@pytest.mark.parametrize("key", ["qualification_check", "reissue_review"])
def test_grounds_are_required_when_grounds_are_found(key: str) -> None:
    assert forms.validate(key, {"decision": "compliant"}) == []
    assert forms.validate(key, {"decision": "grounds_found"}) == [
        FieldError("grounds", "grounds is required when decision is grounds_found")]
    assert forms.validate(key, {"decision": "grounds_found", "grounds": []}) == [
        FieldError("grounds", "must contain at least one item when decision is grounds_found")]
    assert forms.validate(key, {"decision": "grounds_found", "grounds": ["A3.10.2", "A3.10.8"]}) == []
    assert fields(forms.validate(key, {"decision": "grounds_found", "grounds": ["A3.10.9"]})) == ["grounds.0"]
    duplicate = forms.validate(key, {"decision": "grounds_found", "grounds": ["A3.10.2", "A3.10.2"]})
    assert duplicate == [FieldError("grounds", "must not contain the same item twice")]


def test_the_grounds_enum_is_a3_10_1_to_8() -> None:
    for key in ("qualification_check", "reissue_review", "hearing"):
        assert forms.load(key)["properties"]["grounds"]["items"]["enum"] == GROUNDS


def test_a_hearing_moment_must_be_a_date_time_with_offset() -> None:
    ok = {"decision": "grounds_found", "grounds": ["A3.10.3"], "hearing_at": "2025-03-24T11:00:00+05:00"}
    assert forms.validate("qualification_check", ok) == []
    assert forms.validate("qualification_check", {**ok, "hearing_at": "2025-03-24T06:00:00Z"}) == []
    for bad in ("2025-03-24", "2025-03-24T11:00:00", "tomorrow", "2025-13-24T11:00:00+05:00"):
        errors = forms.validate("qualification_check", {**ok, "hearing_at": bad})
        assert fields(errors) == ["hearing_at"], bad
        assert "date and time with offset" in errors[0].message


def test_a_refusal_after_the_hearing_needs_minutes_and_grounds() -> None:
    assert forms.validate("hearing", {"decision": "issue"}) == []
    assert forms.validate("hearing", {"decision": "refuse"}) == [
        FieldError("minutes", "minutes is required when decision is refuse"),
        FieldError("grounds", "grounds is required when decision is refuse")]
    refusal = {"decision": "refuse", "minutes": "Heard.", "grounds": ["A3.10.3"]}
    assert forms.validate("hearing", refusal) == []


def test_a_returned_document_needs_a_comment() -> None:
    assert forms.validate("signature", {"decision": "sign"}) == []
    assert forms.validate("signature", {"decision": "return"}) == [
        FieldError("comment", "comment is required when decision is return")]
    assert forms.validate("signature", {"decision": "return", "comment": "typo in the address"}) == []


def test_complaint_forms() -> None:
    assert forms.validate("complaint_triage", {"decision": "forward"}) == []
    assert fields(forms.validate("complaint_triage", {"decision": "satisfy_fully"})) == ["act_description"]
    assert forms.validate("complaint_review", {"decision": "satisfied"}) == [
        FieldError("reasoning", "reasoning is required")]
    assert forms.validate("complaint_review", {"decision": "partly_satisfied", "reasoning": "r",
                                               "annul_refusal": True}) == []
    assert forms.validate("complaint_review", {"decision": "rejected", "reasoning": "r",
                                               "annul_refusal": True}) == [
        FieldError("annul_refusal", "must be false when decision is rejected")]
    assert fields(forms.validate("court_record", {"decision": "recorded"})) == ["court", "position"]


def test_suspension_forms() -> None:
    assert forms.validate("suspension_decision", {"decision": "dismiss"}) == []
    assert fields(forms.validate("suspension_decision", {"decision": "suspend"})) == [
        "ground", "decided_by", "months", "remedy_due", "scope"]
    full = {"decision": "suspend", "ground": "LDA.9", "decided_by": "licensor", "months": 2,
            "remedy_due": "2025-05-01", "scope": "licence"}
    assert forms.validate("suspension_decision", full) == []
    assert fields(forms.validate("suspension_decision", {**full, "scope": "annex"})) == ["annex_number"]
    wrong = {**full, "decided_by": "minister", "months": 0, "remedy_due": "1 May"}
    assert fields(forms.validate("suspension_decision", wrong)) == ["decided_by", "months", "remedy_due"]
    assert fields(forms.validate("suspension_decision", {**full, "months": 7})) == ["months"]  # LDA.9: 1..6
    assert fields(forms.validate("suspension_decision", {"decision": "revoke"})) == [
        "ground", "decided_by", "scope", "comment"]
    assert forms.validate("remedy_review", {"decision": "restore"}) == []
    assert fields(forms.validate("remedy_review", {"decision": "revoke"})) == ["reasoning"]
    assert fields(forms.validate("remedy_review", {"decision": "extend"})) == ["reasoning", "remedy_due"]


@pytest.mark.parametrize("data", [None, "complete", 3, [], {"decision": None}, {"decision": ["complete"]}])
def test_bad_data_gives_errors_never_exceptions(data: object) -> None:
    errors = forms.validate("completeness_check", data)
    assert errors and all(isinstance(e, FieldError) for e in errors)


def test_field_errors_serialise_for_the_api() -> None:
    assert FieldError("a.b", "m").as_dict() == {"field": "a.b", "message": "m"}


# -- files ------------------------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.parametrize(("content", "media_type"), [
    (PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg"),
])
def test_pdf_png_and_jpeg_are_recognised_by_their_bytes(content: bytes, media_type: str) -> None:
    assert forms.sniff_media_type(content) == media_type


@pytest.mark.parametrize("content", [
    b"", b"hello, I am a PDF", b"<html><body>%PDF-</body></html>", b"GIF89a\x01\x00\x01\x00",
    b"PK\x03\x04" + b"\x00" * 30, b"MZ\x90\x00" + b"\x00" * 60, b"%PDF", b"\x89PNX\r\n\x1a\n",
])
def test_other_or_lying_content_is_refused(content: bytes) -> None:
    assert forms.sniff_media_type(content) is None


def test_the_upload_limit_is_10_mib() -> None:
    assert forms.MAX_UPLOAD_BYTES == 10 * 1024 * 1024


# -- the package stays a leaf ------------------------------------------------------------------------------


def test_forms_imports_no_engine_web_or_flask() -> None:
    package = Path(forms.__file__).parent
    for source in package.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert name.split(".")[0] not in {"engine", "web", "flask", "flask_sqlalchemy"}, source
