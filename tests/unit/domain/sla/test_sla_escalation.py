"""Escalation (督办): overdue steps raise a case community → street → district, replayably."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sla_support import CN_2026, at

from gridloop.domain.cases.sla import (
    DEFAULT_POLICY,
    CaseView,
    Duration,
    Escalation,
    EscalationPolicy,
    Step,
    Unit,
    due_escalations,
)
from gridloop.domain.devices.rules import Severity

MINUTE = 60_000
T0 = at(2026, 3, 8, 3)  # a critical alert dispatched at 03:00 on a Sunday
CRITICAL = CaseView(
    case_id="C1",
    state="dispatched",
    sign_due=T0 + 5 * MINUTE,
    handle_due=T0 + 30 * MINUTE,
    limit=DEFAULT_POLICY.limit_for(Severity.CRITICAL),
)


def recorded(view: CaseView, escalations: list[Escalation]) -> CaseView:
    """The view after the caller appended these escalations to the case."""
    for escalation in escalations:
        view = replace(view, escalation_level=escalation.level, last_escalated_at=escalation.at)
    return view


def test_nothing_escalates_before_a_deadline() -> None:
    assert due_escalations([CRITICAL], T0 + 5 * MINUTE - 1) == []


def test_an_overdue_sign_raises_the_case_to_community_at_the_sign_deadline() -> None:
    assert due_escalations([CRITICAL], T0 + 7 * MINUTE) == [
        Escalation("C1", Step.SIGN, "community", T0 + 5 * MINUTE)
    ]


def test_still_overdue_after_each_repeat_raises_it_to_street_then_district_and_no_further() -> None:
    view = recorded(CRITICAL, due_escalations([CRITICAL], T0 + 5 * MINUTE))
    street = due_escalations([view], T0 + 10 * MINUTE)
    assert street == [Escalation("C1", Step.SIGN, "street", T0 + 10 * MINUTE)]
    view = recorded(view, street)
    district = due_escalations([view], T0 + 15 * MINUTE)
    assert district == [Escalation("C1", Step.SIGN, "district", T0 + 15 * MINUTE)]
    assert due_escalations([recorded(view, district)], T0 + 24 * 60 * MINUTE) == []


def test_escalations_missed_while_nobody_asked_are_all_returned_at_their_own_times() -> None:
    assert due_escalations([CRITICAL], T0 + 60 * MINUTE) == [
        Escalation("C1", Step.SIGN, "community", T0 + 5 * MINUTE),
        Escalation("C1", Step.SIGN, "street", T0 + 10 * MINUTE),
        Escalation("C1", Step.SIGN, "district", T0 + 15 * MINUTE),
    ]


def test_asking_again_at_the_same_time_gives_nothing_new_once_recorded() -> None:
    now = T0 + 12 * MINUTE
    first = due_escalations([CRITICAL], now)
    assert len(first) == 2
    assert due_escalations([recorded(CRITICAL, first)], now) == []
    assert due_escalations([CRITICAL], now) == first  # unrecorded: the same answer again


def test_a_signed_but_unhandled_case_escalates_at_the_handle_deadline() -> None:
    signed = replace(CRITICAL, signed=True)
    assert due_escalations([signed], T0 + 31 * MINUTE) == [
        Escalation("C1", Step.HANDLE, "community", T0 + 30 * MINUTE)
    ]


def test_a_late_signature_then_a_missed_handle_deadline_raises_the_case_one_more_level() -> None:
    view = replace(
        CRITICAL, signed=True, escalation_level="community", last_escalated_at=T0 + 5 * MINUTE
    )
    assert due_escalations([view], T0 + 40 * MINUTE) == [
        Escalation("C1", Step.HANDLE, "street", T0 + 30 * MINUTE)
    ]


@pytest.mark.parametrize(
    "view",
    [
        replace(CRITICAL, deferred=True),
        replace(CRITICAL, state="deferred"),
        replace(CRITICAL, state="closed"),
        replace(CRITICAL, state="merged"),
        replace(CRITICAL, signed=True, handled=True),
    ],
    ids=["deferred-flag", "deferred-state", "closed", "merged", "handled"],
)
def test_deferred_closed_and_handled_cases_never_escalate(view: CaseView) -> None:
    assert due_escalations([view], T0 + 24 * 60 * MINUTE) == []


def test_a_deadline_and_a_repeat_at_the_same_instant_raise_the_case_once() -> None:
    levels = EscalationPolicy(levels=tuple(f"level{n}" for n in range(1, 9)))
    found = due_escalations([CRITICAL], T0 + 36 * MINUTE, levels)
    assert [(e.step, e.at - T0) for e in found] == [
        (Step.SIGN, 5 * MINUTE),
        (Step.SIGN, 10 * MINUTE),
        (Step.SIGN, 15 * MINUTE),
        (Step.SIGN, 20 * MINUTE),
        (Step.SIGN, 25 * MINUTE),
        (Step.HANDLE, 30 * MINUTE),  # the handle deadline names it; the sign repeat is absorbed
        (Step.SIGN, 35 * MINUTE),
    ]


def test_a_working_day_repeat_skips_the_weekend_and_needs_the_calendar() -> None:
    minor = CaseView("C2", "signed", at(2026, 3, 5, 14), at(2026, 3, 6, 10), signed=True)
    policy = EscalationPolicy(repeat=Duration(1, Unit.WORKING_DAYS))
    found = due_escalations([minor], at(2026, 3, 9, 11), policy, CN_2026)
    assert found == [
        Escalation("C2", Step.HANDLE, "community", at(2026, 3, 6, 10)),
        Escalation("C2", Step.HANDLE, "street", at(2026, 3, 9, 10)),
    ]
    with pytest.raises(ValueError, match="calendar"):
        due_escalations([minor], at(2026, 3, 9, 11), policy)


def test_a_repeat_needs_the_view_limit_or_a_policy_interval() -> None:
    bare = replace(CRITICAL, limit=None)
    with pytest.raises(ValueError, match="C1: no repeat interval"):
        due_escalations([bare], T0)
    every_minute = EscalationPolicy(repeat=Duration(1, Unit.MINUTES))
    assert [e.at - T0 for e in due_escalations([bare], T0 + 9 * MINUTE, every_minute)] == [
        5 * MINUTE,
        6 * MINUTE,
        7 * MINUTE,
    ]


def test_an_unknown_recorded_level_is_reported() -> None:
    with pytest.raises(ValueError, match="'city'"):
        due_escalations([replace(CRITICAL, escalation_level="city")], T0 + 11 * MINUTE)
