"""The applicant against the business registry from the gateway (A3.9; A3.10.6, A3.10.7)."""

from __future__ import annotations

import pytest

from engine.checks import check_business_registry, normalize_name
from engine.gateway import RegistryRecord

APPLICANT = {"kind": "legal_entity", "bin_iin": "230540012345", "name": "ТОО «Qazaq Hash»"}


def test_no_record_means_registered_as_submitted() -> None:
    result = check_business_registry(applicant=APPLICANT, record=None)
    assert result["registered"] is True and result["ground"] is None and result["source"] == "default"


@pytest.mark.parametrize("name", [
    'Товарищество с ограниченной ответственностью "QAZAQ HASH"', "qazaq  hash", "«Qazaq Hash» LLP",
    "Qazaq Hash ЖШС", "ТОО 'Qazaq Hash'",
])
def test_case_quotes_whitespace_and_legal_form_do_not_count(name: str) -> None:
    result = check_business_registry(applicant=APPLICANT, record=RegistryRecord(True, name, "legal_entity"))
    assert result["name_matches"] is True and result["ground"] is None, normalize_name(name)


def test_not_registered_suggests_a3_10_7() -> None:
    result = check_business_registry(applicant=APPLICANT, record=RegistryRecord(registered=False))
    assert result["registered"] is False and result["grounds"] == ["A3.10.7"]
    assert "230540012345" in result["text_ru"]


def test_a_different_name_suggests_a3_10_6() -> None:
    result = check_business_registry(applicant=APPLICANT,
                                     record=RegistryRecord(True, "ТОО «Qazaq Hash Energy»", "legal_entity"))
    assert result["name_matches"] is False and result["ground"] == "A3.10.6"
    assert "Qazaq Hash Energy" in result["text_en"]


def test_a_different_kind_suggests_a3_10_6() -> None:
    record = RegistryRecord(True, "Qazaq Hash", "entrepreneur")
    result = check_business_registry(applicant=APPLICANT, record=record)
    assert result["kind_matches"] is False and result["name_matches"] is True
    assert result["ground"] == "A3.10.6" and "entrepreneur" in result["text_en"]
    assert "индивидуальный предприниматель" in result["text_ru"]
