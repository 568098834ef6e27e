"""Geometry defects in grid polygons: malformed rings, invalid polygons, overlapping grids."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from numpy.typing import NDArray

from gridloop.adapters.spatial_index import areas_m2, to_shape
from gridloop.domain.geometry import Area
from gridloop.domain.problems import Problem
from gridloop.domain.regions import Grid

FIELD = "geometry"
MAX_OVERLAP_M2 = 1.0
VALID = "Valid Geometry"


def _ring_problems(area: Area) -> list[str]:
    """Why rings of `area` are malformed: too short or not closed."""
    found: list[str] = []
    for p, poly in enumerate(area.polygons, start=1):
        if not poly:
            found.append(f"polygon {p} has no rings")
        for r, ring in enumerate(poly):
            which = f"polygon {p} {'shell' if r == 0 else f'hole {r}'}"
            if len(ring) < 4:
                found.append(f"{which} has {len(ring)} point(s), a ring needs at least 4")
            elif ring[0] != ring[-1]:
                found.append(f"{which} is not closed: first point {ring[0]} != last {ring[-1]}")
    return found


def _overlap_problems(
    grids: Sequence[tuple[Grid, int]], shapes: NDArray[np.object_], file: str
) -> list[Problem]:
    """Pairs of grids sharing more than MAX_OVERLAP_M2, reported on the later grid's line."""
    if len(shapes) < 2:
        return []
    # One bulk STRtree query finds candidates; touching neighbours are among them and
    # are filtered out below by their ~0 intersection area.
    left, right = shapely.STRtree(shapes).query(shapes, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    overlap = _intersection_areas_m2(shapes[left], shapes[right])
    found: list[Problem] = []
    for a, b, m2 in zip(left.tolist(), right.tolist(), overlap.tolist(), strict=True):
        if m2 <= MAX_OVERLAP_M2:
            continue
        (grid_a, line_a), (grid_b, line_b) = grids[a], grids[b]
        if line_a > line_b:
            (grid_a, line_a), (grid_b, line_b) = (grid_b, line_b), (grid_a, line_a)
        found.append(
            Problem(
                file,
                line_b,
                FIELD,
                f"grid {grid_b.code} overlaps grid {grid_a.code} (line {line_a}) by {m2:,.1f} m²",
            )
        )
    return found


def _intersection_areas_m2(a: NDArray[np.object_], b: NDArray[np.object_]) -> NDArray[np.float64]:
    """Area in m² of each pairwise intersection a[i] ∩ b[i]."""
    try:
        return areas_m2(shapely.intersection(a, b))
    except shapely.errors.GEOSException:
        # A robustness failure on one pair would lose the whole batch; retry one by one
        # and treat a pair GEOS cannot intersect as not overlapping rather than crash.
        out = np.zeros(len(a), dtype=np.float64)
        for i, (ga, gb) in enumerate(zip(a, b, strict=True)):
            try:
                out[i] = areas_m2([shapely.intersection(ga, gb)])[0]
            except shapely.errors.GEOSException:
                out[i] = 0.0
        return out


def grid_geometry_problems(grids: Sequence[tuple[Grid, int]], file: str) -> list[Problem]:
    """Every geometry problem in `grids` (each with its line in `file`), sorted by line.

    Malformed rings and invalid polygons are reported per grid; such grids are left out
    of the overlap check, whose results would be meaningless for them.
    """
    found: list[Problem] = []
    usable: list[tuple[Grid, int]] = []
    shapes: list[shapely.Geometry] = []
    for grid, line in grids:
        ring_issues = _ring_problems(grid.area)
        for issue in ring_issues:
            found.append(Problem(file, line, FIELD, f"grid {grid.code}: {issue}"))
        if ring_issues:
            continue
        try:
            shape = to_shape(grid.area)
        except (ValueError, TypeError, shapely.errors.ShapelyError) as exc:
            found.append(Problem(file, line, FIELD, f"grid {grid.code}: unusable polygon: {exc}"))
            continue
        usable.append((grid, line))
        shapes.append(shape)

    shape_arr = np.empty(len(shapes), dtype=object)
    shape_arr[:] = shapes
    reasons = shapely.is_valid_reason(shape_arr)
    valid = np.asarray(reasons == VALID, dtype=bool)
    for (grid, line), reason, ok in zip(usable, reasons.tolist(), valid.tolist(), strict=True):
        if not ok:
            found.append(Problem(file, line, FIELD, f"grid {grid.code}: invalid polygon: {reason}"))

    valid_grids = [pair for pair, ok in zip(usable, valid.tolist(), strict=True) if ok]
    found.extend(_overlap_problems(valid_grids, shape_arr[valid], file))
    return sorted(found)
