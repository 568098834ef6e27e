"""The tiling's building blocks: count spreading, numbering, Voronoi splits, snapping, specials."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from gridloop.simulator.coverage import snap_to_micro_degrees
from gridloop.simulator.geography import reading_order, spread
from gridloop.simulator.presets import Facility
from gridloop.simulator.specials import carve, river_split
from gridloop.simulator.voronoi import split


def test_spread_sums_to_the_total_within_bounds() -> None:
    counts = spread(480, 48, 8, 12, np.random.default_rng(1))
    assert sum(counts) == 480 and min(counts) >= 8 and max(counts) <= 12


def test_spread_refuses_an_impossible_total() -> None:
    with pytest.raises(ValueError, match="cannot be spread"):
        spread(100, 5, 8, 12, np.random.default_rng(1))


def test_reading_order_runs_north_to_south_then_west_to_east() -> None:
    points = np.array([(x, y) for y in (0.0, 1.0, 2.0) for x in (2.0, 0.0, 1.0)])
    ordered = [tuple(points[i]) for i in reading_order(points)]
    assert ordered == [(x, y) for y in (2.0, 1.0, 0.0) for x in (0.0, 1.0, 2.0)]


def test_split_tiles_its_parent_with_contiguous_cells() -> None:
    parent = shapely.Polygon([(0, 0), (900, 0), (900, 600), (450, 250), (0, 600)])
    cells = split(parent, 9, np.random.default_rng(4))
    assert len(cells) == 9 and all(isinstance(c, shapely.Polygon) for c in cells)
    assert shapely.union_all(cells).symmetric_difference(parent).area < 1e-6 * parent.area
    assert sum(c.area for c in cells) == pytest.approx(parent.area)


def test_snapping_keeps_t_junctions_closed() -> None:
    # The right side is cut in two at a point on the left's slanted edge: rounding each
    # polygon alone would move that point off the edge and open a sliver of several m².
    a, b = (101.0, 36.0), (101.0113, 36.01)
    t = (a[0] + (b[0] - a[0]) / 3, a[1] + (b[1] - a[1]) / 3)
    left = shapely.Polygon([(100.99, 36.0), a, b, (100.99, 36.01)])
    low = shapely.Polygon([a, (101.02, 36.0), (101.02, t[1]), t])
    high = shapely.Polygon([t, (101.02, t[1]), (101.02, 36.01), b])
    outline = shapely.union_all([left, low, high])
    snapped = snap_to_micro_degrees(np.array([left, low, high], dtype=object), outline)
    coords = shapely.get_coordinates(np.array(snapped, dtype=object))
    assert np.array_equal(coords, np.round(coords, 6))
    assert all(g.is_valid for g in snapped)
    for i in range(3):
        for j in range(i + 1, 3):
            assert shapely.intersection(snapped[i], snapped[j]).area == 0.0
    assert len(snapped[0].exterior.coords) == 6  # the left polygon took the junction as a vertex
    assert shapely.union_all(snapped).area == pytest.approx(outline.area, rel=1e-6)


def test_carve_leaves_a_hole_the_facility_fills() -> None:
    host = shapely.box(0, 0, 400, 300)
    holed, facility = carve(host, Facility("医院", 180, 140), np.random.default_rng(1))
    assert len(holed.interiors) == 1
    assert shapely.Polygon(holed.interiors[0]).equals(facility)
    assert holed.area + facility.area == pytest.approx(host.area)


def test_river_split_hands_a_channel_to_the_neighbour() -> None:
    bank, neighbour = shapely.box(0, 0, 300, 300), shapely.box(300, 0, 600, 300)
    result = river_split(bank, neighbour)
    assert result is not None
    banks, grown = result
    assert len(banks.geoms) == 2 and isinstance(grown, shapely.Polygon)
    assert banks.area + grown.area == pytest.approx(bank.area + neighbour.area)
    assert banks.intersection(grown).area == pytest.approx(0.0, abs=1e-6)


def test_river_split_refuses_neighbours_touching_at_a_corner() -> None:
    assert river_split(shapely.box(0, 0, 1, 1), shapely.box(1, 1, 2, 2)) is None
