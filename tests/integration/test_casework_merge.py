"""Reports of the same problem merge into the open case: same category, within 50 m and 30 min."""

from __future__ import annotations

from pathlib import Path

import pytest
from casework_support import (
    ADMIN,
    BUILDING,
    HOTLINE,
    MINUTE,
    actions,
    beijing,
    district_app,
    feed,
    hotline,
    work_to_feedback,
)

from gridloop.domain.cases.events import Action
from gridloop.domain.cases.merging import distance_m
from gridloop.service_layer.casework import CaseService, NewReport

T0 = beijing("2026-11-20T10:00")
LON, LAT = 101.75201, 36.627277  # BUILDING
M_PER_DEG_LAT = 111_195.08


def north(metres: float) -> tuple[float, float]:
    return LON, LAT + metres / M_PER_DEG_LAT


def second_report(
    service: CaseService, metres: float, at_ms: int, category: str = "road_damage"
) -> tuple[str, str | None]:
    lon, lat = north(metres)
    report = NewReport("hotline", category, lon=lon, lat=lat, reporter="13900000002")
    outcome = service.report(report, HOTLINE, at_ms)
    return outcome.case_id, outcome.merged_into


@pytest.fixture
def service(tmp_path: Path, tiny_dir: Path) -> CaseService:
    return district_app(tmp_path, tiny_dir).case_service()


def test_the_test_points_are_as_far_as_meant() -> None:
    assert distance_m(LON, LAT, *north(40)) == pytest.approx(40, abs=0.01)
    assert distance_m(LON, LAT, *north(60)) == pytest.approx(60, abs=0.01)


def test_a_second_report_nearby_and_soon_joins_the_open_case(
    tmp_path: Path, tiny_dir: Path
) -> None:
    app = district_app(tmp_path, tiny_dir)
    service = app.case_service()
    first = hotline(service, T0)

    new, merged_into = second_report(service, 40, T0 + 29 * MINUTE)

    assert merged_into == first and new != first
    assert actions(service, new) == ["report", "merge"]
    assert actions(service, first) == ["report", "register", "dispatch", "absorb"]
    absorb = service.store.history(first)[-1].payload
    assert (absorb["from"], absorb["reporters"]) == (new, ["13900000002"])
    target, merged = service.store.summary(first), service.store.summary(new)
    assert target is not None and merged is not None
    assert target.reporters == ("13800000001", "13900000002")
    assert (target.state, target.assignee) == ("dispatched", "W000001")
    assert (merged.state, merged.merged_into, merged.assignee) == ("merged", first, None)
    assert ("worker:W000001", "merged", first) in feed(app)


def test_a_report_31_minutes_later_is_a_new_case(service: CaseService) -> None:
    first = hotline(service, T0)

    new, merged_into = second_report(service, 40, T0 + 31 * MINUTE)

    assert merged_into is None
    assert actions(service, new) == ["report", "register", "dispatch"]
    assert actions(service, first) == ["report", "register", "dispatch"]


def test_a_report_60_metres_away_is_a_new_case(service: CaseService) -> None:
    hotline(service, T0)

    _new, merged_into = second_report(service, 60, T0 + MINUTE)

    assert merged_into is None


def test_a_report_of_another_category_at_the_same_place_is_a_new_case(
    service: CaseService,
) -> None:
    hotline(service, T0)

    _new, merged_into = second_report(service, 0, T0 + MINUTE, category="exposed_garbage")

    assert merged_into is None


def test_a_closed_case_takes_no_new_report(service: CaseService) -> None:
    first = hotline(service, T0)
    at = work_to_feedback(service, first, T0)
    service.act(first, Action.VERIFY_PASS, ADMIN, at + MINUTE, {"note": "ok"})

    new, merged_into = second_report(service, 10, at + 2 * MINUTE)

    assert merged_into is None
    assert service.store.summary(new).state == "dispatched"  # type: ignore[union-attr]


def test_a_third_report_joins_the_nearest_open_case(service: CaseService) -> None:
    first = hotline(service, T0)
    far, merged_into = second_report(service, 90, T0 + MINUTE)
    assert merged_into is None

    _third, merged_into = second_report(service, 70, T0 + 2 * MINUTE)

    assert merged_into == far  # 20 m from the second, 70 m from the first
    assert first != far


def test_configuration_widens_the_distance_and_the_window(tmp_path: Path, tiny_dir: Path) -> None:
    config = "[merge]\ndistance_m = 100\nwindow_minutes = 60\n"
    service = district_app(tmp_path, tiny_dir, config).case_service()
    first = hotline(service, T0)

    assert second_report(service, 60, T0 + 45 * MINUTE)[1] == first
    assert second_report(service, 99, T0 + 59 * MINUTE)[1] == first
    assert second_report(service, 10, T0 + 61 * MINUTE)[1] is None


def test_configuration_can_narrow_the_distance(tmp_path: Path, tiny_dir: Path) -> None:
    service = district_app(tmp_path, tiny_dir, "[merge]\ndistance_m = 20\n").case_service()
    hotline(service, T0, building=BUILDING)

    assert second_report(service, 40, T0 + MINUTE)[1] is None
