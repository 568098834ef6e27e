"""What the case service needs to know of the registry, loaded once: places and people."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from gridloop.domain.cases.errors import ReportRefused
from gridloop.domain.registry import DistrictRegistry
from gridloop.service_layer.ports import GridLocator


@dataclass(frozen=True)
class Location:
    """A case's place, resolved to the registry's regions."""

    lon: float | None
    lat: float | None
    building_code: str | None
    grid_code: str
    community_code: str
    street_code: str

    def payload(self) -> dict[str, object]:
        return {
            "lon": self.lon,
            "lat": self.lat,
            "building_code": self.building_code,
            "grid_code": self.grid_code,
            "community_code": self.community_code,
            "street_code": self.street_code,
        }


@dataclass(frozen=True)
class DevicePoint:
    kind: str
    building_code: str
    lon: float
    lat: float
    grid_code: str


@dataclass
class CaseDirectory:
    district_code: str
    community_of_grid: Mapping[str, str]
    street_of_community: Mapping[str, str]
    workers_of_grid: Mapping[str, tuple[str, ...]]
    grids_of_worker: Mapping[str, tuple[str, ...]]
    buildings: Mapping[str, tuple[float, float, str]]  # code → lon, lat, grid
    devices: Mapping[str, DevicePoint]
    departments: frozenset[str]
    locator: GridLocator
    names: Mapping[str, str] = field(default_factory=dict)  # region or worker code → name

    @classmethod
    def from_registry(cls, registry: DistrictRegistry, locator: GridLocator) -> CaseDirectory:
        street_of_community = {
            c.code: s.code for s in registry.district.streets for c in s.communities
        }
        workers: dict[str, list[str]] = defaultdict(list)
        for w in registry.workers:
            for g in w.grid_codes:
                workers[g].append(w.id)
        names = {s.code: s.name for s in registry.district.streets}
        names.update({c.code: c.name for s in registry.district.streets for c in s.communities})
        names.update({g.code: g.name for g in registry.grids})
        names.update({w.id: w.name for w in registry.workers})
        names.update({d.code: d.name for d in registry.departments})
        return cls(
            district_code=registry.district.code,
            community_of_grid={g.code: g.community_code for g in registry.grids},
            street_of_community=street_of_community,
            workers_of_grid={g: tuple(sorted(ws)) for g, ws in workers.items()},
            grids_of_worker={w.id: w.grid_codes for w in registry.workers},
            buildings={b.code: (b.lon, b.lat, b.grid_code) for b in registry.buildings},
            devices={
                d.id: DevicePoint(d.kind, d.building_code, d.lon, d.lat, d.grid_code)
                for d in registry.devices
            },
            departments=frozenset(d.code for d in registry.departments),
            locator=locator,
            names=names,
        )

    def locate(
        self,
        lon: float | None = None,
        lat: float | None = None,
        building_code: str | None = None,
        grid_code: str | None = None,
    ) -> Location:
        """Resolve a report's place: a building, else a point, else a grid; ReportRefused says
        why none is usable (unknown building, point outside every grid, nothing given)."""
        if building_code:
            if building_code not in self.buildings:
                raise _bad("building_code", f"unknown building {building_code!r}")
            b_lon, b_lat, b_grid = self.buildings[building_code]
            if lon is None or lat is None:
                lon, lat = b_lon, b_lat
            return self._in_grid(lon, lat, building_code, b_grid)
        if lon is not None and lat is not None:
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                raise _bad("lon/lat", f"({lon}, {lat}) is not a WGS84 point")
            found = self.locator.locate_many([lon], [lat])[0]
            if found is None:
                raise _bad("lon/lat", f"({lon}, {lat}) lies outside every grid of the district")
            return self._in_grid(lon, lat, None, found)
        if grid_code:
            if grid_code not in self.community_of_grid:
                raise _bad("grid_code", f"unknown grid {grid_code!r}")
            return self._in_grid(None, None, None, grid_code)
        raise _bad("location", "the report gives no building_code, lon/lat or grid_code")

    def _in_grid(
        self, lon: float | None, lat: float | None, building: str | None, grid: str
    ) -> Location:
        community = self.community_of_grid.get(grid, "")
        return Location(
            lon, lat, building, grid, community, self.street_of_community.get(community, "")
        )


def _bad(field_name: str, why: str) -> ReportRefused:
    return ReportRefused(field_name, why)
