"""A district's whole registry as one value: what an import directory holds."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from gridloop.domain.buildings import Building, compounds_of
from gridloop.domain.devices.device import Device
from gridloop.domain.people import Department, GridWorker, Resident
from gridloop.domain.regions import District, Grid


@dataclass(frozen=True)
class DistrictRegistry:
    """Everything below one district, in the order the import format lists it."""

    district: District
    grids: tuple[Grid, ...]
    buildings: tuple[Building, ...]
    workers: tuple[GridWorker, ...]
    devices: tuple[Device, ...]
    residents: tuple[Resident, ...]
    departments: tuple[Department, ...] = ()


@dataclass(frozen=True)
class RegistryStats:
    """Counts that `gridloop stats` prints."""

    streets: int
    communities: int
    grids: int
    compounds: int
    buildings: int
    households: int
    workers: int
    full_time_workers: int
    devices: int
    devices_by_kind: dict[str, int]
    residents: int
    residents_by_tag: dict[str, int]
    departments: int

    def as_json(self) -> dict[str, object]:
        return {
            "streets": self.streets,
            "communities": self.communities,
            "grids": self.grids,
            "compounds": self.compounds,
            "buildings": self.buildings,
            "households": self.households,
            "workers": self.workers,
            "full_time_workers": self.full_time_workers,
            "devices": self.devices,
            "devices_by_kind": dict(self.devices_by_kind),
            "residents": self.residents,
            "residents_by_tag": dict(self.residents_by_tag),
            "departments": self.departments,
        }


def count_registry(registry: DistrictRegistry, kind_codes: list[str]) -> RegistryStats:
    """Stats of an in-memory registry; every known kind appears, with 0 when absent."""
    by_kind = Counter(d.kind for d in registry.devices)
    by_tag = Counter(t.value for r in registry.residents for t in r.tags)
    return RegistryStats(
        streets=len(registry.district.streets),
        communities=len(registry.district.communities()),
        grids=len(registry.grids),
        compounds=len(compounds_of(registry.buildings)),
        buildings=len(registry.buildings),
        households=sum(b.households for b in registry.buildings),
        workers=len(registry.workers),
        full_time_workers=sum(1 for w in registry.workers if w.employment == "full_time"),
        devices=len(registry.devices),
        devices_by_kind={k: by_kind.get(k, 0) for k in sorted({*kind_codes, *by_kind})},
        residents=len(registry.residents),
        residents_by_tag=dict(sorted(by_tag.items())),
        departments=len(registry.departments),
    )
