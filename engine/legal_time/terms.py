"""Legal terms in working days and the after-hours rule (Rules clause 5; Appendix 3 row 8).

The provider works Monday-Friday 09:00-18:30 local time with lunch 13:00-14:30 (A3.8.1); the portal
accepts around the clock, so an event outside working hours counts from the next working moment.
A term in days starts on the day after the event and ends at 18:30 of its last working day.
"""

from __future__ import annotations

import operator
from datetime import date, datetime, time

from .workdays import count_working_days, is_working_day, next_working_day, previous_working_day
from .zone import TZ, Day, Moment, to_day, to_local

WORKDAY_START = time(9, 0)
LUNCH_START = time(13, 0)
LUNCH_END = time(14, 30)
WORKDAY_END = time(18, 30)


def _at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=TZ)


def end_of_working_day(day: Day) -> datetime:
    """Return 18:30 local time of ``day`` (the moment a term ending that day expires).

    Does not check that ``day`` is a working day; the term functions only pass working days.
    """
    return _at(to_day(day), WORKDAY_END)


def registration_moment(at: Moment) -> datetime:
    """Return the moment an event counts from under the after-hours rule (R5), in local time.

    Within working hours of a working day: ``at`` itself; before 09:00: 09:00 that day; during lunch:
    14:30 that day; at or after 18:30, or on a day off: 09:00 of the next working day.
    """
    local = to_local(at)
    day, clock = local.date(), local.time()
    if not is_working_day(day) or clock >= WORKDAY_END:
        return _at(next_working_day(day), WORKDAY_START)
    if clock < WORKDAY_START:
        return _at(day, WORKDAY_START)
    if LUNCH_START <= clock < LUNCH_END:
        return _at(day, LUNCH_END)
    return local


def add_working_days(at: Moment, n: int) -> datetime:
    """Return the end (18:30 local) of the n-th working day after the local day of ``at``.

    A term in days starts on the day after the event (SPEC §8). ``n=0`` gives the end of that day if
    it is a working day, else of the next one; a negative ``n`` counts backwards.
    """
    count = operator.index(n)
    if count < 0:
        return subtract_working_days(at, -count)
    day = to_local(at).date()
    if count == 0:
        return end_of_working_day(day if is_working_day(day) else next_working_day(day))
    for _ in range(count):
        day = next_working_day(day)
    return end_of_working_day(day)


def subtract_working_days(at: Moment, n: int) -> datetime:
    """Return the end (18:30 local) of the n-th working day before the local day of ``at``.

    For terms set backwards from an event (e.g. "no later than N working days before").
    ``n=0`` gives the end of that day if it is a working day, else of the previous one.
    """
    count = operator.index(n)
    if count < 0:
        return add_working_days(at, -count)
    day = to_local(at).date()
    if count == 0:
        return end_of_working_day(day if is_working_day(day) else previous_working_day(day))
    for _ in range(count):
        day = previous_working_day(day)
    return end_of_working_day(day)


def working_days_between(a: Moment, b: Moment) -> int:
    """Return the working days after the local day of ``a`` up to and including the local day of ``b``.

    Shows how much of a term is used or left. Negative (the same count, reversed) when ``b``'s day is
    before ``a``'s, so that ``working_days_between(a, b) == -working_days_between(b, a)``.
    """
    day_a, day_b = to_local(a).date(), to_local(b).date()
    if day_b >= day_a:
        return count_working_days(day_a, day_b)
    return -count_working_days(day_b, day_a)
