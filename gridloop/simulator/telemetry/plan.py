"""Where incidents go: every rule at least once, more with the fleet's size, never overlapping."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from gridloop.simulator.telemetry.clock import HOUR
from gridloop.simulator.telemetry.fleet import Fleet
from gridloop.simulator.telemetry.incidents import (
    Builder,
    EventMessage,
    Injection,
    Scene,
    door_held_299,
    event_incident,
    gas_alarm,
    near_miss,
    offline,
    silence_18,
    value_incident,
)
from gridloop.simulator.telemetry.power import (
    inactivity,
    low_battery,
    mains_powered,
    plain_trip,
    power_cut,
)
from gridloop.simulator.telemetry.profiles import Profiles
from gridloop.simulator.telemetry.scripts import NEAR_MISS_SCRIPTS
from gridloop.simulator.telemetry.truth import ExpectedAlert

DEVICE_HOURS_PER_INCIDENT = 200
TRIES = 40


def _values(kind: str, *rules: str) -> tuple[tuple[str, Builder], ...]:
    return tuple((r, value_incident(f"{kind}.{r}")) for r in rules)


def _events(*events: str, repeats: int = 1) -> tuple[tuple[str, Builder], ...]:
    return tuple((e, event_incident(e, repeats)) for e in events)


# Per kind, one builder per rule (gas_leak twice: by reading and by the detector's own alarm).
INCIDENTS: dict[str, tuple[tuple[str, Builder], ...]] = {
    "electrical_fire": _values(
        "electrical_fire", "residual_current_high", "residual_current_critical", "cable_overheat"
    ),
    "smart_breaker": (("trip", plain_trip), *_values("smart_breaker", "overload", "overheat")),
    "gas_detector": (*_values("gas_detector", "gas_leak"), ("gas_leak", gas_alarm)),
    "weather_station": _values("weather_station", "gale", "heavy_rain", "heat"),
    "smoke_detector": (
        *_events("smoke_alarm", repeats=3),
        ("low_battery", low_battery),
        *_events("tamper"),
    ),
    "elderly_care": (
        *_events("sos", "fall"),
        *_values("elderly_care", "abnormal_heart_rate"),
        ("inactivity", inactivity),
    ),
    "camera": _events(
        "ebike_in_elevator", "fire_lane_blocked", "thrown_object", "intrusion", repeats=2
    ),
    "access_terminal": _events("door_forced", "door_held_open", "tamper"),
}
NEAR_MISSES: tuple[tuple[str, Builder], ...] = (
    *((kind, near_miss(name)) for name, (kind, _, _) in NEAR_MISS_SCRIPTS.items()),
    ("access_terminal", door_held_299),
)


@dataclass
class Plan:
    """Everything injected into the stream, and the truth it implies."""

    overrides: dict[tuple[int, int], dict[str, float]] = field(default_factory=dict)
    silences: list[tuple[int, int, int]] = field(default_factory=list)
    events: list[EventMessage] = field(default_factory=list)
    alerts: list[ExpectedAlert] = field(default_factory=list)
    near_misses: list[str] = field(default_factory=list)
    incidents: int = 0


class _Placer:
    def __init__(self, sc: Scene) -> None:
        self.sc, self.plan = sc, Plan()
        self.busy: dict[int, list[tuple[int, int]]] = defaultdict(list)
        self.once: set[tuple[int, str]] = set()

    def fits(self, inj: Injection) -> bool:
        if any(o in self.once for o in inj.once):
            return False
        return not any(a < y and x < b for d, a, b in inj.holds for x, y in self.busy[d])

    def place(self, builder: Builder, *candidates: Sequence[int]) -> bool:
        """Try random devices of each candidate list in turn until the builder's injection fits."""
        for devices in candidates:
            for _ in range(TRIES if len(devices) else 0):
                inj = builder(self.sc, int(self.sc.rng.choice(devices)))
                if inj is not None and self.fits(inj):
                    self._take(inj)
                    return True
        return False

    def _take(self, inj: Injection) -> None:
        plan, p = self.plan, self.sc.profiles
        for d, a, b in inj.holds:
            self.busy[d].append((a, b))
        self.once.update(inj.once)
        plan.overrides.update(inj.overrides)
        plan.silences += inj.silences
        plan.events += inj.events
        plan.alerts += inj.alerts
        for d, start, reset in inj.battery:
            p.battery0[d], p.battery_reset[d] = start, reset
        for d, first, end in inj.activity_cut:
            ticks = p.activity.get(d, {})
            for k in [k for k in ticks if first <= k < end]:
                del ticks[k]
        for d, k, water in inj.activity_add:
            p.activity.setdefault(d, {})[k] = [water, 0.0]
        if inj.note:
            plan.near_misses.append(inj.note)
        else:
            plan.incidents += 1


def plan_incidents(fleet: Fleet, profiles: Profiles, seed: int) -> Plan:
    """At least one incident of every rule, ~1 per 200 device-hours, plus the near misses."""
    sc = Scene(fleet, profiles, np.random.default_rng([seed, 2]))
    placer = _Placer(sc)
    kinds = fleet.by_kind
    every = {k: v.tolist() for k, v in kinds.items()}
    breakers = every.get("smart_breaker", [])
    rated = [d for d in breakers if fleet.rated_a(d) is not None]
    # The inhibition cases first, in buildings where more than the breaker loses power if any.
    shared = [d for d in breakers if len(mains_powered(sc, d)) > 1]
    cuts = placer.place(power_cut(70, "short_circuit"), shared, breakers)
    cuts |= placer.place(power_cut(45, "overload"), shared, breakers)
    for kind, devices in every.items():
        for rule, builder in sorted(INCIDENTS.get(kind, ()), key=lambda e: e[0] != "inactivity"):
            if rule == "trip" and cuts:
                continue
            placer.place(builder, rated if rule == "overload" else devices)
        placer.place(offline, devices)
    minute_devices = [d for d in range(len(fleet.devices)) if fleet.interval_ms[d] == 60_000]
    placer.place(silence_18, minute_devices)
    for kind, builder in NEAR_MISSES:
        placer.place(builder, rated if kind == "smart_breaker" else every.get(kind, []))
    hours = (fleet.end_ms - fleet.start_ms) / HOUR
    extra = round(len(fleet.devices) * hours / DEVICE_HOURS_PER_INCIDENT) - placer.plan.incidents
    names = list(every)
    weights = np.array([len(every[k]) for k in names], dtype=float)
    for _ in range(max(0, extra)):
        kind = names[int(sc.rng.choice(len(names), p=weights / weights.sum()))]
        options = [*INCIDENTS.get(kind, ()), ("offline", offline)]
        rule, builder = options[int(sc.rng.integers(len(options)))]
        if rule == "trip":
            builder = (plain_trip, power_cut(45), power_cut(70))[int(sc.rng.integers(3))]
        placer.place(builder, rated if rule == "overload" else every[kind])
    return placer.plan
