"""Incidents that reach past one reading: breaker trips and power cuts, inactivity, low battery."""

from __future__ import annotations

import json

from gridloop.simulator.telemetry.clock import DAY, MINUTE
from gridloop.simulator.telemetry.fleet import BATTERY_KINDS
from gridloop.simulator.telemetry.incidents import (
    MARGIN,
    Builder,
    EventMessage,
    Injection,
    Scene,
    trip_severity,
)
from gridloop.simulator.telemetry.truth import (
    INACTIVITY_MS,
    INHIBIT_MS,
    OFFLINE_MS,
    ExpectedAlert,
    Reading,
    offline_alert,
    value_alerts,
)

REASONS = ("overload", "short_circuit", "leakage", "manual")


def mains_powered(sc: Scene, d: int) -> list[int]:
    """The devices of d's building that lose power with it (the breaker itself included)."""
    building = sc.fleet.devices[d].building_code
    group = sc.fleet.by_building.get(building, (d,)) if building else (d,)
    return [x for x in group if sc.kind(x) not in BATTERY_KINDS]


def _trip_time(sc: Scene, d: int, after_ms: int) -> int | None:
    """A trip instant off the breaker's own ticks, with `after_ms` of stream left after it."""
    f = sc.fleet
    low, high = f.start_ms + 4 * MARGIN, f.end_ms - after_ms
    if high <= low:
        return None
    k = f.tick_at_or_after(d, int(sc.rng.integers(low, high)))
    return f.tick(d, k) + 1000 * int(sc.rng.integers(1, 60))


def _trip(sc: Scene, d: int, at: int, reason: str) -> tuple[EventMessage, ExpectedAlert]:
    event = EventMessage(at, d, "trip", json.dumps({"reason": reason}))
    return event, ExpectedAlert(sc.code(d), "smart_breaker.trip", trip_severity(reason), at, None)


def power_cut(minutes: int, reason: str | None = None) -> Builder:
    """The breaker trips and its building's mains-powered devices fall silent for `minutes`.

    The trip inhibits their offline alerts for 60 min: a shorter cut raises none, a longer one
    raises them at trip + 60 min, cleared when each device speaks again.
    """

    def build(sc: Scene, d: int) -> Injection | None:
        f = sc.fleet
        why = reason or REASONS[int(sc.rng.integers(len(REASONS)))]
        at = _trip_time(sc, d, (minutes + 30) * MINUTE)
        if at is None:
            return None
        event, trip = _trip(sc, d, at, why)
        building = f.by_building.get(f.devices[d].building_code, (d,))
        inj = Injection(
            holds=[
                (x, at - 4 * MARGIN, at + max(minutes * MINUTE, INHIBIT_MS) + 2 * MARGIN)
                for x in building
            ],
            events=[event],
            alerts=[trip],
            once=[(d, "trip")],
        )
        back = at + minutes * MINUTE
        for x in mains_powered(sc, d):
            first, end = f.tick_at_or_after(x, at), f.tick_at_or_after(x, back)
            last = at if x == d else f.tick(x, first - 1)  # the breaker's last word is the trip
            resumed = f.tick(x, end)
            assert first >= 1 and end < f.ticks[x] and resumed != at + INHIBIT_MS
            inj.silences.append((x, first, end))
            deadline = last + OFFLINE_MS
            assert at <= deadline < at + INHIBIT_MS  # inside the inhibition
            if resumed > at + INHIBIT_MS:
                late = offline_alert(sc.code(x), sc.kind(x), at + INHIBIT_MS, resumed)
                inj.alerts.append(late)
        return inj

    return build


def plain_trip(sc: Scene, d: int) -> Injection | None:
    """A trip that cuts only unmonitored circuits: the breaker reads 0 A until it is reset."""
    f = sc.fleet
    minutes = int(sc.rng.integers(5, 41))
    at = _trip_time(sc, d, INHIBIT_MS + 3 * MARGIN)
    if at is None:
        return None
    event, trip = _trip(sc, d, at, REASONS[int(sc.rng.integers(len(REASONS)))])
    first, end = f.tick_at_or_after(d, at), f.tick_at_or_after(d, at + minutes * MINUTE)
    building = f.by_building.get(f.devices[d].building_code, (d,))
    return Injection(
        # No offline incident of the building may fall inside the trip's inhibition window.
        holds=[(x, at - 4 * MARGIN, at + INHIBIT_MS + 2 * MARGIN) for x in building],
        overrides={(d, k): {"current_a": 0.0} for k in range(first, end)},
        events=[event],
        alerts=[trip],
        once=[(d, "trip")],
    )


def inactivity(sc: Scene, d: int) -> Injection | None:
    """Water and door stay 0 for 24 h while the wristband keeps reporting, then activity resumes.

    Mid-stream when the horizon allows; otherwise from the device's first message (its baseline),
    which needs just over 24 h of stream; impossible (None) below that.
    """
    f = sc.fleet
    delay = int(sc.rng.integers(30, 121)) * MINUTE
    spare = 2 * MARGIN + delay
    active = [
        k for k in sorted(sc.profiles.activity.get(d, {})) if f.tick(d, k) >= f.start_ms + MARGIN
    ]
    fits = [k for k in active if f.tick(d, k) + INACTIVITY_MS + spare < f.end_ms]
    if fits:
        k_last = int(sc.rng.choice(fits))
        cut_from, since = k_last + 1, f.tick(d, k_last)
    else:
        cut_from, since = 0, f.tick(d, 0)  # the baseline is the first message
        if since + INACTIVITY_MS + 2 * MINUTE >= f.end_ms:
            return None
    deadline = since + INACTIVITY_MS
    back = f.tick_at_or_after(d, deadline + delay)
    resumed = f.tick(d, back) if back < f.ticks[d] else None
    inj = Injection(
        holds=[(d, since - MARGIN, (resumed or f.end_ms) + MARGIN)],
        activity_cut=[(d, cut_from, back)],
        alerts=[ExpectedAlert(sc.code(d), "elderly_care.inactivity", "major", deadline, resumed)],
        once=[(d, "inactivity")],
    )
    if resumed is not None:
        inj.activity_add.append((d, back, round(float(sc.rng.uniform(1.0, 6.0)), 1)))
    return inj


def low_battery(sc: Scene, d: int) -> Injection | None:
    """The battery drains under 20 % for 30 min to 4 h, then is replaced (100 %)."""
    f, p = sc.fleet, sc.profiles
    n = int(sc.rng.integers(6, 49))
    k0 = sc.random_tick(d, n)
    if k0 is None:
        return None
    script = [{"battery_pct": round(19.9 - 0.02 * i, 1)} for i in range(n)]
    readings: list[Reading] = [(f.tick(d, k0 + i), v, None) for i, v in enumerate(script)]
    readings += [(f.tick(d, k0 + n + j), {}, None) for j in range(2)]  # a fresh battery
    elapsed = (f.tick(d, k0) - f.start_ms) / DAY
    start = min(100.0, 20.6 + float(p.battery_rate[d]) * elapsed)  # reaches 20.6 % at k0
    return Injection(
        holds=[(d, f.tick(d, k0) - MARGIN, readings[-1][0] + MARGIN)],
        overrides={(d, k0 + i): v for i, v in enumerate(script)},
        alerts=value_alerts(sc.kind(d), sc.code(d), None, readings),
        battery=[(d, start, f.tick(d, k0 + n))],
        once=[(d, "low_battery")],
    )
