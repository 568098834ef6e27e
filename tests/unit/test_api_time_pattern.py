"""The API's time pattern (in the OpenAPI document) admits exactly what `parse_api_time` reads."""

from __future__ import annotations

import datetime as dt

import pytest

from gridloop.entrypoints.timefmt import parse_api_time, parse_iso


def test_every_calendar_date_of_a_leap_century_is_read() -> None:
    day = dt.date(2000, 1, 1)
    while day.year < 2101:
        assert parse_api_time(day.isoformat()) == parse_iso(day.isoformat())
        day += dt.timedelta(days=1)


@pytest.mark.parametrize(
    "text",
    ["2100-02-29", "2023-02-29", "2026-04-31", "20260301", "2026-03-01 08:00", "2026-03-01\n"],
)
def test_what_the_pattern_refuses_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not an ISO-8601 time"):
        parse_api_time(text)


def test_times_with_fractions_and_offsets_are_read() -> None:
    assert parse_api_time("2026-03-01T08:00:00.5+08:00") == parse_iso("2026-03-01T08:00:00.5+08:00")
    assert parse_api_time("2026-03-01T00:00Z") == parse_iso("2026-03-01T00:00+00:00")
