"""Shared builders of the indicator tests: sealed, chained case histories on a minute clock."""

from __future__ import annotations

from gridloop.domain.cases.events import GENESIS, Action, CaseEvent, Role, chain_problems

T0 = 1_764_288_000_000  # 2025-11-28T00:00:00Z
MINUTE = 60_000

Step = tuple[float, Action, dict[str, object]]


def at(minutes: float) -> int:
    """Epoch ms `minutes` after T0."""
    return T0 + round(minutes * MINUTE)


def step(minutes: float, action: Action, **payload: object) -> Step:
    return minutes, action, payload


def report(
    minutes: float = 0,
    *,
    channel: str = "hotline",
    category: str = "garbage",
    street: str = "S1",
    community: str = "C1",
    grid: str = "G1",
    alerts: tuple[str, ...] = (),
) -> Step:
    """A REPORT; sensor reports carry the alert ids that raised them."""
    payload: dict[str, object] = {
        "channel": channel,
        "category": category,
        "severity": "minor",
        "street_code": street,
        "community_code": community,
        "grid_code": grid,
    }
    if alerts:
        payload["alert_ids"] = list(alerts)
    return minutes, Action.REPORT, payload


def dispatch(minutes: float, to: str, sign_by: float, handle_by: float) -> Step:
    """A DISPATCH to worker `to` with sign and handle deadlines at the given minutes."""
    return step(
        minutes,
        Action.DISPATCH,
        assignee=to,
        assignee_kind="worker",
        sign_due=at(sign_by),
        handle_due=at(handle_by),
    )


def history(case_id: str, *steps: Step) -> list[CaseEvent]:
    """The steps as one sealed hash chain (checked, so a fixture cannot be malformed)."""
    events: list[CaseEvent] = []
    previous = GENESIS
    for seq, (minutes, action, payload) in enumerate(steps, 1):
        event = CaseEvent(
            case_id, seq, action, "actor", Role.SYSTEM, at(minutes), payload, previous
        ).sealed()
        events.append(event)
        previous = event.hash
    assert chain_problems(events) == []
    return events
