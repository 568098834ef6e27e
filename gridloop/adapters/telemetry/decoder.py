"""Decode and validate telemetry in batches: bytes in, Messages and Rejections out.

Speed matters here (every reading passes through): one orjson call per batch when the batch is
clean, kind specs flattened into dicts once, timestamps parsed through a small cache.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from datetime import datetime

import orjson

from gridloop.domain.devices.catalog import KindCatalog
from gridloop.domain.telemetry import IntakeLimits, Message, Rejection, RejectReason
from gridloop.service_layer.ports import Decoded

R = RejectReason


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

    def add_devices(self, device_kinds: Mapping[str, str], kinds: KindCatalog) -> None:
        fresh = TelemetryDecoder(device_kinds, kinds, self.limits)
        self._device_spec.update(fresh._device_spec)

    def decode_lines(self, lines: Sequence[bytes], now_ms: int | None, first: int = 1) -> Decoded:
        """NDJSON lines (without newlines); positions count from `first` (a line number).

        `now_ms` None skips the time-window check (re-evaluating readings stored earlier).
        """
        good: list[Message] = []
        raws: list[bytes] = []
        positions: list[int] = []
        bad: list[Rejection] = []
        sized = [line for line in lines if len(line) <= self.limits.max_bytes and line.strip()]
        objs: list[object] | None = None
        if len(sized) == len(lines):
            try:
                objs = orjson.loads(b"[" + b",".join(lines) + b"]")
            except orjson.JSONDecodeError:
                objs = None  # some line is broken: fall back to one line at a time
        for i, line in enumerate(lines):
            position = first + i
            if objs is not None:
                obj = objs[i]
            else:
                if len(line) > self.limits.max_bytes:
                    bad.append(Rejection(R.TOO_LARGE, position, f"{len(line)} bytes"))
                    continue
                if not line.strip():
                    continue
                obj = _loads(line, position, bad)
                if obj is None:
                    continue
            msg = self._validate(obj, position, now_ms, bad)
            if msg is not None:
                good.append(msg)
                raws.append(line)
                positions.append(position)
        return good, raws, positions, bad

    def decode_objects(self, objs: Sequence[object], now_ms: int | None) -> Decoded:
        """Already-parsed messages (a JSON array body); raw bytes are re-serialised."""
        good: list[Message] = []
        raws: list[bytes] = []
        positions: list[int] = []
        bad: list[Rejection] = []
        for position, obj in enumerate(objs):
            msg = self._validate(obj, position, now_ms, bad)
            if msg is not None:
                raw = orjson.dumps(obj)
                if len(raw) > self.limits.max_bytes:
                    bad.append(Rejection(R.TOO_LARGE, position, f"{len(raw)} bytes"))
                    continue
                good.append(msg)
                raws.append(raw)
                positions.append(position)
        return good, raws, positions, bad

    def _validate(
        self, obj: object, position: int, now_ms: int | None, bad: list[Rejection]
    ) -> Message | None:
        if not isinstance(obj, dict):
            bad.append(Rejection(R.MALFORMED, position, "a message must be a JSON object"))
            return None
        device_id = obj.get("device_id")
        if not isinstance(device_id, str) or not device_id:
            bad.append(Rejection(R.MALFORMED, position, "device_id missing or not a string"))
            return None
        spec = self._device_spec.get(device_id)
        if spec is None:
            bad.append(Rejection(R.UNKNOWN_DEVICE, position, "not in the registry", device_id))
            return None
        seq = obj.get("seq")
        if type(seq) is not int or seq < 0:
            bad.append(
                Rejection(R.BAD_TYPE, position, f"seq {seq!r} is not a whole number ≥ 0", device_id)
            )
            return None
        ts = self._timestamp(obj.get("ts"))
        if isinstance(ts, str):
            bad.append(Rejection(R.BAD_TIMESTAMP, position, ts, device_id))
            return None
        if now_ms is None:
            pass
        elif ts > now_ms + self.limits.max_future_ms:
            bad.append(
                Rejection(R.TS_FUTURE, position, f"ts {ts} is ahead of now {now_ms}", device_id)
            )
            return None
        elif ts < now_ms - self.limits.max_age_ms:
            bad.append(
                Rejection(R.TS_TOO_OLD, position, f"ts {ts} is older than the limit", device_id)
            )
            return None
        values = obj.get("values", {})
        if not isinstance(values, dict):
            bad.append(Rejection(R.BAD_TYPE, position, "values must be an object", device_id))
            return None
        ranges = spec.ranges
        for name, value in values.items():
            bounds = ranges.get(name)
            if bounds is None:
                bad.append(
                    Rejection(
                        R.UNKNOWN_VALUE,
                        position,
                        f"{name!r} is not a value of this kind",
                        device_id,
                    )
                )
                return None
            if type(value) is not float and type(value) is not int:
                bad.append(
                    Rejection(R.BAD_TYPE, position, f"{name}={value!r} is not a number", device_id)
                )
                return None
            if not bounds[0] <= value <= bounds[1]:
                if value != value or value in (math.inf, -math.inf):
                    bad.append(Rejection(R.NOT_FINITE, position, f"{name}={value}", device_id))
                else:
                    bad.append(
                        Rejection(
                            R.OUT_OF_RANGE,
                            position,
                            f"{name}={value} outside [{bounds[0]}, {bounds[1]}]",
                            device_id,
                        )
                    )
                return None
        event = obj.get("event")
        attrs = obj.get("attrs")
        if event is not None:
            if event not in spec.events:
                bad.append(
                    Rejection(
                        R.UNKNOWN_EVENT,
                        position,
                        f"{event!r} is not an event of this kind",
                        device_id,
                    )
                )
                return None
            if attrs is not None and not isinstance(attrs, dict):
                bad.append(Rejection(R.BAD_TYPE, position, "attrs must be an object", device_id))
                return None
        return Message(device_id, ts, seq, values, event, attrs)

    def _timestamp(self, raw: object) -> int | str:
        """Epoch ms, or a message saying why `raw` is not a timestamp."""
        if type(raw) is int:
            return raw
        if not isinstance(raw, str):
            return f"ts {raw!r} is neither ISO-8601 text nor epoch milliseconds"
        cached = self._ts_cache.get(raw)
        if cached is not None:
            return cached
        try:
            parsed = datetime.fromisoformat(raw)
        except ValueError:
            result: int | str = f"ts {raw!r} is not ISO-8601"
        else:
            if parsed.tzinfo is None:
                result = f"ts {raw!r} has no UTC offset"
            else:
                result = round(parsed.timestamp() * 1000)
        if len(self._ts_cache) > 100_000:
            self._ts_cache.clear()  # a replay moves on; old instants do not come back
        self._ts_cache[raw] = result
        return result


def _loads(line: bytes, position: int, bad: list[Rejection]) -> object | None:
    obj: object
    try:
        obj = orjson.loads(line)
        return obj
    except orjson.JSONDecodeError:
        pass
    try:
        # The standard library reads NaN and Infinity, so those get their own reason.
        obj = json.loads(line)
        return obj
    except (ValueError, UnicodeDecodeError) as e:
        bad.append(Rejection(R.MALFORMED, position, f"not JSON: {e}"))
        return None
