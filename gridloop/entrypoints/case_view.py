"""Cases as operators read them: JSON documents and one-line summaries (Asia/Shanghai times)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from gridloop.domain.cases.events import CaseEvent
from gridloop.domain.cases.states import CaseState
from gridloop.domain.cases.summary import CaseSummary
from gridloop.domain.privacy import mask_citizen_contact, mask_reporter
from gridloop.entrypoints.timefmt import iso

_TIMES = ("sign_due", "handle_due", "last_escalated_at", "reported_at", "updated_at", "closed_at")
_TIMES_ALSO = ("extension_until",)


def case_json(s: CaseSummary, now_ms: int | None = None, masked: bool = False) -> dict[str, object]:
    """The case as JSON; `masked` (every API answer) hides citizens' phones and e-mails."""
    doc: dict[str, object] = {}
    for name in CaseSummary.__dataclass_fields__:
        value = getattr(s, name)
        if name in _TIMES or name in _TIMES_ALSO:
            value = iso(value)
        elif isinstance(value, tuple):
            value = list(value)
        doc[name] = value
    if masked:
        doc["reporters"] = [mask_reporter(r) for r in s.reporters]
    doc["state_zh"] = CaseState(s.state).label_zh
    if now_ms is not None:
        doc["overdue"] = is_overdue(s, now_ms)
    return doc


def is_overdue(s: CaseSummary, now_ms: int) -> bool:
    if not CaseState(s.state).is_open or s.state == CaseState.DEFERRED.value:
        return False
    sign_late = not s.signed and s.sign_due is not None and s.sign_due <= now_ms
    handle_late = not s.handled and s.handle_due is not None and s.handle_due <= now_ms
    return sign_late or handle_late


def event_json(e: CaseEvent, masked: bool = False) -> dict[str, object]:
    payload = dict(e.payload)
    if masked:
        for key in ("reporter", "from"):
            if isinstance(payload.get(key), str):
                payload[key] = mask_reporter(str(payload[key]))
        if "reporters" in payload and isinstance(payload["reporters"], list):
            payload["reporters"] = [mask_reporter(str(r)) for r in payload["reporters"]]
        if "contact" in payload:
            payload["contact"] = mask_citizen_contact(payload["contact"])
    return {
        "seq": e.seq,
        "action": e.action.value,
        "actor": e.actor,
        "role": e.role.value,
        "at": iso(e.at),
        "payload": payload,
        "hash": e.hash,
    }


def case_line(s: CaseSummary, label: Callable[[str], str], now_ms: int) -> str:
    due = s.handle_due if s.signed else s.sign_due
    late = " 超时" if is_overdue(s, now_ms) else ""
    when = (iso(due) or "-")[:16]
    state, category = CaseState(s.state).label_zh, label(s.category)[:14]
    return (
        f"{s.case_id}  {state:<5} {s.severity:<8} {category:<14} "
        f"网格 {s.grid_code or '-'}  {s.assignee or '-':<14} 期限 {when}{late}"
    )


def history_lines(events: Sequence[CaseEvent]) -> list[str]:
    lines = []
    for e in events:
        extra = ", ".join(f"{k}={v}" for k, v in e.payload.items() if v not in (None, "", []))
        lines.append(
            f"  {e.seq:>3} {iso(e.at)} {e.action.value:<18} {e.role.value}:{e.actor}  {extra}"
        )
    return lines
