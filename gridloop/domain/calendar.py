"""The working calendar: working days (public holidays, make-up days) and office hours.

Instants are epoch milliseconds; dates and clock times are local to the calendar's fixed offset
(Asia/Shanghai, UTC+8, no daylight saving time).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")
MINUTE_MS = 60_000
HOUR_MS = 3_600_000
DAY_MS = 86_400_000
DEFAULT_PERIODS: tuple[tuple[int, int], ...] = ((9 * 60, 12 * 60), (13 * 60 + 30, 18 * 60))
"""Typical government office hours, as (start, end) minutes after local midnight: 7.5 h a day."""

_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
# The longest holiday is about nine days; a month without a working day means a broken calendar,
# and stopping there keeps a deadline search from running forever.
_MAX_IDLE_DAYS = 31
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"(\d{2}):(\d{2})")


@dataclass(frozen=True)
class WorkCalendar:
    """Weekdays work unless a public holiday; make-up days (调休上班) work even on weekends."""

    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()  # make-up working days
    periods: tuple[tuple[int, int], ...] = DEFAULT_PERIODS  # minutes after local midnight
    years: frozenset[int] = frozenset()  # years whose official arrangements were loaded
    tz: timezone = SHANGHAI

    def __post_init__(self) -> None:
        both = self.holidays & self.workdays
        if both:
            raise ValueError(f"{min(both)} is listed both as a holiday and as a working day")
        _check_periods(self.periods, "periods")

    @classmethod
    def from_toml(cls, text: str) -> WorkCalendar:
        """Read `[hours] periods`, `[years.YYYY] holidays, workdays`; errors name key and value."""
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"calendar TOML: {exc}") from exc
        _no_unknown_keys(doc, {"hours", "years"}, "")
        hours = _table(doc.get("hours", {}), "hours")
        _no_unknown_keys(hours, {"periods"}, "hours.")
        periods = DEFAULT_PERIODS
        if "periods" in hours:
            periods = _periods(hours["periods"], "hours.periods")
        holidays: set[date] = set()
        workdays: set[date] = set()
        years: set[int] = set()
        for year_key, entry in _table(doc.get("years", {}), "years").items():
            key = f"years.{year_key}"
            if not (len(year_key) == 4 and year_key.isdigit()):
                raise ValueError(f"{key}: the year must be four digits, got {year_key!r}")
            year = int(year_key)
            table = _table(entry, key)
            _no_unknown_keys(table, {"holidays", "workdays"}, f"{key}.")
            off = _dates(table.get("holidays", []), f"{key}.holidays", year)
            on = _dates(table.get("workdays", []), f"{key}.workdays", year)
            if off & on:
                raise ValueError(f"{key}: {min(off & on)} is listed both in holidays and workdays")
            holidays |= off
            workdays |= on
            years.add(year)
        return cls(frozenset(holidays), frozenset(workdays), periods, frozenset(years))

    @property
    def day_ms(self) -> int:
        """Working time in one working day."""
        return sum(end - start for start, end in self.periods) * MINUTE_MS

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        return day not in self.holidays and day.weekday() < 5

    def local_date(self, at_ms: int) -> date:
        return date.fromordinal(_EPOCH_ORDINAL + (at_ms + self._offset_ms) // DAY_MS)

    def local_ms(self, day: date, minute: int = 0) -> int:
        """The instant `minute` minutes after local midnight of `day`."""
        return (day.toordinal() - _EPOCH_ORDINAL) * DAY_MS - self._offset_ms + minute * MINUTE_MS

    def add_working_hours(self, start_ms: int, hours: float) -> int:
        """The instant `hours` of working time after start (see `add_working_ms`)."""
        return self.add_working_ms(start_ms, round(hours * HOUR_MS))

    def add_working_days(self, start_ms: int, days: int) -> int:
        """The instant `days` working days after start.

        Convention (always exactly days × the daily working time, stated the way deadlines are):
        - from inside working hours: the same local clock time `days` working days later
          (Fri 10:00 + 1 → Mon 10:00); the lunch break counts from 13:30;
        - from before opening, after closing or a day off: the close (18:00) of the `days`-th
          working day whose hours are wholly ahead (Fri 08:00 + 1 → Fri 18:00;
          Fri 19:00 or Sat 10:00 + 1 → Mon 18:00).
        """
        if days < 0:
            raise ValueError(f"working days must not be negative, got {days}")
        begin = self.add_working_ms(start_ms, 0)  # the first working instant at or after start
        day = self.local_date(begin)
        clock = begin - self.local_ms(day)
        if days and clock == self.periods[0][0] * MINUTE_MS:
            # A whole working day lies ahead, so it is the first of the days counted.
            days, clock = days - 1, self.periods[-1][1] * MINUTE_MS
        for _ in range(days):
            day = self._working_day_after(day)
        return self.local_ms(day) + clock

    def add_working_ms(self, start_ms: int, amount_ms: int) -> int:
        """Count `amount_ms` of working time from start; outside hours, from the next period.

        An amount that runs out exactly at a period's end gives that end (12:00, not 13:30).
        """
        if amount_ms < 0:
            raise ValueError(f"working time must not be negative, got {amount_ms} ms")
        remaining = amount_ms
        day = self.local_date(start_ms)
        if not self.is_working_day(day):
            day = self._working_day_after(day)
        while True:
            for begin, end in self._spans(day):
                begin = max(begin, start_ms)
                if begin >= end:
                    continue
                if remaining <= end - begin:
                    return begin + remaining
                remaining -= end - begin
            day = self._working_day_after(day)

    def working_ms_between(self, a_ms: int, b_ms: int) -> int:
        """Working time from a to b; negative when b is before a."""
        if b_ms < a_ms:
            return -self.working_ms_between(b_ms, a_ms)
        total = 0
        day, last = self.local_date(a_ms), self.local_date(b_ms)
        while day <= last:
            for begin, end in self._spans(day):
                total += max(0, min(end, b_ms) - max(begin, a_ms))
            day += timedelta(days=1)
        return total

    @property
    def _offset_ms(self) -> int:
        offset = self.tz.utcoffset(None)
        return offset // timedelta(milliseconds=1)

    def _working_day_after(self, day: date) -> date:
        for offset in range(1, _MAX_IDLE_DAYS + 1):
            if self.is_working_day(day + timedelta(days=offset)):
                return day + timedelta(days=offset)
        raise ValueError(f"no working day in the {_MAX_IDLE_DAYS} days after {day}")

    def _spans(self, day: date) -> list[tuple[int, int]]:
        """The working periods of `day` as instants (none on a day off)."""
        if not self.is_working_day(day):
            return []
        return [(self.local_ms(day, start), self.local_ms(day, end)) for start, end in self.periods]


def local_datetime(at_ms: int, tz: timezone = SHANGHAI) -> datetime:
    """An instant as a local date and time, for messages and display."""
    return datetime.fromtimestamp(at_ms // 1000, tz).replace(microsecond=(at_ms % 1000) * 1000)


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _check_periods(periods: tuple[tuple[int, int], ...], key: str) -> None:
    if not periods:
        raise ValueError(f"{key}: at least one working period is needed")
    previous_end = 0
    for start, end in periods:
        shown = f'["{_hhmm(start)}", "{_hhmm(end)}"]'
        if not 0 <= start < 24 * 60 or not 0 < end <= 24 * 60:
            raise ValueError(f"{key}: period {shown} is not within one day")
        if end <= start:
            raise ValueError(f"{key}: period {shown} ends before it starts")
        if start < previous_end:
            raise ValueError(f"{key}: period {shown} overlaps or precedes the one before")
        previous_end = end


def _periods(value: object, key: str) -> tuple[tuple[int, int], ...]:
    if not isinstance(value, list):
        raise ValueError(f"{key}: expected a list of [start, end] pairs, got {value!r}")
    periods: list[tuple[int, int]] = []
    for item in value:
        if not (isinstance(item, list) and len(item) == 2):
            raise ValueError(f'{key}: bad period {item!r} (expected ["HH:MM", "HH:MM"])')
        periods.append((_minute(item[0], key), _minute(item[1], key)))
    result = tuple(periods)
    _check_periods(result, key)
    return result


def _minute(value: object, key: str) -> int:
    match = _TIME.fullmatch(value) if isinstance(value, str) else None
    minute = int(match[1]) * 60 + int(match[2]) if match else -1
    if not match or int(match[2]) >= 60 or not 0 <= minute <= 24 * 60:
        raise ValueError(f"{key}: bad time {value!r} (expected HH:MM, 00:00 to 24:00)")
    return minute


def _dates(value: object, key: str, year: int) -> set[date]:
    if not isinstance(value, list):
        raise ValueError(f"{key}: expected a list of dates, got {value!r}")
    found: set[date] = set()
    for item in value:
        day: date | None = None
        # TOML's own date literals (unquoted 2026-01-01) are accepted as well as strings.
        if isinstance(item, date) and not isinstance(item, datetime):
            day = item
        elif isinstance(item, str) and _DATE.fullmatch(item):
            try:
                day = date.fromisoformat(item)
            except ValueError:
                day = None
        if day is None:
            raise ValueError(f"{key}: bad date {item!r} (expected YYYY-MM-DD)")
        if day.year != year:
            raise ValueError(f"{key}: {day} is not in {year}")
        found.add(day)
    return found


def _table(value: object, key: str) -> Mapping[str, object]:
    if not isinstance(value, dict):
        raise ValueError(f"{key}: expected a table, got {value!r}")
    return value


def _no_unknown_keys(table: Mapping[str, object], known: set[str], prefix: str) -> None:
    unknown = sorted(set(table) - known)
    if unknown:
        raise ValueError(f"unknown key {prefix}{unknown[0]} (known: {', '.join(sorted(known))})")
