"""Where a case goes besides the grid: department functions by category (configuration).

A category matches an entry exactly, or by its kind prefix: "gas_detector.*" covers every rule
of the gas detector. Exact entries win over prefixes. An entry names department functions
("fire", "gas") — the district's departments that have the function take the case — or, for a
district that wants one department whatever its functions, a department code ("D04"), which
must be in the registry. A function no department has routes to the grid alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from gridloop.domain.people import Department, DepartmentFunction

FUNCTIONS = frozenset(f.value for f in DepartmentFunction)

DEFAULT_ROUTES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "gas_detector.gas_leak": ("gas",),
        "smoke_detector.smoke_alarm": ("fire",),
        "electrical_fire.residual_current_critical": ("fire", "power"),
        "electrical_fire.cable_overheat": ("power",),
        "camera.thrown_object": ("police",),
        "camera.fire_lane_blocked": ("fire",),
    }
)


@dataclass(frozen=True)
class RoutingTable:
    """Category → functions (or codes); `bind` gives it the district's departments."""

    routes: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: DEFAULT_ROUTES)
    # function → codes of the departments that have it; empty until bound to a registry
    holders: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "routes", MappingProxyType(dict(self.routes)))
        object.__setattr__(self, "holders", MappingProxyType(dict(self.holders)))

    @classmethod
    def from_config(cls, config: Mapping[str, object], key: str = "routing") -> RoutingTable:
        """`{"gas_detector.*": ["gas"], "camera.*": "police"}`; a ValueError names the key."""
        routes: dict[str, tuple[str, ...]] = {}
        for category, value in config.items():
            names = [value] if isinstance(value, str) else value
            if not isinstance(names, list) or not all(isinstance(c, str) and c for c in names):
                why = "expected a department function (or code), or a list of them"
                raise ValueError(f"{key}.{category}: {why}, got {value!r}")
            routes[category] = tuple(names)
        return cls(routes)

    def bind(self, departments: Iterable[Department]) -> RoutingTable:
        """This table routing to `departments` (the registry's), by their functions."""
        holders: dict[str, list[str]] = {}
        for d in sorted(departments, key=lambda d: d.code):
            for f in d.functions:
                holders.setdefault(f.value, []).append(d.code)
        return RoutingTable(self.routes, {f: tuple(codes) for f, codes in holders.items()})

    def targets_for(self, category: str) -> tuple[str, ...]:
        """The functions and codes the table names for `category`."""
        if (exact := self.routes.get(category)) is not None:
            return exact
        kind, dot, _ = category.partition(".")
        return self.routes.get(f"{kind}.*", ()) if dot else ()

    def departments_for(self, category: str) -> tuple[str, ...]:
        """Codes of the departments that take `category` besides the grid (none: grid only)."""
        codes: list[str] = []
        for target in self.targets_for(category):
            codes += self.holders.get(target, ()) if target in FUNCTIONS else (target,)
        return tuple(dict.fromkeys(codes))

    def functions(self) -> list[str]:
        """The functions the table names, sorted."""
        return sorted({t for ts in self.routes.values() for t in ts if t in FUNCTIONS})

    def uncovered_functions(self) -> list[str]:
        """Functions the table names that no bound department has: those cases stay with the
        grid."""
        return [f for f in self.functions() if not self.holders.get(f)]

    def unknown_departments(self, known: set[str]) -> list[str]:
        """Names that are neither a function nor a department code the registry holds."""
        named = {t for ts in self.routes.values() for t in ts if t not in FUNCTIONS}
        return sorted(named - known)
