"""Shared by the calendar and SLA tests: local instants and the 2026 official arrangements."""

from __future__ import annotations

from datetime import datetime

from gridloop.domain.calendar import SHANGHAI, WorkCalendar

# The 2026 notice of the State Council General Office (2025-11-04), written out here so the tests
# do not depend on the shipped data file that operators may edit.
CN_2026_TOML = """
[years.2026]
holidays = [
    "2026-01-01", "2026-01-02", "2026-01-03",
    "2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19",
    "2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23",
    "2026-04-04", "2026-04-05", "2026-04-06",
    "2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05",
    "2026-06-19", "2026-06-20", "2026-06-21",
    "2026-09-25", "2026-09-26", "2026-09-27",
    "2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04",
    "2026-10-05", "2026-10-06", "2026-10-07",
]
workdays = ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]
"""
CN_2026 = WorkCalendar.from_toml(CN_2026_TOML)


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> int:
    """Epoch ms of a Shanghai local time."""
    return int(datetime(year, month, day, hour, minute, tzinfo=SHANGHAI).timestamp()) * 1000


def shown(at_ms: int) -> str:
    """A local time as text, so a failing comparison reads as a date."""
    return datetime.fromtimestamp(at_ms / 1000, SHANGHAI).strftime("%Y-%m-%d %a %H:%M")
