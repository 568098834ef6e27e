"""What a device kind declares: its values, events, attributes, rules and placement."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from gridloop.domain.devices.rules import OFFLINE, RuleSpec


@dataclass(frozen=True)
class ValueField:
    """A reported value with its unit and the physically possible range (outside: rejected)."""

    name: str
    unit: str
    low: float
    high: float
    label_zh: str
    status: bool = False  # a status value (battery...) keeps a message a heartbeat


@dataclass(frozen=True)
class EventType:
    name: str
    label_zh: str
    attrs: tuple[str, ...] = ()


@dataclass(frozen=True)
class AttrSpec:
    """A device attribute set at installation (devices.csv `attrs`)."""

    name: str
    type: type  # int, float, str or bool
    required: bool = False
    low: float | None = None
    high: float | None = None
    label_zh: str = ""


RULE_OVERRIDES = "rules"
"""The device attribute that overrides rule params for one device."""


class PlacedPer(StrEnum):
    """Where the district simulator installs devices of a kind."""

    BUILDING = "building"
    COMPOUND = "compound"
    COMMUNITY = "community"
    ELDERLY_RESIDENT = "elderly_resident"  # one per resident tagged elderly_alone


@dataclass(frozen=True)
class Placement:
    """Simulator behaviour: `share` of the units of `per` get `count` devices each."""

    per: PlacedPer
    share: float
    count: int = 1
    attr_choices: Mapping[str, tuple[object, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "attr_choices", MappingProxyType(dict(self.attr_choices)))


@dataclass(frozen=True)
class DeviceKind:
    code: str  # e.g. "electrical_fire"
    label_zh: str
    label_en: str
    id_prefix: str  # simulator's device id prefix, e.g. "EFM"
    values: tuple[ValueField, ...]
    events: tuple[EventType, ...]
    attrs: tuple[AttrSpec, ...]
    rules: tuple[RuleSpec, ...]
    placement: Placement

    def __post_init__(self) -> None:
        codes = [r.code for r in self.rules]
        if len(set(codes)) != len(codes):
            raise ValueError(f"kind {self.code}: duplicate rule codes")

    @property
    def all_rules(self) -> tuple[RuleSpec, ...]:
        """The kind's own rules plus the shared offline rule."""
        return (*self.rules, OFFLINE)

    def rule(self, code: str) -> RuleSpec:
        for r in self.all_rules:
            if r.code == code:
                return r
        raise KeyError(f"{self.code}.{code}")

    def value(self, name: str) -> ValueField:
        for v in self.values:
            if v.name == name:
                return v
        raise KeyError(f"{self.code} has no value {name!r}")

    def attrs_problems(self, attrs: Mapping[str, object]) -> list[str]:
        """Why these installation attributes do not fit this kind (empty when they do)."""
        problems: list[str] = []
        specs = {a.name: a for a in self.attrs}
        for spec in self.attrs:
            if spec.required and spec.name not in attrs:
                problems.append(f"{self.code} needs attribute {spec.name!r}")
        if RULE_OVERRIDES in attrs:
            problems += self._override_problems(attrs[RULE_OVERRIDES])
        for name, value in attrs.items():
            spec_or_none = specs.get(name)
            if spec_or_none is None:
                continue  # free-form attributes (model, installer...) are kept as given
            problems += _attr_value_problems(spec_or_none, value)
        return problems

    def _override_problems(self, overrides: object) -> list[str]:
        """Per-device rule overrides: {"rules": {rule_code: {param: number}}}."""
        if not isinstance(overrides, dict):
            return [f"attribute {RULE_OVERRIDES!r} must be an object of rule codes"]
        problems: list[str] = []
        for code, params in overrides.items():
            try:
                rule = self.rule(code)
            except KeyError:
                known = ", ".join(r.code for r in self.all_rules)
                problems.append(f"{self.code} has no rule {code!r}; known: {known}")
                continue
            if not isinstance(params, dict):
                problems.append(f"override of rule {code!r} must be an object of params")
                continue
            for name, value in params.items():
                if name not in rule.params:
                    problems.append(f"rule {code!r} has no param {name!r}")
                elif not isinstance(value, int | float) or isinstance(value, bool):
                    problems.append(f"param {code}.{name} must be a number, got {value!r}")
        return problems


def _attr_value_problems(spec: AttrSpec, value: object) -> list[str]:
    numeric = spec.type in (int, float)
    ok_type = (
        isinstance(value, int | float) and not isinstance(value, bool)
        if numeric
        else isinstance(value, spec.type)
    )
    if not ok_type:
        return [f"attribute {spec.name!r} must be {spec.type.__name__}, got {value!r}"]
    if numeric:
        number = float(value)  # type: ignore[arg-type]
        if (spec.low is not None and number < spec.low) or (
            spec.high is not None and number > spec.high
        ):
            return [f"attribute {spec.name!r}={value} outside [{spec.low}, {spec.high}]"]
    return []
