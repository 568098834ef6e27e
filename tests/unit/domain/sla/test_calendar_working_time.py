"""Working days and working time: lunch, nights, weekends, holidays and make-up days."""

from __future__ import annotations

from datetime import date

import pytest
from sla_support import CN_2026, at, shown

from gridloop.domain.calendar import HOUR_MS, WorkCalendar

PLAIN = WorkCalendar()  # weekdays only, default office hours 09:00–12:00, 13:30–18:00


def test_weekdays_work_and_weekends_rest_when_nothing_is_arranged() -> None:
    assert PLAIN.is_working_day(date(2026, 3, 6))  # Friday
    assert not PLAIN.is_working_day(date(2026, 3, 7))  # Saturday


def test_a_public_holiday_on_a_weekday_is_a_day_off() -> None:
    assert not CN_2026.is_working_day(date(2026, 10, 1))  # Thursday, National Day


def test_a_make_up_weekend_day_is_a_working_day() -> None:
    assert CN_2026.is_working_day(date(2026, 9, 20))  # Sunday
    assert CN_2026.is_working_day(date(2026, 10, 10))  # Saturday


def test_the_default_working_day_is_seven_and_a_half_hours() -> None:
    assert PLAIN.day_ms == 7.5 * HOUR_MS


def test_working_hours_skip_the_lunch_break() -> None:
    assert shown(PLAIN.add_working_hours(at(2026, 3, 2, 11), 2)) == shown(at(2026, 3, 2, 14, 30))


def test_working_hours_that_run_out_at_noon_end_at_noon() -> None:
    assert PLAIN.add_working_hours(at(2026, 3, 2, 9), 3) == at(2026, 3, 2, 12)


def test_working_hours_carry_over_the_night() -> None:
    assert shown(PLAIN.add_working_hours(at(2026, 3, 3, 17), 2)) == shown(at(2026, 3, 4, 10))


def test_working_hours_carry_over_the_weekend() -> None:
    assert shown(PLAIN.add_working_hours(at(2026, 3, 6, 17), 2)) == shown(at(2026, 3, 9, 10))


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (at(2026, 3, 2, 7), at(2026, 3, 2, 10)),  # before opening
        (at(2026, 3, 2, 12, 30), at(2026, 3, 2, 14, 30)),  # lunch
        (at(2026, 3, 2, 20), at(2026, 3, 3, 10)),  # evening
        (at(2026, 3, 7, 10), at(2026, 3, 9, 10)),  # Saturday
    ],
)
def test_working_hours_from_outside_office_hours_start_at_the_next_period(
    start: int, due: int
) -> None:
    assert shown(PLAIN.add_working_hours(start, 1)) == shown(due)


def test_working_hours_skip_the_national_day_week() -> None:
    # Wednesday 30 September 17:00: one hour left, then 1–7 October are off.
    due = CN_2026.add_working_hours(at(2026, 9, 30, 17), 2)
    assert shown(due) == shown(at(2026, 10, 8, 10))


def test_working_hours_count_a_make_up_sunday() -> None:
    due = CN_2026.add_working_hours(at(2026, 9, 18, 17), 2)  # Friday
    assert shown(due) == shown(at(2026, 9, 20, 10))  # the make-up Sunday


def test_working_days_inside_office_hours_keep_the_clock_time() -> None:
    assert shown(PLAIN.add_working_days(at(2026, 3, 3, 10), 3)) == shown(at(2026, 3, 6, 10))


def test_working_days_skip_the_holiday_week_and_count_the_make_up_saturday() -> None:
    start = at(2026, 9, 30, 10)  # Wednesday before National Day
    assert shown(CN_2026.add_working_days(start, 1)) == shown(at(2026, 10, 8, 10))
    assert shown(CN_2026.add_working_days(start, 2)) == shown(at(2026, 10, 9, 10))
    assert shown(CN_2026.add_working_days(start, 3)) == shown(at(2026, 10, 10, 10))


@pytest.mark.parametrize(
    "start",
    [at(2026, 3, 6, 19), at(2026, 3, 7, 10), at(2026, 3, 6, 18)],
    ids=["friday-evening", "saturday", "friday-at-closing"],
)
def test_working_days_from_after_hours_end_at_the_close_of_the_nth_working_day(
    start: int,
) -> None:
    assert shown(PLAIN.add_working_days(start, 1)) == shown(at(2026, 3, 9, 18))


def test_working_days_from_before_opening_count_that_day() -> None:
    assert shown(PLAIN.add_working_days(at(2026, 3, 2, 8), 1)) == shown(at(2026, 3, 2, 18))
    assert shown(PLAIN.add_working_days(at(2026, 3, 2, 8), 2)) == shown(at(2026, 3, 3, 18))


def test_working_days_from_the_lunch_break_count_from_half_past_one() -> None:
    assert shown(PLAIN.add_working_days(at(2026, 3, 2, 12, 30), 1)) == shown(at(2026, 3, 3, 13, 30))


def test_working_time_between_counts_only_office_hours() -> None:
    assert PLAIN.working_ms_between(at(2026, 3, 6, 17), at(2026, 3, 9, 10)) == 2 * HOUR_MS
    assert PLAIN.working_ms_between(at(2026, 3, 9, 10), at(2026, 3, 6, 17)) == -2 * HOUR_MS
    assert PLAIN.working_ms_between(at(2026, 3, 2, 12), at(2026, 3, 2, 13, 30)) == 0


def test_working_time_between_skips_holidays() -> None:
    span = CN_2026.working_ms_between(at(2026, 9, 30, 17), at(2026, 10, 8, 10))
    assert span == 2 * HOUR_MS


@pytest.mark.parametrize("hours", [0.25, 1, 3, 7.5, 11, 40, 200])
def test_adding_working_hours_and_measuring_them_agree(hours: float) -> None:
    for start in (at(2026, 9, 18, 11, 15), at(2026, 2, 13, 16), at(2026, 12, 31, 23)):
        due = CN_2026.add_working_hours(start, hours)
        assert CN_2026.working_ms_between(start, due) == hours * HOUR_MS


def test_negative_working_time_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        PLAIN.add_working_hours(at(2026, 3, 2, 10), -1)
    with pytest.raises(ValueError, match="negative"):
        PLAIN.add_working_days(at(2026, 3, 2, 10), -1)


@pytest.mark.parametrize("days", [1, 2, 3, 5, 10])
def test_working_days_always_add_whole_days_of_working_time(days: int) -> None:
    starts = [at(2026, 9, 30, 10), at(2026, 2, 13, 12), at(2026, 2, 13, 13, 30), at(2026, 4, 3, 19)]
    for start in starts:
        due = CN_2026.add_working_days(start, days)
        assert CN_2026.working_ms_between(start, due) == days * CN_2026.day_ms, shown(start)


def test_a_calendar_without_working_days_reports_it_instead_of_searching_forever() -> None:
    every_day = frozenset(date.fromordinal(date(2026, 1, 1).toordinal() + n) for n in range(365))
    with pytest.raises(ValueError, match="no working day"):
        WorkCalendar(holidays=every_day).add_working_hours(at(2026, 3, 2, 10), 1)
