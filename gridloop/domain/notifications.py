"""What gridloop tells people: one notice to one recipient about one case."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType


class NoticeKind(StrEnum):
    ASSIGNED = "assigned"  # a case was dispatched to the recipient (worker, community, department)
    ESCALATED = "escalated"  # an overdue case was raised to the recipient's level (督办)
    RETURNED = "returned"  # an assignee returned a case: the dispatcher re-dispatches
    AWAITING_VERIFICATION = "awaiting_verification"  # feedback given: the supervisor verifies
    EXTENSION_REQUESTED = "extension_requested"
    REWORK = "rework"  # verification failed or the case was reopened: back to the assignee
    ALERT_CLEARED = "alert_cleared"  # the sensor calmed; a human still closes the case
    MERGED = "merged"  # a report joined an existing case
    CLOSED = "closed"  # to the reporters
    LOCATE = "locate"  # a request could not be located: the manual-location queue


RECIPIENT_KINDS = ("worker", "community", "street", "district", "department", "reporter")
"""A recipient is "<kind>:<id>", e.g. "worker:W0001", "community:630104001001", "department:D04"."""


@dataclass(frozen=True)
class Notice:
    recipient: str
    kind: NoticeKind
    case_id: str
    at: int  # epoch ms (event time in replays)
    title: str  # one zh-CN line, ready for a phone notification or an SMS
    data: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        kind, _, ident = self.recipient.partition(":")
        if kind not in RECIPIENT_KINDS or not ident:
            raise ValueError(f"bad recipient {self.recipient!r} (expected <kind>:<id>)")
        object.__setattr__(self, "data", MappingProxyType(dict(self.data)))

    def key(self) -> str:
        """The same for the same notice delivered again (the outbox delivers at least once: a
        crash between a delivery and its mark repeats it), so a receiver can drop the repeat."""
        text = f"{self.case_id}|{self.kind.value}|{self.recipient}|{self.at}"
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    def as_json(self) -> dict[str, object]:
        return {
            "recipient": self.recipient,
            "kind": self.kind.value,
            "case_id": self.case_id,
            "at": self.at,
            "title": self.title,
            "data": dict(self.data),
        }
