"""Every row of the transition table for every role it allows; the combinations it leaves out."""

from __future__ import annotations

import pytest
from case_support import ACTOR, A, S, attempt, kind_for, reach, step

from gridloop.domain.cases.case import Case
from gridloop.domain.cases.errors import NotAllowedInState, NotTheAssignee, RoleNotAllowed
from gridloop.domain.cases.events import Action, Role
from gridloop.domain.cases.states import AssigneeKind, CaseState
from gridloop.domain.cases.workflow import TRANSITIONS, Transition, allowed_actions

ROWS = [t for t in TRANSITIONS.values() if t.source is not None]
ALLOWED = [(t, role) for t in ROWS for role in sorted(t.roles)]
FORBIDDEN_ROLES = [(t, role) for t in ROWS for role in sorted(set(Role) - t.roles)]
# Absorbing into a final case is refused as a merge into a closed case (see the refusal tests).
MISSING = [
    (state, action)
    for state in CaseState
    for action in Action
    if (state, action) not in TRANSITIONS and action not in (A.REPORT, A.ABSORB)
]


def _row_id(row: Transition, role: Role) -> str:
    return f"{row.source}-{row.action}-{role}"


def _prepared(row: Transition, role: Role) -> Case:
    """A case in the row's state that meets the row's preconditions for `role`."""
    assert row.source is not None
    case = reach(
        row.source, kind_for(role) if row.action in _ASSIGNEE_ROWS else AssigneeKind.WORKER
    )
    if row.action in (A.GRANT_EXTENSION, A.REFUSE_EXTENSION):
        step(case, A.REQUEST_EXTENSION)
    if row.action is A.REOPEN:
        step(case, A.RATE, rating="unsatisfied")
    return case


_ASSIGNEE_ROWS = frozenset({A.SIGN, A.HANDLE, A.FEEDBACK, A.RETURN, A.REQUEST_EXTENSION})


@pytest.mark.parametrize(("row", "role"), ALLOWED, ids=[_row_id(*p) for p in ALLOWED])
def test_each_allowed_role_moves_the_case_to_the_tables_state(row: Transition, role: Role) -> None:
    case = _prepared(row, role)
    before = len(case.history)
    event = attempt(case, row.action, role)
    expected = row.target or S.REGISTERED  # the usual deferral path defers a registered case
    assert case.state is expected
    assert event.action is row.action
    assert len(case.history) == before + 1


@pytest.mark.parametrize(
    ("row", "role"), FORBIDDEN_ROLES, ids=[_row_id(*p) for p in FORBIDDEN_ROLES]
)
def test_a_role_the_table_leaves_out_is_refused_for_its_role(row: Transition, role: Role) -> None:
    case = _prepared(row, Role.GRID_WORKER)
    with pytest.raises(RoleNotAllowed) as refused:
        attempt(case, row.action, role)
    # An absorb is refused through the merge it belongs to, which is checked first.
    action = A.MERGE if row.action is A.ABSORB else row.action
    assert refused.value.role is role and refused.value.action is action
    assert role.value in str(refused.value) and action.value in str(refused.value)


@pytest.mark.parametrize(("state", "action"), MISSING, ids=[f"{s}-{a}" for s, a in MISSING])
def test_an_action_without_a_row_is_not_allowed_in_that_state(
    state: CaseState, action: Action
) -> None:
    case = reach(state)
    with pytest.raises(NotAllowedInState) as refused:
        attempt(case, action, Role.DISTRICT_ADMIN)
    assert refused.value.state == state.value
    assert set(refused.value.allowed) == allowed_actions(state)


@pytest.mark.parametrize("action", sorted(_ASSIGNEE_ROWS))
def test_a_worker_who_is_not_the_assignee_may_not_act_for_the_case(action: Action) -> None:
    state = {A.SIGN: S.DISPATCHED, A.RETURN: S.DISPATCHED, A.FEEDBACK: S.HANDLED}.get(
        action, S.SIGNED
    )
    case = reach(state)
    with pytest.raises(NotTheAssignee):
        attempt(case, action, Role.GRID_WORKER, actor="w2")


def test_the_auditor_can_do_nothing() -> None:
    assert all(Role.AUDITOR not in t.roles for t in TRANSITIONS.values())


def test_the_assignee_sees_only_the_assignees_actions() -> None:
    assert allowed_actions(S.DISPATCHED, Role.GRID_WORKER) == {A.SIGN, A.RETURN}
    assert allowed_actions(S.SIGNED, Role.GRID_WORKER) == {
        A.HANDLE,
        A.RETURN,
        A.REQUEST_EXTENSION,
    }


def test_only_a_dispatcher_or_the_system_closes_a_verified_case() -> None:
    roles = TRANSITIONS[(S.VERIFIED, A.CLOSE)].roles
    assert roles == {Role.STREET_DISPATCHER, Role.DISTRICT_ADMIN, Role.SYSTEM}


def test_a_community_admin_re_dispatches_but_does_not_dispatch_first() -> None:
    assert Role.COMMUNITY_ADMIN in TRANSITIONS[(S.RETURNED, A.DISPATCH)].roles
    assert Role.COMMUNITY_ADMIN not in TRANSITIONS[(S.REGISTERED, A.DISPATCH)].roles


def test_states_carry_their_chinese_label_and_finality() -> None:
    assert {s for s in CaseState if s.is_final} == {S.REFUSED, S.CLOSED, S.MERGED}
    assert S.AWAITING_VERIFICATION.label_zh == "待核查"
    assert all(s.label_zh for s in CaseState)
    assert ACTOR.keys() == set(Role)
