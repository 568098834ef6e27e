"""Who hears of each action: assignees, the overseeing level, the street, reporters."""

from __future__ import annotations

import pytest
from case_support import (
    COMMUNITY,
    DEPARTMENT,
    MINUTE,
    T0,
    A,
    S,
    attempt,
    reach,
    report_payload,
    step,
)

from gridloop.domain.cases.case import Case, merge_cases, open_case
from gridloop.domain.cases.events import Role
from gridloop.domain.cases.notices import notices_for
from gridloop.domain.cases.states import AssigneeKind
from gridloop.domain.cases.summary import summarize
from gridloop.domain.notifications import Notice, NoticeKind

STREET = COMMUNITY[:9]
DISTRICT = COMMUNITY[:6]


def last_notices(case: Case) -> list[Notice]:
    return notices_for(case.history[-1], summarize(case))


def recipients(case: Case) -> list[str]:
    return [n.recipient for n in last_notices(case)]


def citizen_case(channel: str) -> Case:
    """A case reported through `channel` and brought to the close, with a second reporter."""
    case = open_case(
        "c1",
        report_payload(channel=channel, reporter="13800000001"),
        "op",
        Role.STREET_DISPATCHER,
        T0,
    )
    duplicate = open_case(
        "c2", report_payload(reporter="13900000002"), "op", Role.STREET_DISPATCHER, T0
    )
    merge_cases(duplicate, case, "sys", Role.SYSTEM, T0 + MINUTE)
    step(case, A.REGISTER)
    attempt(
        case,
        A.DISPATCH,
        Role.SYSTEM,
        payload={
            "assignee": "w1",
            "assignee_kind": "worker",
            "departments": [],
            "sign_due": T0 + 60 * MINUTE,
            "handle_due": T0 + 240 * MINUTE,
        },
    )
    for action in (A.SIGN, A.HANDLE, A.FEEDBACK, A.VERIFY_PASS, A.CLOSE):
        step(case, action)
    return case


def test_a_dispatch_goes_to_the_worker() -> None:
    case = reach(S.DISPATCHED)

    [notice] = last_notices(case)
    assert (notice.recipient, notice.kind, notice.case_id) == (
        "worker:w1",
        NoticeKind.ASSIGNED,
        "c1",
    )
    assert notice.data["action"] == "dispatch" and notice.data["seq"] == len(case.history)
    assert notice.title.startswith("新派单:c1 exposed_garbage,请于") and "前签收" in notice.title


def test_a_dispatch_goes_to_the_worker_and_every_routed_department() -> None:
    case = reach(S.REGISTERED)
    at = case.history[-1].at + MINUTE
    payload = {
        "assignee": "w1",
        "assignee_kind": "worker",
        "departments": ["D04", "D02"],
        "sign_due": at + 5 * MINUTE,
        "handle_due": at + 30 * MINUTE,
    }
    attempt(case, A.DISPATCH, Role.SYSTEM, payload=payload, at=at)

    assert recipients(case) == ["worker:w1", "department:D04", "department:D02"]


def test_a_dispatch_to_a_community_goes_to_the_community() -> None:
    case = reach(S.DISPATCHED, AssigneeKind.COMMUNITY)

    assert recipients(case) == [f"community:{COMMUNITY}"]


@pytest.mark.parametrize(
    ("level", "overseer"),
    [
        ("community", f"community:{COMMUNITY}"),
        ("street", f"street:{STREET}"),
        ("district", f"district:{DISTRICT}"),
    ],
)
def test_an_escalation_goes_to_its_level_and_to_the_assignee(level: str, overseer: str) -> None:
    case = reach(S.SIGNED)
    step(case, A.ESCALATE, level=level, step="handle")

    notices = last_notices(case)
    assert [n.recipient for n in notices] == [overseer, "worker:w1"]
    assert {n.kind for n in notices} == {NoticeKind.ESCALATED}
    assert "处置超时" in notices[0].title


def test_a_sign_escalation_says_signing_is_late() -> None:
    case = reach(S.DISPATCHED)
    step(case, A.ESCALATE, level="street", step="sign")

    assert "签收超时" in last_notices(case)[0].title


def test_a_return_goes_to_the_street_dispatcher() -> None:
    case = reach(S.RETURNED)

    [notice] = last_notices(case)
    assert (notice.recipient, notice.kind) == (f"street:{STREET}", NoticeKind.RETURNED)
    assert "a reason" in notice.title


def test_a_return_without_a_street_goes_to_the_district() -> None:
    case = open_case("c9", report_payload(street_code=None), "w1", Role.GRID_WORKER, T0)
    step(case, A.REGISTER)
    attempt(
        case,
        A.DISPATCH,
        Role.SYSTEM,
        payload={
            "assignee": "w1",
            "assignee_kind": "worker",
            "sign_due": T0 + 60 * MINUTE,
            "handle_due": T0 + 240 * MINUTE,
        },
    )
    step(case, A.RETURN, reason="not my grid")

    # with no street, the district code comes from the grid's first six digits
    assert recipients(case) == [f"district:{DISTRICT}"]


def test_feedback_and_extension_requests_go_to_the_community() -> None:
    case = reach(S.AWAITING_VERIFICATION)
    [notice] = last_notices(case)
    assert (notice.recipient, notice.kind) == (
        f"community:{COMMUNITY}",
        NoticeKind.AWAITING_VERIFICATION,
    )

    signed = reach(S.SIGNED)
    step(signed, A.REQUEST_EXTENSION)
    assert [(n.recipient, n.kind) for n in last_notices(signed)] == [
        (f"community:{COMMUNITY}", NoticeKind.EXTENSION_REQUESTED)
    ]


def test_rework_goes_back_to_the_assignee() -> None:
    case = reach(S.AWAITING_VERIFICATION)
    step(case, A.VERIFY_FAIL, note="not done")

    assert [(n.recipient, n.kind) for n in last_notices(case)] == [("worker:w1", NoticeKind.REWORK)]


@pytest.mark.parametrize("channel", ["hotline", "open311"])
def test_a_close_tells_every_reporter_of_a_citizen_request(channel: str) -> None:
    case = citizen_case(channel)

    notices = last_notices(case)
    assert [n.recipient for n in notices] == ["reporter:13800000001", "reporter:13900000002"]
    assert {n.kind for n in notices} == {NoticeKind.CLOSED}


@pytest.mark.parametrize("channel", ["patrol", "sensor", "camera"])
def test_a_close_of_other_channels_tells_no_one(channel: str) -> None:
    assert last_notices(citizen_case(channel)) == []


def test_steps_nobody_waits_for_send_nothing() -> None:
    case = reach(S.SIGNED)
    assert last_notices(case) == []  # the sign itself
    step(case, A.HANDLE)
    assert last_notices(case) == []


def test_the_category_label_is_used_in_titles() -> None:
    case = reach(S.DISPATCHED)

    [notice] = notices_for(case.history[-1], summarize(case), lambda code: f"[{code}]")
    assert notice.title.startswith("新派单:c1 [exposed_garbage]")


def test_a_recipient_named_twice_hears_once() -> None:
    case = reach(S.DISPATCHED, AssigneeKind.COMMUNITY)
    step(case, A.ESCALATE, level="community", step="sign")

    assert recipients(case) == [f"community:{COMMUNITY}"]


def test_a_department_holding_the_case_hears_of_its_escalation_once() -> None:
    case = reach(S.DISPATCHED, AssigneeKind.DEPARTMENT)
    step(case, A.ESCALATE, level="street", step="sign")

    # the department is both the assignee and a routed department: it hears once
    assert recipients(case) == [f"street:{STREET}", f"department:{DEPARTMENT}"]
