"""Point → grid lookup over grid polygons, backed by a Shapely STRtree."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray

from gridloop.domain.geometry import Area
from gridloop.domain.regions import Grid

M_PER_DEG_LAT = 110_540.0
M_PER_DEG_LON_AT_EQUATOR = 111_320.0
NO_GRID = -1


def to_shape(area: Area) -> shapely.Polygon | shapely.MultiPolygon:
    """The Shapely Polygon/MultiPolygon of an area (first ring is the shell, the rest holes)."""
    polygons = [shapely.Polygon(poly[0], poly[1:]) for poly in area.polygons]
    return shapely.MultiPolygon(polygons) if area.multi else polygons[0]


def _scale_m2(mean_lat: NDArray[np.float64]) -> NDArray[np.float64]:
    """m² per square degree at each latitude (equirectangular approximation)."""
    return M_PER_DEG_LON_AT_EQUATOR * np.cos(np.radians(mean_lat)) * M_PER_DEG_LAT


def areas_m2(geoms: ArrayLike) -> NDArray[np.float64]:
    """Approximate area in m² of each lon/lat geometry (equirectangular at its mean latitude)."""
    arr = np.asarray(geoms, dtype=object)
    bounds = shapely.bounds(arr)
    mean_lat = (bounds[..., 1] + bounds[..., 3]) / 2.0
    # Empty geometries have NaN bounds; their area is 0 whatever the scale.
    scale = np.nan_to_num(_scale_m2(mean_lat), nan=0.0)
    return np.asarray(shapely.area(arr) * scale, dtype=np.float64)


def area_m2(geom: shapely.Geometry) -> float:
    """Approximate area in m² of one lon/lat geometry."""
    if geom.is_empty:
        return 0.0
    min_lat, max_lat = geom.bounds[1], geom.bounds[3]
    scale = M_PER_DEG_LON_AT_EQUATOR * math.cos(math.radians((min_lat + max_lat) / 2.0))
    return float(geom.area * scale * M_PER_DEG_LAT)


def outside(codes: Sequence[str | None]) -> list[int]:
    """Positions of the points that matched no grid, so the caller can report each one."""
    return [i for i, code in enumerate(codes) if code is None]


@dataclass(frozen=True)
class GridIndex:
    """Grids sorted by code, their shapes, and an STRtree over them.

    Sorting by code makes "smallest tree index" equal "smallest code", which is how a
    point on a shared boundary is given to exactly one grid, deterministically.
    """

    codes: tuple[str, ...]
    shapes: NDArray[np.object_]
    tree: shapely.STRtree

    @classmethod
    def build(cls, grids: Sequence[Grid]) -> GridIndex:
        """Index `grids`; raises ValueError naming the grid whose geometry cannot be built."""
        ordered = sorted(grids, key=lambda g: g.code)
        shapes = np.empty(len(ordered), dtype=object)
        for i, grid in enumerate(ordered):
            try:
                shapes[i] = to_shape(grid.area)
            except (ValueError, shapely.errors.ShapelyError) as exc:
                raise ValueError(f"grid {grid.code}: unusable geometry: {exc}") from exc
        return cls(tuple(g.code for g in ordered), shapes, shapely.STRtree(shapes))

    def __len__(self) -> int:
        return len(self.codes)

    def locate_indices(self, lons: ArrayLike, lats: ArrayLike) -> NDArray[np.intp]:
        """Index into `codes` of the grid holding each point, or NO_GRID (-1)."""
        x = np.asarray(lons, dtype=np.float64).ravel()
        y = np.asarray(lats, dtype=np.float64).ravel()
        if x.shape != y.shape:
            raise ValueError(f"{x.size} longitudes but {y.size} latitudes")
        n_grids = len(self.codes)
        best = np.full(x.size, n_grids, dtype=np.intp)
        if x.size and n_grids:
            pairs = self.tree.query(shapely.points(x, y), predicate="intersects")
            # Several matches only happen on shared boundaries; keep the smallest code.
            np.minimum.at(best, pairs[0], pairs[1])
        best[best == n_grids] = NO_GRID
        return best

    def locate_many(self, lons: ArrayLike, lats: ArrayLike) -> list[str | None]:
        """Code of the grid holding each point, or None where no grid does (see `outside`)."""
        idx = self.locate_indices(lons, lats)
        table = np.array([*self.codes, None], dtype=object)
        # NO_GRID (-1) picks the trailing None.
        return list(table[idx].tolist())

    def locate(self, lon: float, lat: float) -> str | None:
        """Code of the grid holding (lon, lat), or None."""
        return self.locate_many([lon], [lat])[0]
