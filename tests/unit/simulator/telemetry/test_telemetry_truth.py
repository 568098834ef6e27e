"""The truth file: every rule covered, near misses listed, in agreement with a replay."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from telemetry_replay import (
    MIN,
    Alert,
    inactivity_alerts,
    offline_alerts,
    tiny,
    truth_alerts,
    value_and_event_alerts,
)

from gridloop.domain.devices.catalog import default_catalog
from gridloop.domain.devices.device import Device
from gridloop.entrypoints.timefmt import parse_iso
from gridloop.simulator.district import generate_district
from gridloop.simulator.telemetry import write_telemetry
from gridloop.simulator.telemetry.truth import VALUE_RULES, threshold_alerts

# Single-reading thresholds of DEVICES.md, written out again: (kind, value, rule, crosses).
SINGLE: tuple[tuple[str, str, str, Callable[[float], bool]], ...] = (
    ("gas_detector", "lel_pct", "gas_detector.gas_leak", lambda v: v >= 20),
    ("weather_station", "wind_speed_ms", "weather_station.gale", lambda v: v >= 17.2),
    ("weather_station", "rain_mm_1h", "weather_station.heavy_rain", lambda v: v >= 20),
    ("weather_station", "temp_c", "weather_station.heat", lambda v: v >= 37),
    ("smoke_detector", "battery_pct", "smoke_detector.low_battery", lambda v: v < 20),
)


def _truth() -> set[Alert]:
    return truth_alerts(tiny().truth)


def test_truth_covers_every_rule_of_every_kind_in_the_catalog() -> None:
    covered = {a[1] for a in _truth()}
    for kind in default_catalog():
        for rule in kind.all_rules:
            assert f"{kind.code}.{rule.code}" in covered


def test_truth_is_sorted_and_in_the_documented_shape() -> None:
    truth = tiny().truth
    assert set(truth) == {"generator", "seed", "start", "hours", "alerts", "near_misses"}
    assert truth["start"] == "2026-11-28T08:00:00+08:00" and truth["hours"] == 26.0
    rows = truth["alerts"]
    assert isinstance(rows, list)
    keys = [(parse_iso(a["started_at"]), a["device_id"], a["rule"]) for a in rows]
    assert keys == sorted(keys)
    for a in rows:
        assert a["severity"] in ("minor", "major", "critical")
        assert a["started_at"].endswith("+08:00")
        assert a["cleared_at"] is None or parse_iso(a["cleared_at"]) > parse_iso(a["started_at"])


def test_near_misses_are_listed() -> None:
    notes = tiny().truth["near_misses"]
    assert isinstance(notes, list)
    text = "\n".join(notes)
    for needle in ("299 on consecutive", "310 spike", "131 once", "19 %", "18 minutes",
                   "duration_s 299", "2 readings in a row"):  # fmt: skip
        assert needle in text


def test_value_and_event_alerts_match_a_replay_of_the_file() -> None:
    g = tiny()
    timers = ("offline", "inactivity")
    expected = {a for a in _truth() if not a[1].endswith(timers)}
    assert value_and_event_alerts(g.messages, g.devices) == expected


def test_offline_alerts_match_a_replay_with_trip_inhibition() -> None:
    g = tiny()
    expected = {a for a in _truth() if a[1].endswith(".offline")}
    assert offline_alerts(g.messages, g.devices) == expected
    trips = [m.ts for m in g.messages if m.event == "trip"]
    assert any(a[3] == s + 60 * MIN for a in expected for s in trips)  # a cut past 60 min


def test_a_power_cut_under_60_minutes_raises_no_offline() -> None:
    g = tiny()
    trip_of = {g.devices[m.device].building_code: m.ts for m in g.messages if m.event == "trip"}
    last: dict[str, int] = {}
    covered = []  # (device, silent from, until) of silences a trip inhibits and that end in time
    for m in g.messages:
        s, since = trip_of.get(g.devices[m.device].building_code), last.get(m.device)
        if s is None or since is None or m.ts - since <= 30 * MIN:
            last[m.device] = m.ts
            continue
        if s <= since + 30 * MIN < s + 60 * MIN and m.ts < s + 60 * MIN:
            covered.append((m.device, since, m.ts))
        last[m.device] = m.ts
    assert covered
    offline = [a for a in _truth() if a[1].endswith(".offline")]
    for device, since, until in covered:
        assert not any(a[0] == device and since < a[3] <= until for a in offline)


def test_inactivity_matches_a_replay_of_the_file() -> None:
    g = tiny()
    expected = {a for a in _truth() if a[1] == "elderly_care.inactivity"}
    assert len(expected) >= 1
    assert inactivity_alerts(g.messages, g.devices) == expected


def _within(ts: int, alerts: list[Alert], slack: int = 0) -> bool:
    return any(a[3] - slack <= ts and (a[4] is None or ts < a[4] + slack) for a in alerts)


def test_no_normal_reading_crosses_a_single_reading_threshold() -> None:
    g, truth = tiny(), _truth()
    crossings = 0
    for kind, value, rule, crosses in SINGLE:
        for m in g.messages:
            v = m.values.get(value)
            if v is None or g.devices[m.device].kind != kind or not crosses(v):
                continue
            crossings += 1
            alerts = [a for a in truth if a[0] == m.device and a[1] == rule]
            assert _within(m.ts, alerts), f"{m} crosses {rule} outside an incident"
    assert crossings


def test_every_crossing_of_a_multi_reading_rule_is_an_incident_or_a_near_miss() -> None:
    g, truth = tiny(), _truth()
    notes = tiny().truth["near_misses"]
    assert isinstance(notes, list)
    misses = [(n.split()[0], parse_iso(re.split(r" at |: ", n)[1])) for n in notes]
    tests: dict[str, Callable[[float, Device], bool]] = {
        "residual_current_ma": lambda v, _: v >= 300,
        "cable_temp_c": lambda v, _: v >= 70,
        "heart_rate_bpm": lambda v, _: v < 40 or v > 130,
        "current_a": lambda v, d: "rated_a" in d.attrs and v > float(str(d.attrs["rated_a"])),
    }
    for m in g.messages:
        device = g.devices[m.device]
        hot = [f for f, t in tests.items() if f in m.values and t(m.values[f], device)]
        if device.kind == "smart_breaker" and m.values.get("temp_c", 0) >= 70:
            hot.append("temp_c")
        if not hot:
            continue
        mine = [a for a in truth if a[0] == m.device]
        near = any(d == m.device and abs(m.ts - t) < 15 * MIN for d, t in misses)
        assert near or _within(m.ts, mine, 15 * MIN), m


def test_truth_value_rules_agree_with_the_catalog_defaults() -> None:
    catalog = default_catalog()
    for kind_code, rules in VALUE_RULES.items():
        kind = catalog.get(kind_code)
        for r in rules:
            spec = kind.rule(r.code.split(".", 1)[1])
            assert spec.consecutive == r.consecutive and spec.severity.label == r.severity
            numbers = [v for k, v in spec.params.items() if k in ("threshold", "low", "high")]
            assert tuple(numbers) == r.bound


def test_threshold_alerts_open_on_the_completing_reading_and_clear_after_two_misses() -> None:
    seq = [
        (1, False),
        (2, True),
        (3, True),
        (4, True),
        (5, False),
        (6, True),
        (7, False),
        (8, False),
    ]
    assert threshold_alerts(seq, 2) == [(3, 8)]
    assert threshold_alerts([(1, True), (2, False), (3, True), (4, False)], 2) == []
    assert threshold_alerts([(1, True), (2, True), (3, False)], 2) == [(2, None)]


def test_a_24_hour_stream_cannot_hold_an_inactivity_and_injects_none(tmp_path: Path) -> None:
    out = tmp_path / "day.ndjson"
    devices = generate_district("tiny", 1).devices
    start = parse_iso("2026-06-01T00:00:00+08:00")
    write_telemetry(devices, hours=24, seed=3, start_ms=start, out=out)
    truth = json.loads((tmp_path / "day.ndjson.truth.json").read_text(encoding="utf-8"))
    rules = {a[1] for a in truth_alerts(truth)}
    assert "elderly_care.inactivity" not in rules
    assert "weather_station.gale" in rules
