"""Decode and validate telemetry in batches: bytes in, Messages and Rejections out.

Speed matters here (every reading passes through): a clean batch is decoded and type-checked in
one msgspec call; only a batch holding a broken line is decoded again line by line, so that each
line gets its own reason. Kind specs are flattened into dicts once; timestamps go through a cache.

Every integer and string is bounded here, before any state is touched: seq and ts must fit SQLite's
INTEGER (a Python big int reaching the store fails its whole batch), names and texts their limits.
Known device ids, value and event names are short by construction, so only the misses pay for a
length check; attrs are walked only when a message has some.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import msgspec

from gridloop.domain.devices.catalog import KindCatalog
from gridloop.domain.telemetry import (
    MAX_SEQ,
    MAX_TS,
    IntakeLimits,
    Message,
    Rejection,
    RejectReason,
    attrs_problem,
    shown_int,
)
from gridloop.service_layer.ports import Decoded

R = RejectReason


class RawMessage(msgspec.Struct):
    """The wire format of DEVICES.md; msgspec checks the types while it decodes."""

    device_id: str
    ts: int | str
    seq: int
    values: dict[str, float] = {}
    event: str | None = None
    attrs: dict[str, Any] | None = None


_batch = msgspec.json.Decoder(list[RawMessage])
_one = msgspec.json.Decoder(RawMessage)


class _KindSpec:
    __slots__ = ("events", "ranges")

    def __init__(self, ranges: dict[str, tuple[float, float]], events: frozenset[str]) -> None:
        self.ranges, self.events = ranges, events


class TelemetryDecoder:
    def __init__(
        self, device_kinds: Mapping[str, str], kinds: KindCatalog, limits: IntakeLimits
    ) -> None:
        specs = {
            k.code: _KindSpec(
                {v.name: (v.low, v.high) for v in k.values}, frozenset(e.name for e in k.events)
            )
            for k in kinds
        }
        self._device_spec = {d: specs[k] for d, k in device_kinds.items() if k in specs}
        self.limits = limits
        self._ts_cache: dict[str, int | str] = {}

    def decode_lines(self, lines: Sequence[bytes], now_ms: int | None, first: int = 1) -> Decoded:
        """NDJSON lines (without newlines); positions count from `first` (a line number).

        `now_ms` None skips the time-window check (re-evaluating readings stored earlier).
        """
        out: Decoded = ([], [], [], [])
        bad = out[3]
        raws: list[RawMessage] | None = None
        limit = self.limits.max_bytes
        if all(0 < len(line) <= limit for line in lines):
            try:
                raws = _batch.decode(b"[" + b",".join(lines) + b"]")
            except (msgspec.DecodeError, msgspec.ValidationError, RecursionError):
                raws = None  # some line is broken: decode one line at a time
            if raws is not None and len(raws) != len(lines):
                raws = None  # a line held several values ('{…},{…}'): each line on its own
        for i, line in enumerate(lines):
            position = first + i
            if raws is not None:
                raw: RawMessage | None = raws[i]
            elif len(line) > limit:
                bad.append(Rejection(R.TOO_LARGE, position, f"{len(line)} bytes over {limit}"))
                continue
            elif not line.strip():
                continue
            else:
                raw = _decode_one(line, position, bad)
            if raw is not None:
                self._accept(raw, line, position, now_ms, out)
        return out

    def decode_objects(self, objs: Sequence[object], now_ms: int | None) -> Decoded:
        """Already-parsed messages (a JSON array body); raw bytes are re-serialised."""
        out: Decoded = ([], [], [], [])
        for position, obj in enumerate(objs):
            try:
                raw = msgspec.convert(obj, RawMessage)
                line = msgspec.json.encode(obj)
            except msgspec.ValidationError as e:
                out[3].append(_type_rejection(str(e), position))
                continue
            except RecursionError:
                out[3].append(Rejection(R.TOO_LARGE, position, TOO_DEEP))
                continue
            except ValueError:  # an integer of thousands of digits (only a Python caller has one)
                out[3].append(Rejection(R.OUT_OF_RANGE, position, "an integer too long to encode"))
                continue
            if len(line) > self.limits.max_bytes:
                out[3].append(Rejection(R.TOO_LARGE, position, f"{len(line)} bytes"))
                continue
            self._accept(raw, line, position, now_ms, out)
        return out

    def _accept(
        self, raw: RawMessage, line: bytes, position: int, now_ms: int | None, out: Decoded
    ) -> None:
        """Check one decoded message against its kind and the time window; file it."""
        device_id = raw.device_id
        limits = self.limits
        bad = out[3]
        if len(device_id) > limits.max_name_chars:
            why = f"device_id: {len(device_id)} characters, over {limits.max_name_chars}"
            bad.append(Rejection(R.TOO_LARGE, position, why))
            return
        spec = self._device_spec.get(device_id)
        if spec is None:
            bad.append(Rejection(R.UNKNOWN_DEVICE, position, "not in the registry", device_id))
            return
        seq = raw.seq
        if not 0 <= seq <= MAX_SEQ:
            why = f"seq {shown_int(seq)} is outside 0..{MAX_SEQ}"
            bad.append(Rejection(R.OUT_OF_RANGE, position, why, device_id))
            return
        given = raw.ts
        if isinstance(given, int):
            ts = given
        else:
            parsed = self._ts_cache.get(given)
            if parsed is None:
                if len(given) > limits.max_name_chars:
                    why = f"ts: a text of {len(given)} characters, over {limits.max_name_chars}"
                    bad.append(Rejection(R.TOO_LARGE, position, why, device_id))
                    return
                parsed = self._timestamp(given)
            if isinstance(parsed, str):
                bad.append(Rejection(R.BAD_TIMESTAMP, position, parsed, device_id))
                return
            ts = parsed
        if not 0 <= ts <= MAX_TS:
            why = f"ts {shown_int(ts)} is outside 0..{MAX_TS} (1970 to the year 9999)"
            bad.append(Rejection(R.OUT_OF_RANGE, position, why, device_id))
            return
        if now_ms is not None:
            if ts > now_ms + limits.max_future_ms:
                why = f"ts {ts} is ahead of now {now_ms}"
                bad.append(Rejection(R.TS_FUTURE, position, why, device_id))
                return
            if ts < now_ms - limits.max_age_ms:
                why = f"ts {ts} is older than allowed"
                bad.append(Rejection(R.TS_TOO_OLD, position, why, device_id))
                return
        ranges = spec.ranges
        for name, value in raw.values.items():
            bounds = ranges.get(name)
            if bounds is None:
                if len(name) > limits.max_name_chars:
                    why = f"values: a name of {len(name)} characters, over {limits.max_name_chars}"
                    bad.append(Rejection(R.TOO_LARGE, position, why, device_id))
                else:
                    why = f"{name!r} is not a value of this kind"
                    bad.append(Rejection(R.UNKNOWN_VALUE, position, why, device_id))
                return
            if not bounds[0] <= value <= bounds[1]:
                if math.isfinite(value):
                    why = f"{name}={value} outside [{bounds[0]}, {bounds[1]}]"
                    bad.append(Rejection(R.OUT_OF_RANGE, position, why, device_id))
                else:
                    bad.append(Rejection(R.NOT_FINITE, position, f"{name}={value}", device_id))
                return
        event = raw.event
        if event is not None and event not in spec.events:
            if len(event) > limits.max_name_chars:
                why = f"event: {len(event)} characters, over {limits.max_name_chars}"
                bad.append(Rejection(R.TOO_LARGE, position, why, device_id))
            else:
                why = f"{event!r} is not an event of this kind"
                bad.append(Rejection(R.UNKNOWN_EVENT, position, why, device_id))
            return
        attrs = raw.attrs
        if attrs:
            problem = attrs_problem(attrs, limits)
            if problem is not None:
                bad.append(Rejection(problem[0], position, problem[1], device_id))
                return
        out[0].append(Message(device_id, ts, seq, raw.values, event, attrs))
        out[1].append(line)
        out[2].append(position)

    def _timestamp(self, text: str) -> int | str:
        """Epoch ms, or a message saying why `text` is not an ISO-8601 time with an offset."""
        cached = self._ts_cache.get(text)
        if cached is not None:
            return cached
        try:
            parsed = datetime.fromisoformat(text)
        except (ValueError, OverflowError):
            result: int | str = f"ts {text!r} is not ISO-8601"
        else:
            if parsed.tzinfo is None:
                result = f"ts {text!r} has no UTC offset"
            else:
                result = round(parsed.timestamp() * 1000)
        if len(self._ts_cache) > 100_000:
            self._ts_cache.clear()  # a replay moves on; old instants do not come back
        self._ts_cache[text] = result
        return result


TOO_DEEP = "nested deeper than a message may be"


def _decode_one(line: bytes, position: int, bad: list[Rejection]) -> RawMessage | None:
    try:
        raw: RawMessage = _one.decode(line)
        return raw
    except msgspec.ValidationError as e:
        bad.append(_type_rejection(str(e), position))
        return None
    except RecursionError:
        bad.append(Rejection(R.TOO_LARGE, position, TOO_DEEP))
        return None
    except msgspec.DecodeError as e:
        syntax = str(e)
    try:
        # The standard library reads NaN and Infinity, so those get their own reason.
        parsed: Any = json.loads(line)
    except RecursionError:
        bad.append(Rejection(R.TOO_LARGE, position, TOO_DEEP))
        return None
    except (ValueError, UnicodeDecodeError):
        bad.append(Rejection(R.MALFORMED, position, f"not JSON: {syntax}"))
        return None
    values = parsed.get("values") if isinstance(parsed, dict) else None
    if isinstance(values, dict) and any(
        isinstance(v, float) and not math.isfinite(v) for v in values.values()
    ):
        device = parsed.get("device_id")
        bad.append(
            Rejection(R.NOT_FINITE, position, "NaN or infinity in values", str(device or ""))
        )
    else:
        bad.append(Rejection(R.MALFORMED, position, f"not JSON: {syntax}"))
    return None


def _type_rejection(why: str, position: int) -> Rejection:
    if "missing required field" in why or "at `$`" in why or why.startswith("Expected `object`"):
        return Rejection(R.MALFORMED, position, why)
    if "out of range" in why:  # a number past what msgspec reads (1e400, a 5000-digit integer)
        return Rejection(R.OUT_OF_RANGE, position, why)
    if "`$.ts`" in why:
        return Rejection(R.BAD_TIMESTAMP, position, why)
    return Rejection(R.BAD_TYPE, position, why)
