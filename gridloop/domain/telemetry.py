"""A telemetry message as the pipeline hands it to the rule engine (already validated)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

MAX_SEQ = 2**63 - 1  # SQLite's largest INTEGER: a seq past it could never be stored
MAX_TS = 253_402_271_999_999  # 9999-12-31T23:59:59.999+08:00, the last instant a page can show


@dataclass(slots=True)
class Message:
    """One accepted message; `ts` is epoch milliseconds (UTC)."""

    device_id: str
    ts: int
    seq: int
    values: dict[str, float]
    event: str | None = None
    attrs: dict[str, object] | None = None


class RejectReason(StrEnum):
    """Why a message was refused; each reason has its own counter."""

    MALFORMED = "malformed"  # not JSON, not an object, or a required field missing
    TOO_LARGE = "too_large"  # the message, or one of its strings or attrs, over its limit
    UNKNOWN_DEVICE = "unknown_device"
    UNAUTHORIZED = "unauthorized"
    BAD_TYPE = "bad_type"
    BAD_TIMESTAMP = "bad_timestamp"
    NOT_FINITE = "not_finite"
    OUT_OF_RANGE = (
        "out_of_range"  # a value outside its kind's range, or seq/ts/an attr outside theirs
    )
    UNKNOWN_VALUE = "unknown_value"
    UNKNOWN_EVENT = "unknown_event"
    TS_FUTURE = "ts_future"
    TS_TOO_OLD = "ts_too_old"
    DUPLICATE = "duplicate"
    UNPROCESSABLE = "unprocessable"  # valid, yet evaluating it failed: kept out alone (a bug)


@dataclass(frozen=True, slots=True)
class Rejection:
    """A refused message: why, where (line or index in its batch), and the detail."""

    reason: RejectReason
    position: int
    detail: str
    device_id: str = ""

    def __str__(self) -> str:
        who = f" {self.device_id}" if self.device_id else ""
        return f"#{self.position}{who}: {self.reason.value}: {self.detail}"


@dataclass(frozen=True)
class IntakeLimits:
    """Bounds a message must respect (configurable)."""

    max_bytes: int = 64 * 1024
    max_future_ms: int = 5 * 60 * 1000
    max_age_ms: int = 7 * 24 * 3600 * 1000
    max_name_chars: int = 64  # device_id, value and event names, attr keys, an ISO ts
    max_text_chars: int = 1024  # an attr's string
    max_attrs: int = 64  # entries in attrs, nested ones included
