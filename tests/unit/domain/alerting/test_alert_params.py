"""Rule params in force for a device: device attrs, then kind configuration, then default."""

from __future__ import annotations

from alerting_support import CATALOG

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
