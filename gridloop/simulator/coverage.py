"""Rounding a tiling to 6 decimals without opening gaps or overlaps between neighbours."""

from __future__ import annotations

import numpy as np
import shapely
from numpy.typing import NDArray

GRID_SIZE = 1e-6  # degrees: 6 decimals, about 0.1 m


def snap_to_micro_degrees(
    regions: NDArray[np.object_], outline: shapely.Polygon
) -> list[shapely.Geometry]:
    """The same tiling with every vertex on the 1e-6° lattice and neighbours sharing edges."""
    # Rounding each region alone would move a vertex where three regions meet on one side only
    # (a T-junction between levels) and open slivers of several m². So all boundaries are noded
    # together with snap-rounding, the faces rebuilt, and each face handed back to its region.
    lines = np.append(shapely.boundary(regions), outline.boundary)
    noded = shapely.union_all(lines, grid_size=GRID_SIZE)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
    owners = _owners(faces, regions)
    order = np.argsort(owners, kind="stable")
    starts = np.searchsorted(owners[order], np.arange(len(regions) + 1))
    snapped: list[shapely.Geometry] = []
    for i in range(len(regions)):
        mine = faces[order[starts[i] : starts[i + 1]]]
        if len(mine) == 0:
            raise ValueError(f"region {i} vanished when rounded to {GRID_SIZE}°")
        geom = mine[0] if len(mine) == 1 else shapely.union_all(mine, grid_size=GRID_SIZE)
        snapped.append(geom)
    return list(shapely.orient_polygons(np.asarray(snapped, dtype=object)))


def _owners(faces: NDArray[np.object_], regions: NDArray[np.object_]) -> NDArray[np.int64]:
    """For each face, the region holding a point inside it (the nearest one for a stray sliver)."""
    probes = shapely.point_on_surface(faces)
    tree = shapely.STRtree(regions)
    face_idx, region_idx = tree.query(probes, predicate="within")
    owners = np.full(len(faces), len(regions), dtype=np.int64)
    np.minimum.at(owners, face_idx, region_idx)
    missing = np.flatnonzero(owners == len(regions))
    if len(missing):
        near_face, near_region = tree.query_nearest(probes[missing])
        # query_nearest may return ties; the lowest region index wins, for determinism.
        best = np.full(len(missing), len(regions), dtype=np.int64)
        np.minimum.at(best, near_face, near_region)
        owners[missing] = best
    return owners
