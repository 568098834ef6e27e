"""Deadlines on the packaged working calendar, and escalation (督办) as explicit time passes."""

from __future__ import annotations

from pathlib import Path

import pytest
from casework_support import (
    COMMUNITY,
    DISPATCHER,
    DISTRICT,
    MINUTE,
    STREET,
    beijing,
    district_app,
    feed,
    hotline,
    worker,
)

from gridloop.bootstrap import App
from gridloop.domain.cases.events import Action
from gridloop.service_layer.casework import CaseService

A = Action
# The Friday before National Day 2025: Sun 09-28 is a make-up working day, 10-01…10-08 are off.
FRIDAY = beijing("2025-09-26T10:00")


@pytest.fixture
def app(tmp_path: Path, tiny_dir: Path) -> App:
    return district_app(tmp_path, tiny_dir)


@pytest.fixture
def service(app: App) -> CaseService:
    return app.case_service()


def escalations(service: CaseService, case_id: str) -> list[tuple[str, str, int, int]]:
    """(level, step, due_at, at) of each recorded escalation."""
    return [
        (str(e.payload["level"]), str(e.payload["step"]), int(str(e.payload["due_at"])), e.at)
        for e in service.store.history(case_id)
        if e.action is A.ESCALATE
    ]


@pytest.mark.parametrize(
    ("dispatched", "category", "handle_due"),
    [
        # 5 working days: Sun 09-28 (make-up), Mon 29, Tue 30, then Thu 10-09, Fri 10-10
        ("2025-09-26T10:00", "help_request", "2025-10-10T10:00"),
        # 3 working days from the eve of National Day 2026: Thu 10-08, Fri 09, Sat 10 (make-up)
        ("2026-09-30T10:00", "road_damage", "2026-10-10T10:00"),
        # 3 working days over an ordinary weekend, for comparison
        ("2026-11-20T10:00", "road_damage", "2026-11-25T10:00"),
    ],
)
def test_the_handle_deadline_skips_holidays_and_counts_make_up_days(
    service: CaseService, dispatched: str, category: str, handle_due: str
) -> None:
    case_id = hotline(service, beijing(dispatched), category=category)

    s = service.store.summary(case_id)
    assert s is not None
    assert s.handle_due == beijing(handle_due)
    assert s.sign_due == beijing(dispatched) + 240 * MINUTE  # wall clock: 4 hours


def test_an_unsigned_case_rises_one_level_per_overdue_interval_up_to_the_district(
    app: App, service: CaseService
) -> None:
    case_id = hotline(service, FRIDAY, category="help_request")
    sign_due = beijing("2025-09-26T14:00")

    assert service.run_clocks(sign_due - 1) == 0
    assert service.run_clocks(sign_due) == 1
    assert service.run_clocks(sign_due + 3 * 60 * MINUTE) == 0  # the repeat is the sign limit
    assert service.run_clocks(beijing("2025-09-26T18:00")) == 1
    assert service.run_clocks(beijing("2025-09-26T22:00")) == 1
    assert service.run_clocks(beijing("2025-10-20T10:00")) == 0  # handling is late too: no higher

    assert escalations(service, case_id) == [
        ("community", "sign", sign_due, sign_due),
        ("street", "sign", beijing("2025-09-26T18:00"), beijing("2025-09-26T18:00")),
        ("district", "sign", beijing("2025-09-26T22:00"), beijing("2025-09-26T22:00")),
    ]
    s = service.store.summary(case_id)
    assert s is not None and (s.escalation_level, s.state) == ("district", "dispatched")
    assert s.last_escalated_at == beijing("2025-09-26T22:00")
    escalated = [r for r, kind, c in feed(app) if kind == "escalated" and c == case_id]
    assert escalated == [
        f"community:{COMMUNITY}",
        "worker:W000001",
        f"street:{STREET}",
        "worker:W000001",
        f"district:{DISTRICT}",
        "worker:W000001",
    ]


def test_running_the_clocks_again_or_after_a_restart_adds_nothing(
    app: App, service: CaseService
) -> None:
    case_id = hotline(service, FRIDAY, category="help_request")
    now = beijing("2025-09-26T14:30")
    assert service.run_clocks(now) == 1
    events, notices = len(service.store.history(case_id)), len(feed(app))

    assert service.run_clocks(now) == 0
    assert app.case_service().run_clocks(now) == 0  # a new process on the same database

    assert len(service.store.history(case_id)) == events
    assert len(feed(app)) == notices


def test_escalations_missed_while_no_one_ran_the_clocks_are_recorded_when_they_fell_due(
    service: CaseService,
) -> None:
    case_id = hotline(service, FRIDAY, category="help_request")
    saturday = beijing("2025-09-27T09:00")

    assert service.run_clocks(saturday) == 3
    assert service.run_clocks(saturday) == 0

    due = [beijing(f"2025-09-26T{hour}:00") for hour in (14, 18, 22)]
    assert escalations(service, case_id) == [
        ("community", "sign", due[0], due[0]),
        ("street", "sign", due[1], due[1]),
        ("district", "sign", due[2], due[2]),
    ]


def test_a_signed_case_escalates_when_handling_is_late(service: CaseService) -> None:
    start = beijing("2026-11-20T10:00")
    case_id = hotline(service, start, severity="major")  # sign 30 min, handle 240 min
    service.act(case_id, A.SIGN, worker(service, "W000001"), start + 10 * MINUTE)

    assert service.run_clocks(start + 239 * MINUTE) == 0  # signed in time: no sign escalation
    assert service.run_clocks(start + 240 * MINUTE) == 1
    assert service.run_clocks(start + 480 * MINUTE) == 1

    assert [(lvl, step) for lvl, step, _d, _a in escalations(service, case_id)] == [
        ("community", "handle"),
        ("street", "handle"),
    ]


def test_a_handled_or_deferred_case_does_not_escalate(service: CaseService) -> None:
    start = beijing("2026-11-20T10:00")
    handled = hotline(service, start, severity="major", category="a")
    holder = worker(service, "W000001")
    service.act(handled, A.SIGN, holder, start + MINUTE)
    service.act(handled, A.HANDLE, holder, start + 2 * MINUTE, {"note": "ok"})
    deferred = hotline(service, start, severity="major", category="b")
    service.act(deferred, A.DEFER, DISPATCHER, start + MINUTE, {"reason": "待资金"})

    assert service.run_clocks(start + 24 * 60 * MINUTE) == 0


def test_a_configured_repeat_interval_counts_working_hours(tmp_path: Path, tiny_dir: Path) -> None:
    config = '[cases]\nescalation_repeat = "1 working_hours"\n'
    service = district_app(tmp_path, tiny_dir, config).case_service()
    case_id = hotline(service, FRIDAY, category="help_request")

    assert service.run_clocks(beijing("2025-09-26T16:00")) == 3

    assert [(lvl, due) for lvl, _s, due, _a in escalations(service, case_id)] == [
        ("community", beijing("2025-09-26T14:00")),
        ("street", beijing("2025-09-26T15:00")),
        ("district", beijing("2025-09-26T16:00")),
    ]
