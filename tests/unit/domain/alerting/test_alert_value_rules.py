"""Threshold and Outside rules: boundaries, consecutive readings, clearing and overrides."""

from __future__ import annotations

import pytest
from alerting_support import CRITICAL, MAJOR, MINOR, Rig, at, breaker, efm, msg

from gridloop.domain.alerting import DeviceProfile, RuleConfig
from gridloop.domain.telemetry import Message

RC_HIGH = "electrical_fire.residual_current_high"
RC_CRITICAL = "electrical_fire.residual_current_critical"


def test_299_ma_twice_never_alerts() -> None:
    rig = Rig(efm())
    assert (
        rig.send(msg("EFM-1", 0, residual_current_ma=299), msg("EFM-1", 1, residual_current_ma=299))
        == []
    )


def test_300_ma_twice_opens_residual_current_high_at_the_second_reading() -> None:
    rig = Rig(efm())
    assert rig.send(msg("EFM-1", 0, residual_current_ma=300)) == []
    rig.send(msg("EFM-1", 1, residual_current_ma=300))
    assert rig.of(RC_HIGH) == [("opened", "EFM-1", RC_HIGH, 1, 1, 1, MAJOR)]
    assert rig.of(RC_CRITICAL) == []


def test_a_single_310_spike_between_normal_readings_never_alerts() -> None:
    rig = Rig(efm())
    for minute, ma in enumerate([120, 310, 120, 310, 150, 310]):
        rig.send(msg("EFM-1", minute, residual_current_ma=ma))
    assert rig.changes == []


def test_600_ma_twice_opens_both_high_and_critical() -> None:
    rig = Rig(efm())
    rig.send(msg("EFM-1", 0, residual_current_ma=600), msg("EFM-1", 1, residual_current_ma=600))
    assert rig.of(RC_HIGH) == [("opened", "EFM-1", RC_HIGH, 1, 1, 1, MAJOR)]
    assert rig.of(RC_CRITICAL) == [("opened", "EFM-1", RC_CRITICAL, 1, 1, 1, CRITICAL)]


@pytest.mark.parametrize(("temp", "alerts"), [(69.9, False), (70, True)])
def test_cable_overheat_at_70_degrees_on_two_readings(temp: float, alerts: bool) -> None:
    rig = Rig(efm())
    rig.send(msg("EFM-1", 0, cable_temp_c=temp), msg("EFM-1", 1, cable_temp_c=temp))
    rule = "electrical_fire.cable_overheat"
    assert rig.of(rule) == ([("opened", "EFM-1", rule, 1, 1, 1, MAJOR)] if alerts else [])


@pytest.mark.parametrize(("pct", "alerts"), [(20, False), (19, True)])
def test_low_battery_below_20_percent_on_one_reading(pct: float, alerts: bool) -> None:
    rig = Rig(DeviceProfile("SMK-1", "smoke_detector", "B1"))
    rig.send(msg("SMK-1", 0, battery_pct=pct))
    rule = "smoke_detector.low_battery"
    assert rig.of(rule) == ([("opened", "SMK-1", rule, 0, 0, 1, MINOR)] if alerts else [])


@pytest.mark.parametrize(("lel", "alerts"), [(19, False), (20, True)])
def test_gas_leak_at_20_percent_lel_on_one_reading(lel: float, alerts: bool) -> None:
    rig = Rig(DeviceProfile("GAS-1", "gas_detector", "B1"))
    rig.send(msg("GAS-1", 0, lel_pct=lel))
    assert rig.active_rules() == ([("GAS-1", "gas_detector.gas_leak")] if alerts else [])


def test_gas_alarm_event_opens_gas_leak_and_low_readings_clear_it() -> None:
    rig = Rig(DeviceProfile("GAS-1", "gas_detector", "B1"))
    rule = "gas_detector.gas_leak"
    rig.send(msg("GAS-1", 0, event="gas_alarm"), msg("GAS-1", 1, lel_pct=3), msg("GAS-1", 2))
    assert rig.of(rule) == [("opened", "GAS-1", rule, 0, 0, 1, CRITICAL)]
    rig.send(msg("GAS-1", 3, lel_pct=2))
    assert rig.of(rule)[-1] == ("cleared", "GAS-1", rule, 0, 3, 1, CRITICAL)


@pytest.mark.parametrize(
    ("field", "below", "at_threshold", "rule", "severity"),
    [
        ("wind_speed_ms", 17.1, 17.2, "weather_station.gale", MAJOR),
        ("rain_mm_1h", 19.9, 20, "weather_station.heavy_rain", MAJOR),
        ("temp_c", 36.9, 37, "weather_station.heat", MINOR),
    ],
)
def test_weather_rules_open_on_one_reading_at_their_threshold(
    field: str, below: float, at_threshold: float, rule: str, severity: object
) -> None:
    rig = Rig(DeviceProfile("WXS-1", "weather_station", ""))
    rig.send(Message("WXS-1", at(0), 0, {field: below}))
    assert rig.changes == []
    rig.send(Message("WXS-1", at(1), 1, {field: at_threshold}))
    assert rig.of(rule) == [("opened", "WXS-1", rule, 1, 1, 1, severity)]


def test_overload_needs_three_consecutive_readings_strictly_above_rated_a() -> None:
    rig = Rig(breaker(rated_a=32))
    rule = "smart_breaker.overload"
    rig.send(*(msg("BRK-1", m, current_a=32) for m in range(4)))
    rig.send(msg("BRK-1", 4, current_a=33), msg("BRK-1", 5, current_a=33))
    rig.send(msg("BRK-1", 6, current_a=31), msg("BRK-1", 7, current_a=33))
    rig.send(msg("BRK-1", 8, current_a=33))
    assert rig.changes == []
    rig.send(msg("BRK-1", 9, current_a=33))
    assert rig.of(rule) == [("opened", "BRK-1", rule, 9, 9, 1, MAJOR)]


def test_a_breaker_without_rated_a_is_never_evaluated_for_overload() -> None:
    rig = Rig(breaker())
    rig.send(*(msg("BRK-1", m, current_a=900) for m in range(10)))
    assert rig.changes == []


def test_breaker_overheat_at_70_degrees_twice() -> None:
    rig = Rig(breaker(rated_a=63))
    rule = "smart_breaker.overheat"
    rig.send(msg("BRK-1", 0, temp_c=69), msg("BRK-1", 1, temp_c=70))
    assert rig.changes == []
    rig.send(msg("BRK-1", 2, temp_c=70))
    assert rig.of(rule) == [("opened", "BRK-1", rule, 2, 2, 1, MAJOR)]


@pytest.mark.parametrize(
    ("readings", "opens_at"),
    [
        ([131], None),
        ([131, 131], 1),
        ([39, 39], 1),
        ([40, 40], None),
        ([130, 130], None),
        ([131, 72, 131], None),
        ([39, 131], 1),  # both readings are outside the band: consecutive matches
    ],
)
def test_abnormal_heart_rate_outside_40_to_130_on_two_readings(
    readings: list[float], opens_at: int | None
) -> None:
    rig = Rig(DeviceProfile("ELD-1", "elderly_care", "B1"))
    rig.send(*(msg("ELD-1", m, heart_rate_bpm=bpm) for m, bpm in enumerate(readings)))
    rule = "elderly_care.abnormal_heart_rate"
    expected = (
        [] if opens_at is None else [("opened", "ELD-1", rule, opens_at, opens_at, 1, CRITICAL)]
    )
    assert rig.of(rule) == expected


def _opened_high() -> Rig:
    rig = Rig(efm())
    rig.send(msg("EFM-1", 0, residual_current_ma=400), msg("EFM-1", 1, residual_current_ma=400))
    return rig


def test_a_threshold_alert_clears_after_two_consecutive_normal_readings() -> None:
    rig = _opened_high()
    rig.send(msg("EFM-1", 2, residual_current_ma=100))
    assert ("EFM-1", RC_HIGH) in rig.active_rules()
    rig.send(msg("EFM-1", 3, residual_current_ma=100))
    assert rig.of(RC_HIGH)[-1] == ("cleared", "EFM-1", RC_HIGH, 1, 3, 1, MAJOR)
    assert rig.active_rules() == []


def test_messages_without_the_field_neither_count_nor_reset_misses() -> None:
    rig = _opened_high()
    rig.send(
        msg("EFM-1", 2, residual_current_ma=100), msg("EFM-1", 3), msg("EFM-1", 4, voltage_v=230)
    )
    assert ("EFM-1", RC_HIGH) in rig.active_rules()
    rig.send(msg("EFM-1", 5, residual_current_ma=100))
    assert rig.of(RC_HIGH)[-1] == ("cleared", "EFM-1", RC_HIGH, 1, 5, 1, MAJOR)


def test_further_matches_add_occurrences_and_reset_misses() -> None:
    rig = _opened_high()
    rig.send(msg("EFM-1", 2, residual_current_ma=310))
    rig.send(msg("EFM-1", 3, residual_current_ma=100), msg("EFM-1", 4, residual_current_ma=320))
    rig.send(msg("EFM-1", 5, residual_current_ma=100))
    assert rig.of(RC_HIGH) == [
        ("opened", "EFM-1", RC_HIGH, 1, 1, 1, MAJOR),
        ("updated", "EFM-1", RC_HIGH, 1, 2, 2, MAJOR),
        ("updated", "EFM-1", RC_HIGH, 1, 4, 3, MAJOR),
    ]
    assert rig.engine.active() == [("EFM-1", RC_HIGH, at(1), MAJOR, 3)]


def test_a_match_after_clearing_is_a_new_alert_that_needs_the_full_streak_again() -> None:
    rig = _opened_high()
    rig.send(msg("EFM-1", 2, residual_current_ma=100), msg("EFM-1", 3, residual_current_ma=100))
    rig.send(msg("EFM-1", 4, residual_current_ma=400))
    assert rig.active_rules() == []
    rig.send(msg("EFM-1", 5, residual_current_ma=400))
    assert rig.of(RC_HIGH)[-1] == ("opened", "EFM-1", RC_HIGH, 5, 5, 1, MAJOR)


def test_a_kind_level_configuration_overrides_the_default() -> None:
    config = RuleConfig(params={RC_HIGH: {"threshold": 320}})
    rig = Rig(efm(), config=config)
    rig.send(msg("EFM-1", 0, residual_current_ma=310), msg("EFM-1", 1, residual_current_ma=310))
    assert rig.changes == []
    rig.send(msg("EFM-1", 2, residual_current_ma=320), msg("EFM-1", 3, residual_current_ma=320))
    assert [c[0] for c in rig.of(RC_HIGH)] == ["opened"]


def test_a_device_override_wins_over_the_kind_configuration() -> None:
    config = RuleConfig(params={RC_HIGH: {"threshold": 320}})
    own = efm("EFM-1", rules={"residual_current_high": {"threshold": 350}})
    rig = Rig(own, efm("EFM-2"), config=config)
    for minute in (0, 1):
        rig.send(msg("EFM-1", minute, residual_current_ma=340))
        rig.send(msg("EFM-2", minute, residual_current_ma=340))
    assert rig.active_rules() == [("EFM-2", RC_HIGH)]
    rig.send(msg("EFM-1", 2, residual_current_ma=350), msg("EFM-1", 3, residual_current_ma=350))
    assert rig.active_rules() == [("EFM-1", RC_HIGH), ("EFM-2", RC_HIGH)]


def test_a_late_message_is_counted_and_not_evaluated() -> None:
    rig = Rig(efm())
    rig.send(msg("EFM-1", 10, residual_current_ma=400))
    rig.send(msg("EFM-1", 5, residual_current_ma=400))  # older than the last: no second match
    assert rig.engine.late == 1
    assert rig.changes == []
    rig.send(msg("EFM-1", 10, residual_current_ma=400))  # same ts is not older: evaluated
    assert rig.engine.late == 1
    assert rig.active_rules() == [("EFM-1", RC_HIGH)]


def test_messages_of_unknown_devices_are_counted_and_ignored() -> None:
    rig = Rig(efm())
    rig.send(msg("EFM-404", 0, residual_current_ma=900), msg("EFM-404", 1, residual_current_ma=900))
    assert rig.engine.unknown == 2
    assert rig.changes == []
    assert rig.engine.watermark is None
