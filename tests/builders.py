"""Builders of valid request bodies (CONTRACT.md §2), for tests at every speed.

Identifiers get their check digit from an implementation independent of ``forms`` so that tests of
``forms`` are not tautological.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

FileId = Callable[[str], str]


def kz_check_digit(first11: str) -> int | None:
    """The IIN/BIN check digit of 11 digits (weights 1..11, then 3..11,1,2), None when none exists."""
    for weights in ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]):
        total = 0
        for digit, weight in zip(first11, weights, strict=True):
            total += int(digit) * weight
        if total % 11 != 10:
            return total % 11
    return None


def with_check_digit(first11: str) -> str:
    digit = kz_check_digit(first11)
    if digit is None:
        raise ValueError(f"no check digit exists for {first11}")
    return first11 + str(digit)


def valid_bin(prefix: str = "210340", start: int = 0) -> str:
    """A BIN with a right check digit: by default registered 2021-03, resident legal entity (5th digit 4),
    head office (6th digit 0)."""
    for serial in range(start, 100000):
        first11 = f"{prefix}{serial:05d}"
        if kz_check_digit(first11) is not None:
            return with_check_digit(first11)
    raise AssertionError("unreachable")


def valid_iin(birth: str = "850614", century_sex: str = "3", start: int = 0) -> str:
    """An IIN with a right check digit: by default a man born 1985-06-14."""
    for serial in range(start, 10000):
        first11 = f"{birth}{century_sex}{serial:04d}"
        if kz_check_digit(first11) is not None:
            return with_check_digit(first11)
    raise AssertionError("unreachable")


def numbered_files() -> FileId:
    """file-1, file-2, … in the order documents are asked for."""
    counter = itertools.count(1)
    return lambda _role: f"file-{next(counter)}"


def applicant(kind: str = "legal_entity", bin_iin: str | None = None) -> dict[str, Any]:
    if kind == "legal_entity":
        return {"kind": kind, "bin_iin": bin_iin or valid_bin(), "name": "ТОО «Digital Mining KZ»",
                "address": "Павлодар облысы, Екібастұз қ., Энергетиков к-сі, 12",
                "email": "office@dmkz.kz", "phone": "+7 701 234 56 78"}
    return {"kind": kind, "bin_iin": bin_iin or valid_iin(), "name": "ИП Ахметов Асхат Асхатович",
            "address": "Алматы қ., Абай даңғылы, 10, 5-пәтер", "email": "akhmetov@mail.kz",
            "phone": "8 (777) 123-45-67"}


def confirmations() -> dict[str, bool]:
    return {"official_contacts": True, "no_court_ban": True, "documents_true": True,
            "personal_data_consent": True}


def valid_issue_application(subtype: str = "I", *, kind: str = "legal_entity", file_id: FileId | None = None,
                            power_sources: tuple[str, ...] = ("single_buyer",),
                            pool: bool = True) -> dict[str, Any]:
    """A complete licence-issue application (A1 + A11 part 1 for subtype I, A2 + A11 part 2 for II).

    ``file_id(role)`` names each document; by default file-1, file-2, …"""
    file_id = file_id or numbered_files()
    qualification: dict[str, Any] = {
        "hardware_registry_notice": "HW-2025-000123",
        "pool": {"name": "KZ Pool", "document": file_id("pool")} if pool else None,
    }
    if subtype == "I":
        qualification |= {"data_center_document": file_id("data_center"),
                          "metering_document": file_id("metering"),
                          "connected_before_2023_04_01": False}
        if not all(source == "isolated_generator" for source in power_sources):
            qualification["grid_connection_document"] = file_id("grid_connection")
        centers = [{"address": f"Екібастұз қ., Өнеркәсіп аймағы, {i + 5}", "power_source": source}
                   for i, source in enumerate(power_sources)]
    else:
        centers = [{"address": "Астана қ., Технопарк, 1"}]
    return {"procedure": "issue", "subtype": subtype, "applicant": applicant(kind), "data_centers": centers,
            "qualification": qualification, "confirmations": confirmations(), "signed_by": "Ахметов А.А."}


def valid_reissue_application(licence_number: str = "KZ25VDM00000001", *, grounds: tuple[str, ...] = (
        "rename_or_relocate",), kind: str = "legal_entity", file_id: FileId | None = None) -> dict[str, Any]:
    """A complete reissue application (A9/A10); a reorganization ground brings its form (merger)."""
    file_id = file_id or numbered_files()
    body: dict[str, Any] = {
        "procedure": "reissue", "licence_number": licence_number, "grounds": list(grounds),
        "changes": {"name": "ТОО «Digital Mining Kazakhstan»"}, "documents": [file_id("change")],
        "applicant": applicant(kind), "confirmations": confirmations(), "signed_by": "Ахметов А.А.",
    }
    if "reorganization" in grounds:
        body["reorganization_form"] = "merger"
    return body
