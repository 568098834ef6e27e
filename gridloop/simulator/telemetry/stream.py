"""The NDJSON stream: every device's messages merged in arrival order (ts, then device id)."""

from __future__ import annotations

import gzip
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from gridloop.domain.devices.device import Device
from gridloop.simulator.telemetry.clock import HOUR, Floats, Ints, ceil_div, iso
from gridloop.simulator.telemetry.fleet import Fleet, build_fleet
from gridloop.simulator.telemetry.plan import Plan, plan_incidents
from gridloop.simulator.telemetry.profiles import FIELDS, Profiles, build_profiles, normal_values
from gridloop.simulator.telemetry.truth import write_truth

SLICE_MS = HOUR  # messages are generated, sorted and written one hour at a time
FLEET, PROFILES, VALUES = 0, 1, 3  # random streams (2 is the incident plan's)


@dataclass(frozen=True)
class TelemetrySummary:
    messages: int
    devices: int
    incidents: int
    expected_alerts: int
    near_misses: int
    out: Path
    truth: Path


def truth_path(out: Path) -> Path:
    return out.with_name(out.name + ".truth.json")


def write_telemetry(
    devices: Sequence[Device],
    *,
    hours: float,
    seed: int,
    start_ms: int,
    out: Path,
    progress: Callable[[str], None] | None = None,
) -> TelemetrySummary:
    """Write `hours` of telemetry from `start_ms` to `out` (gzip for .gz) and its truth file."""
    say = progress or (lambda _: None)
    end_ms = start_ms + round(hours * HOUR)
    fleet = build_fleet(devices, start_ms, end_ms, np.random.default_rng([seed, FLEET]))
    profiles = build_profiles(fleet, np.random.default_rng([seed, PROFILES]))
    say("planning incidents")
    plan = plan_incidents(fleet, profiles, seed)
    slices = _Slicer(fleet, profiles, plan, seed)
    messages = 0
    with _open(Path(out)) as sink:
        starts = range(start_ms, end_ms, SLICE_MS)
        for i, a in enumerate(starts):
            text, count = slices.render(i, a, min(a + SLICE_MS, end_ms))
            sink.write(text.encode())
            messages += count
            say(f"hour {i + 1}/{len(starts)}: {messages:,} messages")
    truth = truth_path(Path(out))
    write_truth(
        truth,
        seed=seed,
        start_ms=start_ms,
        hours=hours,
        alerts=plan.alerts,
        near_misses=plan.near_misses,
    )
    return TelemetrySummary(
        messages=messages,
        devices=len(fleet.devices),
        incidents=plan.incidents,
        expected_alerts=len(plan.alerts),
        near_misses=len(plan.near_misses),
        out=Path(out),
        truth=truth,
    )


def _open(out: Path) -> BinaryIO:
    raw = out.open("wb", buffering=1 << 22)
    if out.name.endswith(".gz"):
        # No name and mtime 0 in the header: the same seed gives the same bytes.
        return gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=3, mtime=0)  # type: ignore[return-value]
    return raw


def _member(keys: Ints, table: Ints) -> tuple[np.ndarray, Ints]:
    """Which keys are in the sorted table, and where."""
    if not len(table):
        return np.zeros(len(keys), dtype=bool), np.zeros(len(keys), dtype=np.int64)
    pos = np.minimum(np.searchsorted(table, keys), len(table) - 1)
    return table[pos] == keys, pos


def _template(kind: str) -> str:
    values = ", ".join(f'"{name}": {{:.{dec}f}}' for name, dec in FIELDS[kind])
    return '{}{}, "seq": {}, "values": {{' + values + "}}}}\n"


EVENT_TEMPLATE = '{}{}, "seq": {}, "event": "{}", "attrs": {}}}\n'


class _Slicer:
    """Renders the messages of one time slice, sorted, with each device's running seq."""

    def __init__(self, fleet: Fleet, profiles: Profiles, plan: Plan, seed: int) -> None:
        self.fleet, self.profiles, self.seed = fleet, profiles, seed
        base = self.base = fleet.key_base
        self.prefix = [f'{{"device_id": "{d.id}", "ts": ' for d in fleet.devices]
        cut = [d * base + np.arange(k0, k1, dtype=np.int64) for d, k0, k1 in plan.silences]
        self.silent = np.unique(np.concatenate(cut)) if cut else np.array([], dtype=np.int64)
        self.overrides = {k: self._override_table(plan, k) for k in fleet.by_kind}
        self.activity = profiles.activity_arrays(base)
        self.events = sorted(plan.events, key=lambda e: (e.ts, e.device))
        self.event_ts = np.array([e.ts for e in self.events], dtype=np.int64)
        self.seq = np.zeros(len(fleet.devices), dtype=np.int64)

    def _override_table(self, plan: Plan, kind: str) -> tuple[Ints, Floats]:
        names = [name for name, _ in FIELDS[kind]]
        rows = sorted(
            (d * self.base + k, values)
            for (d, k), values in plan.overrides.items()
            if self.fleet.devices[d].kind == kind
        )
        table = np.full((len(rows), len(names)), np.nan)
        for i, (_, values) in enumerate(rows):
            for name, v in values.items():
                table[i, names.index(name)] = v
        return np.array([r[0] for r in rows], dtype=np.int64), table

    def _regular(
        self, kind: str, devs: Ints, a: int, b: int, rng: np.random.Generator
    ) -> tuple[Ints, Ints, list[Floats]]:
        """The kind's regular messages in [a, b): devices, times and value columns."""
        f = self.fleet
        step, phase = int(f.interval_ms[devs[0]]), f.phase_ms[devs]
        first = np.maximum(0, ceil_div(a - f.start_ms - phase, step))
        ks = first[:, None] + np.arange(int(ceil_div(b - a, step)) + 1)[None, :]
        ts = f.start_ms + phase[:, None] + ks * step
        inside = ts < b
        d = np.broadcast_to(devs[:, None], ks.shape)[inside]
        k, t = ks[inside], ts[inside]
        keys = d * self.base + k
        keep = ~_member(keys, self.silent)[0]
        d, t, keys = d[keep], t[keep], keys[keep]
        cols = normal_values(self.profiles, kind, d, t, rng)
        table, values = self.overrides[kind]
        hit, pos = _member(keys, table)
        rows = np.flatnonzero(hit)
        for j, col in enumerate(cols):
            v = values[pos[rows], j]
            set_ = ~np.isnan(v)
            col[rows[set_]] = v[set_]
        if kind == "elderly_care":
            akeys, water, doors = self.activity
            hit, pos = _member(keys, akeys)
            cols[1][hit], cols[2][hit] = water[pos[hit]], doors[pos[hit]]
        return d, t, cols

    def render(self, index: int, a: int, b: int) -> tuple[str, int]:
        """The slice [a, b) as NDJSON text, and its number of messages."""
        f, rng = self.fleet, np.random.default_rng([self.seed, VALUES, index])
        groups = [(kind, *self._regular(kind, devs, a, b, rng)) for kind, devs in f.by_kind.items()]
        lo, hi = np.searchsorted(self.event_ts, [a, b])
        events = self.events[lo:hi]
        dev = np.concatenate(
            [g[1] for g in groups] + [np.array([e.device for e in events], dtype=np.int64)]
        )
        ts = np.concatenate([g[2] for g in groups] + [self.event_ts[lo:hi]])
        seq = self._number(dev, ts)
        width = -(-(b - a) // 1000)
        stamps = ['"' + iso(a + 1000 * s) + '"' for s in range(width)]
        stamps += [str(a + 1000 * s) for s in range(width)]
        slot = ((ts - a) // 1000 + width * f.epoch[dev]).tolist()
        stamp = [stamps[s] for s in slot]
        pre = [self.prefix[d] for d in dev.tolist()]
        seqs = seq.tolist()
        lines: list[str] = []
        at = 0
        for kind, d, _, cols in groups:
            n = len(d)
            row = (
                pre[at : at + n],
                stamp[at : at + n],
                seqs[at : at + n],
                *(c.tolist() for c in cols),
            )
            lines += map(_template(kind).format, *row)
            at += n
        for i, e in enumerate(events):
            lines.append(
                EVENT_TEMPLATE.format(pre[at + i], stamp[at + i], seqs[at + i], e.event, e.attrs)
            )
        order = np.lexsort((dev, ts)).tolist()
        return "".join([lines[i] for i in order]), len(lines)

    def _number(self, dev: Ints, ts: Ints) -> Ints:
        """Each message's seq: the device's count so far plus its rank in this slice by ts."""
        by_device = np.lexsort((ts, dev))
        ordered = dev[by_device]
        starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
        rank = np.arange(len(ordered)) - np.repeat(starts, np.diff(np.r_[starts, len(ordered)]))
        seq = np.empty(len(dev), dtype=np.int64)
        seq[by_device] = self.seq[ordered] + rank + 1
        self.seq += np.bincount(dev, minlength=len(self.seq))
        return seq
