"""Kazakhstan's working-day calendar: which days count in a term of working days (SPEC §8).

A working day is Monday-Friday, minus public holidays that are days off (a holiday on a weekend moves
its day off to the next working day, except Orthodox Christmas and the first day of Kurban Ait), with
the government's transfers applied (a weekday may become a day off, a weekend day a working day).
The ``holidays`` package supplies all of that; ``transfers.json`` holds corrections it lacks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from importlib.metadata import version
from typing import Any

import holidays

from .transfers import Transfer, load_transfer_data, transfers_for_year
from .zone import Day, to_day

PACKAGE_SOURCE = f"holidays {version('holidays')} (KZ)"
WORKING_WEEKEND_NAME = "Working day (day off transferred)"
_SEARCH_LIMIT = 366  # no stretch of non-working days is anywhere near a year long


@dataclass(frozen=True)
class YearCalendar:
    """The working-day status of every day of one year, precomputed for fast lookups."""

    year: int
    days_off: frozenset[date]  # holidays and transferred days off (weekend ones included)
    working_weekend_days: frozenset[date]  # Saturdays/Sundays made working days
    names: Mapping[date, str]  # holiday names (English) and correction notes
    sources: Mapping[date, str]  # where a day's status comes from
    cumulative: tuple[int, ...]  # cumulative[k] = working days among days 1..k of the year

    def is_working(self, day: date) -> bool:
        """Return whether ``day`` (in this year) is a working day."""
        if day in self.working_weekend_days:
            return True
        return day.weekday() < 5 and day not in self.days_off


@lru_cache(maxsize=64)
def _package_year(year: int) -> holidays.HolidayBase:
    # Built with expand=False and only read, so sharing the cached object is safe.
    return holidays.country_holidays("KZ", years=year, language="en_US", expand=False)


def build_year_calendar(year: int, transfers: Sequence[Transfer] = ()) -> YearCalendar:
    """Build one year's calendar from the ``holidays`` package plus ``transfers`` (which win).

    Kept separate from the cached lookup so that corrections can be tested with made-up data.
    """
    package = _package_year(year)
    following = _package_year(year + 1)  # a decree may make a working day of the previous year
    names = {day: str(name) for day, name in package.items() if day.year == year}
    days_off = set(names)
    working_weekend = {d for d in package.weekend_workdays | following.weekend_workdays if d.year == year}
    sources = {day: PACKAGE_SOURCE for day in days_off | working_weekend}
    names.update({day: WORKING_WEEKEND_NAME for day in working_weekend})
    for transfer in transfers:
        if transfer.day.year != year:
            continue
        if transfer.kind == "day_off":
            days_off.add(transfer.day)
            working_weekend.discard(transfer.day)
        else:
            days_off.discard(transfer.day)
            if transfer.day.weekday() >= 5:
                working_weekend.add(transfer.day)
        sources[transfer.day] = transfer.source
        names[transfer.day] = transfer.note or transfer.kind.replace("_", " ").capitalize()
    calendar = YearCalendar(
        year=year,
        days_off=frozenset(days_off),
        working_weekend_days=frozenset(working_weekend),
        names=names,
        sources=sources,
        cumulative=(),
    )
    counts = [0]
    day = date(year, 1, 1)
    while day.year == year:
        counts.append(counts[-1] + calendar.is_working(day))
        day += timedelta(days=1)
    return replace(calendar, cumulative=tuple(counts))


@lru_cache(maxsize=64)
def year_calendar(year: int) -> YearCalendar:
    """Return the (cached) calendar of ``year``: the package's holidays plus ``transfers.json``.

    Cached because deadlines are computed on every timer evaluation and task listing.
    """
    return build_year_calendar(year, transfers_for_year(year))


def is_working_day(day: Day) -> bool:
    """Return whether a day (or the local day of a moment) is a working day of the provider.

    Legal terms count only these days (SPEC §8).
    """
    value = to_day(day)
    return year_calendar(value.year).is_working(value)


def next_working_day(day: Day) -> date:
    """Return the first working day strictly after ``day``.

    A term in days starts on the day after the event, and after-hours events count from the next one.
    """
    current = to_day(day)
    for _ in range(_SEARCH_LIMIT):
        current += timedelta(days=1)
        if is_working_day(current):
            return current
    raise RuntimeError(f"no working day within a year after {to_day(day).isoformat()}")


def previous_working_day(day: Day) -> date:
    """Return the last working day strictly before ``day`` (for terms counted backwards)."""
    current = to_day(day)
    for _ in range(_SEARCH_LIMIT):
        current -= timedelta(days=1)
        if is_working_day(current):
            return current
    raise RuntimeError(f"no working day within a year before {to_day(day).isoformat()}")


def working_days(start: Day, end: Day) -> list[date]:
    """Return the working days from ``start`` to ``end`` inclusive (empty if ``end`` < ``start``).

    Used by the ``licensing calendar working-days`` command and the UI.
    """
    first, last = to_day(start), to_day(end)
    return [
        first + timedelta(days=offset)
        for offset in range((last - first).days + 1)
        if is_working_day(first + timedelta(days=offset))
    ]


def _through(day: date) -> int:
    """Working days from 1 January of ``day``'s year up to and including ``day``."""
    return year_calendar(day.year).cumulative[day.timetuple().tm_yday]


def count_working_days(after: date, through: date) -> int:
    """Return the number of working days after ``after`` up to and including ``through`` (>= 0).

    Uses per-year cumulative counts so long spans (e.g. the UI's overdue columns) stay cheap.
    """
    if through <= after:
        return 0
    if after.year == through.year:
        return _through(through) - _through(after)
    total = year_calendar(after.year).cumulative[-1] - _through(after)
    for year in range(after.year + 1, through.year):
        total += year_calendar(year).cumulative[-1]
    return total + _through(through)


def calendar_info(year: int) -> dict[str, Any]:
    """Describe a year's days off and working weekend days with their sources, for the UI.

    ``days_off``: weekdays that are not working days (holidays, moved holidays, transfers);
    ``working_weekend_days``: Saturdays/Sundays that are working days; ``holidays_on_weekends``:
    holidays falling on a weekend (their day off moves, except 7 January and Kurban Ait).
    """
    calendar = year_calendar(year)
    decree_by_day = {
        day: decree.source
        for decree in load_transfer_data().checked
        for day in (*decree.days_off, *decree.working_days)
    }

    def entry(day: date) -> dict[str, str]:
        source = calendar.sources.get(day, PACKAGE_SOURCE)
        if source == PACKAGE_SOURCE and day in decree_by_day:
            source = f"{decree_by_day[day]}; via {PACKAGE_SOURCE}"
        return {"date": day.isoformat(), "name": calendar.names.get(day, ""), "source": source}

    return {
        "year": year,
        "days_off": [entry(d) for d in sorted(calendar.days_off) if d.weekday() < 5],
        "working_weekend_days": [entry(d) for d in sorted(calendar.working_weekend_days)],
        "holidays_on_weekends": [entry(d) for d in sorted(calendar.days_off) if d.weekday() >= 5],
        "working_day_count": calendar.cumulative[-1],
    }
