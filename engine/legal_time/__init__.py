"""Legal time in Kazakhstan: working days, the after-hours rule and terms in working days (SPEC §8).

Pure Python, no database: BPMN timer expressions, the CLI and the UI all call these functions.
Moments are accepted as aware datetimes or ISO-8601 strings with offset and returned as aware
datetimes in local time (``TZ``, Asia/Almaty).
"""

from __future__ import annotations

from .terms import (
    LEGAL_TERMS,
    LUNCH_END,
    LUNCH_START,
    WORKDAY_END,
    WORKDAY_START,
    LegalTerm,
    add_working_days,
    effective_terms,
    end_of_working_day,
    label_disagreement,
    registration_moment,
    set_effective_terms,
    subtract_working_days,
    term_days,
    timer_disagreement,
    working_days_between,
)
from .workdays import (
    calendar_info,
    is_working_day,
    next_working_day,
    previous_working_day,
    working_days,
)
from .zone import TZ, Day, Moment, iso, to_local

__all__ = [
    "LEGAL_TERMS",
    "LUNCH_END",
    "LUNCH_START",
    "TZ",
    "WORKDAY_END",
    "WORKDAY_START",
    "Day",
    "LegalTerm",
    "Moment",
    "add_working_days",
    "calendar_info",
    "effective_terms",
    "end_of_working_day",
    "is_working_day",
    "iso",
    "label_disagreement",
    "next_working_day",
    "previous_working_day",
    "registration_moment",
    "set_effective_terms",
    "subtract_working_days",
    "term_days",
    "timer_disagreement",
    "to_local",
    "working_days",
    "working_days_between",
]
