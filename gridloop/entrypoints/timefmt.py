"""Times for people and files: Asia/Shanghai (UTC+8, no daylight saving), ISO-8601 with offset."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")


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
