"""The built-in device kinds declare the values, events and default rules of DEVICES.md."""

import pytest

from gridloop.domain.devices.catalog import default_catalog
from gridloop.domain.devices.kind import DeviceKind
from gridloop.domain.devices.rules import (
    EventIs,
    Outside,
    Quiet,
    Severity,
    Silent,
    Threshold,
)

CATALOG = default_catalog()

MINOR, MAJOR, CRITICAL = Severity.MINOR, Severity.MAJOR, Severity.CRITICAL

# DEVICES.md, "Default rules": full rule code → (severity, consecutive readings).
DEFAULT_RULES: dict[str, tuple[Severity, int]] = {
    "electrical_fire.residual_current_high": (MAJOR, 2),
    "electrical_fire.residual_current_critical": (CRITICAL, 2),
    "electrical_fire.cable_overheat": (MAJOR, 2),
    "smoke_detector.smoke_alarm": (CRITICAL, 1),
    "smoke_detector.low_battery": (MINOR, 1),
    "smoke_detector.tamper": (MINOR, 1),
    "gas_detector.gas_leak": (CRITICAL, 1),
    "weather_station.gale": (MAJOR, 1),
    "weather_station.heavy_rain": (MAJOR, 1),
    "weather_station.heat": (MINOR, 1),
    "smart_breaker.trip": (MINOR, 1),
    "smart_breaker.overload": (MAJOR, 3),
    "smart_breaker.overheat": (MAJOR, 2),
    "elderly_care.sos": (CRITICAL, 1),
    "elderly_care.fall": (CRITICAL, 1),
    "elderly_care.abnormal_heart_rate": (CRITICAL, 2),
    "elderly_care.inactivity": (MAJOR, 1),
    "camera.ebike_in_elevator": (MAJOR, 1),
    "camera.fire_lane_blocked": (MAJOR, 1),
    "camera.thrown_object": (MAJOR, 1),
    "camera.intrusion": (MAJOR, 1),
    "access_terminal.door_forced": (MAJOR, 1),
    "access_terminal.door_held_open": (MINOR, 1),
    "access_terminal.tamper": (MINOR, 1),
}

# DEVICES.md, "Default rules": full rule code → its named thresholds.
DEFAULT_PARAMS: dict[str, dict[str, float]] = {
    "electrical_fire.residual_current_high": {"threshold": 300},
    "electrical_fire.residual_current_critical": {"threshold": 500},
    "electrical_fire.cable_overheat": {"threshold": 70},
    "smoke_detector.low_battery": {"threshold": 20},
    "gas_detector.gas_leak": {"threshold": 20},
    "weather_station.gale": {"threshold": 17.2},
    "weather_station.heavy_rain": {"threshold": 20},
    "weather_station.heat": {"threshold": 37},
    "smart_breaker.overheat": {"threshold": 70},
    "elderly_care.abnormal_heart_rate": {"low": 40, "high": 130},
    "elderly_care.inactivity": {"hours": 24},
    "access_terminal.door_held_open": {"min_duration_s": 300},
}


def kind(code: str) -> DeviceKind:
    return CATALOG.get(code)


def split(full_code: str) -> tuple[str, str]:
    kind_code, rule_code = full_code.split(".")
    return kind_code, rule_code


@pytest.mark.parametrize("full_code", sorted(DEFAULT_RULES))
def test_every_default_rule_exists_with_its_severity_and_count(full_code: str) -> None:
    kind_code, rule_code = split(full_code)
    rule = kind(kind_code).rule(rule_code)
    assert (rule.severity, rule.consecutive) == DEFAULT_RULES[full_code]


@pytest.mark.parametrize("full_code", sorted(DEFAULT_PARAMS))
def test_thresholds_are_named_params(full_code: str) -> None:
    kind_code, rule_code = split(full_code)
    assert dict(kind(kind_code).rule(rule_code).params) == DEFAULT_PARAMS[full_code]


def test_kinds_declare_no_rule_beyond_the_table() -> None:
    declared = {f"{k.code}.{r.code}" for k in CATALOG for r in k.rules}
    assert declared == set(DEFAULT_RULES)


@pytest.mark.parametrize("code", CATALOG.codes())
def test_every_kind_goes_offline_after_30_silent_minutes(code: str) -> None:
    offline = kind(code).rule("offline")
    assert offline.severity is MINOR
    assert offline.conditions == (Silent(),)
    assert offline.params["minutes"] == 30


@pytest.mark.parametrize("code", CATALOG.codes())
def test_every_rule_has_chinese_and_english_titles(code: str) -> None:
    for rule in kind(code).all_rules:
        assert rule.title_zh and rule.title_en


@pytest.mark.parametrize("code", CATALOG.codes())
def test_rules_read_only_declared_values_and_events(code: str) -> None:
    k = kind(code)
    values = {v.name for v in k.values}
    events = {e.name: set(e.attrs) for e in k.events}
    for rule in k.rules:
        for c in rule.conditions:
            if isinstance(c, Threshold | Outside):
                assert c.field in values
            elif isinstance(c, Quiet):
                assert set(c.fields) <= values
            elif isinstance(c, EventIs):
                assert c.event in events
                if c.attr_threshold is not None:
                    assert c.attr_threshold.field in events[c.event]


def test_gas_leak_fires_on_a_high_reading_or_on_the_detector_alarm() -> None:
    rule = kind("gas_detector").rule("gas_leak")
    assert rule.conditions == (Threshold("lel_pct", ">="), EventIs("gas_alarm"))


def test_breaker_overload_compares_current_with_the_rated_current_attribute() -> None:
    rule = kind("smart_breaker").rule("overload")
    assert rule.conditions == (Threshold("current_a", ">", attr="rated_a"),)
    assert dict(rule.params) == {}


def test_breaker_trip_is_major_for_short_circuit_or_leakage_and_minor_otherwise() -> None:
    rule = kind("smart_breaker").rule("trip")
    assert rule.severity is MINOR
    assert rule.severity_by is not None
    assert rule.severity_by.attr == "reason"
    assert dict(rule.severity_by.levels) == {"short_circuit": MAJOR, "leakage": MAJOR}


def test_abnormal_heart_rate_is_outside_a_band() -> None:
    rule = kind("elderly_care").rule("abnormal_heart_rate")
    assert rule.conditions == (Outside("heart_rate_bpm"),)


def test_inactivity_watches_water_use_and_door_openings_together() -> None:
    rule = kind("elderly_care").rule("inactivity")
    assert rule.conditions == (Quiet(("water_l", "door_opens")),)
    assert rule.is_timer


def test_door_held_open_needs_a_long_enough_duration() -> None:
    (condition,) = kind("access_terminal").rule("door_held_open").conditions
    assert condition == EventIs(
        "door_held_open", attr_threshold=Threshold("duration_s", ">=", param="min_duration_s")
    )


def test_camera_events_carry_confidence_and_snapshot() -> None:
    for event in kind("camera").events:
        assert event.attrs == ("confidence", "snapshot")


def test_trip_carries_its_reason() -> None:
    (trip,) = kind("smart_breaker").events
    assert trip.attrs == ("reason",)


def test_battery_is_a_status_value_that_keeps_a_message_a_heartbeat() -> None:
    assert kind("smoke_detector").value("battery_pct").status


@pytest.mark.parametrize(
    ("code", "value", "impossible"),
    [
        ("elderly_care", "heart_rate_bpm", 900),
        ("elderly_care", "heart_rate_bpm", -1),
        ("smart_breaker", "current_a", -5),
        ("smart_breaker", "leakage_ma", 20_000),
        ("gas_detector", "lel_pct", 101),
        ("smoke_detector", "battery_pct", 120),
        ("weather_station", "wind_speed_ms", -1),
        ("weather_station", "humidity_pct", 101),
        ("weather_station", "temp_c", 80),
    ],
)
def test_physically_impossible_readings_fall_outside_the_value_range(
    code: str, value: str, impossible: float
) -> None:
    field = kind(code).value(value)
    assert not field.low <= impossible <= field.high


@pytest.mark.parametrize(
    ("code", "value", "plausible"),
    [
        ("elderly_care", "heart_rate_bpm", 35),
        ("elderly_care", "heart_rate_bpm", 180),
        ("weather_station", "temp_c", -30),
        ("weather_station", "wind_speed_ms", 40),
        ("smart_breaker", "temp_c", 90),
    ],
)
def test_alarming_but_possible_readings_fall_inside_the_value_range(
    code: str, value: str, plausible: float
) -> None:
    field = kind(code).value(value)
    assert field.low <= plausible <= field.high


def test_breaker_without_rated_current_is_a_problem() -> None:
    assert kind("smart_breaker").attrs_problems({}) != []


def test_breaker_with_a_non_numeric_rated_current_is_a_problem() -> None:
    assert kind("smart_breaker").attrs_problems({"rated_a": "abc"}) != []


def test_breaker_with_an_impossible_rated_current_is_a_problem() -> None:
    assert kind("smart_breaker").attrs_problems({"rated_a": 5000}) != []


def test_breaker_with_a_rated_current_has_no_problem() -> None:
    assert kind("smart_breaker").attrs_problems({"rated_a": 32}) == []


def test_simulated_breakers_get_a_valid_rated_current() -> None:
    k = kind("smart_breaker")
    for rated in k.placement.attr_choices["rated_a"]:
        assert k.attrs_problems({"rated_a": rated}) == []


@pytest.mark.parametrize(
    ("code", "attrs"),
    [
        ("camera", {}),
        ("camera", {"channel": "2"}),
        ("elderly_care", {"resident_id": "R-000042"}),
        ("weather_station", {"height_m": 10.0}),
        ("access_terminal", {"model": "free-form attributes are kept as given"}),
    ],
)
def test_other_kinds_need_no_attribute(code: str, attrs: dict[str, object]) -> None:
    assert kind(code).attrs_problems(attrs) == []


def test_id_prefixes_tell_kinds_apart() -> None:
    prefixes = [k.id_prefix for k in CATALOG]
    assert len(set(prefixes)) == len(prefixes) == 8


def test_the_simulator_installs_every_kind() -> None:
    for k in CATALOG:
        assert 0 < k.placement.share <= 1 and k.placement.count >= 1
