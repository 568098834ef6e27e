"""Checkpoints and registry changes: state survives restarts and recompilation."""

from __future__ import annotations

import json

import pytest
from alerting_support import CATALOG, MAJOR, Rig, at, breaker, brief, efm, msg

from gridloop.domain.alerting import DeviceProfile, RuleConfig, RuleEngine

ELD = DeviceProfile("ELD-1", "elderly_care", "B1")


def test_a_snapshot_is_plain_json_data() -> None:
    rig = Rig(efm(), breaker(rated_a=32))
    rig.send(msg("EFM-1", 0, residual_current_ma=400), msg("BRK-1", 1, event="trip"))
    snapshot = rig.engine.snapshot()
    assert json.loads(json.dumps(snapshot)) == snapshot
    assert snapshot["watermark"] == at(1)


def test_a_restart_in_the_middle_of_the_inactivity_window_still_fires_on_time() -> None:
    rig = Rig(ELD)
    rig.send(*(msg("ELD-1", m, water_l=0) for m in range(0, 721, 20)))
    checkpoint = json.loads(json.dumps(rig.engine.snapshot()))
    restored = RuleEngine.restore(CATALOG, [ELD], RuleConfig(), checkpoint)
    changes = restored.evaluate([msg("ELD-1", m, water_l=0) for m in range(740, 1461, 20)])
    assert [brief(c)[:4] for c in changes] == [("opened", "ELD-1", "elderly_care.inactivity", 1440)]


def test_a_restart_keeps_streaks_active_alerts_and_the_late_count() -> None:
    rig = Rig(efm(), breaker(rated_a=32))
    rig.send(msg("EFM-1", 0, residual_current_ma=400), msg("EFM-1", -1, residual_current_ma=1))
    rig.send(msg("BRK-1", 1, event="trip", attrs={"reason": "leakage"}))
    restored = RuleEngine.restore(
        CATALOG, [efm(), breaker(rated_a=32)], RuleConfig(), rig.engine.snapshot()
    )
    assert restored.late == 1
    assert restored.active() == [("BRK-1", "smart_breaker.trip", at(1), MAJOR, 1)]
    opened = restored.evaluate([msg("EFM-1", 2, residual_current_ma=400)])
    assert [c.rule for c in opened] == ["electrical_fire.residual_current_high"]


def test_restore_drops_the_state_of_devices_no_longer_given() -> None:
    rig = Rig(efm("EFM-1"), efm("EFM-2"))
    rig.send(msg("EFM-1", 0), msg("EFM-2", 0))
    restored = RuleEngine.restore(CATALOG, [efm("EFM-2")], RuleConfig(), rig.engine.snapshot())
    devices = restored.snapshot()["devices"]
    assert isinstance(devices, dict)
    assert set(devices) == {"EFM-2"}


def test_restore_refuses_an_unknown_snapshot_version() -> None:
    with pytest.raises(ValueError, match="version"):
        RuleEngine.restore(CATALOG, [], RuleConfig(), {"version": 99})


def test_adding_devices_keeps_the_state_of_the_others() -> None:
    rig = Rig(efm("EFM-1"))
    rig.send(msg("EFM-1", 0, residual_current_ma=400))
    rig.engine.add_devices([efm("EFM-2")])
    rig.send(msg("EFM-1", 1, residual_current_ma=400), msg("EFM-2", 1, residual_current_ma=400))
    assert rig.active_rules() == [("EFM-1", "electrical_fire.residual_current_high")]


def test_a_recompiled_device_keeps_its_state_under_its_new_overrides() -> None:
    rig = Rig(efm("EFM-1"))
    rig.send(msg("EFM-1", 0, residual_current_ma=330))
    rig.engine.add_devices([efm("EFM-1", rules={"residual_current_high": {"threshold": 320}})])
    rig.send(msg("EFM-1", 1, residual_current_ma=325))
    assert rig.active_rules() == [("EFM-1", "electrical_fire.residual_current_high")]


def test_a_breaker_given_rated_a_later_is_then_evaluated_for_overload() -> None:
    rig = Rig(breaker())
    rig.send(*(msg("BRK-1", m, current_a=50) for m in range(3)))
    rig.engine.add_devices([breaker(rated_a=40)])
    rig.send(*(msg("BRK-1", m, current_a=50) for m in range(3, 6)))
    assert [brief(c)[:4] for c in rig.changes] == [("opened", "BRK-1", "smart_breaker.overload", 5)]
