"""When a report repeats an open case: same category, within 50 m and 30 minutes, nearest first."""

from __future__ import annotations

import math

import pytest

from gridloop.domain.cases.merging import (
    EARTH_RADIUS_M,
    Candidate,
    MergePolicy,
    distance_m,
    same_problem,
)

LON, LAT = 101.75201, 36.627277
T0 = 1_790_740_800_000
MINUTE = 60_000
POLICY = MergePolicy()
CATEGORY = "exposed_garbage"


def moved(
    metres: float, bearing_deg: float, lon: float = LON, lat: float = LAT
) -> tuple[float, float]:
    """The point `metres` from (lon, lat) along the bearing, on the same sphere as distance_m."""
    d = metres / EARTH_RADIUS_M
    theta, p1, l1 = math.radians(bearing_deg), math.radians(lat), math.radians(lon)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(theta))
    l2 = l1 + math.atan2(
        math.sin(theta) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2)
    )
    return math.degrees(l2), math.degrees(p2)


def candidate(
    case_id: str, metres: float, bearing: float = 0.0, minutes: float = 0, category: str = CATEGORY
) -> Candidate:
    lon, lat = moved(metres, bearing)
    return Candidate(case_id, category, lon, lat, T0 + round(minutes * MINUTE))


def match(*candidates: Candidate, at: int = T0, policy: MergePolicy = POLICY) -> str | None:
    found = same_problem(policy, CATEGORY, LON, LAT, at, candidates)
    return found.case_id if found else None


def test_the_test_points_lie_where_they_are_meant_to() -> None:
    for bearing in (0, 45, 90, 180, 270):
        assert distance_m(LON, LAT, *moved(50, bearing)) == pytest.approx(50, abs=1e-6)


@pytest.mark.parametrize("bearing", [0, 90, 225])
def test_just_inside_50_m_is_the_same_problem(bearing: float) -> None:
    assert match(candidate("C1", 49.9, bearing)) == "C1"


@pytest.mark.parametrize("bearing", [0, 90, 225])
def test_just_outside_50_m_is_another_problem(bearing: float) -> None:
    assert match(candidate("C1", 50.1, bearing)) is None


def test_the_window_is_30_minutes_either_way_inclusive() -> None:
    assert match(candidate("C1", 10, minutes=-30)) == "C1"
    assert match(candidate("C1", 10, minutes=30)) == "C1"
    assert match(candidate("C1", 10), at=T0 + 30 * MINUTE + 1) is None
    assert match(candidate("C1", 10), at=T0 + 31 * MINUTE) is None


def test_another_category_at_the_same_place_is_another_problem() -> None:
    assert match(candidate("C1", 0, category="road_damage")) is None


def test_the_nearest_open_case_wins() -> None:
    far, near, farther = candidate("C1", 40), candidate("C2", 12, 180), candidate("C3", 45, 90)

    assert match(far, near, farther) == "C2"
    assert match(farther, far, near) == "C2"


def test_equally_near_cases_go_to_the_earlier_report() -> None:
    later, earlier = candidate("C1", 20, 0, minutes=-1), candidate("C2", 20, 180, minutes=-5)

    assert match(later, earlier) == "C2"


def test_a_wider_policy_merges_further_and_later() -> None:
    policy = MergePolicy(distance_m=100, window_ms=60 * MINUTE)

    assert match(candidate("C1", 80, minutes=-50), policy=policy) == "C1"
    assert match(candidate("C1", 80, minutes=-50)) is None


def test_a_negative_distance_or_window_is_refused() -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        MergePolicy(distance_m=-1)
    with pytest.raises(ValueError, match="must not be negative"):
        MergePolicy(window_ms=-1)


@pytest.mark.parametrize("lat", [LAT, 0.0, -33.9, 60.0])
@pytest.mark.parametrize("metres", [50.0, 500.0])
def test_the_search_box_holds_the_whole_circle(lat: float, metres: float) -> None:
    policy = MergePolicy(distance_m=metres)
    min_lon, min_lat, max_lon, max_lat = policy.box(LON, lat)
    inside = metres * (1 - 1e-9)  # the box is exact at the circle's extremes: stay off the edge

    for bearing in range(0, 360, 5):
        lon, at_lat = moved(inside, bearing, LON, lat)
        assert min_lon <= lon <= max_lon, bearing
        assert min_lat <= at_lat <= max_lat, bearing


def test_the_search_box_is_not_much_larger_than_the_circle() -> None:
    min_lon, min_lat, max_lon, max_lat = POLICY.box(LON, LAT)

    assert distance_m(LON, LAT, LON, max_lat) == pytest.approx(50, rel=1e-6)
    assert distance_m(LON, LAT, LON, min_lat) == pytest.approx(50, rel=1e-6)
    assert distance_m(LON, LAT, max_lon, LAT) == pytest.approx(50, rel=1e-3)
    assert distance_m(LON, LAT, min_lon, LAT) == pytest.approx(50, rel=1e-3)
