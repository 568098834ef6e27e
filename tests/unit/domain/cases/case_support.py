"""Shared helpers of the case tests: a minute clock, default actors, and cases in any state."""

from __future__ import annotations

from gridloop.domain.cases.case import Case, merge_cases, open_case
from gridloop.domain.cases.events import Action, CaseEvent, Role
from gridloop.domain.cases.states import AssigneeKind, CaseState

A, S = Action, CaseState
T0 = 1_764_288_000_000  # 2025-11-28T00:00:00Z
MINUTE = 60_000
HOUR = 60 * MINUTE
DAY = 24 * HOUR
COMMUNITY = "110105001001"
DEPARTMENT = "dept-chengguan"

ACTOR = {
    Role.GRID_WORKER: "w1",
    Role.COMMUNITY_ADMIN: "ca1",
    Role.STREET_DISPATCHER: "sd1",
    Role.DISTRICT_ADMIN: "da1",
    Role.DEPARTMENT: "d1",
    Role.RESIDENT: "r1",
    Role.SYSTEM: "sys",
    Role.AUDITOR: "au1",
}
ASSIGNEE_ACTIONS = frozenset({A.SIGN, A.HANDLE, A.FEEDBACK, A.RETURN, A.REQUEST_EXTENSION})
DEFAULT_ROLE = {
    A.REPORT: Role.GRID_WORKER,
    A.REGISTER: Role.STREET_DISPATCHER,
    A.REFUSE: Role.STREET_DISPATCHER,
    A.DISPATCH: Role.STREET_DISPATCHER,
    A.VERIFY_PASS: Role.COMMUNITY_ADMIN,
    A.VERIFY_FAIL: Role.COMMUNITY_ADMIN,
    A.CLOSE: Role.STREET_DISPATCHER,
    A.GRANT_EXTENSION: Role.COMMUNITY_ADMIN,
    A.REFUSE_EXTENSION: Role.COMMUNITY_ADMIN,
    A.DEFER: Role.STREET_DISPATCHER,
    A.RESUME: Role.STREET_DISPATCHER,
    A.RATE: Role.RESIDENT,
    A.REOPEN: Role.STREET_DISPATCHER,
    A.MERGE: Role.STREET_DISPATCHER,
    A.ABSORB: Role.STREET_DISPATCHER,
    A.ESCALATE: Role.SYSTEM,
    A.LINK_ALERT: Role.SYSTEM,
    A.ALERT_CLEARED: Role.SYSTEM,
}
PATHS = {
    S.REPORTED: [],
    S.REFUSED: [A.REFUSE],
    S.REGISTERED: [A.REGISTER],
    S.DISPATCHED: [A.REGISTER, A.DISPATCH],
    S.SIGNED: [A.REGISTER, A.DISPATCH, A.SIGN],
    S.HANDLED: [A.REGISTER, A.DISPATCH, A.SIGN, A.HANDLE],
    S.AWAITING_VERIFICATION: [A.REGISTER, A.DISPATCH, A.SIGN, A.HANDLE, A.FEEDBACK],
    S.VERIFIED: [A.REGISTER, A.DISPATCH, A.SIGN, A.HANDLE, A.FEEDBACK, A.VERIFY_PASS],
    S.CLOSED: [A.REGISTER, A.DISPATCH, A.SIGN, A.HANDLE, A.FEEDBACK, A.VERIFY_PASS, A.CLOSE],
    S.RETURNED: [A.REGISTER, A.DISPATCH, A.RETURN],
    S.DEFERRED: [A.REGISTER, A.DEFER],
}


def report_payload(**changes: object) -> dict[str, object]:
    payload: dict[str, object] = {
        "channel": "patrol",
        "category": "exposed_garbage",
        "severity": "minor",
        "lon": 116.35,
        "lat": 39.91,
        "building_code": "B-0007",
        "grid_code": COMMUNITY + "003",
        "community_code": COMMUNITY,
        "street_code": COMMUNITY[:9],
        "reporter": "r1",
        "alert_ids": ["a1"],
        "description": "garbage left by the east gate",
    }
    return payload | changes


def kind_for(role: Role) -> AssigneeKind:
    """The assignee kind a role acts for."""
    return {
        Role.COMMUNITY_ADMIN: AssigneeKind.COMMUNITY,
        Role.DEPARTMENT: AssigneeKind.DEPARTMENT,
    }.get(role, AssigneeKind.WORKER)


def assignee_for(kind: AssigneeKind) -> str:
    return {AssigneeKind.WORKER: "w1", AssigneeKind.COMMUNITY: COMMUNITY}.get(kind, DEPARTMENT)


def later(case: Case, minutes: int = 1) -> int:
    """Epoch ms `minutes` after the case's last event."""
    return case.history[-1].at + minutes * MINUTE


def dispatch_payload(at: int, kind: AssigneeKind = AssigneeKind.WORKER) -> dict[str, object]:
    return {
        "assignee": assignee_for(kind),
        "assignee_kind": kind.value,
        "departments": [DEPARTMENT] if kind is AssigneeKind.DEPARTMENT else [],
        "sign_due": at + 30 * MINUTE,
        "handle_due": at + 4 * HOUR,
    }


def payload_for(case: Case, action: Action, at: int, kind: AssigneeKind) -> dict[str, object]:
    """A payload meeting every condition of `action` on `case` at `at`."""
    reason: dict[str, object] = {"reason": "a reason"}
    handle_due = case.handle_due or at
    payloads: dict[Action, dict[str, object]] = {
        A.REPORT: report_payload(),
        A.REFUSE: reason,
        A.RETURN: reason,
        A.DEFER: reason,
        A.REFUSE_EXTENSION: reason,
        A.REOPEN: reason,
        A.DISPATCH: dispatch_payload(at, kind),
        A.REQUEST_EXTENSION: reason | {"until": handle_due + DAY},
        A.GRANT_EXTENSION: {"handle_due": handle_due + DAY},
        A.RESUME: {"sign_due": at + HOUR, "handle_due": at + DAY},
        A.RATE: {"rating": "satisfied"},
        A.ESCALATE: {"level": "community", "step": "handle"},
        A.LOCATE: {"grid_code": "g2", "community_code": "c1", "street_code": "s1"},
        A.LINK_ALERT: {"alert_id": "a2"},
        A.ALERT_CLEARED: {"alert_id": "a1"},
        A.HANDLE: {"note": "cleared away", "attachments": []},
        A.FEEDBACK: {"note": "done", "attachments": []},
    }
    payload = dict(payloads.get(action, {}))
    if action in ASSIGNEE_ACTIONS and kind is not AssigneeKind.WORKER:
        payload["unit"] = assignee_for(kind)
    return payload


def attempt(
    case: Case,
    action: Action,
    role: Role,
    *,
    actor: str | None = None,
    payload: dict[str, object] | None = None,
    at: int | None = None,
) -> CaseEvent:
    """Take `action` as `role`; merges go through merge_cases with a fresh open partner case."""
    kind = case.assignee_kind or AssigneeKind.WORKER
    when = later(case) if at is None else at
    if actor is None:
        worker_acts = action in ASSIGNEE_ACTIONS and kind is AssigneeKind.WORKER
        actor = (case.assignee or "w1") if worker_acts else ACTOR[role]
    if action is A.MERGE:
        return merge_cases(case, new_case("survivor"), actor, role, when)[0]
    if action is A.ABSORB:
        return merge_cases(new_case("duplicate"), case, actor, role, when)[1]
    data = payload_for(case, action, when, kind) if payload is None else payload
    return case.act(action, actor, role, when, data)


def step(case: Case, action: Action, role: Role | None = None, **payload: object) -> CaseEvent:
    """Take `action` as its usual role (the assignee's for the assignee's actions)."""
    if role is None:
        kind = case.assignee_kind or AssigneeKind.WORKER
        role = kind.role if action in ASSIGNEE_ACTIONS else DEFAULT_ROLE[action]
    data = None
    if payload:
        kind = case.assignee_kind or AssigneeKind.WORKER
        data = payload_for(case, action, later(case), kind) | payload
    return attempt(case, action, role, payload=data)


def new_case(case_id: str = "c1", at: int = T0) -> Case:
    return open_case(case_id, report_payload(), "w1", Role.GRID_WORKER, at)


def reach(state: CaseState, kind: AssigneeKind = AssigneeKind.WORKER) -> Case:
    """A case brought to `state` along the usual path, assigned to someone of `kind`."""
    case = new_case()
    if state is S.MERGED:
        merge_cases(case, new_case("survivor"), "sd1", Role.STREET_DISPATCHER, later(case))
        return case
    for action in PATHS[state]:
        if action is A.DISPATCH:
            attempt(
                case, action, Role.STREET_DISPATCHER, payload=dispatch_payload(later(case), kind)
            )
        else:
            step(case, action)
    return case
