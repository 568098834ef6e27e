"""The case history: every action is an event appended to its case, chained by hashes.

This module is the contract between the workflow (which appends events), the SLA clocks (which
read deadlines from them) and the indicators (which are computed from them, never from counters).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType


class Action(StrEnum):
    """What happened to a case. Payload keys each action carries are listed beside it.

    SIGN, HANDLE, FEEDBACK, RETURN and REQUEST_EXTENSION may carry `unit`: the department or
    community code the actor acts for when the case is assigned to a unit, not a person.
    """

    REPORT = "report"  # channel, category, severity, lon, lat, building_code, grid_code,
    # community_code, street_code, reporter, alert_ids (list), description
    REGISTER = "register"  # (none)
    REFUSE = "refuse"  # reason (e.g. false_alarm, duplicate, not_in_remit): not registered
    DISPATCH = "dispatch"  # assignee (worker id or department code), assignee_kind
    # ("worker" | "community" | "department"), departments (list), sign_due, handle_due (ms)
    SIGN = "sign"  # (none)
    HANDLE = "handle"  # note, attachments (list of content hashes)
    FEEDBACK = "feedback"  # note, attachments
    VERIFY_PASS = "verify_pass"  # note
    VERIFY_FAIL = "verify_fail"  # note: rework, back to the assignee (counts as a rework)
    CLOSE = "close"  # (none)
    RETURN = "return"  # reason: the assignee says it is not theirs; the dispatcher re-dispatches
    REQUEST_EXTENSION = "request_extension"  # until (ms), reason
    GRANT_EXTENSION = "grant_extension"  # handle_due (the new deadline, ms)
    REFUSE_EXTENSION = "refuse_extension"  # reason
    DEFER = "defer"  # reason (缓办): out of the due counts until resumed
    RESUME = "resume"  # sign_due, handle_due
    RATE = "rate"  # rating: satisfied | basically_satisfied | unsatisfied
    REOPEN = "reopen"  # reason: after an unsatisfied rating caused by the handler
    MERGE = "merge"  # into (case id): this case's reporters join that case
    ABSORB = "absorb"  # from (case id), reporter, reporters (list), alert_ids (list): the
    # surviving case records a merged report, keeping every reporter and alert it brought
    ESCALATE = "escalate"  # level: community | street | district, step: sign | handle
    LOCATE = "locate"  # building_code, lon, lat, grid_code, community_code, street_code: a
    # dispatcher places a request that arrived without a usable location (manual-location queue)
    LINK_ALERT = "link_alert"  # alert_id: a re-fired alert joins the open case
    ALERT_CLEARED = "alert_cleared"  # alert_id: recorded; a human still closes the case


class Role(StrEnum):
    GRID_WORKER = "grid_worker"
    COMMUNITY_ADMIN = "community_admin"
    STREET_DISPATCHER = "street_dispatcher"
    DISTRICT_ADMIN = "district_admin"
    DEPARTMENT = "department"
    RESIDENT = "resident"
    SYSTEM = "system"  # rules, the dispatcher's automation, the SLA scheduler
    AUDITOR = "auditor"


GENESIS = "0" * 64


@dataclass(frozen=True)
class CaseEvent:
    """One entry of a case's history; `hash` covers every other field and `prev_hash`."""

    case_id: str
    seq: int  # 1, 2, 3… within the case
    action: Action
    actor: str
    role: Role
    at: int  # epoch ms
    payload: Mapping[str, object] = field(default_factory=dict)
    prev_hash: str = GENESIS
    hash: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "payload", MappingProxyType(dict(self.payload)))

    def body(self) -> bytes:
        """The canonical bytes the hash covers (sorted keys, no spaces, UTF-8)."""
        doc = {
            "case_id": self.case_id,
            "seq": self.seq,
            "action": self.action.value,
            "actor": self.actor,
            "role": self.role.value,
            "at": self.at,
            "payload": dict(self.payload),
            "prev_hash": self.prev_hash,
        }
        return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()

    def sealed(self) -> CaseEvent:
        """This event with its hash computed."""
        digest = hashlib.sha256(self.body()).hexdigest()
        return CaseEvent(
            self.case_id,
            self.seq,
            self.action,
            self.actor,
            self.role,
            self.at,
            self.payload,
            self.prev_hash,
            digest,
        )


def chain_problems(events: list[CaseEvent]) -> list[str]:
    """Why a case's history is not an intact chain (empty when it is)."""
    problems: list[str] = []
    previous = GENESIS
    for expected_seq, event in enumerate(events, 1):
        where = f"case {event.case_id} event {event.seq}"
        if event.seq != expected_seq:
            problems.append(f"{where}: expected seq {expected_seq}")
        if event.prev_hash != previous:
            problems.append(f"{where}: prev_hash does not match the event before")
        if event.sealed().hash != event.hash:
            problems.append(f"{where}: hash does not match its content (altered)")
        previous = event.hash
    return problems
