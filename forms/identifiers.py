"""Kazakhstan identifiers: IIN (individuals, entrepreneurs) and BIN (legal entities), and phone numbers.

Both IIN and BIN have 12 digits, the last a check digit: the first 11 digits weighted 1..11, modulo 11;
if that gives 10, weighted 3..11, 1, 2, modulo 11; if that gives 10 again, no number is issued with those
11 digits. IIN: YYMMDD birth date, then the century and sex digit (1/2: 1800s, 3/4: 1900s, 5/6: 2000s),
four serial digits, the check digit. BIN: YYMM of registration, then the type digit (4 resident legal
entity, 5 non-resident legal entity, 6 individual entrepreneur in joint business), the attribute digit,
five serial digits, the check digit.
"""

from __future__ import annotations

import re
from datetime import date

_WEIGHTS = ((1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2))
_TWELVE_DIGITS = re.compile(r"^[0-9]{12}$")
_CENTURIES = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}
BIN_TYPE_DIGITS = ("4", "5", "6")
KINDS = ("legal_entity", "entrepreneur")

_PHONE_SEPARATORS = re.compile(r"[\s\-().]")
_PHONE_NATIONAL = re.compile(r"^[67][0-9]{9}$")
PHONE_HINT = "+7 and 10 digits starting with 6 or 7, e.g. +7 701 234 56 78"


def check_digit(first11: str) -> int | None:
    """The check digit for 11 digits, or None when no valid number starts with them."""
    if not re.fullmatch(r"[0-9]{11}", first11):
        raise ValueError("check_digit needs exactly 11 digits")
    for weights in _WEIGHTS:
        remainder = sum(int(d) * w for d, w in zip(first11, weights, strict=True)) % 11
        if remainder != 10:
            return remainder
    return None


def has_valid_check_digit(value: str) -> bool:
    """True for 12 digits whose last one is the check digit of the first 11."""
    if not isinstance(value, str) or not _TWELVE_DIGITS.match(value):
        return False
    expected = check_digit(value[:11])
    return expected is not None and expected == int(value[11])


def iin_birth_date(iin: str) -> date | None:
    """The birth date an IIN encodes, or None when its first 7 digits do not make one."""
    if not isinstance(iin, str) or not _TWELVE_DIGITS.match(iin) or iin[6] not in _CENTURIES:
        return None
    try:
        return date(_CENTURIES[iin[6]] + int(iin[0:2]), int(iin[2:4]), int(iin[4:6]))
    except ValueError:
        return None


def bin_iin_problem(value: str, kind: str, *, today: date | None = None) -> str | None:
    """What is wrong with ``value`` as the identifier of an applicant of ``kind`` (``legal_entity`` needs
    a BIN, ``entrepreneur`` an IIN); None when it is valid."""
    if not isinstance(value, str) or not _TWELVE_DIGITS.match(value):
        return "must be exactly 12 digits"
    expected = check_digit(value[:11])
    if expected is None:
        return "is not a valid IIN/BIN: no check digit exists for its first 11 digits"
    if expected != int(value[11]):
        return "is not a valid IIN/BIN: the check digit (12th digit) does not match the first 11 digits"
    if kind == "legal_entity":
        return _bin_problem(value)
    if kind == "entrepreneur":
        return _iin_problem(value, today or date.today())
    return None


def _bin_problem(value: str) -> str | None:
    if value[4] in BIN_TYPE_DIGITS:
        return None
    hint = " (this looks like an IIN: an individual entrepreneur applies with kind 'entrepreneur')"
    return (f"a legal entity applies with its BIN, whose 5th digit (type of legal entity) is 4, 5 or 6, "
            f"not {value[4]}{hint if value[4] in '0123' else ''}")


def _iin_problem(value: str, today: date) -> str | None:
    if value[4] not in "0123":
        hint = " (this looks like a BIN: a legal entity applies with kind 'legal_entity')" \
            if value[4] in BIN_TYPE_DIGITS else ""
        return (f"an individual entrepreneur applies with an IIN, whose first 6 digits are the birth date "
                f"YYMMDD: the 5th digit must be 0 to 3, not {value[4]}{hint}")
    if value[6] not in _CENTURIES:
        return f"the 7th digit of an IIN (century of birth and sex) must be 1 to 6, not {value[6]}"
    born = iin_birth_date(value)
    if born is None:
        century = _CENTURIES[value[6]]
        return (f"the first 6 digits of an IIN must be the birth date YYMMDD: {value[:6]} is not a date "
                f"in {century}-{century + 99}")
    if born > today:
        return f"the birth date the IIN encodes ({born.isoformat()}) is in the future"
    return None


def normalize_phone(value: str) -> str | None:
    """``+7XXXXXXXXXX`` for a Kazakhstan phone number in any common notation (``+7 701 234 56 78``,
    ``8 (701) 234-56-78``, ``77012345678``); None when it is not one."""
    if not isinstance(value, str):
        return None
    compact = _PHONE_SEPARATORS.sub("", value.strip())
    if compact.startswith("+7"):
        national = compact[2:]
    elif len(compact) == 11 and compact[0] in "78":
        national = compact[1:]
    else:
        return None
    return f"+7{national}" if _PHONE_NATIONAL.match(national) else None
