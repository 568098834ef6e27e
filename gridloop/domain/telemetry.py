"""A telemetry message as the pipeline hands it to the rule engine (already validated)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

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


def attrs_problem(
    attrs: Mapping[str, Any], limits: IntakeLimits
) -> tuple[RejectReason, str] | None:
    """Why a message's attrs break a bound (with the reason), or None.

    Entries count at every depth (a list's items too), so they also bound the nesting; keys are
    names, strings texts; numbers must be finite and integers fit SQLite's (±MAX_SEQ).
    A loop rather than recursion: a hostile message cannot exhaust the stack.
    """
    entries = 0
    todo: list[tuple[str, Any]] = [("attrs", attrs)]
    while todo:
        where, node = todo.pop()
        for key, value in node.items() if isinstance(node, dict) else enumerate(node):
            entries += 1
            if entries > limits.max_attrs:
                why = f"attrs: over {limits.max_attrs} entries (nested ones count)"
                return RejectReason.TOO_LARGE, why
            if isinstance(key, str) and len(key) > limits.max_name_chars:
                why = f"{where}: a key of {len(key)} characters, over {limits.max_name_chars}"
                return RejectReason.TOO_LARGE, why
            if isinstance(value, str):
                if len(value) > limits.max_text_chars:
                    why = (
                        f"{_at(where, key)}: {len(value)} characters, over {limits.max_text_chars}"
                    )
                    return RejectReason.TOO_LARGE, why
            elif value is None or isinstance(value, bool):
                continue
            elif isinstance(value, int):
                if not -MAX_SEQ <= value <= MAX_SEQ:
                    why = f"{_at(where, key)}: {shown_int(value)} is outside ±{MAX_SEQ}"
                    return RejectReason.OUT_OF_RANGE, why
            elif isinstance(value, float):
                if not math.isfinite(value):
                    return RejectReason.NOT_FINITE, f"{_at(where, key)}: {value}"
            elif isinstance(value, dict | list):
                todo.append((_at(where, key), value))
            else:
                why = f"{_at(where, key)}: a {type(value).__name__} is not a JSON value"
                return RejectReason.BAD_TYPE, why
    return None


def shown_int(number: int) -> str:
    """An integer for a rejection's detail: a huge one by its size, never by its digits."""
    if -(10**30) < number < 10**30:
        return str(number)
    return f"a {number.bit_length()}-bit integer"


def _at(where: str, key: object) -> str:
    return f"{where}.{key}" if isinstance(key, str) else f"{where}[{key}]"
