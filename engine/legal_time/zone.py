"""Kazakhstan local time: the time zone, parsing of moments and days, ISO formatting.

Every legal-time function accepts either an aware ``datetime`` or an ISO-8601 string with an offset
(BPMN expressions pass strings from the instance data) and works in local time.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TypeAlias
from zoneinfo import ZoneInfo

#: Kazakhstan local time. Taken from the tz database, never a fixed offset: the country moved from
#: UTC+6 to a single UTC+5 zone on 2024-03-01 and only the tz database knows every such change.
TZ = ZoneInfo("Asia/Almaty")

Moment: TypeAlias = datetime | str
"""An aware datetime or an ISO-8601 string with an offset."""

Day: TypeAlias = date | datetime | str
"""A date, an aware datetime, or an ISO-8601 date or moment string."""


def to_local(value: Moment) -> datetime:
    """Return the moment as an aware datetime in local time (TZ).

    Naive input is refused: a moment without an offset could be any of several instants, and a legal
    deadline must not depend on the server's time zone.
    """
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError as exc:
            raise ValueError(f"not an ISO-8601 moment: {value!r}") from exc
    elif isinstance(value, datetime):
        parsed = value
    else:
        raise TypeError(f"expected a datetime or an ISO-8601 string, got {type(value).__name__}")
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise ValueError(f"moment must be timezone-aware (carry a UTC offset): {value!r}")
    return parsed.astimezone(TZ)


def to_day(value: Day) -> date:
    """Return the local calendar day of a date, an aware moment, or an ISO date/moment string.

    A moment counts on the day it falls on in Kazakhstan, whatever offset it was written with.
    """
    if isinstance(value, datetime):
        return to_local(value).date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if len(text) == 10:
            try:
                return date.fromisoformat(text)
            except ValueError as exc:
                raise ValueError(f"not an ISO-8601 date: {value!r}") from exc
        return to_local(text).date()
    raise TypeError(f"expected a date, a datetime or an ISO-8601 string, got {type(value).__name__}")


def iso(value: Moment) -> str:
    """Format a moment as a local ISO-8601 string with offset, seconds precision.

    One canonical text form keeps stored instance data, API answers and documents comparable,
    e.g. ``2025-03-28T18:30:00+05:00``.
    """
    return to_local(value).isoformat(timespec="seconds")
