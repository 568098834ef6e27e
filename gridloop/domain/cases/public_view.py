"""What the public may read of a citizen request: open or closed, why, and its public steps.

Open311's GET is public, so nothing here names a person: no reporter, no worker, no notes
written by staff; phone numbers, e-mail addresses and ID numbers in a description are masked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from gridloop.domain.cases.events import Action, CaseEvent
from gridloop.domain.cases.request import text
from gridloop.domain.cases.states import CaseState, Rating

A = Action
_PERSONAL = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail
    r"|(?<!\d)\d{17}[\dXx](?!\d)"  # resident ID number
    r"|(?<!\d)1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)"  # mobile phone
    r"|(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)"  # landline
)
_CLOSING = frozenset({A.CLOSE, A.REFUSE, A.MERGE})
_STEP_ZH = {
    A.REPORT: "已受理",
    A.LOCATE: "已人工定位",
    A.REGISTER: "已立案",
    A.DISPATCH: "已派遣",
    A.SIGN: "承办人已签收",
    A.HANDLE: "已处置",
    A.FEEDBACK: "已反馈处置结果",
    A.VERIFY_PASS: "核查通过",
    A.VERIFY_FAIL: "核查未通过,返工处置",
    A.CLOSE: "已结案",
    A.RETURN: "已退单,重新派遣中",
    A.GRANT_EXTENSION: "已批准延期",
    A.DEFER: "缓办",
    A.RESUME: "恢复办理",
    A.RATE: "已回访评价",
    A.REOPEN: "重新办理",
    A.MERGE: "已与同一问题合并",
    A.ESCALATE: "已督办",
}


def masked(description: str) -> str:
    """The description with contact details and ID numbers replaced by ***."""
    return _PERSONAL.sub("***", description)


@dataclass(frozen=True)
class PublicStatus:
    status: str  # open | closed
    notes: str  # zh, for status_notes


def public_status(
    state: str, merged_into: str | None, history: Sequence[CaseEvent]
) -> PublicStatus:
    """Open311's two states, and the internal one in words."""
    current = CaseState(state)
    status = "closed" if current.is_final else "open"
    if current is CaseState.MERGED:
        return PublicStatus(status, f"已合并至 {merged_into}(同一问题合并处理)")
    if current is CaseState.REFUSED:
        refusal = next((e for e in reversed(history) if e.action is A.REFUSE), None)
        reason = text(refusal.payload, "reason") if refusal else None
        return PublicStatus(status, f"不予立案:{reason or '未说明理由'}")
    if current is CaseState.REPORTED and history and "unlocated" in history[0].payload:
        return PublicStatus(status, "已受理,地址待人工定位后派遣")
    return PublicStatus(status, current.label_zh)


@dataclass(frozen=True)
class PublicUpdate:
    update_id: str
    case_id: str
    status: str
    at: int
    description: str


def public_updates(history: Sequence[CaseEvent]) -> list[PublicUpdate]:
    """The steps of a case the public may see, each with the status it left the case in."""
    status, out = "open", []
    for e in history:
        if e.action in _CLOSING:
            status = "closed"
        elif e.action is A.REOPEN:
            status = "open"
        words = _STEP_ZH.get(e.action)
        if words is None:
            continue
        if e.action is A.RATE:
            rating = text(e.payload, "rating")
            words += f":{Rating(rating).label_zh}" if rating in set(Rating) else ""
        elif e.action is A.MERGE:
            words += f",并入 {text(e.payload, 'into') or ''}"
        elif e.action is A.REFUSE:
            words = f"不予立案:{text(e.payload, 'reason') or '未说明理由'}"
        out.append(PublicUpdate(f"{e.case_id}-{e.seq}", e.case_id, status, e.at, words))
    return out
