"""The alerts the stream must raise, computed from what was injected (docs/rules.md semantics)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from gridloop.simulator.telemetry.clock import HOUR, MINUTE, iso

OFFLINE_MS = 30 * MINUTE
INACTIVITY_MS = 24 * HOUR
INHIBIT_MS = 60 * MINUTE
CLEAR_AFTER = 2


@dataclass(frozen=True)
class ValueRule:
    """A value rule of DEVICES.md, written out here so the truth does not lean on the engine."""

    code: str
    field: str
    op: str  # ">=", ">", "<" or "outside"
    bound: tuple[float, ...]  # () compares with the device's rated_a
    consecutive: int
    severity: str
    event: str | None = None  # an event that matches too (gas_alarm)

    def matches(self, value: float, rated: float | None) -> bool:
        if self.op == "outside":
            return value < self.bound[0] or value > self.bound[1]
        bound = self.bound[0] if self.bound else rated
        assert bound is not None
        if self.op == ">=":
            return value >= bound
        return value > bound if self.op == ">" else value < bound


VALUE_RULES: dict[str, tuple[ValueRule, ...]] = {
    "electrical_fire": (
        ValueRule(
            "electrical_fire.residual_current_high", "residual_current_ma", ">=", (300,), 2, "major"
        ),
        ValueRule(
            "electrical_fire.residual_current_critical",
            "residual_current_ma",
            ">=",
            (500,),
            2,
            "critical",
        ),
        ValueRule("electrical_fire.cable_overheat", "cable_temp_c", ">=", (70,), 2, "major"),
    ),
    "smoke_detector": (
        ValueRule("smoke_detector.low_battery", "battery_pct", "<", (20,), 1, "minor"),
    ),
    "gas_detector": (
        ValueRule("gas_detector.gas_leak", "lel_pct", ">=", (20,), 1, "critical", "gas_alarm"),
    ),
    "weather_station": (
        ValueRule("weather_station.gale", "wind_speed_ms", ">=", (17.2,), 1, "major"),
        ValueRule("weather_station.heavy_rain", "rain_mm_1h", ">=", (20,), 1, "major"),
        ValueRule("weather_station.heat", "temp_c", ">=", (37,), 1, "minor"),
    ),
    "smart_breaker": (
        ValueRule("smart_breaker.overload", "current_a", ">", (), 3, "major"),
        ValueRule("smart_breaker.overheat", "temp_c", ">=", (70,), 2, "major"),
    ),
    "elderly_care": (
        ValueRule(
            "elderly_care.abnormal_heart_rate",
            "heart_rate_bpm",
            "outside",
            (40, 130),
            2,
            "critical",
        ),
    ),
}

EVENT_SEVERITY = {
    "camera": {
        e: "major" for e in ("ebike_in_elevator", "fire_lane_blocked", "thrown_object", "intrusion")
    },
    "access_terminal": {"door_forced": "major", "door_held_open": "minor", "tamper": "minor"},
    "smoke_detector": {"smoke_alarm": "critical", "tamper": "minor"},
    "elderly_care": {"sos": "critical", "fall": "critical"},
    "smart_breaker": {"trip": "minor"},
}
MAJOR_TRIPS = frozenset({"short_circuit", "leakage"})
DOOR_HELD_MIN_S = 300


@dataclass(frozen=True)
class ExpectedAlert:
    device_id: str
    rule: str  # full code, "kind.rule"
    severity: str
    started_ms: int
    cleared_ms: int | None

    def as_json(self) -> dict[str, object]:
        return {
            "device_id": self.device_id,
            "rule": self.rule,
            "severity": self.severity,
            "started_at": iso(self.started_ms),
            "cleared_at": None if self.cleared_ms is None else iso(self.cleared_ms),
        }


# A message as an incident script sees it: ts, the values it sets (the rest are normal and match
# no rule), and its event if it is one (event messages carry no values).
Reading = tuple[int, Mapping[str, float], str | None]


def threshold_alerts(
    seq: Sequence[tuple[int, bool]], consecutive: int
) -> list[tuple[int, int | None]]:
    """(started, cleared) of a value rule over consecutive relevant messages (match or not)."""
    out: list[tuple[int, int | None]] = []
    streak = misses = 0
    started: int | None = None
    for ts, hit in seq:
        if started is None:
            streak = streak + 1 if hit else 0
            if streak == consecutive:
                started, misses = ts, 0
        elif hit:
            misses = 0
        else:
            misses += 1
            if misses == CLEAR_AFTER:
                out.append((started, ts))
                started, streak = None, 0
    if started is not None:
        out.append((started, None))
    return out


def value_alerts(
    kind: str, device_id: str, rated: float | None, readings: Sequence[Reading]
) -> list[ExpectedAlert]:
    """Alerts of the kind's value rules over a scripted stretch that starts with no streak."""
    found: list[ExpectedAlert] = []
    for rule in VALUE_RULES.get(kind, ()):
        if not rule.bound and rated is None:
            continue  # a breaker without rated_a is not evaluated for overload
        seq = [
            (
                ts,
                event is not None
                or (rule.field in values and rule.matches(values[rule.field], rated)),
            )
            for ts, values, event in readings
            if event is None or event == rule.event
        ]
        for started, cleared in threshold_alerts(seq, rule.consecutive):
            found.append(ExpectedAlert(device_id, rule.code, rule.severity, started, cleared))
    return found


def offline_alert(device_id: str, kind: str, started: int, resumed: int | None) -> ExpectedAlert:
    """Offline from `started`; the device's next message (if any) clears it."""
    return ExpectedAlert(device_id, f"{kind}.offline", "minor", started, resumed)


def write_truth(
    path: Path,
    *,
    seed: int,
    start_ms: int,
    hours: float,
    alerts: Sequence[ExpectedAlert],
    near_misses: Sequence[str],
) -> None:
    ordered = sorted(alerts, key=lambda a: (a.started_ms, a.device_id, a.rule))
    doc = {
        "generator": "gridloop.simulator.telemetry",
        "seed": seed,
        "start": iso(start_ms),
        "hours": hours,
        "alerts": [a.as_json() for a in ordered],
        "near_misses": list(near_misses),
    }
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
