"""Irregular grids: special grids cut out as holes, and grids split in two by a river."""

from __future__ import annotations

import math

import numpy as np
import shapely
import shapely.affinity

from gridloop.simulator.presets import Facility
from gridloop.simulator.voronoi import polygons_of

FIT = 0.7  # the facility's corners stay within 70 % of the host's inscribed circle
RIVER_HALF_WIDTH_M = 18.0
MIN_SHARED_EDGE_M = 80.0
MIN_PIECE_SHARE = 0.2  # each bank keeps at least this share of the split grid


def carve(
    host: shapely.Polygon, facility: Facility, rng: np.random.Generator
) -> tuple[shapely.Polygon, shapely.Polygon]:
    """(host with a hole, the facility's polygon filling it), all in metres."""
    radius_line = shapely.maximum_inscribed_circle(host, tolerance=1.0)
    centre, edge = shapely.get_coordinates(radius_line)
    radius = float(np.hypot(*(edge - centre)))
    half_diagonal = math.hypot(facility.width_m, facility.height_m) / 2
    scale = min(1.0, FIT * radius / half_diagonal)
    w, h = facility.width_m * scale / 2, facility.height_m * scale / 2
    rect = shapely.box(centre[0] - w, centre[1] - h, centre[0] + w, centre[1] + h)
    rect = shapely.affinity.rotate(rect, float(rng.uniform(-25, 25)), origin=tuple(centre))
    return shapely.difference(host, rect), rect


def river_split(
    bank: shapely.Polygon, neighbour: shapely.Polygon
) -> tuple[shapely.MultiPolygon, shapely.Polygon] | None:
    """(two banks, neighbour + channel) for a river across `bank`; None unless it splits cleanly."""
    shared = shapely.intersection(bank.boundary, neighbour.boundary)
    if shared.length < MIN_SHARED_EDGE_M:
        return None
    mouth = shapely.line_interpolate_point(shapely.line_merge(shared), 0.5, normalized=True)
    if mouth.is_empty:
        return None
    middle = bank.centroid
    dx, dy = middle.x - mouth.x, middle.y - mouth.y
    reach = 4 * math.sqrt(bank.area) / max(math.hypot(dx, dy), 1e-9)
    course = shapely.LineString(
        [(mouth.x - dx * 0.5, mouth.y - dy * 0.5), (mouth.x + dx * reach, mouth.y + dy * reach)]
    )
    channel = shapely.intersection(course.buffer(RIVER_HALF_WIDTH_M, cap_style="flat"), bank)
    banks = polygons_of(shapely.difference(bank, channel))
    grown = polygons_of(shapely.union_all([neighbour, channel]))
    if len(banks) != 2 or len(grown) != 1 or len(polygons_of(channel)) != 1:
        return None
    if min(b.area for b in banks) < MIN_PIECE_SHARE * bank.area:
        return None
    return shapely.MultiPolygon(banks), grown[0]
