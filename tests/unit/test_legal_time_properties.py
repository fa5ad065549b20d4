"""Properties of legal time that must hold for every moment in 2023-2027 (hypothesis)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.legal_time import (
    LUNCH_END,
    LUNCH_START,
    TZ,
    WORKDAY_END,
    WORKDAY_START,
    add_working_days,
    end_of_working_day,
    is_working_day,
    registration_moment,
    subtract_working_days,
    working_days,
    working_days_between,
)

FAST = settings(deadline=None, max_examples=200, derandomize=True, database=None)

moments = st.datetimes(
    min_value=datetime(2023, 1, 1),
    max_value=datetime(2027, 12, 20),
    timezones=st.sampled_from(
        [TZ, UTC, timezone(timedelta(hours=-8)), timezone(timedelta(hours=9, minutes=30))]
    ),
)
terms = st.integers(min_value=0, max_value=40)
positive_terms = st.integers(min_value=1, max_value=30)


@FAST
@given(moments, terms)
def test_a_deadline_is_the_end_of_a_working_day(at: datetime, n: int) -> None:
    deadline = add_working_days(at, n)
    assert deadline.tzinfo is TZ
    assert deadline.time() == WORKDAY_END
    assert is_working_day(deadline.date())
    assert deadline.date() > at.astimezone(TZ).date() or n == 0


@FAST
@given(moments, positive_terms, positive_terms)
def test_terms_add_up_from_a_registration_moment(at: datetime, m: int, n: int) -> None:
    registered = registration_moment(at)
    assert add_working_days(add_working_days(registered, m), n) == add_working_days(registered, m + n)


@FAST
@given(moments)
def test_registration_moment_is_idempotent_and_never_earlier(at: datetime) -> None:
    registered = registration_moment(at)
    assert registered >= at
    assert registration_moment(registered) == registered
    assert registered.tzinfo is TZ
    assert is_working_day(registered.date())
    clock = registered.time()
    assert WORKDAY_START <= clock < LUNCH_START or LUNCH_END <= clock < WORKDAY_END


@FAST
@given(moments, moments)
def test_registration_moment_keeps_the_order_of_events(a: datetime, b: datetime) -> None:
    first, second = sorted((a, b))
    assert registration_moment(first) <= registration_moment(second)


@FAST
@given(moments, terms)
def test_working_days_between_counts_the_term(at: datetime, n: int) -> None:
    registered = registration_moment(at)
    assert working_days_between(registered, add_working_days(registered, n)) == n


@FAST
@given(moments, terms)
def test_subtracting_undoes_adding_from_a_registration_moment(at: datetime, n: int) -> None:
    registered = registration_moment(at)
    back = subtract_working_days(add_working_days(registered, n), n)
    assert back == end_of_working_day(registered.date())


@FAST
@given(moments, moments)
def test_working_days_between_is_antisymmetric_and_matches_the_list(a: datetime, b: datetime) -> None:
    assert working_days_between(a, b) == -working_days_between(b, a)
    first, second = sorted((a.astimezone(TZ).date(), b.astimezone(TZ).date()))
    expected = len(working_days(first + timedelta(days=1), second))
    assert abs(working_days_between(a, b)) == expected
