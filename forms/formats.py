"""The string formats the forms use, checked the same way whatever optional jsonschema extras are installed.

jsonschema checks ``date-time`` only when ``rfc3339-validator`` is installed and silently passes it
otherwise; these checkers do not depend on that.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from jsonschema import FormatChecker

_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_DATE_TIME = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$")
_EMAIL = re.compile(r"^[^@\s]+@[^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)+$")

DESCRIPTIONS = {
    "date-time": "an ISO-8601 date and time with offset, e.g. 2025-03-20T10:00:00+05:00",
    "date": "an ISO-8601 date, e.g. 2025-03-20",
    "email": "an email address",
}


def is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATE.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def is_date_time(value: object) -> bool:
    """RFC 3339 date-time: a date, a time and an offset (``Z`` or ``±hh:mm``)."""
    if not isinstance(value, str):
        return True
    if not _DATE_TIME.match(value):
        return False
    try:
        datetime.fromisoformat(value.upper().replace(" ", "T"))
    except ValueError:
        return False
    return True


def is_email(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return len(value) <= 254 and ".." not in value and bool(_EMAIL.match(value))


def format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())
    checker.checks("date")(is_date)
    checker.checks("date-time")(is_date_time)
    checker.checks("email")(is_email)
    return checker
