"""Incidents and near misses on one device: what they change in the stream, what must alert."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from gridloop.simulator.telemetry.clock import MINUTE, iso
from gridloop.simulator.telemetry.fleet import Fleet
from gridloop.simulator.telemetry.profiles import Profiles
from gridloop.simulator.telemetry.scripts import INCIDENT_SCRIPTS, NEAR_MISS_SCRIPTS, Script
from gridloop.simulator.telemetry.truth import (
    DOOR_HELD_MIN_S,
    EVENT_SEVERITY,
    MAJOR_TRIPS,
    OFFLINE_MS,
    ExpectedAlert,
    Reading,
    offline_alert,
    value_alerts,
)

MARGIN = 10 * MINUTE  # normal readings kept around every incident on its device


@dataclass(frozen=True)
class EventMessage:
    ts: int
    device: int
    event: str
    attrs: str  # JSON text


@dataclass
class Injection:
    """One incident or near miss: the stream changes it makes and the alerts it must raise."""

    holds: list[tuple[int, int, int]]  # (device, from, to): no other incident may touch these
    overrides: dict[tuple[int, int], dict[str, float]] = field(default_factory=dict)
    silences: list[tuple[int, int, int]] = field(default_factory=list)  # (device, tick, end tick)
    events: list[EventMessage] = field(default_factory=list)
    alerts: list[ExpectedAlert] = field(default_factory=list)
    once: list[tuple[int, str]] = field(default_factory=list)  # (device, rule) at most once
    activity_cut: list[tuple[int, int, int]] = field(default_factory=list)  # (device, tick, end)
    activity_add: list[tuple[int, int, float]] = field(default_factory=list)  # (device, tick, L)
    battery: list[tuple[int, float, int]] = field(default_factory=list)  # (device, start %, reset)
    note: str = ""  # a near miss's description


@dataclass
class Scene:
    """What the builders draw on."""

    fleet: Fleet
    profiles: Profiles
    rng: np.random.Generator

    def code(self, d: int) -> str:
        return self.fleet.devices[d].id

    def kind(self, d: int) -> str:
        return self.fleet.devices[d].kind

    def random_tick(self, d: int, length: int) -> int | None:
        """A first tick leaving MARGIN of normal readings before and `length` + 2 + MARGIN after."""
        f = self.fleet
        low = f.tick_at_or_after(d, f.start_ms + MARGIN)
        high = int(f.ticks[d]) - length - 2 - int(MARGIN // f.interval_ms[d]) - 1
        return None if high < low else int(self.rng.integers(low, high + 1))


Builder = Callable[[Scene, int], Injection | None]


def scripted(sc: Scene, d: int, script: Script) -> Injection | None:
    """Readings `script` from a random tick on, then normal readings again."""
    f = sc.fleet
    k0 = sc.random_tick(d, len(script))
    if k0 is None:
        return None
    readings: list[Reading] = [(f.tick(d, k0 + i), v, None) for i, v in enumerate(script)]
    readings += [(f.tick(d, k0 + len(script) + j), {}, None) for j in range(2)]
    return Injection(
        holds=[(d, f.tick(d, k0) - MARGIN, readings[-1][0] + MARGIN)],
        overrides={(d, k0 + i): v for i, v in enumerate(script)},
        alerts=value_alerts(sc.kind(d), sc.code(d), f.rated_a(d), readings),
    )


def value_incident(rule: str) -> Builder:
    def build(sc: Scene, d: int) -> Injection | None:
        return scripted(sc, d, INCIDENT_SCRIPTS[rule](sc.rng, sc.profiles.rated[d]))

    return build


def near_miss(name: str) -> Builder:
    _, text, make = NEAR_MISS_SCRIPTS[name]

    def build(sc: Scene, d: int) -> Injection | None:
        inj = scripted(sc, d, make(sc.rng, sc.profiles.rated[d]))
        if inj is None:
            return None
        assert not inj.alerts, f"near miss {name} would alert: {inj.alerts}"
        (_, start, _), *_ = inj.holds
        inj.note = f"{sc.code(d)} at {iso(start + MARGIN)}: {text}"
        return inj

    return build


def _attrs(sc: Scene, d: int, event: str, ts: int) -> dict[str, object]:
    kind = sc.kind(d)
    if kind == "camera":
        confidence = round(float(sc.rng.uniform(0.62, 0.99)), 2)
        return {"confidence": confidence, "snapshot": f"snapshots/{sc.code(d)}/{ts}.jpg"}
    if event == "door_held_open":
        return {"duration_s": int(sc.rng.integers(DOOR_HELD_MIN_S, 1_201))}
    return {}


def event_incident(event: str, repeats: int = 1) -> Builder:
    """The event, 1..`repeats` times within one interval: one alert, further occurrences."""

    def build(sc: Scene, d: int) -> Injection | None:
        f, kind = sc.fleet, sc.kind(d)
        k = sc.random_tick(d, 1)
        if k is None:
            return None
        step_s = int(f.interval_ms[d] // 1000)
        n = int(sc.rng.integers(1, repeats + 1))
        # Off the device's own ticks, so no two of its messages share a timestamp.
        offsets = sorted(sc.rng.choice(np.arange(1, step_s), size=n, replace=False).tolist())
        times = [f.tick(d, k) + 1000 * off for off in offsets]
        events = [EventMessage(t, d, event, json.dumps(_attrs(sc, d, event, t))) for t in times]
        alert = ExpectedAlert(
            sc.code(d), f"{kind}.{event}", EVENT_SEVERITY[kind][event], times[0], None
        )
        return Injection(
            holds=[(d, times[0] - MARGIN, times[-1] + MARGIN)],
            events=events,
            alerts=[alert],
            once=[(d, event)],
        )

    return build


def door_held_299(sc: Scene, d: int) -> Injection | None:
    """door_held_open shorter than min_duration_s: an event that must not alert."""
    f = sc.fleet
    k = sc.random_tick(d, 1)
    if k is None:
        return None
    ts = f.tick(d, k) + 1000 * int(sc.rng.integers(1, f.interval_ms[d] // 1000))
    text = "door_held_open with duration_s 299 (needs ≥ 300)"
    return Injection(
        holds=[(d, ts - MARGIN, ts + MARGIN)],
        events=[
            EventMessage(ts, d, "door_held_open", json.dumps({"duration_s": DOOR_HELD_MIN_S - 1}))
        ],
        note=f"{sc.code(d)} at {iso(ts)}: {text}",
    )


def offline(sc: Scene, d: int) -> Injection | None:
    """35 min to 3 h without a message (at most 3 h keeps elderly activity gaps under 24 h)."""
    f = sc.fleet
    minutes = int(sc.rng.integers(35, 181))
    low, high = f.start_ms + 2 * MARGIN, f.end_ms - (minutes + 20) * MINUTE
    if high <= low:
        return None
    at = int(sc.rng.integers(low, high))
    first, end = f.tick_at_or_after(d, at), f.tick_at_or_after(d, at + minutes * MINUTE)
    if first < 1 or end >= f.ticks[d]:
        return None
    last, resumed = f.tick(d, first - 1), f.tick(d, end)
    return Injection(
        holds=[(d, last - MARGIN, resumed + MARGIN)],
        silences=[(d, first, end)],
        alerts=[offline_alert(sc.code(d), sc.kind(d), last + OFFLINE_MS, resumed)],
    )


def silence_18(sc: Scene, d: int) -> Injection | None:
    """An 18-minute gap between two readings of a one-minute device: under the 30 min."""
    f = sc.fleet
    k = sc.random_tick(d, 18)
    if k is None or f.interval_ms[d] != MINUTE:
        return None
    return Injection(
        holds=[(d, f.tick(d, k) - MARGIN, f.tick(d, k + 18) + MARGIN)],
        silences=[(d, k + 1, k + 18)],
        note=f"{sc.code(d)} at {iso(f.tick(d, k))}: silent 18 minutes (offline needs 30)",
    )


def trip_severity(reason: str) -> str:
    return "major" if reason in MAJOR_TRIPS else EVENT_SEVERITY["smart_breaker"]["trip"]


def gas_alarm(sc: Scene, d: int) -> Injection | None:
    """The detector's own alarm on a short peak between two readings that stay under 20 % LEL.

    gas_leak is a value rule with an event condition: the alarm opens it, and it clears after two
    readings under the threshold (docs/rules.md, value rules).
    """
    f, rng = sc.fleet, sc.rng
    k0 = sc.random_tick(d, 4)
    if k0 is None:
        return None
    spans = ((5, 8), (10, 16), (8, 14), (4, 7))
    script = [{"lel_pct": round(float(rng.uniform(lo, hi)), 1)} for lo, hi in spans]
    at = f.tick(d, k0 + 1) + 1000 * int(rng.integers(1, 60))
    readings: list[Reading] = [(f.tick(d, k0 + i), v, None) for i, v in enumerate(script)]
    readings.insert(2, (at, {}, "gas_alarm"))
    readings += [(f.tick(d, k0 + 4 + j), {}, None) for j in range(2)]
    return Injection(
        holds=[(d, f.tick(d, k0) - MARGIN, readings[-1][0] + MARGIN)],
        overrides={(d, k0 + i): v for i, v in enumerate(script)},
        events=[EventMessage(at, d, "gas_alarm", "{}")],
        alerts=value_alerts(sc.kind(d), sc.code(d), None, readings),
    )
