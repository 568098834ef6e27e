"""Cases opened and closed per day, from the histories in one pass (the trend charts).

A case counts as opened on the day of its REPORT and as closed on the day of each CLOSE; it is
in a scope by the same facets the indicators read (the REPORT's regions, moved by a LOCATE; the
worker of the latest DISPATCH).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from gridloop.domain.cases.events import Action, CaseEvent
from gridloop.domain.cases.indicators import Dimension, Scope
from gridloop.domain.cases.request import text

_REGION_KEYS = {
    Dimension.STREET: "street_code",
    Dimension.COMMUNITY: "community_code",
    Dimension.GRID: "grid_code",
    Dimension.CHANNEL: "channel",
    Dimension.CATEGORY: "category",
}


@dataclass(frozen=True)
class DayCount:
    start: int  # epoch ms of the day's local midnight
    opened: int
    closed: int


def facet(history: Sequence[CaseEvent], dimension: Dimension) -> str | None:
    """The case's value for `dimension` as its history stands (None when it has none)."""
    value: str | None = None
    for e in history:
        if dimension is Dimension.WORKER:
            if e.action is Action.DISPATCH:
                value = text(e.payload, "assignee")
            continue
        key = _REGION_KEYS[dimension]
        if e.action is Action.REPORT or (
            e.action is Action.LOCATE and dimension not in (Dimension.CHANNEL, Dimension.CATEGORY)
        ):
            value = text(e.payload, key) or value
    return value


def in_scope(history: Sequence[CaseEvent], scope: Scope) -> bool:
    return scope.facet is None or facet(history, scope.facet) == scope.code


def per_day(
    histories: Iterable[Sequence[CaseEvent]], day_starts: Sequence[int], end: int, scope: Scope
) -> list[DayCount]:
    """Opened and closed per day for the days beginning at `day_starts` (ascending), the last
    one ending at `end`."""
    if not day_starts:
        return []
    first = day_starts[0]
    opened = [0] * len(day_starts)
    closed = [0] * len(day_starts)
    for history in histories:
        hits = [
            e for e in history if first <= e.at < end and e.action in (Action.REPORT, Action.CLOSE)
        ]
        if not hits or not in_scope(history, scope):
            continue
        for e in hits:
            day = bisect_right(day_starts, e.at) - 1
            (opened if e.action is Action.REPORT else closed)[day] += 1
    return [DayCount(s, o, c) for s, o, c in zip(day_starts, opened, closed, strict=True)]
