"""Splitting a polygon into contiguous cells: relaxed Voronoi diagrams of random seeds."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray

M_PER_DEG_LAT = 111_320.0
LLOYD_ROUNDS = 3  # relaxations even out cell sizes; a few suffice for a lived-in unevenness


@dataclass(frozen=True)
class Frame:
    """A local plane in metres around (lon0, lat0): Voronoi cells look right only in metres."""

    lon0: float
    lat0: float

    @property
    def m_per_deg_lon(self) -> float:
        return M_PER_DEG_LAT * math.cos(math.radians(self.lat0))

    def to_metres(self, geom: shapely.Geometry) -> shapely.Geometry:
        scale = np.array([self.m_per_deg_lon, M_PER_DEG_LAT])
        origin = np.array([self.lon0, self.lat0])
        return shapely.transform(geom, lambda xy: (xy - origin) * scale)

    def to_degrees(self, geoms: NDArray[np.object_]) -> NDArray[np.object_]:
        scale = np.array([self.m_per_deg_lon, M_PER_DEG_LAT])
        origin = np.array([self.lon0, self.lat0])
        return np.asarray(shapely.transform(geoms, lambda xy: xy / scale + origin))


def polygons_of(geom: shapely.Geometry) -> list[shapely.Polygon]:
    """The polygon parts of any geometry (overlays may return lines and points too)."""
    parts = shapely.get_parts(geom)
    return [p for p in parts.tolist() if isinstance(p, shapely.Polygon) and not p.is_empty]


def sample_in(region: shapely.Geometry, n: int, rng: np.random.Generator) -> NDArray[np.float64]:
    """`n` uniform random points strictly inside `region`, as an (n, 2) array."""
    if n == 0:
        return np.empty((0, 2))
    shapely.prepare(region)
    x0, y0, x1, y1 = shapely.bounds(region)
    fill = max(float(shapely.area(region)) / max((x1 - x0) * (y1 - y0), 1e-18), 0.02)
    found: list[NDArray[np.float64]] = []
    have = 0
    while have < n:
        batch = int((n - have) / fill * 1.5) + 8
        xy = np.column_stack((rng.uniform(x0, x1, batch), rng.uniform(y0, y1, batch)))
        inside = xy[shapely.contains_xy(region, xy[:, 0], xy[:, 1])]
        found.append(inside)
        have += len(inside)
    return np.concatenate(found)[:n]


def split(
    parent: shapely.Polygon, k: int, rng: np.random.Generator, rounds: int = LLOYD_ROUNDS
) -> list[shapely.Polygon]:
    """`k` contiguous polygons that tile `parent` (each one Polygon, none empty)."""
    if k <= 1:
        return [parent]
    seeds = sample_in(parent, k, rng)
    for _ in range(rounds):
        cells = _cells(parent, seeds)
        seeds = _centres(parent, cells)
    return _contiguous(_cells(parent, seeds))


def _cells(parent: shapely.Polygon, seeds: NDArray[np.float64]) -> list[shapely.Geometry]:
    diagram = shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=parent, ordered=True)
    cells = shapely.intersection(shapely.get_parts(diagram), parent)
    return [shapely.union_all(polygons_of(c)) for c in cells.tolist()]


def _centres(parent: shapely.Polygon, cells: list[shapely.Geometry]) -> NDArray[np.float64]:
    arr = np.asarray(cells, dtype=object)
    centres = shapely.centroid(arr)
    # In a concave parent a centroid can fall outside; a point on the cell keeps the seed inside.
    outside = ~shapely.contains(parent, centres)
    centres[outside] = shapely.point_on_surface(arr[outside])
    return np.asarray(shapely.get_coordinates(centres), dtype=np.float64)


def _contiguous(cells: list[shapely.Geometry]) -> list[shapely.Polygon]:
    """Cells where a concave parent cut a cell in pieces give the strays to a neighbour."""
    kept: list[shapely.Geometry] = []
    strays: list[shapely.Polygon] = []
    for cell in cells:
        parts = sorted(polygons_of(cell), key=lambda p: -p.area)
        kept.append(parts[0])
        strays.extend(parts[1:])
    for stray in strays:
        arr = np.asarray(kept, dtype=object)
        shared = shapely.length(shapely.intersection(arr, stray.boundary))
        best = int(np.argmax(shared))
        kept[best] = shapely.union_all([kept[best], stray])
    return [_largest(c) for c in kept]


def _largest(geom: shapely.Geometry) -> shapely.Polygon:
    return max(polygons_of(geom), key=lambda p: p.area)
