"""Kazakhstan's legal time: real holiday cases of 2023-2027 (SPEC §8, R5)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from engine.legal_time import (
    TZ,
    add_working_days,
    calendar_info,
    end_of_working_day,
    is_working_day,
    iso,
    next_working_day,
    previous_working_day,
    registration_moment,
    subtract_working_days,
    working_days,
    working_days_between,
)
from engine.legal_time.transfers import Transfer, load_transfer_data, parse_transfer_data
from engine.legal_time.workdays import build_year_calendar


def days(year: int, month_days: str) -> list[date]:
    return [date.fromisoformat(f"{year}-{md}") for md in month_days.split()]


# --- the calendar -------------------------------------------------------------------------------------

# Weekdays that are days off and weekend days that are working days, per the egov.kz holiday calendars
# and the government's transfer decrees.
_DAYS_OFF = {
    2023: "01-02 01-03 03-08 03-21 03-22 03-23 05-01 05-08 05-09 06-28 07-06 07-07 08-30 10-25 12-18",
    2024: "01-01 01-02 03-08 03-21 03-22 03-25 05-01 05-07 05-08 05-09 07-08 08-30 10-25 12-16",
    2025: "01-01 01-02 01-03 01-07 03-10 03-21 03-24 03-25 05-01 05-07 05-09 06-06 07-07 09-01 10-27 12-16",
    2026: "01-01 01-02 01-07 03-09 03-23 03-24 03-25 05-01 05-07 05-11 05-27 07-06 10-26 12-16",
}
_WORKING_WEEKEND = {2023: "07-01", 2024: "05-04", 2025: "01-05", 2026: ""}
WEEKDAY_DAYS_OFF = {year: days(year, text) for year, text in _DAYS_OFF.items()}
WORKING_WEEKEND_DAYS = {year: days(year, text) for year, text in _WORKING_WEEKEND.items()}


def expected_working_days(year: int) -> list[date]:
    every_day = [date(year, 1, 1) + timedelta(days=i) for i in range(366)]
    return [
        day
        for day in every_day
        if day.year == year
        and ((day.weekday() < 5 and day not in WEEKDAY_DAYS_OFF[year]) or day in WORKING_WEEKEND_DAYS[year])
    ]


@pytest.mark.parametrize("year", sorted(WEEKDAY_DAYS_OFF))
def test_calendar_of_the_year_matches_the_official_one(year: int) -> None:
    info = calendar_info(year)
    assert [date.fromisoformat(e["date"]) for e in info["days_off"]] == WEEKDAY_DAYS_OFF[year]
    assert [date.fromisoformat(e["date"]) for e in info["working_weekend_days"]] == WORKING_WEEKEND_DAYS[year]
    assert working_days(date(year, 1, 1), date(year, 12, 31)) == expected_working_days(year)
    assert info["working_day_count"] == len(expected_working_days(year))


def test_orthodox_christmas_and_kurban_ait_on_a_weekend_are_not_moved() -> None:
    assert not is_working_day(date(2024, 1, 7))  # Sunday
    assert is_working_day(date(2024, 1, 8))
    assert is_working_day(date(2023, 1, 9))  # 7 January 2023 was a Saturday
    assert is_working_day(date(2024, 6, 17))  # Kurban Ait 2024 was on Sunday 16 June
    weekend_holidays = [e["date"] for e in calendar_info(2024)["holidays_on_weekends"]]
    assert "2024-01-07" in weekend_holidays and "2024-06-16" in weekend_holidays


def test_christmas_on_a_weekday_is_a_day_off() -> None:
    assert not is_working_day(date(2025, 1, 7))
    assert not is_working_day(date(2026, 1, 7))


def test_a_working_saturday_and_a_working_sunday_are_working_days() -> None:
    assert is_working_day(date(2024, 5, 4))
    assert is_working_day(date(2025, 1, 5))
    assert not is_working_day(date(2024, 5, 8))
    assert not is_working_day(date(2025, 1, 3))


def test_constitution_day_2026_is_not_a_day_off() -> None:
    assert not is_working_day(date(2025, 9, 1))  # 30 August 2025 (Saturday) moved to Monday
    assert is_working_day(date(2026, 8, 31))


def test_is_working_day_accepts_moments_and_strings_on_the_local_day() -> None:
    assert is_working_day("2024-05-04")
    assert not is_working_day("2024-05-07T10:00:00+05:00")
    # 20:00 UTC on Monday 6 May is 01:00 on Tuesday 7 May (a holiday) in Kazakhstan.
    assert not is_working_day(datetime.fromisoformat("2024-05-06T20:00:00+00:00"))
    with pytest.raises(ValueError):
        is_working_day(datetime(2024, 5, 6, 10, 0))


def test_next_and_previous_working_day_skip_days_off() -> None:
    assert next_working_day(date(2025, 3, 20)) == date(2025, 3, 26)
    assert previous_working_day(date(2025, 3, 26)) == date(2025, 3, 20)
    assert next_working_day(date(2024, 12, 31)) == date(2025, 1, 5)
    assert previous_working_day(date(2024, 5, 6)) == date(2024, 5, 4)


def test_working_days_is_inclusive_and_accepts_strings() -> None:
    assert working_days("2024-05-01", "2024-05-12") == days(2024, "05-02 05-03 05-04 05-06 05-10")
    assert working_days(date(2024, 5, 6), date(2024, 5, 6)) == [date(2024, 5, 6)]
    assert working_days(date(2024, 5, 6), date(2024, 5, 5)) == []


# --- the after-hours rule (R5) ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        # Nauryz 21-23 March 2025, weekend days moved to 24-25 March.
        ("2025-03-20T19:00:00+05:00", "2025-03-26T09:00:00+05:00"),
        # Friday evening before International Women's Day 2025 (Saturday, moved to Monday 10 March).
        ("2025-03-07T19:00:00+05:00", "2025-03-11T09:00:00+05:00"),
        # Weekend submission.
        ("2025-06-07T11:00:00+05:00", "2025-06-09T09:00:00+05:00"),
        # Kurban Ait 2025 on Friday 6 June.
        ("2025-06-05T19:00:00+05:00", "2025-06-09T09:00:00+05:00"),
        # Kurban Ait 2024 on Sunday 16 June: not moved, Monday works.
        ("2024-06-16T10:00:00+05:00", "2024-06-17T09:00:00+05:00"),
        # Before 09:00, at 09:00, during lunch, at lunch's edges, at and after 18:30.
        ("2025-06-10T07:15:00+05:00", "2025-06-10T09:00:00+05:00"),
        ("2025-06-10T09:00:00+05:00", "2025-06-10T09:00:00+05:00"),
        ("2025-06-10T12:59:59+05:00", "2025-06-10T12:59:59+05:00"),
        ("2025-06-10T13:00:00+05:00", "2025-06-10T14:30:00+05:00"),
        ("2025-06-10T13:45:00+05:00", "2025-06-10T14:30:00+05:00"),
        ("2025-06-10T14:30:00+05:00", "2025-06-10T14:30:00+05:00"),
        ("2025-06-10T18:29:59+05:00", "2025-06-10T18:29:59+05:00"),
        ("2025-06-10T18:30:00+05:00", "2025-06-11T09:00:00+05:00"),
        ("2025-06-10T23:59:59+05:00", "2025-06-11T09:00:00+05:00"),
        # New Year 2024, 2025 (working Sunday 5 January) and 2026.
        ("2023-12-29T19:00:00+06:00", "2024-01-03T09:00:00+06:00"),
        ("2024-12-31T19:00:00+05:00", "2025-01-05T09:00:00+05:00"),
        ("2025-12-31T20:00:00+05:00", "2026-01-05T09:00:00+05:00"),
        # Orthodox Christmas: on Wednesday 2026 a day off; on Sunday 2024 not moved.
        ("2026-01-07T10:00:00+05:00", "2026-01-08T09:00:00+05:00"),
        ("2024-01-06T10:00:00+06:00", "2024-01-08T09:00:00+06:00"),
        # May 2024: Saturday 4 May works, 7-9 May are off.
        ("2024-05-03T19:00:00+05:00", "2024-05-04T09:00:00+05:00"),
        ("2024-05-06T18:45:00+05:00", "2024-05-10T09:00:00+05:00"),
        # Independence Day 2023 (Saturday, moved to Monday 18th) and 2025 (Tuesday).
        ("2023-12-15T18:31:00+06:00", "2023-12-19T09:00:00+06:00"),
        ("2025-12-15T19:00:00+05:00", "2025-12-17T09:00:00+05:00"),
        # Given in UTC: 03:00Z is 08:00 in Kazakhstan.
        ("2025-06-10T03:00:00Z", "2025-06-10T09:00:00+05:00"),
        # UTC+6 until 29 February 2024, UTC+5 from 1 March 2024.
        ("2024-02-29T19:00:00+06:00", "2024-03-01T09:00:00+05:00"),
        ("2024-02-29T18:30:00Z", "2024-03-01T09:00:00+05:00"),
    ],
)
def test_registration_moment(at: str, expected: str) -> None:
    assert iso(registration_moment(at)) == expected


def test_registration_moment_within_hours_is_the_input_in_local_time() -> None:
    at = datetime.fromisoformat("2025-06-10T05:00:00.123456+00:00")
    result = registration_moment(at)
    assert result == at
    assert result.tzinfo is TZ
    assert result.isoformat() == "2025-06-10T10:00:00.123456+05:00"


@pytest.mark.parametrize("bad", [datetime(2025, 6, 10, 10, 0), "2025-06-10T10:00:00", "2025-06-10", "soon"])
def test_registration_moment_refuses_naive_or_unparsable_input(bad: datetime | str) -> None:
    with pytest.raises(ValueError):
        registration_moment(bad)


def test_registration_moment_refuses_other_types() -> None:
    with pytest.raises(TypeError):
        registration_moment(1_700_000_000)  # type: ignore[arg-type]


# --- terms in working days ----------------------------------------------------------------------------


def test_nauryz_2025_example_from_the_brief() -> None:
    registered = registration_moment("2025-03-20T19:00:00+05:00")
    deadline = add_working_days(registered, 2)
    assert iso(deadline) == "2025-03-28T18:30:00+05:00"
    assert working_days_between(registered, deadline) == 2


@pytest.mark.parametrize(
    ("at", "n", "expected"),
    [
        ("2024-01-03T09:00:00+06:00", 1, "2024-01-04T18:30:00+06:00"),
        ("2025-01-05T09:00:00+05:00", 2, "2025-01-08T18:30:00+05:00"),  # 7 January is off
        ("2026-01-05T09:00:00+05:00", 2, "2026-01-08T18:30:00+05:00"),
        ("2024-05-03T10:00:00+05:00", 1, "2024-05-04T18:30:00+05:00"),  # working Saturday
        ("2024-05-03T10:00:00+05:00", 3, "2024-05-10T18:30:00+05:00"),
        ("2023-12-15T10:00:00+06:00", 1, "2023-12-19T18:30:00+06:00"),
        ("2023-06-27T10:00:00+06:00", 1, "2023-06-29T18:30:00+06:00"),  # Kurban Ait 28 June 2023
        ("2023-06-30T10:00:00+06:00", 1, "2023-07-01T18:30:00+06:00"),  # working Saturday 1 July 2023
        ("2023-06-30T10:00:00+06:00", 2, "2023-07-03T18:30:00+06:00"),
        ("2023-07-05T10:00:00+06:00", 1, "2023-07-10T18:30:00+06:00"),  # 6 and 7 July off
        ("2025-03-03T10:00:00+05:00", 15, "2025-03-28T18:30:00+05:00"),
        # Across the switch from UTC+6 to UTC+5.
        ("2024-02-28T10:00:00+06:00", 1, "2024-02-29T18:30:00+06:00"),
        ("2024-02-28T10:00:00+06:00", 2, "2024-03-01T18:30:00+05:00"),
        # n = 0: the end of that day, or of the next working day.
        ("2025-06-10T10:00:00+05:00", 0, "2025-06-10T18:30:00+05:00"),
        ("2025-06-07T10:00:00+05:00", 0, "2025-06-09T18:30:00+05:00"),
    ],
)
def test_add_working_days(at: str, n: int, expected: str) -> None:
    assert iso(add_working_days(at, n)) == expected


@pytest.mark.parametrize(
    ("at", "n", "expected"),
    [
        ("2024-05-10T10:00:00+05:00", 1, "2024-05-06T18:30:00+05:00"),
        ("2024-05-10T10:00:00+05:00", 2, "2024-05-04T18:30:00+05:00"),
        ("2025-01-06T10:00:00+05:00", 1, "2025-01-05T18:30:00+05:00"),
        ("2025-01-06T10:00:00+05:00", 2, "2024-12-31T18:30:00+05:00"),
        ("2024-03-01T10:00:00+05:00", 1, "2024-02-29T18:30:00+06:00"),
        ("2024-05-05T10:00:00+05:00", 0, "2024-05-04T18:30:00+05:00"),
    ],
)
def test_subtract_working_days(at: str, n: int, expected: str) -> None:
    assert iso(subtract_working_days(at, n)) == expected


def test_negative_terms_count_the_other_way() -> None:
    at = "2024-05-10T10:00:00+05:00"
    assert add_working_days(at, -2) == subtract_working_days(at, 2)
    assert subtract_working_days(at, -1) == add_working_days(at, 1)


def test_terms_refuse_a_non_integer_count() -> None:
    with pytest.raises(TypeError):
        add_working_days("2024-05-10T10:00:00+05:00", 1.5)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("2025-03-20T19:00:00+05:00", "2025-03-28T18:30:00+05:00", 3),
        ("2025-03-28T18:30:00+05:00", "2025-03-20T19:00:00+05:00", -3),
        ("2025-03-20T09:00:00+05:00", "2025-03-20T18:00:00+05:00", 0),
        ("2023-12-29T10:00:00+06:00", "2024-01-03T10:00:00+06:00", 1),
        ("2024-05-03T10:00:00+05:00", "2024-05-10T10:00:00+05:00", 3),
    ],
)
def test_working_days_between(a: str, b: str, expected: int) -> None:
    assert working_days_between(a, b) == expected


def test_working_days_between_over_several_years_matches_the_list() -> None:
    a, b = date(2022, 12, 31), date(2027, 12, 31)
    expected = len(working_days(a + timedelta(days=1), b))
    assert working_days_between(end_of_working_day(a), end_of_working_day(b)) == expected


# --- time zone and formatting -------------------------------------------------------------------------


def test_local_offset_follows_the_2024_switch_to_utc_plus_5() -> None:
    assert TZ.key == "Asia/Almaty"
    assert iso(end_of_working_day(date(2024, 2, 29))) == "2024-02-29T18:30:00+06:00"
    assert iso(end_of_working_day(date(2024, 3, 1))) == "2024-03-01T18:30:00+05:00"
    assert iso(datetime(2024, 2, 29, 12, 0, tzinfo=TZ)) == "2024-02-29T12:00:00+06:00"
    assert iso(datetime(2024, 3, 1, 12, 0, tzinfo=TZ)) == "2024-03-01T12:00:00+05:00"


def test_iso_formats_local_time_with_offset_to_the_second() -> None:
    assert iso("2025-03-28T13:30:00.987654Z") == "2025-03-28T18:30:00+05:00"
    assert end_of_working_day("2025-03-28").tzinfo is TZ


# --- transfers.json -----------------------------------------------------------------------------------


def test_every_checked_decree_is_reflected_in_the_calendar() -> None:
    data = load_transfer_data()
    assert {decree.year for decree in data.checked} >= {2023, 2024, 2025, 2026}
    for decree in data.checked:
        for day in decree.days_off:
            assert not is_working_day(day), day
        for day in decree.working_days:
            assert is_working_day(day), day


def test_calendar_info_names_the_decree_of_a_transfer() -> None:
    info = calendar_info(2024)
    may_8 = next(e for e in info["days_off"] if e["date"] == "2024-05-08")
    assert "G24G0000109" in may_8["source"]
    assert "G24G0000109" in info["working_weekend_days"][0]["source"]


def test_corrections_win_over_the_package() -> None:
    transfers = [
        Transfer(date(2027, 6, 4), "day_off", "test decree 1"),  # Friday made a day off
        Transfer(date(2027, 6, 12), "working_day", "test decree 1"),  # Saturday made working
        Transfer(date(2027, 7, 6), "working_day", "test decree 2"),  # a holiday cancelled
    ]
    calendar = build_year_calendar(2027, transfers)
    assert not calendar.is_working(date(2027, 6, 4))
    assert calendar.is_working(date(2027, 6, 12))
    assert calendar.is_working(date(2027, 7, 6))
    assert calendar.sources[date(2027, 6, 4)] == "test decree 1"
    assert calendar.cumulative[-1] == build_year_calendar(2027).cumulative[-1] + 1


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"date": "2027-06-04", "kind": "holiday", "source": "x"}, "kind"),
        ({"date": "2027-06-04", "kind": "day_off", "source": ""}, "source"),
        ({"date": "04.06.2027", "kind": "day_off", "source": "x"}, "ISO"),
    ],
)
def test_malformed_transfers_are_refused(entry: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_transfer_data({"transfers": [entry]})


def test_two_transfers_for_one_day_are_refused() -> None:
    entry = {"date": "2027-06-04", "kind": "day_off", "source": "x"}
    with pytest.raises(ValueError, match="more than once"):
        parse_transfer_data({"transfers": [entry, {**entry, "kind": "working_day"}]})
