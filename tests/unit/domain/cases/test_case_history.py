"""The history: one sealed event per action, harmless repeats, rework counts, chain and replay."""

from __future__ import annotations

import dataclasses
import json

import pytest
from case_support import DAY, HOUR, A, S, attempt, later, new_case, reach, step

from gridloop.domain.cases.case import Case, merge_cases
from gridloop.domain.cases.errors import BrokenHistory
from gridloop.domain.cases.events import CaseEvent, Role, chain_problems
from gridloop.domain.cases.states import AssigneeKind, EscalationLevel, Rating


def test_a_double_tapped_sign_records_one_event() -> None:
    case = reach(S.DISPATCHED)
    first = step(case, A.SIGN)
    again = attempt(case, A.SIGN, Role.GRID_WORKER, at=later(case, 2))
    assert again is first
    assert [e.action for e in case.history].count(A.SIGN) == 1


def test_a_repeated_request_is_recognised_whatever_the_sequence_type() -> None:
    case = reach(S.SIGNED)
    first = step(case, A.HANDLE, attachments=["sha256:ab"])
    assert step(case, A.HANDLE, attachments=("sha256:ab",)) is first


def test_a_failed_verification_sends_the_case_back_and_counts_one_rework() -> None:
    case = reach(S.AWAITING_VERIFICATION)
    step(case, A.VERIFY_FAIL, note="garbage still there")
    assert (case.state, case.assignee) == (S.SIGNED, "w1")
    for action in (A.HANDLE, A.FEEDBACK, A.VERIFY_PASS, A.CLOSE):
        step(case, action)
    assert case.state is S.CLOSED
    assert case.reworks == 1


def test_an_unsatisfied_rating_reopens_the_case_as_a_rework_rated_again_at_its_next_close() -> None:
    case = reach(S.CLOSED)
    step(case, A.RATE, rating="unsatisfied")
    step(case, A.REOPEN, reason="the handler left the bags by the gate")
    assert (case.state, case.reworks, case.rating) == (S.SIGNED, 1, None)
    for action in (A.HANDLE, A.FEEDBACK, A.VERIFY_PASS, A.CLOSE):
        step(case, action)
    step(case, A.RATE, rating="basically_satisfied")
    assert case.rating is Rating.BASICALLY_SATISFIED


def test_a_granted_extension_moves_the_handle_deadline() -> None:
    case = reach(S.SIGNED)
    assert case.handle_due is not None
    until = case.handle_due + DAY
    step(case, A.REQUEST_EXTENSION, until=until, reason="waiting for the lift repair")
    assert case.pending_extension is not None and case.pending_extension.until == until
    step(case, A.GRANT_EXTENSION, handle_due=until)
    assert case.handle_due == until
    assert not case.pending_extension


def test_a_refused_extension_keeps_the_deadline() -> None:
    case = reach(S.HANDLED)
    due = case.handle_due
    step(case, A.REQUEST_EXTENSION)
    step(case, A.REFUSE_EXTENSION, reason="small job")
    assert (case.handle_due, case.pending_extension) == (due, None)


def test_a_resumed_case_returns_to_where_it_was_with_new_deadlines() -> None:
    case = reach(S.SIGNED)
    step(case, A.DEFER, reason="needs funds")
    assert case.state is S.DEFERRED
    at = later(case)
    step(case, A.RESUME, sign_due=at + HOUR, handle_due=at + DAY)
    assert (case.state, case.handle_due, case.deferred_from) == (S.SIGNED, at + DAY, None)


def test_a_returned_case_is_re_dispatched_by_the_community() -> None:
    case = reach(S.RETURNED)
    assert (case.assignee, case.handle_due) == (None, None)
    step(case, A.DISPATCH, Role.COMMUNITY_ADMIN, assignee="w7")
    assert (case.state, case.assignee) == (S.DISPATCHED, "w7")


def test_a_community_assigned_case_is_handled_by_its_admin_acting_for_it() -> None:
    case = reach(S.DISPATCHED, AssigneeKind.COMMUNITY)
    for action in (A.SIGN, A.HANDLE, A.FEEDBACK):
        step(case, action)
    assert case.state is S.AWAITING_VERIFICATION
    assert case.history[-1].payload["unit"] == case.assignee


def test_a_merged_case_hands_its_reporters_and_alerts_to_the_surviving_case() -> None:
    survivor, duplicate = new_case("c1"), new_case("c2")
    step(duplicate, A.LINK_ALERT, alert_id="a7")
    at = later(duplicate)
    merge, absorb = merge_cases(duplicate, survivor, "sys", Role.SYSTEM, at)
    assert (duplicate.state, duplicate.merged_into) == (S.MERGED, "c1")
    assert survivor.state is S.REPORTED and absorb.payload["reporter"] == "r1"
    assert survivor.alert_ids == ["a1", "a7"]
    assert merge_cases(duplicate, survivor, "sys", Role.SYSTEM, at + 1) == (merge, absorb)


def test_escalations_and_alerts_leave_the_state_alone_and_alerts_clear_after_close() -> None:
    case = reach(S.SIGNED)
    step(case, A.ESCALATE, level="community")
    step(case, A.ESCALATE, level="district", step="handle")
    assert (case.state, case.escalation_level) == (S.SIGNED, EscalationLevel.DISTRICT)
    for action in (A.HANDLE, A.FEEDBACK, A.VERIFY_PASS, A.CLOSE):
        step(case, action)
    step(case, A.ALERT_CLEARED, alert_id="a1")
    assert (case.state, case.cleared_alert_ids) == (S.CLOSED, ["a1"])


def long_story() -> Case:
    """Return, re-dispatch, extension, escalation, rework and a reopening on one case."""
    case = new_case()
    step(case, A.REGISTER, Role.SYSTEM)
    step(case, A.DISPATCH, assignee="w2")
    step(case, A.RETURN, reason="not my grid")
    step(case, A.DISPATCH, Role.COMMUNITY_ADMIN)
    step(case, A.SIGN)
    step(case, A.REQUEST_EXTENSION)
    step(case, A.GRANT_EXTENSION)
    step(case, A.ESCALATE, level="street")
    step(case, A.LINK_ALERT, alert_id="a2")
    for action in (A.HANDLE, A.FEEDBACK, A.VERIFY_FAIL, A.HANDLE, A.FEEDBACK, A.VERIFY_PASS):
        step(case, action)
    step(case, A.CLOSE, Role.SYSTEM)
    step(case, A.ALERT_CLEARED, alert_id="a2")
    step(case, A.RATE, rating="unsatisfied")
    step(case, A.REOPEN)
    for action in (A.HANDLE, A.FEEDBACK, A.VERIFY_PASS, A.CLOSE):
        step(case, action)
    step(case, A.RATE, rating="satisfied")
    return case


def test_the_hash_chain_stays_intact_through_a_long_story() -> None:
    case = long_story()
    assert chain_problems(case.history) == []
    assert [e.seq for e in case.history] == list(range(1, len(case.history) + 1))
    assert (case.state, case.reworks, case.rating) == (S.CLOSED, 2, Rating.SATISFIED)


def test_replaying_the_history_reproduces_the_case() -> None:
    case = long_story()
    assert Case.from_history(case.history) == case


def test_replaying_a_stored_history_reproduces_the_case() -> None:
    case = long_story()
    stored = [json.loads(e.body()) | {"hash": e.hash} for e in case.history]  # as a store keeps it
    events = [
        CaseEvent(**row | {"action": A(row["action"]), "role": Role(row["role"])}) for row in stored
    ]
    assert Case.from_history(events) == case


def test_an_altered_event_is_detected_and_refused_on_replay() -> None:
    case = long_story()
    history = list(case.history)
    history[4] = dataclasses.replace(history[4], actor="w9")  # keeps the old hash
    assert any("altered" in p for p in chain_problems(history))
    with pytest.raises(BrokenHistory, match="altered"):
        Case.from_history(history)


def test_a_history_its_states_cannot_take_is_refused() -> None:
    case = reach(S.SIGNED)
    with pytest.raises(BrokenHistory, match="cannot happen to a reported case"):
        Case.from_history([case.history[0], case.history[3]], verify=False)
