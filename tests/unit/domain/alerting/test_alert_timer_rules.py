"""Timer rules driven by the watermark: offline, inactivity and the trip's inhibition of offline."""

from __future__ import annotations

from alerting_support import MAJOR, MINOR, Rig, at, breaker, brief, efm, msg

from gridloop.domain.alerting import DeviceProfile
from gridloop.domain.telemetry import Message

OFFLINE = "electrical_fire.offline"
INACTIVITY = "elderly_care.inactivity"


def clock(start: int, stop: int, step: int = 10) -> list[Message]:
    """Messages of a weather station outside any building, only there to move the watermark."""
    return [msg("WXS-1", m) for m in range(start, stop + 1, step)]


def offline_rig(*devices: DeviceProfile) -> Rig:
    return Rig(*devices, DeviceProfile("WXS-1", "weather_station", ""))


def test_a_device_goes_offline_30_minutes_after_its_last_message_when_others_speak() -> None:
    rig = offline_rig(efm())
    rig.send(msg("EFM-1", 0), *clock(0, 30))
    assert rig.of(OFFLINE) == []  # a deadline fires only once the watermark is past it
    new = rig.send(*clock(40, 40))
    assert [c[0:5] for c in rig.of(OFFLINE)] == [("opened", "EFM-1", OFFLINE, 30, 30)]
    assert new[0].severity == MINOR
    assert rig.of("weather_station.offline") == []


def test_offline_fires_one_millisecond_past_the_deadline() -> None:
    rig = offline_rig(efm())
    rig.send(msg("EFM-1", 0), msg("WXS-1", 30))
    assert rig.of(OFFLINE) == []
    rig.send(msg("WXS-1", 30 + 1 / 60_000))
    assert [c[3] for c in rig.of(OFFLINE)] == [30]


def test_an_18_minute_silence_never_alerts() -> None:
    rig = offline_rig(efm())
    rig.send(*(msg("EFM-1", m) for m in range(0, 100, 18)), *clock(0, 100))
    assert rig.of(OFFLINE) == []


def test_the_next_message_clears_offline_and_starts_a_new_deadline() -> None:
    rig = offline_rig(efm())
    rig.send(msg("EFM-1", 0), *clock(10, 40), msg("EFM-1", 45), *clock(50, 80), msg("WXS-1", 76))
    assert rig.of(OFFLINE) == [
        ("opened", "EFM-1", OFFLINE, 30, 30, 1, MINOR),
        ("cleared", "EFM-1", OFFLINE, 30, 45, 1, MINOR),
        ("opened", "EFM-1", OFFLINE, 75, 75, 1, MINOR),
    ]


def test_a_device_never_heard_from_has_no_offline_timer() -> None:
    rig = offline_rig(efm())
    rig.send(*clock(0, 600, 20))
    assert rig.changes == []


def test_the_live_clock_fires_offline_and_never_goes_back() -> None:
    rig = Rig(efm())
    rig.send(msg("EFM-1", 0))
    assert rig.advance(29) == []
    assert rig.engine.watermark == at(29)
    rig.advance(31)
    assert [c[0:4] for c in rig.of(OFFLINE)] == [("opened", "EFM-1", OFFLINE, 30)]
    assert rig.advance(10) == []
    assert rig.engine.watermark == at(31)


def test_timers_due_together_fire_in_device_order() -> None:
    rig = offline_rig(efm("EFM-2"), efm("EFM-1"))
    rig.send(msg("EFM-2", 0), msg("EFM-1", 0), msg("WXS-1", 31))
    assert [c.device_id for c in rig.changes] == ["EFM-1", "EFM-2"]


def zeros(device: str, start: int, stop: int, step: int = 20) -> list[Message]:
    return [msg(device, m, water_l=0, door_opens=0) for m in range(start, stop + 1, step)]


def elderly_rig() -> Rig:
    return Rig(
        DeviceProfile("ELD-1", "elderly_care", "B1"), DeviceProfile("WXS-1", "weather_station", "")
    )


def test_inactivity_opens_at_baseline_plus_24_hours_while_the_device_reports_zeros() -> None:
    rig = elderly_rig()
    rig.send(*zeros("ELD-1", 0, 1440))
    assert rig.of(INACTIVITY) == []
    new = rig.send(*zeros("ELD-1", 1460, 1460))
    assert [brief(c)[0:5] for c in new] == [("opened", "ELD-1", INACTIVITY, 1440, 1440)]
    assert new[0].severity == MAJOR


def test_water_use_moves_the_inactivity_deadline() -> None:
    rig = elderly_rig()
    rig.send(*zeros("ELD-1", 0, 580), msg("ELD-1", 600, water_l=3.5), *zeros("ELD-1", 620, 2100))
    assert [c[0:4] for c in rig.of(INACTIVITY)] == [("opened", "ELD-1", INACTIVITY, 2040)]


def test_a_door_opening_clears_inactivity_and_starts_a_new_window() -> None:
    rig = elderly_rig()
    rig.send(
        *zeros("ELD-1", 0, 1480), msg("ELD-1", 1500, door_opens=1), *zeros("ELD-1", 1520, 2960)
    )
    assert [c[0:5] for c in rig.of(INACTIVITY)] == [
        ("opened", "ELD-1", INACTIVITY, 1440, 1440),
        ("cleared", "ELD-1", INACTIVITY, 1440, 1500),
        ("opened", "ELD-1", INACTIVITY, 2940, 2940),
    ]


def test_inactivity_does_not_open_while_the_device_is_silent_and_rebases_on_its_return() -> None:
    rig = elderly_rig()
    rig.send(*zeros("ELD-1", 0, 120), *clock(0, 1800, 20))
    assert rig.of(INACTIVITY) == []
    assert [c[0:4] for c in rig.of("elderly_care.offline")] == [
        ("opened", "ELD-1", "elderly_care.offline", 150)
    ]
    rig.send(*zeros("ELD-1", 1800, 3260))  # its return is the new baseline
    assert [c[0:4] for c in rig.of(INACTIVITY)] == [("opened", "ELD-1", INACTIVITY, 3240)]


def test_inactivity_opens_when_the_last_message_is_exactly_the_offline_window_old() -> None:
    rig = elderly_rig()
    rig.send(*zeros("ELD-1", 0, 0), *zeros("ELD-1", 1410, 1410), *clock(0, 1460, 20))
    # Both timers are due at 1440: ties fire by rule code, inactivity before offline.
    assert [brief(c)[0:4] for c in rig.changes if c.started_at == at(1440)] == [
        ("opened", "ELD-1", INACTIVITY, 1440),
        ("opened", "ELD-1", "elderly_care.offline", 1440),
    ]


def test_inactivity_does_not_open_when_the_last_message_is_older_than_the_window() -> None:
    rig = elderly_rig()
    rig.send(*zeros("ELD-1", 0, 0), *zeros("ELD-1", 1409, 1409), *clock(0, 1500, 20))
    assert rig.of(INACTIVITY) == []


def inhibition_rig() -> Rig:
    return offline_rig(
        breaker("BRK-1", "B1", rated_a=32),
        breaker("BRK-2", "B1", rated_a=32),
        efm("EFM-1", "B1"),
        efm("EFM-2", "B1"),
        efm("EFM-3", "B1"),
        efm("EFM-4", "B1"),
        efm("EFM-9", "B2"),
    )


def offline_starts(rig: Rig) -> dict[str, float]:
    opened = [brief(c) for c in rig.changes if c.change == "opened"]
    return {b[1]: b[3] for b in opened if b[2].endswith(".offline")}


def test_a_trip_defers_offline_in_its_building_to_one_hour_after_the_trip() -> None:
    rig = inhibition_rig()
    stream = [
        msg("EFM-3", 60),  # deadline 90: before the trip, not inhibited
        msg("EFM-4", 70),  # deadline 100: the trip's start, inhibited
        msg("EFM-2", 75),  # deadline 105: inhibited, but it speaks again before 160
        msg("EFM-1", 80),  # deadline 110: inhibited, silent until 160
        msg("EFM-9", 80),  # deadline 110: another building, not inhibited
        *clock(60, 90),
        msg("BRK-1", 100, event="trip", attrs={"reason": "overload"}),
        *clock(100, 140),
        *(msg("EFM-2", m) for m in range(150, 240, 10)),
        *clock(150, 240),
    ]
    rig.send(*sorted(stream, key=lambda m: m.ts))
    starts = offline_starts(rig)
    assert starts == {"EFM-3": 90, "EFM-4": 160, "EFM-1": 160, "EFM-9": 110, "BRK-1": 160}
    # BRK-2, never heard from, has no timer.
    assert [c.at for c in rig.changes if c.device_id == "EFM-1"] == [at(160)]


def test_a_device_that_speaks_before_the_inhibition_ends_never_goes_offline() -> None:
    rig = inhibition_rig()
    rig.send(msg("EFM-1", 80), msg("BRK-1", 100, event="trip"), *clock(100, 150))
    rig.send(msg("EFM-1", 155), *clock(160, 180))
    assert "EFM-1" not in offline_starts(rig)


def test_a_closed_trip_no_longer_inhibits() -> None:
    rig = inhibition_rig()
    rig.send(msg("EFM-1", 80), msg("BRK-1", 100, event="trip"), *clock(100, 100))
    assert rig.engine.close("BRK-1", "smart_breaker.trip", at(105)) is not None
    rig.send(*clock(110, 120))
    assert offline_starts(rig)["EFM-1"] == 110


def test_a_device_outside_any_building_is_never_inhibited() -> None:
    rig = offline_rig(breaker("BRK-1", "", rated_a=32), efm("EFM-1", ""))
    rig.send(msg("EFM-1", 80), msg("BRK-1", 100, event="trip"), *clock(100, 120))
    assert offline_starts(rig)["EFM-1"] == 110


def test_a_second_trip_whose_window_holds_the_deferred_time_defers_offline_again() -> None:
    rig = inhibition_rig()
    rig.send(
        msg("EFM-1", 80),
        msg("BRK-1", 100, event="trip"),
        msg("BRK-2", 150, event="trip"),
        *clock(150, 220),
    )
    assert offline_starts(rig)["EFM-1"] == 210


def test_a_message_delayed_past_its_fired_deadline_clears_offline_no_earlier_than_its_start() -> (
    None
):
    rig = Rig(efm())
    rig.send(msg("EFM-1", 0))
    rig.advance(40)
    rig.send(msg("EFM-1", 29))  # sent before the deadline, delivered after the clock passed it
    assert [brief(c)[:5] for c in rig.changes] == [
        ("opened", "EFM-1", OFFLINE, 30, 30),
        ("cleared", "EFM-1", OFFLINE, 30, 30),
    ]
