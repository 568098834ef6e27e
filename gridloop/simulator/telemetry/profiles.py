"""Normal behaviour per kind: values that stay well inside every rule's threshold."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gridloop.simulator.telemetry.clock import (
    DAY,
    HOUR,
    Floats,
    Ints,
    day_of_year,
    local_day_start,
    local_hour,
)
from gridloop.simulator.telemetry.fleet import Fleet

# (value, decimals) in the order each kind's readings list them; event kinds send heartbeats.
FIELDS: dict[str, tuple[tuple[str, int], ...]] = {
    "electrical_fire": (
        ("residual_current_ma", 1),
        ("cable_temp_c", 1),
        ("current_a", 1),
        ("voltage_v", 1),
    ),
    "weather_station": (
        ("wind_speed_ms", 1),
        ("rain_mm_1h", 1),
        ("temp_c", 1),
        ("humidity_pct", 0),
    ),
    "smart_breaker": (("current_a", 1), ("leakage_ma", 1), ("temp_c", 1)),
    "gas_detector": (("lel_pct", 1),),
    "elderly_care": (("heart_rate_bpm", 0), ("water_l", 1), ("door_opens", 0)),
    "smoke_detector": (("battery_pct", 1),),
    "camera": (),
    "access_terminal": (),
}
NEVER = np.iinfo(np.int64).max

# Daily windows (local hours) in which an elderly resident uses water or opens the door: each
# window guarantees at least `low` of them, so a normal day never leaves a 24 h gap.
ACTIVITY_WINDOWS = (
    (6.0, 9.0, 0, 2, 5),  # (from, to, field: 0 water 1 door, low, high)
    (11.0, 13.0, 0, 1, 3),
    (14.0, 17.0, 1, 1, 2),
    (17.0, 21.0, 0, 2, 5),
    (6.0, 9.0, 1, 0, 1),
    (17.0, 21.0, 1, 0, 1),
)


@dataclass
class Profiles:
    """Per-device parameters of normal behaviour, arrays indexed by device number."""

    start_ms: int
    level: Floats  # 0..1: where the device sits in its kind's normal range
    shift: Floats  # hours by which its daily cycle is shifted
    rated: Floats  # smart breakers' rated_a (63 when missing)
    battery0: Floats  # smoke detectors' battery at the start, %
    battery_rate: Floats  # % per day
    battery_reset: Ints  # when the battery was replaced (NEVER when not)
    season_c: float  # mean air temperature of the season
    activity: dict[int, dict[int, list[float]]]  # elderly device → tick → [water_l, door_opens]

    def activity_arrays(self, key_base: int) -> tuple[Ints, Floats, Floats]:
        """Sorted (device, tick) keys with their water and door values."""
        rows = sorted(
            (d * key_base + k, w, o)
            for d, ticks in self.activity.items()
            for k, (w, o) in ticks.items()
        )
        keys = np.array([r[0] for r in rows], dtype=np.int64)
        return keys, np.array([r[1] for r in rows]), np.array([r[2] for r in rows])


def build_profiles(fleet: Fleet, rng: np.random.Generator) -> Profiles:
    n = len(fleet.devices)
    hours = (fleet.end_ms - fleet.start_ms) / HOUR
    rate = rng.uniform(0.005, 0.03, n)
    # A detector starts high enough that its normal drain never crosses 20 % in the horizon.
    battery0 = np.maximum(rng.uniform(35.0, 100.0, n), 21.5 + rate * hours / 24)
    rated = np.array([fleet.rated_a(d) or 63.0 for d in range(n)])
    season = 5.5 - 12.5 * np.cos(2 * np.pi * (day_of_year(fleet.start_ms) - 15) / 365.25)
    profiles = Profiles(
        start_ms=fleet.start_ms,
        level=rng.random(n),
        shift=rng.uniform(-1.5, 1.5, n),
        rated=rated,
        battery0=np.minimum(battery0, 100.0),
        battery_rate=rate,
        battery_reset=np.full(n, NEVER, dtype=np.int64),
        season_c=float(season),
        activity={},
    )
    for d in fleet.by_kind.get("elderly_care", np.array([], dtype=np.int64)).tolist():
        profiles.activity[d] = _daily_activity(fleet, d, rng)
    return profiles


def _daily_activity(fleet: Fleet, d: int, rng: np.random.Generator) -> dict[int, list[float]]:
    found: dict[int, list[float]] = {}
    for day in range(local_day_start(fleet.start_ms), fleet.end_ms, DAY):
        for low_h, high_h, field, low, high in ACTIVITY_WINDOWS:
            for _ in range(int(rng.integers(low, high + 1))):
                at = day + int(rng.uniform(low_h, high_h) * HOUR)
                k = fleet.tick_at_or_after(d, at)
                if at < fleet.start_ms or k >= fleet.ticks[d]:
                    continue
                cell = found.setdefault(k, [0.0, 0.0])
                cell[field] += round(float(rng.uniform(0.5, 8.0)), 1) if field == 0 else 1.0
    return found


def _cycle(ts: Ints, peak_h: float | Floats) -> Floats:
    """1 at the peak hour of the local day, -1 twelve hours away."""
    return np.asarray(np.cos(2 * np.pi * (local_hour(ts) - peak_h) / 24))


def normal_values(
    p: Profiles, kind: str, dev: Ints, ts: Ints, rng: np.random.Generator
) -> list[Floats]:
    """Columns in FIELDS order for these (device, ts) readings; never crossing a threshold."""
    n = len(dev)
    level, shift = p.level[dev], p.shift[dev]
    noise = rng.standard_normal((len(FIELDS[kind]), n))
    if kind == "electrical_fire":
        load = 0.5 + 0.35 * _cycle(ts, 20.0 + shift)  # residential load peaks in the evening
        return [
            np.clip(30 + 60 * level + 40 * load + 4 * noise[0], 20, 150),
            np.clip(22 + 3 * level + 16 * load + 0.4 * noise[1], 25, 45),
            np.clip((30 + 120 * level) * load * (1 + 0.03 * noise[2]), 0.5, 1_500),
            np.clip(229 - 8 * load + 1.2 * noise[3], 212, 238),
        ]
    if kind == "smart_breaker":
        load = 0.5 + 0.35 * _cycle(ts, 20.0 + shift)
        rated = p.rated[dev]
        return [
            np.clip(rated * (0.12 + 0.5 * load) * (1 + 0.03 * noise[0]), 0.1, 0.72 * rated),
            np.clip(3 + 8 * level + noise[1], 0.5, 20),
            np.clip(24 + 16 * load + 0.4 * noise[2], 20, 45),
        ]
    if kind == "gas_detector":
        return [np.clip(1.2 * level + 0.3 * np.abs(noise[0]), 0, 3)]
    if kind == "weather_station":
        day = _cycle(ts, 15.0 + shift)
        wet = level > 0.7  # some stations sit under a slow shower band
        rain = np.clip(2.2 * _cycle(ts, 4.0 + 8 * shift) + 1.5 + 0.3 * noise[1], 0, 6)
        return [
            np.clip(1.5 + 3 * level + 0.6 * (1 + day) + 0.8 * np.abs(noise[0]), 0, 12),
            np.where(wet, rain, 0.0),
            np.clip(p.season_c + 2 * level - 1 + 6.5 * day + 0.3 * noise[2], -40, 30),
            np.clip(55 - 18 * day + 10 * level + 2 * noise[3], 15, 98),
        ]
    if kind == "elderly_care":
        awake = 0.5 - 0.5 * _cycle(ts, 3.0 + shift)  # lowest in the small hours
        heart = np.clip(62 + 16 * level + 8 * awake + 2.5 * noise[0], 55, 100)
        return [heart, np.zeros(n), np.zeros(n)]
    if kind == "smoke_detector":
        reset = p.battery_reset[dev]
        since = np.where(ts >= reset, ts - np.minimum(reset, ts), ts - p.start_ms) / DAY
        start = np.where(ts >= reset, 100.0, p.battery0[dev])
        return [np.maximum(start - p.battery_rate[dev] * since, 20.5)]
    return []
