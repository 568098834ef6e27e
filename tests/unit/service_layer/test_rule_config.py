"""Kind-level rule parameters come from a TOML file and are checked against the kinds."""

from __future__ import annotations

from pathlib import Path

import pytest

from gridloop.config import ConfigError, Settings
from gridloop.domain.devices.catalog import default_catalog
from gridloop.service_layer.telemetry_setup import RuleConfigError, checked_rule_config


def settings_with(tmp_path: Path, text: str) -> Settings:
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return Settings(db_path=tmp_path / "g.db", rules_path=path)


def test_a_rules_file_overrides_a_kinds_threshold(tmp_path: Path) -> None:
    settings = settings_with(tmp_path, "[electrical_fire.residual_current_high]\nthreshold = 320\n")
    config = checked_rule_config(default_catalog(), settings.rule_params())
    assert config.params == {"electrical_fire.residual_current_high": {"threshold": 320.0}}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[toaster.burn]\nthreshold = 1\n", "unknown device kind"),
        ("[electrical_fire.melting]\nthreshold = 1\n", "has no rule 'melting'"),
        ("[electrical_fire.cable_overheat]\nlimit = 80\n", "has no param 'limit'"),
    ],
)
def test_a_rules_file_naming_what_does_not_exist_is_refused(
    tmp_path: Path, text: str, words: str
) -> None:
    with pytest.raises(RuleConfigError, match=words):
        checked_rule_config(default_catalog(), settings_with(tmp_path, text).rule_params())


def test_a_rules_file_that_is_not_toml_says_where(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"rules\.toml"):
        settings_with(tmp_path, "[electrical_fire.cable_overheat\n").rule_params()


def test_a_param_that_is_not_a_number_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="must map params to numbers"):
        settings_with(tmp_path, '[gas_detector.gas_leak]\nthreshold = "20"\n').rule_params()
