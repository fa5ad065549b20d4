"""Dates and moments as acts print them: the local (Astana) form, never raw ISO text."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from engine import legal_time

MONTHS = {
    "kk": ("қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек", "қазан",
           "қараша", "желтоқсан"),
    "ru": ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
           "ноября", "декабря"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}


def _day(value: Any) -> date | None:
    if not value:  # None, "", or a template's undefined value
        return None
    if isinstance(value, datetime):
        return legal_time.to_local(value).date()
    if isinstance(value, date):
        return value
    text = str(value)
    try:
        return legal_time.to_local(datetime.fromisoformat(text)).date() if "T" in text else date.fromisoformat(text)
    except ValueError:
        return None


def long_date(value: Any, lang: str) -> str:
    """'2025 жылғы 5 маусым' (kk), '5 июня 2025 года' (ru), as the forms write dates; 'June 5, 2025' (en)."""
    day = _day(value)
    if day is None:
        return ""
    month = MONTHS[lang][day.month - 1]
    if lang == "kk":
        return f"{day.year} жылғы {day.day} {month}"
    return f"{month} {day.day}, {day.year}" if lang == "en" else f"{day.day} {month} {day.year} года"


def long_moment(value: Any, lang: str) -> str:
    """A moment as notices to the applicant write it: the long date and the Astana time,
    '5 июня 2025 года, 10:00'."""
    if not value:
        return ""
    try:
        at = legal_time.to_local(value if isinstance(value, datetime) else datetime.fromisoformat(str(value)))
    except ValueError:
        return str(value)
    return f"{long_date(at, lang)}, {at:%H:%M}"


def short_date(value: Any) -> str:
    day = _day(value)
    return day.strftime("%d.%m.%Y") if day else ""


def moment(value: Any) -> str:
    """'05.06.2025 10:00' in Astana time."""
    if not value:
        return ""
    try:
        at = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return legal_time.to_local(at).strftime("%d.%m.%Y %H:%M")


def licence_valid_until(issued_on: date) -> date:
    """The last day of a licence's three years (Law on digital assets, art. 9): issue date + 3 years - 1 day."""
    try:
        anniversary = issued_on.replace(year=issued_on.year + 3)
    except ValueError:  # 29 February: the three years end with 28 February
        anniversary = issued_on.replace(year=issued_on.year + 3, month=3, day=1)
    return anniversary - timedelta(days=1)
