"""The rule parameters in force for a device: device attrs > kind configuration > default."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from gridloop.domain.devices.device import Device
from gridloop.domain.devices.kind import RULE_OVERRIDES, DeviceKind
from gridloop.domain.devices.rules import RuleSpec


@dataclass(frozen=True)
class DeviceProfile:
    """What the engine needs about a device."""

    id: str
    kind: str
    building_code: str = ""  # "" when not in a building: no inhibition applies
    attrs: Mapping[str, object] = field(default_factory=dict)

    @classmethod
    def of(cls, device: Device) -> DeviceProfile:
        return cls(device.id, device.kind, device.building_code, device.attrs)


@dataclass(frozen=True)
class RuleConfig:
    """Kind-level overrides, e.g. {"electrical_fire.residual_current_high": {"threshold": 320}}."""

    params: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    inhibit_minutes: float = 60  # an active smart_breaker.trip inhibits offline in its building


DEFAULT_CONFIG = RuleConfig()


def number(value: object) -> float | None:
    """The value as a float when it is a real number (bools are not), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def resolve_params(
    kind: DeviceKind, rule: RuleSpec, attrs: Mapping[str, object], config: RuleConfig
) -> dict[str, float]:
    """Every param of `rule` for one device; malformed overrides fall back to the next level."""
    kind_level = config.params.get(f"{kind.code}.{rule.code}", {})
    overrides = attrs.get(RULE_OVERRIDES)
    device_level = overrides.get(rule.code) if isinstance(overrides, Mapping) else None
    resolved: dict[str, float] = {}
    for name, default in rule.params.items():
        value = number(device_level.get(name)) if isinstance(device_level, Mapping) else None
        if value is None:
            value = number(kind_level.get(name))
        resolved[name] = float(default) if value is None else value
    return resolved


def config_problems(config: RuleConfig, kinds: Iterable[DeviceKind]) -> list[str]:
    """Why a rules configuration does not fit the kinds (empty when it does)."""
    by_code = {k.code: k for k in kinds}
    problems: list[str] = []
    for full, params in config.params.items():
        kind_code, _, rule_code = full.partition(".")
        kind = by_code.get(kind_code)
        if kind is None:
            problems.append(f"unknown device kind in rule {full!r}")
            continue
        try:
            rule = kind.rule(rule_code)
        except KeyError:
            problems.append(f"{kind_code} has no rule {rule_code!r}")
            continue
        for name, value in params.items():
            if name not in rule.params:
                problems.append(f"rule {full!r} has no param {name!r}")
            elif number(value) is None:
                problems.append(f"param {full}.{name} must be a number, got {value!r}")
    if config.inhibit_minutes < 0:
        problems.append("inhibit_minutes must be ≥ 0")
    return problems
