"""An independent replay of docs/rules.md over a telemetry file, to check the truth file against."""

from __future__ import annotations

import atexit
import json
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

from gridloop.domain.devices.catalog import default_catalog
from gridloop.domain.devices.device import Device
from gridloop.domain.devices.rules import EventIs, Outside, RuleSpec, Severity, Threshold
from gridloop.entrypoints.timefmt import parse_iso
from gridloop.simulator.district import generate_district
from gridloop.simulator.telemetry import TelemetrySummary, write_telemetry

START = "2026-11-28T08:00:00+08:00"
HOURS = 26.0
SEED = 11
MIN = 60_000
Alert = tuple[str, str, str, int, int | None]  # device, rule, severity, started, cleared


@dataclass(frozen=True)
class Msg:
    device: str
    ts: int
    seq: int
    values: dict[str, float]
    event: str | None
    attrs: dict[str, object]


@dataclass(frozen=True)
class Generated:
    devices: dict[str, Device]
    out: Path
    summary: TelemetrySummary
    lines: list[str]
    messages: list[Msg]
    truth: dict[str, object]


def to_ms(ts: object) -> int:
    return ts if isinstance(ts, int) else round(datetime.fromisoformat(str(ts)).timestamp() * 1000)


def generate(out: Path, seed: int = SEED) -> TelemetrySummary:
    devices = generate_district("tiny", 1).devices
    return write_telemetry(devices, hours=HOURS, seed=seed, start_ms=parse_iso(START), out=out)


@cache
def tiny() -> Generated:
    """The tiny district's 26 h of telemetry, generated once per test session."""
    folder = Path(tempfile.mkdtemp(prefix="telemetry-"))
    atexit.register(shutil.rmtree, folder, True)
    out = folder / "tiny.ndjson"
    summary = generate(out)
    lines = out.read_text(encoding="utf-8").splitlines()
    objs = [json.loads(line) for line in lines]
    msgs = [_msg(o) for o in objs]
    truth = json.loads(summary.truth.read_text(encoding="utf-8"))
    devices = {d.id: d for d in generate_district("tiny", 1).devices}
    return Generated(devices, out, summary, lines, msgs, truth)


def _msg(o: dict[str, object]) -> Msg:
    values, attrs = o.get("values") or {}, o.get("attrs") or {}
    assert isinstance(values, dict) and isinstance(attrs, dict)
    event = o.get("event")
    seq = o["seq"]
    assert isinstance(seq, int) and (event is None or isinstance(event, str))
    return Msg(str(o["device_id"]), to_ms(o["ts"]), seq, values, event, attrs)


def truth_alerts(truth: dict[str, object]) -> set[Alert]:
    rows = truth["alerts"]
    assert isinstance(rows, list)
    return {
        (
            a["device_id"],
            a["rule"],
            a["severity"],
            parse_iso(a["started_at"]),
            None if a["cleared_at"] is None else parse_iso(a["cleared_at"]),
        )
        for a in rows
    }


def _matches(rule: RuleSpec, msg: Msg, device: Device) -> tuple[bool, bool]:
    """(relevant, match) of a message for a value or event rule, from the kind's own spec."""
    relevant = match = False
    for c in rule.conditions:
        if isinstance(c, EventIs):
            if msg.event == c.event:
                relevant = True
                t = c.attr_threshold
                ok = t is None or float(msg.attrs.get(t.field, 0)) >= rule.params[t.param]  # type: ignore[arg-type]
                match = match or ok
        elif isinstance(c, Threshold | Outside) and c.field in msg.values:
            relevant = True
            v = msg.values[c.field]
            if isinstance(c, Outside):
                match = match or v < rule.params[c.low] or v > rule.params[c.high]
            else:
                bound = float(device.attrs[c.attr]) if c.attr else rule.params[c.param]  # type: ignore[arg-type]
                match = (
                    match
                    or {">=": v >= bound, ">": v > bound, "<": v < bound, "<=": v <= bound}[c.op]
                )
    return relevant, match


def value_and_event_alerts(msgs: Iterable[Msg], devices: dict[str, Device]) -> set[Alert]:
    catalog = default_catalog()
    out: set[Alert] = set()
    state: dict[tuple[str, str], list[int | None]] = defaultdict(lambda: [0, 0, None, 0])
    for m in msgs:  # [streak, misses, started, severity]
        device = devices[m.device]
        kind = catalog.get(device.kind)
        for rule in kind.rules:
            if rule.is_timer:
                continue
            relevant, match = _matches(rule, m, device)
            if not relevant:
                continue
            st = state[(m.device, rule.code)]
            streak, misses, started, sev = st
            if rule.is_event:
                if match:
                    level = rule.severity
                    if (
                        rule.severity_by
                        and str(m.attrs.get(rule.severity_by.attr)) in rule.severity_by.levels
                    ):
                        level = max(
                            level, rule.severity_by.levels[str(m.attrs[rule.severity_by.attr])]
                        )
                    st[2] = m.ts if started is None else started
                    st[3] = max(int(sev or 0), int(level))
                continue
            code = f"{kind.code}.{rule.code}"
            if started is None:
                st[0] = (int(streak or 0) + 1) if match else 0
                if st[0] == rule.consecutive:
                    st[1], st[2] = 0, m.ts
            elif match:
                st[1] = 0
            else:
                st[1] = int(misses or 0) + 1
                if st[1] == rule.clear_after:
                    out.add((m.device, code, rule.severity.label, int(started), m.ts))
                    st[0], st[2] = 0, None
    for (device_id, code), (_, _, started, sev) in state.items():
        if started is not None:
            kind = catalog.get(devices[device_id].kind)
            rule = kind.rule(code)
            level = Severity(int(sev or 0)) if rule.is_event else rule.severity
            out.add((device_id, f"{kind.code}.{code}", level.label, int(started), None))
    return out


def offline_alerts(msgs: list[Msg], devices: dict[str, Device]) -> set[Alert]:
    watermark = max(m.ts for m in msgs)
    times: dict[str, list[int]] = defaultdict(list)
    trips: dict[str, list[int]] = defaultdict(list)  # building → trip alert starts
    seen: set[str] = set()
    for m in msgs:
        times[m.device].append(m.ts)
        if m.event == "trip" and m.device not in seen:  # the alert starts at the first trip
            seen.add(m.device)
            trips[devices[m.device].building_code].append(m.ts)
    out: set[Alert] = set()
    for device_id, ts in times.items():
        device = devices[device_id]
        for last, nxt in zip(ts, [*ts[1:], None], strict=True):
            deadline = last + 30 * MIN
            start = deadline
            for s in trips.get(device.building_code, []) if device.building_code else []:
                if s <= deadline < s + 60 * MIN:
                    start = s + 60 * MIN
            if (nxt is None and watermark > start) or (nxt is not None and nxt > start):
                out.add((device_id, f"{device.kind}.offline", "minor", start, nxt))
    return out


def inactivity_alerts(msgs: list[Msg], devices: dict[str, Device]) -> set[Alert]:
    out: set[Alert] = set()
    by_device: dict[str, list[Msg]] = defaultdict(list)
    for m in msgs:
        if devices[m.device].kind == "elderly_care":
            by_device[m.device].append(m)
    watermark = max(m.ts for m in msgs)
    for device_id, ms in by_device.items():
        since, previous, opened = ms[0].ts, ms[0].ts, None
        for m in ms:
            deadline = since + 24 * 60 * MIN
            if opened is None and m.ts > deadline:
                if previous >= deadline - 30 * MIN:
                    opened = deadline
                else:
                    since = m.ts  # silent when the deadline passed: a new baseline
            if m.values.get("water_l", 0) > 0 or m.values.get("door_opens", 0) > 0:
                if opened is not None:
                    out.add((device_id, "elderly_care.inactivity", "major", opened, m.ts))
                    opened = None
                since = m.ts
            previous = m.ts
        deadline = since + 24 * 60 * MIN
        if opened is None and watermark > deadline and previous >= deadline - 30 * MIN:
            opened = deadline
        if opened is not None:
            out.add((device_id, "elderly_care.inactivity", "major", opened, None))
    return out
