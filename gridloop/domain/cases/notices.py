"""Who hears of what happened to a case: one rule per action, recipients as "<kind>:<id>"."""

from __future__ import annotations

from collections.abc import Callable

from gridloop.domain.calendar import local_datetime
from gridloop.domain.cases.events import Action, CaseEvent
from gridloop.domain.cases.summary import CaseSummary
from gridloop.domain.notifications import Notice, NoticeKind

A = Action
K = NoticeKind
CITIZEN_CHANNELS = frozenset({"hotline", "open311"})


def assignee_recipients(case: CaseSummary) -> list[str]:
    found = (
        [f"{case.assignee_kind}:{case.assignee}"] if case.assignee and case.assignee_kind else []
    )
    return found + [f"department:{d}" for d in case.departments]


def notices_for(
    event: CaseEvent, case: CaseSummary, label: Callable[[str], str] = str
) -> list[Notice]:
    """The notices `event` sends, given the case as it stands after it."""
    what = f"{case.case_id} {label(case.category)}"
    a = event.action
    if a is A.DISPATCH:
        due = f",请于{_hhmm(case.sign_due)}前签收" if case.sign_due else ""
        return _to(assignee_recipients(case), K.ASSIGNED, event, f"新派单:{what}{due}")
    if a is A.RETURN:
        reason = event.payload.get("reason", "")
        return _to(_street(case), K.RETURNED, event, f"退单待重派:{what}({reason})")
    if a is A.FEEDBACK:
        return _to(_community(case), K.AWAITING_VERIFICATION, event, f"待核查:{what}")
    if a is A.REQUEST_EXTENSION:
        return _to(_community(case), K.EXTENSION_REQUESTED, event, f"延期申请:{what}")
    if a in (A.VERIFY_FAIL, A.REOPEN):
        return _to(assignee_recipients(case), K.REWORK, event, f"返工:{what}")
    if a is A.ESCALATE:
        level, step = str(event.payload["level"]), str(event.payload.get("step", "handle"))
        code = {
            "community": case.community_code,
            "street": case.street_code,
            "district": _district(case),
        }.get(level)
        overseer = [f"{level}:{code}"] if code else []
        step_zh = "签收" if step == "sign" else "处置"
        title = f"督办({_LEVEL_ZH.get(level, level)}):{what} {step_zh}超时"
        return _to(overseer + assignee_recipients(case), K.ESCALATED, event, title)
    if a is A.ALERT_CLEARED:
        title = f"告警已恢复:{what},仍需核查结案"
        return _to(assignee_recipients(case), K.ALERT_CLEARED, event, title)
    if a is A.ABSORB:
        return _to(assignee_recipients(case), K.MERGED, event, f"同一问题再次上报:{what}")
    if a is A.CLOSE and case.channel in CITIZEN_CHANNELS:
        people = [f"reporter:{r}" for r in case.reporters if r]
        return _to(people, K.CLOSED, event, f"您反映的问题已办结:{what}")
    return []


_PERSONAL = frozenset({"reporter", "reporters", "contact"})
_LEVEL_ZH = {"community": "社区", "street": "街道", "district": "区"}


def _street(case: CaseSummary) -> list[str]:
    return [f"street:{case.street_code}"] if case.street_code else [f"district:{_district(case)}"]


def _district(case: CaseSummary) -> str:
    # region codes are hierarchical: a district's 6 digits begin each of its codes
    return (case.street_code or case.grid_code or "")[:6] or "district"


def _community(case: CaseSummary) -> list[str]:
    return [f"community:{case.community_code}"] if case.community_code else _street(case)


def _to(recipients: list[str], kind: NoticeKind, event: CaseEvent, title: str) -> list[Notice]:
    # who reported is not for every recipient's screen: the payload goes without it
    payload = {k: v for k, v in event.payload.items() if k not in _PERSONAL}
    data = {"action": event.action.value, "seq": event.seq, **payload}
    return [
        Notice(r, kind, event.case_id, event.at, title, data) for r in dict.fromkeys(recipients)
    ]


def _hhmm(at_ms: int) -> str:
    return local_datetime(at_ms).strftime("%H:%M")
