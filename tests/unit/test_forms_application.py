"""Applications from the portal: the contract's bodies, per-subtype items, A11 in time (forms.application)."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from forms import FieldError, application_warnings, file_ids, file_refs, validate_application
from tests.builders import valid_bin, valid_iin, valid_issue_application, valid_reissue_application

AFTER_2024 = date(2025, 3, 20)
BEFORE_2024 = date(2023, 11, 15)


def check(body: Any, on: date = AFTER_2024) -> list[FieldError]:
    return validate_application(body, submitted_on=on)


def missing(body: Any, on: date = AFTER_2024) -> list[str]:
    """The fields the set lacks: warned about, the application still registered (R6, R7, A3.10.8)."""
    return [w.field for w in application_warnings(body, submitted_on=on)]


def fields(errors: list[FieldError]) -> list[str]:
    return [e.field for e in errors]


def message(errors: list[FieldError], field: str) -> str:
    found = [e.message for e in errors if e.field == field]
    assert found, f"no error on {field}: {errors}"
    return found[0]


# -- whole bodies ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("subtype", ["I", "II"])
@pytest.mark.parametrize("kind", ["legal_entity", "entrepreneur"])
def test_a_full_application_is_valid(subtype: str, kind: str) -> None:
    assert check(valid_issue_application(subtype, kind=kind)) == []


def test_a_subtype_i_application_with_several_data_centres_is_valid() -> None:
    body = valid_issue_application("I", power_sources=("single_buyer", "isolated_generator", "single_buyer"))
    assert check(body) == []


def test_a_pool_is_optional_and_may_be_null() -> None:
    body = valid_issue_application("II", pool=False)
    assert body["qualification"]["pool"] is None and check(body) == []
    del body["qualification"]["pool"]
    assert check(body) == []
    body["qualification"]["pool"] = {"name": "KZ Pool"}
    assert check(body) == [] and missing(body) == ["qualification.pool.document"]


@pytest.mark.parametrize("body", [None, [], "issue", 42])
def test_a_body_that_is_not_an_object_gets_one_error(body: Any) -> None:
    assert check(body) == [FieldError("", "the application must be a JSON object")]


def test_an_unknown_or_missing_procedure_is_reported_on_procedure() -> None:
    body = valid_issue_application("I")
    assert fields(check({**body, "procedure": "renew"})) == ["procedure"]
    del body["procedure"]
    assert check(body) == [FieldError("procedure", "procedure is required: issue or reissue")]


def test_unknown_fields_are_named() -> None:
    body = valid_issue_application("I")
    body["applicant"]["fax"] = "+7 727 000 00 00"
    body["colour"] = "blue"
    errors = check(body)
    assert FieldError("applicant.fax", "fax is not an allowed field") in errors
    assert FieldError("colour", "colour is not an allowed field") in errors


def test_optional_form_fields_of_the_paper_forms_are_accepted() -> None:
    body = valid_issue_application("I") | {"filled_on": "2025-03-20", "attached_sheets": 4}
    assert check(body) == []


@pytest.mark.parametrize("missing", ["subtype", "applicant", "data_centers", "qualification", "confirmations",
                                     "signed_by"])
def test_each_top_level_part_is_required(missing: str) -> None:
    body = valid_issue_application("I")
    del body[missing]
    assert fields(check(body)) == [missing]


@pytest.mark.parametrize("missing", ["kind", "bin_iin", "name", "address", "email", "phone"])
def test_each_applicant_field_is_required(missing: str) -> None:
    body = valid_issue_application("II")
    del body["applicant"][missing]
    assert check(body) == [FieldError(f"applicant.{missing}", f"{missing} is required")]


@pytest.mark.parametrize("confirmation", ["official_contacts", "no_court_ban", "documents_true",
                                          "personal_data_consent"])
def test_r7_a3_10_8_a_missing_confirmation_is_a_warning_and_the_application_is_registered(confirmation: str) -> None:
    body = valid_issue_application("I")
    assert missing(body) == []
    body["confirmations"][confirmation] = False
    assert check(body) == [] and missing(body) == [f"confirmations.{confirmation}"]
    [warning] = application_warnings(body, submitted_on=AFTER_2024)
    clause = "A3.10.8" if confirmation == "personal_data_consent" else "R7"
    assert clause in warning.message and clause.replace("R7", "7") in warning.message_kk + warning.message_ru
    del body["confirmations"][confirmation]
    assert check(body) == [] and missing(body) == [f"confirmations.{confirmation}"]
    body["confirmations"][confirmation] = "yes"
    assert fields(check(body)) == [f"confirmations.{confirmation}"]  # not a boolean: malformed


# -- applicant identity and contacts --------------------------------------------------------------------


def test_a_wrong_check_digit_is_reported_on_the_bin() -> None:
    body = valid_issue_application("I")
    good = body["applicant"]["bin_iin"]
    body["applicant"]["bin_iin"] = good[:11] + str((int(good[11]) + 1) % 10)
    assert "check digit" in message(check(body), "applicant.bin_iin")


def test_a_bin_iin_that_is_not_12_digits_gets_one_error() -> None:
    body = valid_issue_application("I")
    body["applicant"]["bin_iin"] = "12345"
    assert check(body) == [FieldError("applicant.bin_iin", "must be exactly 12 digits")]


def test_a_legal_entity_with_an_iin_and_an_entrepreneur_with_a_bin_are_refused() -> None:
    body = valid_issue_application("I")
    body["applicant"]["bin_iin"] = valid_iin()
    assert "looks like an IIN" in message(check(body), "applicant.bin_iin")
    body = valid_issue_application("II", kind="entrepreneur")
    body["applicant"]["bin_iin"] = valid_bin()
    assert "looks like a BIN" in message(check(body), "applicant.bin_iin")


def test_an_entrepreneur_born_after_submission_is_refused() -> None:
    body = valid_issue_application("II", kind="entrepreneur")
    body["applicant"]["bin_iin"] = valid_iin("250321", "5")
    assert "future" in message(check(body, date(2025, 3, 20)), "applicant.bin_iin")
    assert check(body, date(2025, 3, 21)) == []


@pytest.mark.parametrize(("field", "value"), [("email", "office.dmkz.kz"), ("email", "a@b"),
                                              ("phone", "+7 901 234 56 78"), ("phone", "12345")])
def test_bad_contacts_are_named(field: str, value: str) -> None:
    body = valid_issue_application("I")
    body["applicant"][field] = value
    assert fields(check(body)) == [f"applicant.{field}"]


# -- subtype I items -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("item", "clause"), [("data_center_document", "A11.1.2"), ("metering_document", "A11.1.4"),
                                              ("grid_connection_document", "A11.1.5"),
                                              ("hardware_registry_notice", "A11.1.1")])
def test_r7_each_missing_subtype_i_document_is_named_as_a_warning_not_an_error(item: str, clause: str) -> None:
    body = valid_issue_application("I")
    del body["qualification"][item]
    assert check(body) == []
    [warning] = application_warnings(body, submitted_on=AFTER_2024)
    assert warning.field == f"qualification.{item}" and clause in warning.message and "R7" in warning.message


def test_the_connection_date_answer_is_structure_and_stays_required() -> None:
    body = valid_issue_application("I")
    del body["qualification"]["connected_before_2023_04_01"]
    assert fields(check(body)) == ["qualification.connected_before_2023_04_01"]


def test_subtype_i_needs_a_data_centre_with_its_electricity_source() -> None:
    body = valid_issue_application("I")
    body["data_centers"] = []
    assert check(body) == [FieldError("data_centers", "at least one data centre is required")]
    body["data_centers"] = [{"address": "Екібастұз қ., 5"}]
    assert check(body) == [FieldError("data_centers.0.power_source",
                                      "power_source is required when subtype is I")]
    body["data_centers"] = [{"address": "Екібастұз қ., 5", "power_source": "solar"}]
    assert fields(check(body)) == ["data_centers.0.power_source"]
    body["data_centers"] = [{"power_source": "single_buyer"}]
    assert fields(check(body)) == ["data_centers.0.address"]


def test_metering_is_not_needed_before_2024() -> None:
    body = valid_issue_application("I")
    del body["qualification"]["metering_document"]
    assert missing(body, BEFORE_2024) == [] and missing(body, date(2023, 12, 31)) == []
    assert check(body, date(2024, 1, 1)) == []
    assert missing(body, date(2024, 1, 1)) == ["qualification.metering_document"]


def test_isolated_generators_do_not_need_a_grid_connection() -> None:
    body = valid_issue_application("I", power_sources=("isolated_generator", "isolated_generator"))
    assert "grid_connection_document" not in body["qualification"]
    assert check(body) == []


def test_one_data_centre_on_the_grid_needs_the_grid_connection() -> None:
    body = valid_issue_application("I", power_sources=("isolated_generator", "isolated_generator"))
    body["data_centers"][1]["power_source"] = "single_buyer"
    assert check(body) == [] and missing(body) == ["qualification.grid_connection_document"]


def test_a_file_id_must_be_text() -> None:
    body = valid_issue_application("I")
    body["qualification"]["data_center_document"] = 7
    assert check(body) == [FieldError("qualification.data_center_document",
                                      "must be a file id returned by POST /api/v1/files")]


# -- subtype II --------------------------------------------------------------------------------------------


def test_subtype_ii_has_exactly_one_data_centre() -> None:
    body = valid_issue_application("II")
    body["data_centers"].append({"address": "Алматы қ., 2"})
    assert "exactly one data centre" in message(check(body), "data_centers")
    body["data_centers"] = []
    assert fields(check(body)) == ["data_centers"]


def test_subtype_ii_has_no_power_source() -> None:
    body = valid_issue_application("II")
    body["data_centers"][0]["power_source"] = "single_buyer"
    assert fields(check(body)) == ["data_centers.0.power_source"]


@pytest.mark.parametrize("item", ["data_center_document", "metering_document", "grid_connection_document",
                                  "connected_before_2023_04_01"])
def test_subtype_ii_refuses_the_subtype_i_items_by_name(item: str) -> None:
    body = valid_issue_application("II")
    body["qualification"][item] = False if item == "connected_before_2023_04_01" else "file-9"
    errors = check(body)
    assert fields(errors) == [f"qualification.{item}"]
    assert item in errors[0].message and "subtype II" in errors[0].message


def test_subtype_ii_refuses_unknown_qualification_items() -> None:
    body = valid_issue_application("II")
    body["qualification"]["hardware_count"] = 12
    assert check(body) == [FieldError("qualification.hardware_count",
                                      "hardware_count is not an allowed field")]


def test_subtype_ii_needs_the_hardware_registry_notice() -> None:
    body = valid_issue_application("II")
    del body["qualification"]["hardware_registry_notice"]
    assert check(body) == [] and missing(body) == ["qualification.hardware_registry_notice"]


# -- reissue -----------------------------------------------------------------------------------------------


def test_a_full_reissue_is_valid() -> None:
    assert check(valid_reissue_application()) == []
    assert check(valid_reissue_application(grounds=("reorganization", "power_source_change"))) == []
    assert check(valid_reissue_application(kind="entrepreneur")) == []


def test_a_reissue_needs_its_licence_number_and_grounds() -> None:
    body = valid_reissue_application()
    del body["licence_number"]
    assert fields(check(body)) == ["licence_number"]
    body = valid_reissue_application()
    body["grounds"] = []
    assert check(body) == [FieldError("grounds", "at least one ground for reissue is required")]
    body["grounds"] = ["new_owner"]
    assert fields(check(body)) == ["grounds.0"]


def test_the_reorganization_form_comes_with_and_only_with_reorganization() -> None:
    body = valid_reissue_application(grounds=("reorganization",))
    del body["reorganization_form"]
    assert check(body) == [FieldError("reorganization_form",
                                      "reorganization_form is required when grounds include reorganization")]
    body = valid_reissue_application(grounds=("rename_or_relocate",))
    body["reorganization_form"] = "merger"
    assert check(body) == [FieldError("reorganization_form",
                                      "reorganization_form is not allowed when grounds do not include "
                                      "reorganization")]
    body = valid_reissue_application(grounds=("reorganization",))
    body["reorganization_form"] = "takeover"
    assert fields(check(body)) == ["reorganization_form"]


def test_an_entrepreneur_cannot_be_reorganized() -> None:
    body = valid_reissue_application(grounds=("reorganization",), kind="entrepreneur")
    assert "legal entities only" in message(check(body), "grounds")


def test_a_reissue_checks_the_applicant_like_an_issue() -> None:
    body = valid_reissue_application()
    body["applicant"]["phone"] = "+44 20 7946 0958"
    assert fields(check(body)) == ["applicant.phone"]


def test_subtype_i_grounds_are_left_to_the_engine() -> None:
    """The subtype is the licence's, which only the engine can look up."""
    assert check(valid_reissue_application(grounds=("dc_relocation",))) == []


# -- files -------------------------------------------------------------------------------------------------


def test_file_ids_lists_every_document_of_an_issue() -> None:
    body = valid_issue_application("I")
    assert file_ids(body) == ["file-1", "file-2", "file-3", "file-4"]
    assert file_refs(body) == [("qualification.pool.document", "file-1"),
                               ("qualification.data_center_document", "file-2"),
                               ("qualification.metering_document", "file-3"),
                               ("qualification.grid_connection_document", "file-4")]
    assert file_ids(valid_issue_application("II", pool=False)) == []


def test_file_ids_lists_the_documents_of_a_reissue_once_each() -> None:
    body = valid_reissue_application()
    body["documents"] = ["file-7", "file-8", "file-7"]
    assert file_ids(body) == ["file-7", "file-8"]
    assert file_refs(body)[2] == ("documents.2", "file-7")


@pytest.mark.parametrize("body", [
    None, {}, {"procedure": "renew"}, {"procedure": "issue", "qualification": 3},
    {"procedure": "reissue", "documents": [1, None, {"id": "x"}]},
])
def test_file_ids_of_malformed_bodies_is_empty(body: Any) -> None:
    assert file_ids(body) == []


def test_validation_does_not_change_the_body() -> None:
    body = valid_issue_application("I")
    before = copy.deepcopy(body)
    check(body)
    assert body == before
