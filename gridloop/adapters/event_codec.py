"""Domain events as outbox rows (topic, key, JSON payload) and back; shared by every store."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from gridloop.domain.alerting.changes import AlertChange, ChangeKind
from gridloop.domain.devices.rules import Severity
from gridloop.domain.events import AlertCleared, AlertOpened, Event, NoticesIssued
from gridloop.domain.notifications import Notice, NoticeKind

OutboxRow = tuple[str, str | None, bytes, int]  # topic, key, payload, created_at


def encode(event: Event) -> OutboxRow:
    if isinstance(event, AlertOpened | AlertCleared):
        c = event.change
        topic = "alert_opened" if isinstance(event, AlertOpened) else "alert_cleared"
        payload = {
            "change": c.change.value,
            "device_id": c.device_id,
            "rule": c.rule,
            "severity": int(c.severity),
            "started_at": c.started_at,
            "at": c.at,
            "occurrences": c.occurrences,
        }
        return topic, event.key, orjson.dumps(payload), c.at
    notices = [n.as_json() for n in event.notices]
    # no key: a case transaction commits once, and so does the row it writes
    return "notices", None, orjson.dumps(notices), min((n.at for n in event.notices), default=0)


def decode(topic: str, payload: bytes) -> Event:
    """The event of one row; ValueError names what is wrong with a row that cannot be read."""
    doc: Any = orjson.loads(payload)
    if topic in ("alert_opened", "alert_cleared"):
        change = AlertChange(
            ChangeKind(doc["change"]),
            str(doc["device_id"]),
            str(doc["rule"]),
            Severity(int(doc["severity"])),
            int(doc["started_at"]),
            int(doc["at"]),
            int(doc["occurrences"]),
        )
        return AlertOpened(change) if topic == "alert_opened" else AlertCleared(change)
    if topic == "notices":
        return NoticesIssued(tuple(_notice(n) for n in doc))
    raise ValueError(f"unknown outbox topic {topic!r}")


def _notice(doc: Mapping[str, Any]) -> Notice:
    return Notice(
        str(doc["recipient"]),
        NoticeKind(doc["kind"]),
        str(doc["case_id"]),
        int(doc["at"]),
        str(doc["title"]),
        dict(doc.get("data") or {}),
    )
