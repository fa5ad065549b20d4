"""Moments, days, months and numbers as the workspaces show them: in Kazakhstan local time, formatted by
Babel (CLDR) for the language of the request — ``2025 ж. 05 мау., 10:00`` in Kazakh, ``5 июн. 2025 г., 10:00``
in Russian, ``Jun 5, 2025, 10:00 AM`` in English; ``1 234 567`` and ``1,234,567``.

Form inputs keep ISO values (see :func:`input_moment`): a browser's date and time pickers read nothing else.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from babel import Locale, dates, numbers

from engine import legal_time
from web.ui.i18n import language

MONTH = "yMMMM"  # CLDR skeleton: the month's name and the year


def _moment_of(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return legal_time.to_local(value)
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == "T":
        try:
            return legal_time.to_local(value)
        except ValueError:
            return None
    return None


def _day_of(value: Any) -> date | None:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def moment(value: Any) -> str:
    """A moment (aware datetime or ISO string with an offset) as local date and time; a day as a date;
    anything else as its text ('' for none)."""
    lang, at = language(), _moment_of(value)
    if at is not None:  # the locale's medium date and short time, joined as the locale joins them
        return str(Locale.parse(lang).datetime_formats["medium"]).format(
            dates.format_time(at, "short", tzinfo=legal_time.TZ, locale=lang),
            dates.format_date(at, "medium", locale=lang))
    day = _day_of(value)
    if day is not None:
        return dates.format_date(day, "medium", locale=lang)
    return "" if value is None else str(value)


def month(value: Any) -> str:
    """A ``YYYY-MM`` month as its name and year (``2025 ж. маусым``, ``июнь 2025 г.``)."""
    try:
        first = date.fromisoformat(f"{value}-01")
    except (TypeError, ValueError):
        return "" if value is None else str(value)
    return dates.format_skeleton(MONTH, first, locale=language())


def number(value: Any) -> str:
    """A count or an amount with the locale's digit grouping and decimal sign; other values as text."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "" if value is None else str(value)
    return numbers.format_decimal(value, locale=language())


def input_moment(value: Any) -> str:
    """A stored moment as the value of a datetime-local input: local time, ISO, to the minute."""
    at = _moment_of(value)
    return at.strftime("%Y-%m-%dT%H:%M") if at is not None else ("" if value is None else str(value))
