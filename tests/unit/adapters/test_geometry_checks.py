"""grid_geometry_problems against real Shapely: rings, validity, overlaps."""

from __future__ import annotations

from gridloop.adapters.geometry_checks import grid_geometry_problems
from gridloop.adapters.spatial_bench import synthetic_grids
from gridloop.domain.geometry import Area, Point, Ring
from gridloop.domain.regions import Grid

X0, Y0, U = 101.70, 36.60, 0.001  # about 90 m × 111 m per unit here
FILE = "grids.geojson"
A, B, C = "630104001001001", "630104001001002", "630104001001003"


def pt(x: float, y: float) -> Point:
    return X0 + x * U, Y0 + y * U


def box(x0: float, y0: float, x1: float, y1: float) -> Ring:
    return pt(x0, y0), pt(x1, y0), pt(x1, y1), pt(x0, y1), pt(x0, y0)


def grid(code: str, *rings: Ring) -> Grid:
    return Grid(code, f"grid {code[-3:]}", code[:12], Area((tuple(rings),)))


def test_bow_tie_reports_self_intersection_on_its_line() -> None:
    bow_tie = (pt(0, 0), pt(1, 1), pt(1, 0), pt(0, 1), pt(0, 0))
    problems = grid_geometry_problems([(grid(A, box(5, 5, 6, 6)), 2), (grid(B, bow_tie), 3)], FILE)
    assert len(problems) == 1
    (problem,) = problems
    assert (problem.file, problem.line, problem.field) == (FILE, 3, "geometry")
    assert B in problem.message and "Self-intersection[" in problem.message


def test_unclosed_and_short_rings_are_reported() -> None:
    unclosed = (pt(0, 0), pt(1, 0), pt(1, 1), pt(0, 1))
    short = (pt(0, 0), pt(1, 0), pt(0, 0))
    problems = grid_geometry_problems([(grid(A, unclosed), 4), (grid(B, short), 7)], FILE)
    assert [(p.line, p.field) for p in problems] == [(4, "geometry"), (7, "geometry")]
    assert "not closed" in problems[0].message and A in problems[0].message
    assert "at least 4" in problems[1].message and B in problems[1].message


def test_unclosed_hole_is_reported() -> None:
    hole = (pt(1, 1), pt(2, 1), pt(2, 2), pt(1, 2))
    (problem,) = grid_geometry_problems([(grid(A, box(0, 0, 3, 3), hole), 2)], FILE)
    assert "hole 1 is not closed" in problem.message


def test_overlapping_squares_reported_on_later_line_naming_both() -> None:
    later_first = [(grid(B, box(0.5, 0, 1.5, 1)), 9), (grid(A, box(0, 0, 1, 1)), 5)]
    (problem,) = grid_geometry_problems(later_first, FILE)
    assert (problem.line, problem.field) == (9, "geometry")
    assert A in problem.message and B in problem.message and "line 5" in problem.message
    assert "m²" in problem.message
    # Half a unit square here is about 0.5 × 89.4 m × 110.5 m ≈ 4,940 m².
    assert "4,9" in problem.message


def test_contained_grid_counts_as_overlap() -> None:
    problems = grid_geometry_problems(
        [(grid(A, box(0, 0, 4, 4)), 2), (grid(B, box(1, 1, 2, 2)), 3)], FILE
    )
    assert [(p.line, A in p.message) for p in problems] == [(3, True)]


def test_neighbours_sharing_edges_or_corners_are_fine() -> None:
    grids = [
        (grid(A, box(0, 0, 1, 1)), 2),
        (grid(B, box(1, 0, 2, 1)), 3),
        (grid(C, box(1, 1, 2, 2)), 4),
    ]
    assert grid_geometry_problems(grids, FILE) == []


def test_tiny_overlap_below_one_square_metre_is_ignored() -> None:
    sliver = 1e-3  # units: a strip ≈ 0.09 m × 110.5 m ≈ 10 m², over the threshold
    thin = sliver / 100  # ≈ 0.1 m², under it
    grids = [(grid(A, box(0, 0, 1, 1)), 2), (grid(B, box(1 - thin, 0, 2, 1)), 3)]
    assert grid_geometry_problems(grids, FILE) == []
    wider = [(grid(A, box(0, 0, 1, 1)), 2), (grid(B, box(1 - sliver, 0, 2, 1)), 3)]
    assert len(grid_geometry_problems(wider, FILE)) == 1


def test_invalid_grids_are_skipped_in_overlap_check() -> None:
    bow_tie = (pt(0, 0), pt(1, 1), pt(1, 0), pt(0, 1), pt(0, 0))
    problems = grid_geometry_problems([(grid(A, box(0, 0, 1, 1)), 2), (grid(B, bow_tie), 3)], FILE)
    assert len(problems) == 1 and "Self-intersection" in problems[0].message


def test_many_touching_grids_have_no_problems() -> None:
    grids = synthetic_grids(10_000, seed=3)
    assert grid_geometry_problems([(g, i + 2) for i, g in enumerate(grids)], FILE) == []
