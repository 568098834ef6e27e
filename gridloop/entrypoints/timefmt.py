"""Times for people and files: Asia/Shanghai (UTC+8, no daylight saving), ISO-8601 with offset."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")
# What `parse_iso` (datetime.fromisoformat) reads, narrowed to what it reads for
# certain: a calendar date (02-29 in leap years only), optionally a time (to the
# microsecond) and an offset.
_LEAP_YEAR = r"([1-9][0-9](0[48]|[2468][048]|[13579][26])|([13579][26]|[2468][048])00)"
ISO_TIME = (
    r"^([1-9][0-9]{3}-"
    r"((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)"
    r"|02-(0[1-9]|1[0-9]|2[0-8]))|" + _LEAP_YEAR + r"-02-29)"
    r"(T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?"
    r"(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?)?$"
)
ISO_TIME_LENGTH = 40
_API_TIME = re.compile(ISO_TIME)


def iso(ms: int | None) -> str | None:
    if ms is None:
        return None
    moment = datetime.fromtimestamp(ms / 1000, SHANGHAI)
    return moment.isoformat(timespec="milliseconds" if ms % 1000 else "seconds")


def parse_iso(text: str) -> int:
    """Epoch ms of an ISO-8601 time; a time without offset is taken as Asia/Shanghai."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=SHANGHAI)
    return round(moment.timestamp() * 1000)


def parse_api_time(text: str) -> int:
    """`parse_iso` of what the API's OpenAPI document allows (`ISO_TIME`); ValueError else."""
    if len(text) > ISO_TIME_LENGTH or not _API_TIME.fullmatch(text):
        raise ValueError(f"{text!r} is not an ISO-8601 time like 2026-03-01T08:00:00+08:00")
    return parse_iso(text)
