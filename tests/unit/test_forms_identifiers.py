"""IIN/BIN check digits and structure, and Kazakhstan phone numbers (forms.identifiers)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forms import bin_iin_problem, check_digit, has_valid_check_digit, normalize_phone
from forms.identifiers import iin_birth_date
from tests.builders import kz_check_digit, valid_bin, valid_iin, with_check_digit

TODAY = date(2025, 3, 20)


def _first11_where(predicate: object) -> str:
    """The first 11-digit BIN prefix (2103400xxxx) whose check-digit computation behaves as asked."""
    for serial in range(10000):
        first11 = f"2103400{serial:04d}"
        if predicate(first11):  # type: ignore[operator]
            return first11
    raise AssertionError("no such prefix")


def _first_round(first11: str) -> int:
    return sum(int(d) * w for d, w in zip(first11, range(1, 12), strict=True)) % 11


def test_check_digit_is_the_weighted_sum_modulo_11() -> None:
    # 2*1 + 1*2 + 0*3 + 3*4 + 4*5 + 0*6 + 0*7 + 0*8 + 0*9 + 0*10 + 1*11 = 47; 47 % 11 = 3
    assert check_digit("21034000001") == 3
    assert has_valid_check_digit("210340000013")
    assert not has_valid_check_digit("210340000014")


def test_a_remainder_of_10_falls_back_to_the_second_weights() -> None:
    first11 = _first11_where(lambda f: _first_round(f) == 10 and kz_check_digit(f) is not None)
    second = sum(int(d) * w for d, w in zip(first11, [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2], strict=True)) % 11
    assert check_digit(first11) == second
    assert has_valid_check_digit(first11 + str(second))


def test_a_second_remainder_of_10_means_no_valid_number() -> None:
    first11 = _first11_where(lambda f: kz_check_digit(f) is None)
    assert check_digit(first11) is None
    assert not any(has_valid_check_digit(first11 + str(d)) for d in range(10))
    problem = bin_iin_problem(first11 + "0", "legal_entity", today=TODAY)
    assert problem is not None and "no check digit exists" in problem


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_check_digit_agrees_with_an_independent_implementation(first11: str) -> None:
    assert check_digit(first11) == kz_check_digit(first11)


def test_check_digit_refuses_anything_but_11_digits() -> None:
    with pytest.raises(ValueError):
        check_digit("123")


def test_a_valid_bin_is_accepted_for_a_legal_entity() -> None:
    for bin_ in (valid_bin(), valid_bin("950540"), valid_bin("180261")):
        assert bin_iin_problem(bin_, "legal_entity", today=TODAY) is None


@pytest.mark.parametrize("value", [
    "", "12345678901", "1234567890123", "21034000001a", " 210340000013", 210340000013,
    "２１０３４０００００１３",  # full-width digits are not ASCII digits
])
def test_anything_but_12_digits_is_refused(value: object) -> None:
    assert bin_iin_problem(value, "legal_entity", today=TODAY) == "must be exactly 12 digits"  # type: ignore[arg-type]


def test_a_wrong_check_digit_is_named() -> None:
    good = valid_bin()
    bad = good[:11] + str((int(good[11]) + 1) % 10)
    problem = bin_iin_problem(bad, "legal_entity", today=TODAY)
    assert problem is not None and "check digit" in problem


def test_a_legal_entity_needs_a_bin_type_digit() -> None:
    iin = valid_iin()
    problem = bin_iin_problem(iin, "legal_entity", today=TODAY)
    assert problem is not None
    assert "5th digit" in problem and "4, 5 or 6" in problem and "looks like an IIN" in problem


@pytest.mark.parametrize("type_digit", ["7", "8", "9"])
def test_a_bin_with_an_unknown_type_digit_is_refused(type_digit: str) -> None:
    number = valid_bin(f"2103{type_digit}0")
    problem = bin_iin_problem(number, "legal_entity", today=TODAY)
    assert problem is not None and f"not {type_digit}" in problem and "looks like" not in problem


@pytest.mark.parametrize(("birth", "century_sex", "born"), [
    ("850614", "3", date(1985, 6, 14)),
    ("991231", "4", date(1999, 12, 31)),
    ("040229", "5", date(2004, 2, 29)),
    ("000101", "6", date(2000, 1, 1)),
])
def test_a_valid_iin_is_accepted_for_an_entrepreneur(birth: str, century_sex: str, born: date) -> None:
    iin = valid_iin(birth, century_sex)
    assert bin_iin_problem(iin, "entrepreneur", today=TODAY) is None
    assert iin_birth_date(iin) == born


def test_an_entrepreneur_with_a_bin_is_told_it_looks_like_a_bin() -> None:
    problem = bin_iin_problem(valid_bin(), "entrepreneur", today=TODAY)
    assert problem is not None and "5th digit must be 0 to 3" in problem and "looks like a BIN" in problem


@pytest.mark.parametrize("century_sex", ["0", "7", "8", "9"])
def test_an_iin_needs_a_century_digit_from_1_to_6(century_sex: str) -> None:
    problem = bin_iin_problem(valid_iin("850614", century_sex), "entrepreneur", today=TODAY)
    assert problem is not None and "7th digit" in problem and f"not {century_sex}" in problem


@pytest.mark.parametrize(("birth", "century_sex"), [("851314", "3"), ("850631", "3"), ("010229", "5")])
def test_an_iin_needs_a_real_birth_date(birth: str, century_sex: str) -> None:
    problem = bin_iin_problem(valid_iin(birth, century_sex), "entrepreneur", today=TODAY)
    assert problem is not None and "birth date YYMMDD" in problem and birth in problem


def test_an_iin_born_in_the_future_is_refused() -> None:
    problem = bin_iin_problem(valid_iin("300101", "5"), "entrepreneur", today=TODAY)
    assert problem is not None and "2030-01-01" in problem and "future" in problem


def test_builders_make_numbers_with_the_right_check_digit() -> None:
    assert with_check_digit("21034000001") == "210340000013"
    assert has_valid_check_digit(valid_iin()) and has_valid_check_digit(valid_bin())


@pytest.mark.parametrize("phone", [
    "+7 701 234 56 78", "+77012345678", "+7 (701) 234-56-78", "8 701 234 56 78", "87012345678",
    "77012345678", "+7 727 250 00 00", "8 (7172) 74-00-00", "+7 600 123 45 67", " +7-701-234-56-78 ",
])
def test_kazakh_phone_numbers_in_common_notations_are_accepted(phone: str) -> None:
    assert normalize_phone(phone) is not None
    assert normalize_phone(phone).startswith("+7")  # type: ignore[union-attr]


def test_phone_numbers_normalise_to_plus_seven_and_ten_digits() -> None:
    assert normalize_phone("8 (701) 234-56-78") == "+77012345678"


@pytest.mark.parametrize("phone", [
    "", "+7 901 234 56 78", "+7 495 123 45 67", "+1 701 234 5678", "701 234 56 78", "+7 701 234 56 7",
    "+7 701 234 56 789", "+7 701 ABC 56 78", "+7 701 234 56 78 ext 5", None,
])
def test_other_phone_numbers_are_refused(phone: object) -> None:
    assert normalize_phone(phone) is None  # type: ignore[arg-type]
