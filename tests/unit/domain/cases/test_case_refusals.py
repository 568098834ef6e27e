"""Every reason a case refuses an action, and that a refusal leaves the case as it was."""

from __future__ import annotations

import pytest
from case_support import DAY, DEPARTMENT, HOUR, MINUTE, A, S, attempt, later, new_case, reach, step

from gridloop.domain.cases.case import merge_cases, open_case
from gridloop.domain.cases.errors import (
    ConditionFailed,
    NotAllowedInState,
    NotTheAssignee,
    RoleNotAllowed,
)
from gridloop.domain.cases.events import Action, Role
from gridloop.domain.cases.states import AssigneeKind, CaseState


def worker_dispatch(at: int) -> dict[str, object]:
    """A dispatch to worker w1 at `at`: sign within 30 minutes, handle within 4 hours."""
    return {
        "assignee": "w1",
        "assignee_kind": "worker",
        "sign_due": at + 30 * MINUTE,
        "handle_due": at + 4 * HOUR,
    }


def test_a_dispatcher_may_not_sign_for_the_assignee() -> None:
    case = reach(S.DISPATCHED)
    with pytest.raises(RoleNotAllowed, match="street_dispatcher may not sign"):
        attempt(case, A.SIGN, Role.STREET_DISPATCHER)


def test_another_worker_may_not_sign_and_is_told_who_the_assignee_is() -> None:
    case = reach(S.DISPATCHED)
    with pytest.raises(NotTheAssignee, match=r"w2 is not the assignee.*assigned to w1"):
        attempt(case, A.SIGN, Role.GRID_WORKER, actor="w2")


def test_a_department_signs_only_for_itself() -> None:
    case = reach(S.DISPATCHED, AssigneeKind.DEPARTMENT)
    with pytest.raises(NotTheAssignee):
        attempt(case, A.SIGN, Role.DEPARTMENT, payload={"unit": "dept-gas"})
    attempt(case, A.SIGN, Role.DEPARTMENT, payload={"unit": DEPARTMENT})
    assert case.state is S.SIGNED


def test_a_community_admin_may_not_sign_a_case_assigned_to_a_worker() -> None:
    case = reach(S.DISPATCHED)
    with pytest.raises(NotTheAssignee):
        attempt(case, A.SIGN, Role.COMMUNITY_ADMIN, payload={"unit": "w1"})


def test_signing_a_case_not_yet_dispatched_lists_what_is_allowed_now() -> None:
    case = reach(S.REGISTERED)
    with pytest.raises(NotAllowedInState, match=r"the case is registered; allowed now:.*dispatch"):
        attempt(case, A.SIGN, Role.GRID_WORKER)


def test_an_extension_asked_after_the_handle_deadline_is_refused() -> None:
    case = reach(S.SIGNED)
    assert case.handle_due is not None
    payload = {"reason": "rain", "until": case.handle_due + DAY}
    with pytest.raises(ConditionFailed, match="has passed"):
        attempt(case, A.REQUEST_EXTENSION, Role.GRID_WORKER, payload=payload, at=case.handle_due)


def test_an_extension_must_ask_for_a_later_deadline() -> None:
    case = reach(S.SIGNED)
    assert case.handle_due is not None
    with pytest.raises(ConditionFailed, match="until must be"):
        step(case, A.REQUEST_EXTENSION, until=case.handle_due)


def test_a_second_extension_request_waits_for_the_first_decision() -> None:
    case = reach(S.SIGNED)
    step(case, A.REQUEST_EXTENSION)
    with pytest.raises(ConditionFailed, match="already pending"):
        step(case, A.REQUEST_EXTENSION, reason="still raining")


def test_granting_without_a_pending_request_is_refused() -> None:
    case = reach(S.SIGNED)
    with pytest.raises(ConditionFailed, match="no extension request is pending"):
        step(case, A.GRANT_EXTENSION)
    with pytest.raises(ConditionFailed, match="no extension request is pending"):
        step(case, A.REFUSE_EXTENSION)


def test_a_grant_must_move_the_deadline_later() -> None:
    case = reach(S.SIGNED)
    step(case, A.REQUEST_EXTENSION)
    with pytest.raises(ConditionFailed, match="after the current one"):
        step(case, A.GRANT_EXTENSION, handle_due=case.handle_due)


def test_a_case_is_rated_once_per_closure() -> None:
    case = reach(S.CLOSED)
    step(case, A.RATE, rating="satisfied")
    with pytest.raises(ConditionFailed, match="already rated"):
        step(case, A.RATE, Role.SYSTEM, rating="unsatisfied")


def test_an_unknown_rating_is_refused() -> None:
    with pytest.raises(ConditionFailed, match="rating must be one of"):
        step(reach(S.CLOSED), A.RATE, rating="meh")


@pytest.mark.parametrize("rating", [None, "satisfied", "basically_satisfied"])
def test_only_an_unsatisfied_rating_reopens_a_case(rating: str | None) -> None:
    case = reach(S.CLOSED)
    if rating:
        step(case, A.RATE, rating=rating)
    with pytest.raises(ConditionFailed, match="only an unsatisfied rating"):
        step(case, A.REOPEN)


def test_merging_into_a_closed_case_changes_neither_case() -> None:
    closed, duplicate = reach(S.CLOSED), new_case("c2")
    with pytest.raises(ConditionFailed, match="c1 is closed; cases merge only into an open case"):
        merge_cases(duplicate, closed, "sd1", Role.STREET_DISPATCHER, later(closed))
    assert (len(closed.history), len(duplicate.history)) == (8, 1)
    assert duplicate.state is S.REPORTED


def test_a_case_is_not_merged_into_itself() -> None:
    case = new_case()
    with pytest.raises(ConditionFailed, match="must name another case"):
        merge_cases(case, case, "sd1", Role.STREET_DISPATCHER, later(case))


def test_a_merge_goes_through_both_cases() -> None:
    case = new_case()
    with pytest.raises(ConditionFailed, match="use merge_cases"):
        case.act(A.MERGE, "sd1", Role.STREET_DISPATCHER, later(case), {"into": "c2"})


def test_a_dispatch_with_a_handle_deadline_in_the_past_is_refused() -> None:
    case = reach(S.REGISTERED)
    at = later(case)
    payload = worker_dispatch(at) | {"handle_due": at - MINUTE}
    with pytest.raises(ConditionFailed, match=r"handle_due .* is in the past"):
        attempt(case, A.DISPATCH, Role.STREET_DISPATCHER, payload=payload, at=at)
    assert case.state is S.REGISTERED and len(case.history) == 2


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({"sign_due": None}, "sign_due must be given"),
        ({"sign_due": 5 * HOUR}, "sign_due falls after handle_due"),
        ({"assignee": ""}, "names no assignee"),
        ({"assignee_kind": "volunteer"}, "assignee_kind must be one of"),
    ],
)
def test_a_dispatch_names_a_valid_assignee_and_both_deadlines(
    changes: dict[str, object], why: str
) -> None:
    case = reach(S.REGISTERED)
    at = later(case)
    payload = worker_dispatch(at)
    for key, value in changes.items():  # deadlines are given as offsets from now
        if value is None:
            del payload[key]
        else:
            payload[key] = at + value if isinstance(value, int) else value
    with pytest.raises(ConditionFailed, match=why):
        attempt(case, A.DISPATCH, Role.STREET_DISPATCHER, payload=payload, at=at)


@pytest.mark.parametrize(
    ("state", "action"),
    [(S.REPORTED, A.REFUSE), (S.DISPATCHED, A.RETURN), (S.REGISTERED, A.DEFER)],
)
def test_refusing_returning_and_deferring_need_a_reason(state: CaseState, action: Action) -> None:
    case = reach(state)
    role = Role.GRID_WORKER if action is A.RETURN else Role.STREET_DISPATCHER
    with pytest.raises(ConditionFailed, match="a reason is required"):
        attempt(case, action, role, payload={})


def test_an_action_dated_before_the_last_event_is_refused() -> None:
    case = reach(S.REPORTED)
    with pytest.raises(ConditionFailed, match="before the case's last event"):
        attempt(case, A.REGISTER, Role.STREET_DISPATCHER, at=case.history[-1].at - 1)


def test_an_escalation_must_raise_the_level() -> None:
    case = reach(S.SIGNED)
    step(case, A.ESCALATE, level="street")
    with pytest.raises(ConditionFailed, match="already escalated to street"):
        step(case, A.ESCALATE, level="community")


def test_a_deferred_case_is_not_escalated() -> None:
    with pytest.raises(NotAllowedInState):
        step(reach(S.DEFERRED), A.ESCALATE)


def test_an_alert_links_once_and_only_a_linked_alert_clears() -> None:
    case = reach(S.SIGNED)
    with pytest.raises(ConditionFailed, match="a1 is already linked"):
        step(case, A.LINK_ALERT, alert_id="a1")
    with pytest.raises(ConditionFailed, match="a9 is not linked"):
        step(case, A.ALERT_CLEARED, alert_id="a9")


def test_a_report_needs_a_channel_and_a_category() -> None:
    with pytest.raises(ConditionFailed, match="needs channel and category"):
        open_case("c9", {"description": "?"}, "r1", Role.RESIDENT, 0)


def test_an_auditor_may_not_report() -> None:
    with pytest.raises(RoleNotAllowed):
        open_case("c9", {"channel": "patrol", "category": "x"}, "au1", Role.AUDITOR, 0)
