"""Where a case goes besides the grid: departments by category (configuration, not code).

A category matches an entry exactly, or by its kind prefix: "gas_detector.*" covers every rule
of the gas detector. Exact entries win over prefixes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

DEFAULT_ROUTES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {  # the simulated districts' departments: D02 fire brigade, D03 power, D04 gas, D06 police
        "gas_detector.gas_leak": ("D04",),
        "smoke_detector.smoke_alarm": ("D02",),
        "electrical_fire.residual_current_critical": ("D02", "D03"),
        "electrical_fire.cable_overheat": ("D03",),
        "camera.thrown_object": ("D06",),
        "camera.fire_lane_blocked": ("D02",),
    }
)


@dataclass(frozen=True)
class RoutingTable:
    routes: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: DEFAULT_ROUTES)

    def __post_init__(self) -> None:
        object.__setattr__(self, "routes", MappingProxyType(dict(self.routes)))

    @classmethod
    def from_config(cls, config: Mapping[str, object], key: str = "routing") -> RoutingTable:
        """`{"gas_detector.gas_leak": ["D04"], "camera.*": "D06"}`; a ValueError names the key."""
        routes: dict[str, tuple[str, ...]] = {}
        for category, value in config.items():
            codes = [value] if isinstance(value, str) else value
            if not isinstance(codes, list) or not all(isinstance(c, str) and c for c in codes):
                why = "expected a department code or a list of them"
                raise ValueError(f"{key}.{category}: {why}, got {value!r}")
            routes[category] = tuple(codes)
        return cls(routes)

    def departments_for(self, category: str) -> tuple[str, ...]:
        if (exact := self.routes.get(category)) is not None:
            return exact
        kind, dot, _ = category.partition(".")
        return self.routes.get(f"{kind}.*", ()) if dot else ()

    def unknown_departments(self, known: set[str]) -> list[str]:
        """Department codes the table names that the registry does not hold."""
        return sorted({c for codes in self.routes.values() for c in codes} - known)
