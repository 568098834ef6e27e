"""Buildings (楼栋) in compounds (小区): inside their grid, households adding up to the grid's."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray

from gridloop.domain.buildings import Building
from gridloop.simulator.geography import CommunityPlan, GridPlan, StreetPlan, Tiling
from gridloop.simulator.names import NameBank
from gridloop.simulator.presets import Preset
from gridloop.simulator.voronoi import sample_in

# Buildings keep a few metres from their grid's edge, so rounding never pushes one outside.
SHRINKS_DEG = (5e-5, 1.5e-5, 3e-6)
STANDALONE_SHARE = 0.25  # grids with one building outside any compound (沿街独栋)


@dataclass(frozen=True)
class SimBuilding:
    """A building with what the other generators need to know about it."""

    building: Building
    community_code: str
    floors: int
    units: int  # 单元 (stairwells)


@dataclass(frozen=True)
class Housing:
    buildings: list[SimBuilding]
    households: dict[str, int]  # grid code → households


def build_housing(tiling: Tiling, preset: Preset, rng: np.random.Generator) -> Housing:
    """Every grid's buildings, in grid code order."""
    names = NameBank(rng)
    out: list[SimBuilding] = []
    households: dict[str, int] = {}
    for street in tiling.streets:
        for community in street.communities:
            roads = names.roads(int(rng.integers(2, 5)))
            for grid in community.grids:
                where = _Where(street, community, grid, roads)
                if grid.facility is None:
                    low, high = preset.households_per_grid
                    total = int(rng.integers(low, high + 1))
                    out += _residential(where, total, preset, rng, names)
                else:
                    total = 0
                    out += _facility(where, rng)
                households[grid.code] = total
    return Housing(out, households)


@dataclass(frozen=True)
class _Where:
    street: StreetPlan
    community: CommunityPlan
    grid: GridPlan
    roads: list[str]

    def address(self, rng: np.random.Generator, place: str) -> str:
        road = self.roads[int(rng.integers(len(self.roads)))]
        number = int(rng.integers(1, 300))
        return f"{self.street.name}{self.community.name} {road}{number}号{place}"


def points_in(grid: shapely.Geometry, n: int, rng: np.random.Generator) -> NDArray[np.float64]:
    """`n` points strictly inside `grid`, a few metres from its edge, rounded to 6 decimals."""
    for shrink in SHRINKS_DEG:
        inner = shapely.buffer(grid, -shrink)
        if not inner.is_empty:
            return np.round(sample_in(inner, n, rng), 6)
    return np.round(np.repeat(shapely.get_coordinates(grid.point_on_surface()), n, axis=0), 6)


def split_households(total: int, n: int, rng: np.random.Generator) -> list[int]:
    """`n` building sizes summing to `total`, none far from the mean."""
    weights = rng.uniform(0.7, 1.3, n)
    exact = total * weights / weights.sum()
    sizes = np.floor(exact).astype(np.int64)
    short = total - int(sizes.sum())
    sizes[np.argsort(sizes - exact, kind="stable")[:short]] += 1
    return [int(s) for s in sizes]


def _shape(households: int) -> tuple[int, int]:
    """(floors, units) of a building: two flats per floor and stairwell."""
    floors = 6 if households <= 48 else 11 if households <= 110 else 18
    return floors, max(1, math.ceil(households / (2 * floors)))


def _residential(
    where: _Where, total: int, preset: Preset, rng: np.random.Generator, names: NameBank
) -> list[SimBuilding]:
    low, high = preset.buildings_per_grid
    n = int(rng.integers(low, high + 1))
    points = points_in(where.grid.geom, n, rng)
    n_compounds = int(rng.integers(preset.compounds_per_grid[0], preset.compounds_per_grid[1] + 1))
    n_compounds = min(n_compounds, n)
    # Buildings join the compound whose first building is nearest: compounds are contiguous.
    centres = points[:n_compounds]
    dist = np.hypot(*(points[:, None, :] - centres[None, :, :]).transpose(2, 0, 1))
    member = np.argmin(dist, axis=1)
    if n > n_compounds and rng.random() < STANDALONE_SHARE:
        member[-1] = -1
    compound_names = names.compounds(n_compounds)
    sizes = split_households(total, n, rng)
    out: list[SimBuilding] = []
    for c in [*range(n_compounds), -1]:
        idx = np.flatnonzero(member == c).tolist()
        if not idx:
            continue
        compound = compound_names[c] if c >= 0 else ""
        gate = where.address(rng, compound)
        for no, i in enumerate(idx, start=1):
            if compound:
                name, address = f"{compound}{no}号楼", f"{gate}{no}号楼"
            else:
                name, address = gate.split(" ")[-1], gate
            code = f"{where.grid.code}{len(out) + 1:03d}"
            out.append(_make(where, code, name, address, points[i], sizes[i], compound))
    return out


def _make(
    where: _Where,
    code: str,
    name: str,
    address: str,
    point: NDArray[np.float64],
    households: int,
    compound: str,
) -> SimBuilding:
    floors, units = _shape(households)
    building = Building(
        code=code,
        name=name,
        lon=float(point[0]),
        lat=float(point[1]),
        address=address,
        households=households,
        compound=compound,
        grid_code=where.grid.code,
    )
    return SimBuilding(building, where.community.code, floors, units)


def _facility(where: _Where, rng: np.random.Generator) -> list[SimBuilding]:
    facility = where.grid.facility
    assert facility is not None
    points = points_in(where.grid.geom, len(facility.buildings), rng)
    gate = where.address(rng, facility.name)
    out: list[SimBuilding] = []
    for no, (label, point) in enumerate(zip(facility.buildings, points, strict=True), start=1):
        building = Building(
            code=f"{where.grid.code}{no:03d}",
            name=f"{facility.name}{label}",
            lon=float(point[0]),
            lat=float(point[1]),
            address=f"{gate}{label}",
            households=0,
            compound="",
            grid_code=where.grid.code,
        )
        out.append(SimBuilding(building, where.community.code, 4, 1))
    return out
