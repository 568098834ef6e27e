"""Event rules: open on the event, count occurrences, raise severity, clear when the case closes."""

from __future__ import annotations

import pytest
from alerting_support import CRITICAL, MAJOR, MINOR, Rig, at, breaker, msg

from gridloop.domain.alerting import AlertChange, ChangeKind, DeviceProfile

TRIP = "smart_breaker.trip"


@pytest.mark.parametrize(
    "event", ["ebike_in_elevator", "fire_lane_blocked", "thrown_object", "intrusion"]
)
def test_each_camera_event_opens_its_major_alert(event: str) -> None:
    rig = Rig(DeviceProfile("CAM-1", "camera", "B1"))
    rig.send(msg("CAM-1", 0, event=event, attrs={"confidence": 0.93}))
    rule = f"camera.{event}"
    assert rig.of(rule) == [("opened", "CAM-1", rule, 0, 0, 1, MAJOR)]
    assert rig.active_rules() == [("CAM-1", rule)]


@pytest.mark.parametrize(
    ("device", "kind", "event", "severity"),
    [
        ("ACT-1", "access_terminal", "door_forced", MAJOR),
        ("ACT-1", "access_terminal", "tamper", MINOR),
        ("SMK-1", "smoke_detector", "tamper", MINOR),
        ("SMK-1", "smoke_detector", "smoke_alarm", CRITICAL),
        ("ELD-1", "elderly_care", "sos", CRITICAL),
        ("ELD-1", "elderly_care", "fall", CRITICAL),
    ],
)
def test_an_event_opens_its_rule_with_the_declared_severity(
    device: str, kind: str, event: str, severity: object
) -> None:
    rig = Rig(DeviceProfile(device, kind, "B1"))
    rig.send(msg(device, 0, event=event))
    rule = f"{kind}.{event}"
    assert rig.of(rule) == [("opened", device, rule, 0, 0, 1, severity)]


@pytest.mark.parametrize(("seconds", "alerts"), [(299, False), (300, True)])
def test_door_held_open_needs_300_seconds(seconds: int, alerts: bool) -> None:
    rig = Rig(DeviceProfile("ACT-1", "access_terminal", ""))
    rig.send(msg("ACT-1", 0, event="door_held_open", attrs={"duration_s": seconds}))
    rule = "access_terminal.door_held_open"
    assert rig.of(rule) == ([("opened", "ACT-1", rule, 0, 0, 1, MINOR)] if alerts else [])


def test_door_held_open_without_a_duration_does_not_alert() -> None:
    rig = Rig(DeviceProfile("ACT-1", "access_terminal", ""))
    rig.send(msg("ACT-1", 0, event="door_held_open"))
    assert rig.changes == []


def test_a_repeated_event_adds_occurrences_to_the_active_alert() -> None:
    rig = Rig(DeviceProfile("CAM-1", "camera", "B1"))
    rig.send(msg("CAM-1", 0, event="intrusion"), msg("CAM-1", 5, event="intrusion"))
    rig.send(msg("CAM-1", 6))  # a heartbeat changes nothing for an event rule
    rule = "camera.intrusion"
    assert rig.of(rule) == [
        ("opened", "CAM-1", rule, 0, 0, 1, MAJOR),
        ("updated", "CAM-1", rule, 0, 5, 2, MAJOR),
    ]


@pytest.mark.parametrize(
    ("reason", "severity"),
    [("overload", MINOR), ("manual", MINOR), ("short_circuit", MAJOR), ("leakage", MAJOR)],
)
def test_trip_severity_follows_its_reason(reason: str, severity: object) -> None:
    rig = Rig(breaker(rated_a=32))
    rig.send(msg("BRK-1", 0, event="trip", attrs={"reason": reason}))
    assert rig.of(TRIP) == [("opened", "BRK-1", TRIP, 0, 0, 1, severity)]


def test_a_later_short_circuit_raises_the_trip_severity_and_nothing_lowers_it() -> None:
    rig = Rig(breaker(rated_a=32))
    rig.send(msg("BRK-1", 0, event="trip", attrs={"reason": "overload"}))
    rig.send(msg("BRK-1", 1, event="trip", attrs={"reason": "short_circuit"}))
    rig.send(msg("BRK-1", 2, event="trip", attrs={"reason": "manual"}))
    assert rig.of(TRIP) == [
        ("opened", "BRK-1", TRIP, 0, 0, 1, MINOR),
        ("updated", "BRK-1", TRIP, 0, 1, 2, MAJOR),
        ("updated", "BRK-1", TRIP, 0, 2, 3, MAJOR),
    ]


def test_closing_the_case_clears_an_event_alert_and_the_next_event_is_a_new_alert() -> None:
    rig = Rig(DeviceProfile("CAM-1", "camera", "B1"))
    rig.send(msg("CAM-1", 0, event="intrusion"), msg("CAM-1", 3, event="intrusion"))
    cleared = rig.engine.close("CAM-1", "camera.intrusion", at(30))
    assert cleared == AlertChange(
        ChangeKind.CLEARED, "CAM-1", "camera.intrusion", MAJOR, at(0), at(30), 2
    )
    assert rig.engine.active() == []
    assert rig.engine.close("CAM-1", "camera.intrusion", at(31)) is None
    rig.send(msg("CAM-1", 40, event="intrusion"))
    assert rig.engine.active() == [("CAM-1", "camera.intrusion", at(40), MAJOR, 1)]


def test_close_ignores_unknown_devices_rules_and_value_alerts() -> None:
    rig = Rig(DeviceProfile("GAS-1", "gas_detector", "B1"))
    rig.send(msg("GAS-1", 0, event="gas_alarm"))
    assert rig.engine.close("GAS-404", "gas_detector.gas_leak", at(1)) is None
    assert rig.engine.close("GAS-1", "camera.intrusion", at(1)) is None
    # gas_leak is a value rule (lel_pct or the event): readings clear it, not the case.
    assert rig.engine.close("GAS-1", "gas_detector.gas_leak", at(1)) is None
    assert rig.active_rules() == [("GAS-1", "gas_detector.gas_leak")]


def test_an_event_the_rule_does_not_name_changes_nothing() -> None:
    rig = Rig(DeviceProfile("SMK-1", "smoke_detector", "B1"))
    rig.send(msg("SMK-1", 0, event="smoke_alarm"))
    rig.send(msg("SMK-1", 1, event="tamper"))
    assert [c[2] for c in rig.of("smoke_detector.smoke_alarm")] == ["smoke_detector.smoke_alarm"]
