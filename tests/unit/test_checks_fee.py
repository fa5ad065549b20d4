"""The licence fee (A3.7) at the MCI of the day of payment, and the fee finding (A3.10.2)."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from engine.checks import FeeRateUnknown, check_fee, licence_fee_kzt, mci_on, reissue_fee_kzt
from engine.checks.mci import MCI_FILE
from engine.gateway import Payment
from engine.legal_time import TZ


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def pay(amount: int, when: str, purpose: str = "licence_fee", ref: str = "KZ-1") -> Payment:
    return Payment(purpose=purpose, amount_kzt=amount, paid_at=at(when), reference=ref)


# --- rates ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("year", "mci"), [(2023, 3450), (2024, 3692), (2025, 3932), (2026, 4325)])
def test_mci_by_year_comes_from_the_budget_laws(year: int, mci: int) -> None:
    assert mci_on(date(year, 6, 1)).mci_kzt == mci
    assert "republican budget" in mci_on(date(year, 1, 1)).source


def test_every_mci_entry_names_its_source_and_what_was_checked() -> None:
    document = json.loads(MCI_FILE.read_text(encoding="utf-8"))
    for entry in document["values"]:
        assert entry["source"] and entry["checked"]


@pytest.mark.parametrize(("year", "subtype_i", "subtype_ii"), [
    (2024, 7_384_000, 18_460), (2025, 7_864_000, 19_660), (2026, 8_650_000, 21_625),
])
def test_issue_fee_is_2000_mci_for_subtype_i_and_5_mci_for_subtype_ii(year: int, subtype_i: int,
                                                                     subtype_ii: int) -> None:
    assert licence_fee_kzt("I", date(year, 3, 1)) == subtype_i
    assert licence_fee_kzt("II", date(year, 3, 1)) == subtype_ii


def test_reissue_fee_is_ten_percent_of_the_issue_rate_in_whole_tenge() -> None:
    assert reissue_fee_kzt("I", date(2024, 3, 1)) == 738_400
    assert reissue_fee_kzt("II", date(2024, 3, 1)) == 1_846
    assert reissue_fee_kzt("II", date(2025, 3, 1)) == 1_966
    # 0.5 × 4 325 = 2 162.5 → half up to whole tenge
    assert reissue_fee_kzt("II", date(2026, 3, 1)) == 2_163


def test_a_moment_counts_on_its_kazakhstan_day() -> None:
    # 2024-12-31 20:00 UTC is already 2025-01-01 01:00 in Kazakhstan
    assert licence_fee_kzt("II", datetime.fromisoformat("2024-12-31T20:00:00+00:00")) == 19_660


def test_unknown_year_is_a_clear_error() -> None:
    with pytest.raises(FeeRateUnknown, match="2031"):
        licence_fee_kzt("I", date(2031, 1, 1))


def test_unknown_subtype_is_refused() -> None:
    with pytest.raises(ValueError, match="subtype"):
        licence_fee_kzt("III", date(2024, 1, 1))


# --- the finding --------------------------------------------------------------------------------------------


def test_no_fee_is_required_before_2024() -> None:
    result = check_fee(procedure="issue", subtype="I", registered_at=at("2023-12-29T10:00"), payments=[])
    assert result["required"] is False and result["ground"] is None
    assert result["clause"] == "A3.7" and "2024" in result["reason"]
    assert "01.01.2024" in result["text_ru"]


def test_payment_in_2024_at_3692_counts_as_paid() -> None:
    result = check_fee(procedure="issue", subtype="I", registered_at=at("2024-05-02T10:00"),
                       payments=[pay(7_384_000, "2024-04-30T15:00", ref="P-2024")])
    assert result["paid"] is True and result["ground"] is None
    assert (result["mci"], result["mci_year"], result["amount_kzt"]) == (3692, 2024, 7_384_000)
    assert result["reference"] == "P-2024" and result["paid_at"] == "2024-04-30T15:00:00+05:00"
    assert "7 384 000" in result["text_en"]
    json.dumps(result)


def test_the_index_of_the_day_of_payment_is_taken_not_of_registration() -> None:
    # paid on 31.12.2024 at the 2024 index, registered in 2025 when the index is higher: paid
    result = check_fee(procedure="issue", subtype="II", registered_at=at("2025-01-06T10:00"),
                       payments=[pay(18_460, "2024-12-31T11:00")])
    assert result["paid"] is True and result["mci_year"] == 2024
    # paid in 2025 the 2024 amount: short
    result = check_fee(procedure="issue", subtype="II", registered_at=at("2025-01-06T10:00"),
                       payments=[pay(18_460, "2025-01-03T11:00")])
    assert result["paid"] is False and result["ground"] == "A3.10.2"
    assert result["payments"][0]["due_kzt"] == 19_660 and "short by 1 200" in result["payments"][0]["note"]


@pytest.mark.parametrize(("when", "amount"), [("2025-02-03T10:00", 19_660), ("2026-02-03T10:00", 21_625)])
def test_payment_at_the_years_index(when: str, amount: int) -> None:
    result = check_fee(procedure="issue", subtype="II", registered_at=at(when), payments=[pay(amount, when)])
    assert result["paid"] is True and result["amount_kzt"] == amount


def test_underpaid_is_not_paid_and_suggests_a3_10_2() -> None:
    result = check_fee(procedure="issue", subtype="I", registered_at=at("2025-03-03T10:00"),
                       payments=[pay(7_863_999, "2025-03-01T10:00")])
    assert result["paid"] is False and result["ground"] == "A3.10.2"
    assert result["amount_kzt"] == 7_864_000 and result["mci_year"] == 2025
    assert "A3.10.2" in result["text_kk"] and "A3.10.2" in result["text_ru"]


def test_a_payment_for_another_purpose_does_not_count() -> None:
    result = check_fee(procedure="issue", subtype="II", registered_at=at("2025-03-03T10:00"),
                       payments=[pay(1_000_000, "2025-03-01T10:00", purpose="reissue_fee")])
    assert result["paid"] is False and result["payments"][0]["counts"] is False
    assert "purpose" in result["payments"][0]["note"]


def test_reissue_needs_a_reissue_fee_payment() -> None:
    payments = [pay(18_460, "2024-06-01T10:00"),
                pay(1_846, "2024-06-03T10:00", purpose="reissue_fee", ref="R")]
    result = check_fee(procedure="reissue", subtype="II", registered_at=at("2024-06-04T10:00"),
                       payments=payments)
    assert result["paid"] is True and result["reference"] == "R" and result["amount_kzt"] == 1_846
    assert result["rate_mci"] == 0.5


def test_payments_after_the_check_moment_are_ignored_when_asked() -> None:
    result = check_fee(procedure="issue", subtype="II", registered_at=at("2025-03-03T10:00"),
                       payments=[pay(19_660, "2025-03-05T10:00")], as_of=at("2025-03-04T10:00"))
    assert result["paid"] is False


def test_unknown_year_in_the_finding_does_not_crash_the_process() -> None:
    result = check_fee(procedure="issue", subtype="I", registered_at=at("2031-03-03T10:00"),
                       payments=[pay(10_000_000, "2031-03-01T10:00")])
    assert result["paid"] is False and result["amount_kzt"] is None and "2031" in result["reason"]
    assert "2031" in result["payments"][0]["note"]
