"""Legal terms in working days and the after-hours rule (Rules clause 5; Appendix 3 row 8).

The provider works Monday-Friday 09:00-18:30 local time with lunch 13:00-14:30 (A3.8.1); the portal
accepts around the clock, so an event outside working hours counts from the next working moment.
A term in days starts on the day after the event and ends at 18:30 of its last working day.
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Iterable
from dataclasses import dataclass
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


# -- the legal terms, as data bound to their clauses ------------------------------------------------------------


@dataclass(frozen=True)
class LegalTerm:
    """One term of the Rules (or of a law they refer to): how many working days, counted from what, and where
    it is written. Operations read their counts from here; diagram validation checks each clause-bound timer's
    literal count against it (a diagram saying 3 working days for R7 is invalid)."""

    clause: str
    days: int
    counted_from: str
    source: str
    unit: str = "working days"


LEGAL_TERMS: tuple[LegalTerm, ...] = (
    LegalTerm("R7", 2, "registration", "Rules 169/НҚ, cl. 7: completeness and the motivated refusal"),
    LegalTerm("R8", 13, "the completeness check", "Rules 169/НҚ, cl. 8: qualification check"),
    LegalTerm("R10.2", 3, "the end of the A3.4 term, backwards", "Rules 169/НҚ, cl. 10 §2: the hearing notice"),
    LegalTerm("R10.2", 2, "the hearing notice", "Rules 169/НҚ, cl. 10 §2: the hearing"),
    LegalTerm("R14", 1, "registration", "Rules 169/НҚ, cl. 14: reissue completeness and its refusal"),
    LegalTerm("R15", 2, "registration", "Rules 169/НҚ, cl. 15 (A3.4 reads \"2 (үш)\")"),
    LegalTerm("A3.4", 15, "registration", "Rules 169/НҚ, Appendix 3 row 4: the issue term"),
    LegalTerm("R16", 2, "the change of the pool", "Rules 169/НҚ, cl. 16: pool-change notice"),
    LegalTerm("R20", 3, "the day the complaint is received", "Rules 169/НҚ, cl. 20: forwarding a complaint"),
    LegalTerm("R21", 5, "registration of the complaint", "Rules 169/НҚ, cl. 21; Law on state services 25(2)"),
    LegalTerm("R22", 15, "registration of the complaint", "Rules 169/НҚ, cl. 22: the quality authority"),
)
_TERM_FUNCTIONS = ("add_working_days", "subtract_working_days")


_effective: tuple[LegalTerm, ...] = LEGAL_TERMS


def effective_terms() -> tuple[LegalTerm, ...]:
    """The terms in force: the shipped table until an approved change replaces it (``set_effective_terms``)."""
    return _effective


def set_effective_terms(terms: Iterable[LegalTerm]) -> None:
    """Make ``terms`` the table in force. The store calls this with the database's effective table on start
    and after a change is approved by a second person (four-eyes); nothing else changes the table."""
    global _effective
    _effective = tuple(terms)


def term_days(clause: str) -> int:
    """The working days of the (first) term bound to ``clause``; KeyError for a clause with no term."""
    for term in _effective:
        if term.clause == clause:
            return term.days
    raise KeyError(clause)


_LABEL_DAYS = re.compile(r"(\d+)\s*(?:working\s+days?\b|жұмыс\s+күн|рабоч(?:ий|их|его)\s+д[енья])", re.IGNORECASE)


def _bound_clause(clauses: str) -> str | None:
    cited = [c.strip() for c in clauses.split(",") if c.strip()]
    bound = [c for c in cited if any(t.clause == c for t in _effective)]
    return bound[0] if len(bound) == 1 else None


def label_disagreement(clauses: str, labels: Iterable[str]) -> str | None:
    """Why a timer's label (its name in English, Kazakh or Russian) states a count of working days the terms
    table does not give the timer's clause, or None. "3 working days (R7)" is wrong while R7 has 2."""
    clause = _bound_clause(clauses)
    if clause is None:
        return None
    allowed = sorted({t.days for t in _effective if t.clause == clause})
    for label in labels:
        for match in _LABEL_DAYS.finditer(label or ""):
            if int(match.group(1)) not in allowed:
                return (f"the timer's label {label!r} says {match.group(1)} working days for {clause}, but the "
                        f"terms table (engine/legal_time/terms.py) says {' or '.join(map(str, allowed))}")
    return None


def timer_disagreement(clauses: str, expression: str) -> str | None:
    """Why a timer citing ``clauses`` disagrees with the terms table, or None.

    Only a literal working-day count is checked (``add_working_days(x, 2)``); a timer that takes its moment from
    an operation's result is computed from the table already. A timer citing several clauses is checked when
    exactly one of them has terms.
    """
    clause = _bound_clause(clauses)
    if clause is None:
        return None
    bound = [clause]
    allowed = sorted({t.days for t in _effective if t.clause == clause})
    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _TERM_FUNCTIONS \
                and len(node.args) == 2 and isinstance(node.args[1], ast.Constant) \
                and isinstance(node.args[1].value, int) and node.args[1].value not in allowed:
            return (f"the timer counts {node.args[1].value} working days for {bound[0]}, but the terms table "
                    f"(engine/legal_time/terms.py) says {' or '.join(map(str, allowed))}")
    return None
