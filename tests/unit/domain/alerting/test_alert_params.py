"""Rule params in force for a device: device attrs, then kind configuration, then default."""

from __future__ import annotations

from alerting_support import CATALOG, Rig, breaker, efm, msg

from gridloop.domain.alerting import RuleConfig, config_problems
from gridloop.domain.alerting.params import DeviceProfile, resolve_params
from gridloop.domain.devices.device import Device

KIND = CATALOG.get("electrical_fire")
RULE = KIND.rule("residual_current_high")
CONFIG = RuleConfig(params={"electrical_fire.residual_current_high": {"threshold": 320}})


def test_the_kind_default_applies_without_overrides() -> None:
    assert resolve_params(KIND, RULE, {}, RuleConfig()) == {"threshold": 300.0}


def test_the_kind_configuration_overrides_the_default() -> None:
    assert resolve_params(KIND, RULE, {}, CONFIG) == {"threshold": 320.0}


def test_the_device_attrs_override_the_kind_configuration() -> None:
    attrs = {"rules": {"residual_current_high": {"threshold": 350}}}
    assert resolve_params(KIND, RULE, attrs, CONFIG) == {"threshold": 350.0}


def test_malformed_device_overrides_fall_back_to_the_next_level() -> None:
    for attrs in (
        {"rules": "no"},
        {"rules": {"residual_current_high": 5}},
        {"rules": {"residual_current_high": {"threshold": True}}},
        {"rules": {"residual_current_high": {"threshold": "350"}}},
    ):
        assert resolve_params(KIND, RULE, attrs, CONFIG) == {"threshold": 320.0}


def test_offline_minutes_are_configurable_per_kind() -> None:
    config = RuleConfig(params={"electrical_fire.offline": {"minutes": 45}})
    assert resolve_params(KIND, KIND.rule("offline"), {}, config) == {"minutes": 45.0}


def test_config_problems_name_unknown_kinds_rules_and_params() -> None:
    config = RuleConfig(
        params={
            "electrical_fire.residual_current_high": {"threshold": 320, "limit": 1},
            "electrical_fire.smoke": {"threshold": 1},
            "submarine.sonar": {"threshold": 1},
        }
    )
    assert config_problems(config, CATALOG) == [
        "rule 'electrical_fire.residual_current_high' has no param 'limit'",
        "electrical_fire has no rule 'smoke'",
        "unknown device kind in rule 'submarine.sonar'",
    ]
    assert config_problems(CONFIG, CATALOG) == []


def test_a_profile_is_made_from_a_registry_device() -> None:
    device = Device("EFM-1", "electrical_fire", "B1", 120.1, 30.2, {"circuits": 8})
    assert DeviceProfile.of(device) == DeviceProfile("EFM-1", "electrical_fire", "B1", device.attrs)


def test_devices_alike_share_compiled_rules_but_each_keeps_its_own_state() -> None:
    high = {"residual_current_high": {"threshold": 350}}
    rig = Rig(
        efm("EFM-1"),
        efm("EFM-2"),
        efm("EFM-3", rules=high),
        efm("EFM-4", rules=high),
        breaker("BRK-1", rated_a=32),
        breaker("BRK-2", rated_a=63),
        breaker("BRK-3", rated_a=32.0),
    )
    rig.send(msg("EFM-1", 0, residual_current_ma=310), msg("EFM-2", 0, residual_current_ma=310))
    rig.send(msg("EFM-3", 0, residual_current_ma=310), msg("EFM-4", 0, residual_current_ma=360))
    rig.send(msg("EFM-1", 1, residual_current_ma=310), msg("EFM-2", 1, residual_current_ma=100))
    rig.send(msg("EFM-3", 1, residual_current_ma=310), msg("EFM-4", 1, residual_current_ma=360))
    for m in range(3):
        rig.send(*(msg(b, 2 + m, current_a=50) for b in ("BRK-1", "BRK-2", "BRK-3")))
    assert rig.active_rules() == [
        ("BRK-1", "smart_breaker.overload"),
        ("BRK-3", "smart_breaker.overload"),
        ("EFM-1", "electrical_fire.residual_current_high"),
        ("EFM-4", "electrical_fire.residual_current_high"),
    ]
