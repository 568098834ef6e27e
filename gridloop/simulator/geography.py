"""The tiling: district outline → streets → communities → grids, nested and without gaps."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
import shapely
from numpy.typing import NDArray

from gridloop.simulator.coverage import snap_to_micro_degrees
from gridloop.simulator.names import NameBank
from gridloop.simulator.presets import Facility, Preset
from gridloop.simulator.specials import carve, river_split
from gridloop.simulator.voronoi import Frame, split

MAX_RIVER_TRIES = 400
# Streets and communities are few: relaxing them longer keeps their sizes comparable.
UPPER_ROUNDS = 8
T = TypeVar("T")


@dataclass
class GridPlan:
    geom: shapely.Geometry  # metres while tiling, WGS-84 degrees once snapped
    facility: Facility | None = None
    code: str = ""
    name: str = ""
    river: bool = False  # split in two by a river channel


@dataclass
class CommunityPlan:
    geom: shapely.Polygon  # metres
    grids: list[GridPlan] = field(default_factory=list)
    code: str = ""
    name: str = ""


@dataclass
class StreetPlan:
    geom: shapely.Polygon  # metres
    communities: list[CommunityPlan] = field(default_factory=list)
    code: str = ""
    name: str = ""


@dataclass
class Tiling:
    outline: shapely.Polygon  # WGS-84 degrees
    streets: list[StreetPlan]

    def communities(self) -> list[CommunityPlan]:
        return [c for s in self.streets for c in s.communities]

    def grids(self) -> list[GridPlan]:
        return [g for c in self.communities() for g in c.grids]


def spread(total: int, parts: int, low: int, high: int, rng: np.random.Generator) -> list[int]:
    """`parts` whole numbers in [low, high] summing to `total`, drawn at random."""
    if not low * parts <= total <= high * parts:
        raise ValueError(f"{total} cannot be spread over {parts} parts of {low}–{high}")
    counts = np.full(parts, low, dtype=np.int64)
    for _ in range(total - low * parts):
        open_parts = np.flatnonzero(counts < high)
        counts[open_parts[rng.integers(len(open_parts))]] += 1
    return [int(c) for c in counts]


def reading_order(points: NDArray[np.float64]) -> list[int]:
    """Indices of `points` in rows north→south, each row west→east (how grids are numbered)."""
    n = len(points)
    rows = max(1, round(math.sqrt(n)))
    by_lat = sorted(range(n), key=lambda i: (-points[i, 1], points[i, 0]))
    order: list[int] = []
    for row in np.array_split(np.array(by_lat, dtype=np.int64), rows):
        order.extend(sorted(row.tolist(), key=lambda i: (points[i, 0], -points[i, 1])))
    return order


def _in_reading_order(items: list[T], geoms: list[shapely.Geometry]) -> list[T]:
    points = shapely.get_coordinates(shapely.point_on_surface(np.asarray(geoms, dtype=object)))
    return [items[i] for i in reading_order(points)]


def build_tiling(
    preset: Preset,
    rng: np.random.Generator,
    names: NameBank,
    progress: Callable[[str], None] | None = None,
) -> Tiling:
    """Split the preset's outline into coded, named streets, communities and grids."""
    outline = shapely.Polygon(preset.outline)
    centre = outline.centroid
    frame = Frame(centre.x, centre.y)
    outline_m = frame.to_metres(outline)
    per_street = preset.communities / preset.streets
    street_counts = spread(
        preset.communities,
        preset.streets,
        max(1, round(per_street * 0.75)),
        max(1, round(per_street * 1.25)),
        rng,
    )
    streets = [StreetPlan(g) for g in split(outline_m, preset.streets, rng, UPPER_ROUNDS)]
    streets = _in_reading_order(streets, [s.geom for s in streets])
    grid_counts = iter(spread(preset.grids, preset.communities, *preset.grids_per_community, rng))
    hosts = set(rng.choice(preset.communities, size=len(preset.facilities), replace=False).tolist())
    facilities = iter(preset.facilities)
    index = 0
    for s_no, (street, n_communities) in enumerate(zip(streets, street_counts, strict=True), 1):
        parts = split(street.geom, n_communities, rng, UPPER_ROUNDS)
        street.communities = _in_reading_order([CommunityPlan(p) for p in parts], parts)
        for community in street.communities:
            facility = next(facilities) if index in hosts else None
            _split_community(community, next(grid_counts), facility, rng)
            index += 1
        if progress is not None:
            progress(f"tiling: street {s_no}/{len(streets)}")
    _add_rivers(streets, preset.rivers, rng)
    tiling = Tiling(outline, streets)
    _snap(tiling, frame)
    _name(tiling, preset, names)
    return tiling


def _split_community(
    community: CommunityPlan, n_grids: int, facility: Facility | None, rng: np.random.Generator
) -> None:
    """`n_grids` grids; with a facility, one of them is its special grid inside the largest."""
    cells = split(community.geom, n_grids - (facility is not None), rng)
    community.grids = [GridPlan(c) for c in cells]
    if facility is not None:
        host = max(community.grids, key=lambda g: g.geom.area)
        host.geom, hole = carve(host.geom, facility, rng)
        community.grids.append(GridPlan(hole, facility=facility))


def _add_rivers(streets: list[StreetPlan], rivers: int, rng: np.random.Generator) -> None:
    """Hand a channel across `rivers` grids to a neighbour of the same community."""
    pairs = [
        (a, b)
        for s in streets
        for c in s.communities
        for a in c.grids
        for b in c.grids
        if a is not b and a.facility is None and b.facility is None
    ]
    # A grid with a special grid's hole stays whole: a river through the hole would be a mess.
    plain = [(a, b) for a, b in pairs if not a.geom.interiors]
    used: list[GridPlan] = []
    tries = 0
    for i in rng.permutation(len(plain)).tolist():
        if rivers <= 0 or tries >= MAX_RIVER_TRIES:
            break
        bank, neighbour = plain[i]
        if any(g is bank or g is neighbour for g in used) or not bank.geom.touches(neighbour.geom):
            continue
        tries += 1
        result = river_split(bank.geom, neighbour.geom)
        if result is None:
            continue
        bank.geom, neighbour.geom = result
        bank.river = True
        used += [bank, neighbour]
        rivers -= 1


def _snap(tiling: Tiling, frame: Frame) -> None:
    grids = tiling.grids()
    metres = np.asarray([g.geom for g in grids], dtype=object)
    snapped = snap_to_micro_degrees(frame.to_degrees(metres), tiling.outline)
    for grid, geom in zip(grids, snapped, strict=True):
        grid.geom = geom


def _name(tiling: Tiling, preset: Preset, names: NameBank) -> None:
    street_names = names.street_names(len(tiling.streets), preset.street_names)
    community_names = iter(names.community_names(len(tiling.communities())))
    for s_no, street in enumerate(tiling.streets, start=1):
        street.code, street.name = f"{preset.district_code}{s_no:03d}", street_names[s_no - 1]
        for c_no, community in enumerate(street.communities, start=1):
            community.code, community.name = f"{street.code}{c_no:03d}", next(community_names)
            ordered = _in_reading_order(community.grids, [g.geom for g in community.grids])
            community.grids = ordered
            for g_no, grid in enumerate(ordered, start=1):
                grid.code = f"{community.code}{g_no:03d}"
                grid.name = (
                    f"{grid.facility.name}专属网格"
                    if grid.facility is not None
                    else f"{community.name}第{g_no}网格"
                )
