"""What the public reads of a request: two states, the reason in words, no person named."""

from __future__ import annotations

import pytest

from gridloop.domain.cases.events import Action, CaseEvent, Role
from gridloop.domain.cases.public_view import masked, public_status, public_updates

A = Action


def history(*steps: tuple[Action, dict[str, object]]) -> list[CaseEvent]:
    return [
        CaseEvent("C1", seq, action, "someone", Role.SYSTEM, 1000 * seq, payload)
        for seq, (action, payload) in enumerate(steps, 1)
    ]


REPORTED = (A.REPORT, {"reporter": "13800000001"})


@pytest.mark.parametrize(
    ("state", "status", "notes"),
    [
        ("dispatched", "open", "已派遣"),
        ("signed", "open", "已签收"),
        ("closed", "closed", "已结案"),
    ],
)
def test_internal_states_map_onto_open_and_closed(state: str, status: str, notes: str) -> None:
    found = public_status(state, None, history(REPORTED))
    assert (found.status, found.notes) == (status, notes)


def test_a_merged_request_is_closed_and_names_the_case_it_joined() -> None:
    found = public_status("merged", "C7", history(REPORTED, (A.MERGE, {"into": "C7"})))
    assert found.status == "closed" and found.notes.startswith("已合并至 C7")


def test_a_refused_request_gives_the_reason() -> None:
    found = public_status("refused", None, history(REPORTED, (A.REFUSE, {"reason": "重复上报"})))
    assert (found.status, found.notes) == ("closed", "不予立案:重复上报")


def test_an_unlocated_request_says_it_waits_for_a_place() -> None:
    unlocated = (A.REPORT, {"unlocated": "no location"})
    assert "待人工定位" in public_status("reported", None, history(unlocated)).notes


def test_updates_carry_the_status_each_step_left_and_skip_internal_ones() -> None:
    steps = history(
        REPORTED,
        (A.REGISTER, {}),
        (A.DISPATCH, {"assignee": "W000001"}),
        (A.LINK_ALERT, {"alert_id": 3}),
        (A.CLOSE, {}),
        (A.RATE, {"rating": "satisfied"}),
        (A.REOPEN, {"reason": "不满意"}),
    )
    shown = [(u.update_id, u.status, u.description) for u in public_updates(steps)]
    assert shown == [
        ("C1-1", "open", "已受理"),
        ("C1-2", "open", "已立案"),
        ("C1-3", "open", "已派遣"),
        ("C1-5", "closed", "已结案"),
        ("C1-6", "closed", "已回访评价:满意"),
        ("C1-7", "open", "重新办理"),
    ]
    assert "W000001" not in str(shown) and "13800000001" not in str(shown)


@pytest.mark.parametrize(
    "personal",
    ["13812345678", "138 1234 5678", "0971-6123456", "zhang.san@example.cn", "63010419800101123X"],
)
def test_contact_details_and_id_numbers_are_masked(personal: str) -> None:
    assert masked(f"请联系 {personal} 处理") == "请联系 *** 处理"


def test_ordinary_numbers_stay() -> None:
    assert masked("3号楼2单元 401 室漏水 2 天") == "3号楼2单元 401 室漏水 2 天"
