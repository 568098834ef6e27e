"""GridIndex against real Shapely: concave, multi, holes, boundaries, outside points."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

from gridloop.adapters.spatial_bench import bench_lookups, synthetic_grids
from gridloop.adapters.spatial_index import (
    NO_GRID,
    GridIndex,
    area_m2,
    areas_m2,
    outside,
    to_shape,
)
from gridloop.domain.geometry import Area, Ring
from gridloop.domain.regions import Grid

X0, Y0, U = 101.70, 36.60, 0.001  # lon/lat origin near Xining; U is one unit in degrees


def ring(*pts: tuple[float, float]) -> Ring:
    """A closed ring from points given in units around the origin."""
    coords = tuple((X0 + x * U, Y0 + y * U) for x, y in pts)
    return (*coords, coords[0])


def box(x0: float, y0: float, x1: float, y1: float) -> Ring:
    return ring((x0, y0), (x1, y0), (x1, y1), (x0, y1))


def grid(code: str, *polygons: tuple[Ring, ...], multi: bool = False) -> Grid:
    return Grid(code, f"grid {code[-3:]}", code[:12], Area(tuple(polygons), multi=multi))


def at(x: float, y: float) -> tuple[float, float]:
    return X0 + x * U, Y0 + y * U


A, B, C = "630104001001001", "630104001001002", "630104001001003"


def test_concave_grid_notch_maps_to_neighbour_or_none() -> None:
    u_shape = ring((0, 0), (3, 0), (3, 3), (2, 3), (2, 1), (1, 1), (1, 3), (0, 3))
    index = GridIndex.build([grid(A, (u_shape,)), grid(B, (box(1, 2, 2, 3),))])
    assert index.locate(*at(0.5, 2.5)) == A  # left arm
    assert index.locate(*at(2.5, 2.5)) == A  # right arm
    assert index.locate(*at(1.5, 2.5)) == B  # upper notch, filled by the neighbour
    assert index.locate(*at(1.5, 1.5)) is None  # lower notch: inside A's bbox, in no grid


def test_multipolygon_both_parts_map_to_it() -> None:
    multi = grid(A, (box(0, 0, 1, 1),), (box(5, 5, 6, 6),), multi=True)
    index = GridIndex.build([multi, grid(B, (box(2, 2, 3, 3),))])
    assert index.locate_many(*zip(at(0.5, 0.5), at(5.5, 5.5), at(2.5, 2.5), strict=True)) == [
        A,
        A,
        B,
    ]
    assert index.locate(*at(4, 4)) is None  # between the parts, inside the multi's bbox


def test_point_in_hole_maps_to_grid_filling_it() -> None:
    holed = grid(A, (box(0, 0, 4, 4), box(1, 1, 3, 3)))
    special = grid(B, (box(1, 1, 3, 3),))
    index = GridIndex.build([holed, special])
    assert index.locate(*at(2, 2)) == B
    assert index.locate(*at(0.5, 2)) == A
    assert index.locate(*at(1, 2)) == A  # on the hole's edge: both match, smallest code wins
    assert GridIndex.build([holed]).locate(*at(2, 2)) is None


def test_points_outside_every_grid_are_none_and_listed() -> None:
    index = GridIndex.build([grid(A, (box(0, 0, 1, 1),))])
    lons, lats = zip(at(0.5, 0.5), at(9, 9), at(-1, 0.5), at(0.2, 0.8), strict=True)
    codes = index.locate_many(lons, lats)
    assert codes == [A, None, None, A]
    assert outside(codes) == [1, 2]
    assert index.locate_indices(lons, lats).tolist() == [0, NO_GRID, NO_GRID, 0]


def test_shared_edge_and_corner_go_to_smallest_code_whatever_the_order() -> None:
    grids = [
        grid(C, (box(1, 1, 2, 2),)),
        grid(B, (box(0, 0, 1, 1),)),
        grid(A, (box(1, 0, 2, 1),)),
    ]
    for order in (grids, grids[::-1]):
        index = GridIndex.build(order)
        assert index.locate(*at(1, 0.5)) == A  # edge shared by A and B
        assert index.locate(*at(1.5, 1)) == A  # edge shared by A and C
        assert index.locate(*at(1, 1)) == A  # corner shared by all three
        assert index.locate(*at(1.5, 1.5)) == C


def test_nan_and_empty_inputs() -> None:
    index = GridIndex.build([grid(A, (box(0, 0, 1, 1),))])
    assert index.locate(math.nan, math.nan) is None
    assert index.locate_many([], []) == []
    assert GridIndex.build([]).locate(*at(0.5, 0.5)) is None
    with pytest.raises(ValueError, match="longitudes"):
        index.locate_many([1.0, 2.0], [1.0])


def test_unbuildable_geometry_names_the_grid() -> None:
    bad = Grid(A, "bad", A[:12], Area((((at(0, 0), at(1, 1)),),)))
    with pytest.raises(ValueError, match=A):
        GridIndex.build([bad])


def test_locate_many_agrees_with_locate_and_with_covers() -> None:
    grids = synthetic_grids(400, seed=7)
    index = GridIndex.build(grids)
    rng = np.random.default_rng(11)
    lons = rng.uniform(101.59, 101.91, 10_000)
    lats = rng.uniform(36.49, 36.81, 10_000)
    many = index.locate_many(lons, lats)
    assert many == [index.locate(x, y) for x, y in zip(lons, lats, strict=True)]
    shapes = {g.code: to_shape(g.area) for g in grids}
    for x, y, code in zip(lons, lats, many, strict=True):
        point = shapely.Point(x, y)
        if code is None:
            assert not any(s.covers(point) for s in shapes.values())
        else:
            assert shapes[code].covers(point)
    assert 0 < len(outside(many)) < 10_000


def test_area_m2_is_equirectangular() -> None:
    square = to_shape(Area(((box(0, 0, 10, 10),),)))  # 0.01° × 0.01°
    lat = math.radians(Y0 + 5 * U)
    expected = (0.01 * 111_320 * math.cos(lat)) * (0.01 * 110_540)
    assert area_m2(square) == pytest.approx(expected, rel=1e-9)
    assert areas_m2([square, shapely.Polygon()]).tolist() == pytest.approx([expected, 0.0])
    assert area_m2(shapely.Polygon()) == 0.0


def test_bench_reports_rates() -> None:
    result = bench_lookups(n_points=1_000, n_grids=100, seed=1)
    assert result["points"] == 1_000 and result["grids"] == 100
    assert result["seconds"] > 0 and result["lookups_per_s"] > 0
