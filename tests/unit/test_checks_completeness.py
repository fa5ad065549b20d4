"""The automatic completeness of the document set per subtype and date (R7, A11; reissue R14, A3.9.2)."""

from __future__ import annotations

import copy
import json
from datetime import date, datetime
from typing import Any

import pytest

from engine.checks import check_completeness, check_reissue_completeness
from engine.legal_time import TZ

FILES = {name: {"media_type": "application/pdf", "size": 1024}
         for name in ("dc", "meter", "grid", "pool", "chg")}
CONFIRMED = {"official_contacts": True, "no_court_ban": True, "documents_true": True,
             "personal_data_consent": True}


def subtype_i(**qualification: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "procedure": "issue", "subtype": "I",
        "applicant": {"kind": "legal_entity", "bin_iin": "230540012345", "name": "Qazaq Hash"},
        "data_centers": [{"address": "Ekibastuz", "power_source": "single_buyer"}],
        "qualification": {"hardware_registry_notice": "KZ-HW-0001", "pool": {"name": "P", "document": "pool"},
                          "data_center_document": "dc", "metering_document": "meter",
                          "grid_connection_document": "grid", "connected_before_2023_04_01": False},
        "confirmations": dict(CONFIRMED), "signed_by": "A. Director",
    }
    body["qualification"].update(qualification)
    return body


def subtype_ii(**qualification: Any) -> dict[str, Any]:
    body = {"procedure": "issue", "subtype": "II", "applicant": {"kind": "entrepreneur", "name": "X"},
            "data_centers": [{"address": "Host DC"}],
            "qualification": {"hardware_registry_notice": "KZ-HW-0002", "pool": None},
            "confirmations": dict(CONFIRMED), "signed_by": "X"}
    body["qualification"].update(qualification)  # type: ignore[attr-defined]
    return body


def items(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {i["item"]: i for i in result["items"]}


DAY = date(2025, 3, 3)


def test_complete_subtype_i() -> None:
    result = check_completeness(subtype_i(), registered_on=DAY, files=FILES)
    assert result["complete"] is True and result["missing"] == [] and result["clause"] == "R7"
    assert list(items(result)) == ["A1", "A11.1.1", "A11.1.2", "A11.1.3", "A11.1.4", "A11.1.5"]
    for item in result["items"]:
        assert item["text_kk"] and item["text_ru"] and item["text_en"]
    json.dumps(result)


def test_missing_metering_document_from_2024() -> None:
    body = subtype_i(metering_document=None)
    result = check_completeness(body, registered_on=date(2024, 1, 2), files=FILES)
    assert result["complete"] is False and result["missing"] == ["A11.1.4"]
    assert "A11.1.4" in result["text_en"]


def test_metering_document_not_required_before_2024() -> None:
    body = subtype_i(metering_document=None)
    result = check_completeness(body, registered_on=date(2023, 12, 29), files=FILES)
    metering = items(result)["A11.1.4"]
    assert metering["required"] is False and metering["present"] is False and result["complete"] is True
    assert "01.01.2024" in metering["text_ru"]


def test_registration_moment_counts_on_its_local_day() -> None:
    moment = datetime.fromisoformat("2023-12-31T19:30:00+00:00")  # 2024-01-01 01:30 in Kazakhstan
    result = check_completeness(subtype_i(metering_document=None), registered_on=moment, files=FILES)
    assert result["missing"] == ["A11.1.4"]
    assert datetime.fromisoformat("2023-12-31T19:30:00+00:00").astimezone(TZ).date() == date(2024, 1, 1)


def test_grid_conditions_not_required_when_every_dc_buys_from_an_isolated_generator() -> None:
    body = subtype_i(grid_connection_document=None)
    body["data_centers"] = [{"address": "A", "power_source": "isolated_generator"},
                            {"address": "B", "power_source": "isolated_generator"}]
    result = check_completeness(body, registered_on=DAY, files=FILES)
    grid = items(result)["A11.1.5"]
    assert grid["required"] is False and result["complete"] is True
    assert "isolated" in grid["text_en"] or "unified power system" in grid["text_en"]


def test_grid_conditions_required_when_one_dc_buys_from_the_single_buyer() -> None:
    body = subtype_i(grid_connection_document=None)
    body["data_centers"].append({"address": "B", "power_source": "isolated_generator"})
    result = check_completeness(body, registered_on=DAY, files=FILES)
    assert result["missing"] == ["A11.1.5"]


def test_miners_connected_before_april_2023_submit_the_activity_type_variant() -> None:
    result = check_completeness(subtype_i(connected_before_2023_04_01=True), registered_on=DAY, files=FILES)
    grid = items(result)["A11.1.5"]
    assert grid["variant"] == "connected_before_2023_04_01" and grid["present"] is True
    assert "01.04.2023" in grid["text_ru"] and "activity type" in grid["text_en"]
    standard = items(check_completeness(subtype_i(), registered_on=DAY, files=FILES))["A11.1.5"]
    assert standard["variant"] == "standard" and "35 kV" in standard["text_en"]


def test_a_referenced_file_must_exist_and_not_be_empty() -> None:
    files = copy.deepcopy(FILES)
    files["grid"]["size"] = 0
    result = check_completeness(subtype_i(data_center_document="nope"), registered_on=DAY, files=files)
    assert result["missing"] == ["A11.1.2", "A11.1.5"]
    assert "nope" in items(result)["A11.1.2"]["text_en"] and "empty" in items(result)["A11.1.5"]["text_en"]


def test_pool_document_required_only_when_a_pool_is_used() -> None:
    no_pool = check_completeness(subtype_i(pool=None), registered_on=DAY, files=FILES)
    assert items(no_pool)["A11.1.3"]["required"] is False and no_pool["complete"] is True
    body = subtype_i(pool={"name": "P", "document": "missing"})
    bad = check_completeness(body, registered_on=DAY, files=FILES)
    assert bad["missing"] == ["A11.1.3"]


def test_subtype_ii_needs_the_notice_and_the_pool_information_only() -> None:
    result = check_completeness(subtype_ii(), registered_on=DAY, files={})
    assert list(items(result)) == ["A2", "A11.2.1", "A11.2.2"] and result["complete"] is True
    body = subtype_ii(hardware_registry_notice=" ", pool={"name": "P", "document": "pool"})
    result = check_completeness(body, registered_on=DAY, files=FILES)
    assert result["missing"] == ["A11.2.1"]


def test_unsigned_form_or_missing_confirmation_is_incomplete() -> None:
    body = subtype_ii()
    body["confirmations"]["documents_true"] = False  # type: ignore[index]
    assert check_completeness(body, registered_on=DAY, files={})["missing"] == ["A2"]


def test_no_personal_data_consent_is_the_a3_10_8_ground_not_an_incomplete_form() -> None:
    body = subtype_ii()
    body["confirmations"]["personal_data_consent"] = False  # type: ignore[index]
    found = check_completeness(body, registered_on=DAY, files={})
    assert found["missing"] == [] and found["ground"] == "A3.10.8"
    assert "A3.10.8" in found["consent"]["text_ru"]


def test_unknown_subtype_is_refused() -> None:
    with pytest.raises(ValueError, match="subtype"):
        check_completeness({"subtype": "III"}, registered_on=DAY, files={})


# --- reissue ----------------------------------------------------------------------------------------------


def reissue(grounds: list[str], documents: list[str]) -> dict[str, Any]:
    return {"procedure": "reissue", "licence_number": "L-1", "grounds": grounds, "changes": {},
            "documents": documents, "applicant": {}, "confirmations": dict(CONFIRMED), "signed_by": "A"}


def test_reissue_dc_relocation_needs_documents_about_the_change() -> None:
    result = check_reissue_completeness(reissue(["dc_relocation"], []), registered_on=DAY, files=FILES,
                                        subtype="I")
    assert result["clause"] == "R14" and result["missing"] == ["A3.9.2"]
    assert [i["item"] for i in result["items"]] == ["A9", "A3.9.2"]
    ok = check_reissue_completeness(reissue(["dc_relocation"], ["chg"]), registered_on=DAY, files=FILES)
    assert ok["complete"] is True and ok["items"][0]["item"] == "A9/A10"


def test_reissue_rename_is_on_record_in_state_systems() -> None:
    result = check_reissue_completeness(reissue(["rename_or_relocate"], []), registered_on=DAY, files=FILES,
                                        subtype="II")
    assert result["complete"] is True and result["items"][0]["item"] == "A10"
    assert result["items"][1]["required"] is False


def test_reissue_with_a_missing_file_or_no_ground_is_incomplete() -> None:
    result = check_reissue_completeness(reissue(["reorganization"], ["chg", "gone"]), registered_on=DAY,
                                        files=FILES)
    assert result["missing"] == ["A3.9.2"] and "gone" in result["items"][1]["text_en"]
    result = check_reissue_completeness(reissue([], []), registered_on=DAY, files=FILES)
    assert result["missing"] == ["A9/A10"]
