"""Opened and closed per day, from histories in one pass, within a scope."""

from __future__ import annotations

from gridloop.domain.cases.events import Action, CaseEvent, Role
from gridloop.domain.cases.indicators import DISTRICT, Dimension, Scope
from gridloop.domain.cases.trends import facet, per_day

DAY = 86_400_000


def event(case: str, seq: int, action: Action, at: int, **payload: object) -> CaseEvent:
    return CaseEvent(case, seq, action, "someone", Role.SYSTEM, at, payload, "", "")


def history(
    case: str, reported: int, closed: int | None = None, grid: str = "G1"
) -> list[CaseEvent]:
    events = [event(case, 1, Action.REPORT, reported, grid_code=grid, street_code=grid[:1])]
    if closed is not None:
        events.append(event(case, 2, Action.CLOSE, closed))
    return events


def test_counts_reports_and_closures_on_their_own_days() -> None:
    histories = [
        history("a", 0, closed=DAY + 5),
        history("b", 10, closed=None),
        history("c", DAY + 1, closed=DAY + 2),
        history("d", -5, closed=10),  # reported before the first day: only its closure counts
    ]
    days = per_day(histories, [0, DAY], 2 * DAY, DISTRICT)
    assert [(d.start, d.opened, d.closed) for d in days] == [(0, 2, 1), (DAY, 1, 2)]


def test_keeps_to_the_scope_and_follows_a_locate() -> None:
    moved = history("m", 0, grid="")
    moved.append(event("m", 2, Action.LOCATE, 1, grid_code="G2", street_code="G"))
    histories = [history("a", 0, grid="G1"), history("b", 0, grid="H1"), moved]
    assert facet(moved, Dimension.GRID) == "G2"
    days = per_day(histories, [0], DAY, Scope(Dimension.STREET, "G"))
    assert (days[0].opened, days[0].closed) == (2, 0)
