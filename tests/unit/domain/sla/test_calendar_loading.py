"""Reading a working calendar from TOML, and the errors an operator sees for bad input."""

from __future__ import annotations

from datetime import date

import pytest
from sla_support import CN_2026

from gridloop.domain.calendar import HOUR_MS, WorkCalendar


def test_the_official_2026_arrangements_load() -> None:
    assert CN_2026.years == {2026}
    assert len(CN_2026.holidays) == 33
    assert date(2026, 2, 14) in CN_2026.workdays


def test_working_hours_come_from_the_hours_table() -> None:
    calendar = WorkCalendar.from_toml('[hours]\nperiods = [["08:30", "12:00"], ["14:00", "17:30"]]')
    assert calendar.periods == ((510, 720), (840, 1050))
    assert calendar.day_ms == 7 * HOUR_MS


def test_toml_date_literals_are_accepted_as_well_as_strings() -> None:
    calendar = WorkCalendar.from_toml("[years.2026]\nholidays = [2026-10-01]")
    assert not calendar.is_working_day(date(2026, 10, 1))


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ('[years.2026]\nholidays = ["2026-02-30"]', ["years.2026.holidays", "'2026-02-30'"]),
        ('[years.2026]\nworkdays = ["2026/01/04"]', ["years.2026.workdays", "'2026/01/04'"]),
        ('[years.2026]\nholidays = ["2025-12-31"]', ["years.2026.holidays", "2025-12-31"]),
        (
            '[years.2026]\nholidays = ["2026-10-10"]\nworkdays = ["2026-10-10"]',
            ["years.2026", "2026-10-10", "both"],
        ),
        (
            '[hours]\nperiods = [["12:00", "09:00"]]',
            ["hours.periods", '["12:00", "09:00"]', "ends before it starts"],
        ),
        ('[hours]\nperiods = [["9:00", "12:00"]]', ["hours.periods", "'9:00'"]),
        (
            '[hours]\nperiods = [["09:00", "12:00"], ["11:00", "18:00"]]',
            ["hours.periods", '["11:00", "18:00"]', "overlaps"],
        ),
        ('[years.2026]\nholiday = ["2026-10-01"]', ["years.2026.holiday"]),
        ('[years.26]\nholidays = ["2026-10-01"]', ["years.26"]),
    ],
    ids=[
        "impossible-date",
        "wrong-date-format",
        "date-in-another-year",
        "holiday-and-workday",
        "period-backwards",
        "bad-time",
        "overlapping-periods",
        "misspelt-key",
        "bad-year",
    ],
)
def test_a_bad_calendar_is_refused_naming_the_key_and_value(text: str, names: list[str]) -> None:
    with pytest.raises(ValueError) as caught:
        WorkCalendar.from_toml(text)
    for name in names:
        assert name in str(caught.value)


def test_text_that_is_not_toml_is_refused() -> None:
    with pytest.raises(ValueError, match="calendar TOML"):
        WorkCalendar.from_toml("[years.2026\n")


def test_a_calendar_built_in_code_refuses_a_day_both_off_and_on() -> None:
    day = date(2026, 10, 10)
    with pytest.raises(ValueError, match="2026-10-10"):
        WorkCalendar(holidays=frozenset({day}), workdays=frozenset({day}))
