"""A district's whole registry as one value: what an import directory holds."""

from __future__ import annotations

from dataclasses import dataclass

from gridloop.domain.buildings import Building
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
