"""The case service on the tiny district in real SQLite: reports, dispatch, who may act, closing."""

from __future__ import annotations

from pathlib import Path

import pytest
from casework_support import (
    ADMIN,
    BUILDING,
    BUILDING_2,
    COMMUNITY,
    DISPATCHER,
    GRID,
    HOTLINE,
    MINUTE,
    NEXT_GRID_BUILDING,
    OTHER_BUILDING,
    OTHER_GRID,
    OUTSIDE,
    STREET,
    actions,
    beijing,
    district_app,
    feed,
    hotline,
    without_workers_of,
    work_to_feedback,
    worker,
)

from gridloop.bootstrap import App
from gridloop.config import ConfigError
from gridloop.domain.cases.actor import Actor
from gridloop.domain.cases.errors import (
    CaseNotFound,
    NotTheAssignee,
    ReportRefused,
    RoleNotAllowed,
)
from gridloop.domain.cases.events import Action, Role
from gridloop.service_layer.casework import CaseService, NewReport
from gridloop.service_layer.ports import CaseFilter

A = Action
T0 = beijing("2026-11-20T10:00")  # a Friday, working hours


@pytest.fixture
def app(tmp_path: Path, tiny_dir: Path) -> App:
    return district_app(tmp_path, tiny_dir)


@pytest.fixture
def service(app: App) -> CaseService:
    return app.case_service()


def test_a_hotline_request_at_a_building_is_dispatched_to_its_grid_worker(
    app: App, service: CaseService
) -> None:
    outcome = service.report(
        NewReport("hotline", "road_damage", building_code=BUILDING, reporter="13800000001"),
        HOTLINE,
        T0,
    )

    s = service.store.summary(outcome.case_id)
    assert s is not None
    assert (outcome.assignee, outcome.merged_into, outcome.departments) == ("W000001", None, ())
    assert (s.state, s.channel, s.severity) == ("dispatched", "hotline", "minor")
    assert (s.grid_code, s.community_code, s.street_code) == (GRID, COMMUNITY, STREET)
    assert (s.building_code, s.lon, s.lat) == (BUILDING, 101.75201, 36.627277)
    assert (s.assignee, s.assignee_kind, s.reporters) == ("W000001", "worker", ("13800000001",))
    # minor: sign within 240 minutes, handle within 3 working days (Fri 10:00 → Wed 10:00)
    assert s.sign_due == beijing("2026-11-20T14:00")
    assert s.handle_due == beijing("2026-11-25T10:00")
    assert actions(service, outcome.case_id) == ["report", "register", "dispatch"]
    assert feed(app) == [("worker:W000001", "assigned", outcome.case_id)]


def test_a_categorys_own_limit_overrides_its_severitys(service: CaseService) -> None:
    case_id = hotline(service, T0, category="exposed_garbage")  # 4 working hours to handle

    s = service.store.summary(case_id)
    assert s is not None
    assert (s.sign_due, s.handle_due) == (beijing("2026-11-20T14:00"), beijing("2026-11-20T15:30"))


def test_a_worker_of_another_grid_does_not_see_the_case(service: CaseService) -> None:
    case_id = hotline(service, T0)
    stranger = worker(service, "W000005")
    assert OTHER_GRID in stranger.grids

    with pytest.raises(CaseNotFound):
        service.act(case_id, A.SIGN, stranger, T0 + MINUTE)
    with pytest.raises(CaseNotFound):
        service.case(case_id, stranger)
    assert service.find(CaseFilter(), stranger) == []
    assert [s.case_id for s in service.find(CaseFilter(), worker(service, "W000003"))] == [case_id]


def test_a_role_the_workflow_leaves_out_is_refused(service: CaseService) -> None:
    case_id = hotline(service, T0)

    with pytest.raises(RoleNotAllowed):
        service.act(case_id, A.SIGN, Actor("da1", Role.DISTRICT_ADMIN), T0 + MINUTE)
    assert actions(service, case_id) == ["report", "register", "dispatch"]


def test_a_worker_of_the_grid_who_is_not_the_assignee_may_not_sign(service: CaseService) -> None:
    case_id = hotline(service, T0)

    with pytest.raises(NotTheAssignee) as refused:
        service.act(case_id, A.SIGN, worker(service, "W000003"), T0 + MINUTE)
    assert refused.value.assignee == "W000001"


def test_a_repeated_sign_appends_nothing(app: App, service: CaseService) -> None:
    case_id = hotline(service, T0)
    holder = worker(service, "W000001")

    first = service.act(case_id, A.SIGN, holder, T0 + MINUTE)
    again = service.act(case_id, A.SIGN, holder, T0 + 2 * MINUTE)

    assert again == first
    assert actions(service, case_id) == ["report", "register", "dispatch", "sign"]
    s = service.store.summary(case_id)
    assert s is not None and (s.seq, s.updated_at) == (4, T0 + MINUTE)
    assert len(feed(app)) == 1  # the dispatch notice only


@pytest.mark.parametrize(
    ("place", "field"),
    [
        ({}, "location"),
        ({"building_code": "630199009009009009"}, "building_code"),
        ({"lon": OUTSIDE[0], "lat": OUTSIDE[1]}, "lon/lat"),
        ({"lon": 200.0, "lat": 36.6}, "lon/lat"),
        ({"grid_code": "630199009009009"}, "grid_code"),
    ],
)
def test_a_report_that_cannot_be_placed_is_refused_naming_the_field(
    service: CaseService, place: dict[str, object], field: str
) -> None:
    with pytest.raises(ReportRefused) as refused:
        service.report(NewReport("hotline", "road_damage", **place), HOTLINE, T0)  # type: ignore[arg-type]

    assert refused.value.field == field
    assert service.store.find(CaseFilter()) == []
    assert list(service.store.histories()) == []


def test_a_report_without_channel_category_or_known_severity_is_refused(
    service: CaseService,
) -> None:
    cases = [
        (NewReport("", "road_damage", building_code=BUILDING), "channel"),
        (NewReport("hotline", "", building_code=BUILDING), "category"),
        (NewReport("hotline", "x", severity="huge", building_code=BUILDING), "severity"),
    ]
    for report, field in cases:
        with pytest.raises(ReportRefused) as refused:
            service.report(report, HOTLINE, T0)
        assert refused.value.field == field


def test_a_point_report_is_placed_in_the_grid_that_contains_it(service: CaseService) -> None:
    outcome = service.report(
        NewReport("open311", "road_damage", lon=101.7515, lat=36.627), HOTLINE, T0
    )

    s = service.store.summary(outcome.case_id)
    assert s is not None and (s.grid_code, s.building_code, s.assignee) == (GRID, None, "W000001")


def test_a_grid_worker_on_patrol_keeps_the_case_found_in_their_grid(service: CaseService) -> None:
    hotline(service, T0, category="a")  # W000001 now holds one case, W000003 none
    hotline(service, T0, category="b", building=NEXT_GRID_BUILDING)  # W000002 holds one too
    patrol = worker(service, "W000002")

    outcome = service.report(
        NewReport("patrol", "exposed_garbage", building_code=BUILDING_2), patrol, T0 + MINUTE
    )

    s = service.store.summary(outcome.case_id)
    assert s is not None and (s.assignee, s.reporters) == ("W000002", ("W000002",))


def test_a_grid_worker_may_not_report_outside_their_grids(service: CaseService) -> None:
    with pytest.raises(ReportRefused) as refused:
        service.report(
            NewReport("patrol", "exposed_garbage", building_code=OTHER_BUILDING),
            worker(service, "W000001"),
            T0,
        )
    assert refused.value.field == "location"


def test_a_case_goes_to_the_grid_worker_holding_the_fewest_open_cases(
    service: CaseService,
) -> None:
    # W000002 serves two grids: a case of the other grid counts in their load here too
    hotline(service, T0, category="a", building=NEXT_GRID_BUILDING)
    got = [hotline(service, T0 + n * MINUTE, category=f"c{n}") for n in range(1, 5)]

    assignees = [service.store.summary(c).assignee for c in got]  # type: ignore[union-attr]
    assert assignees == ["W000001", "W000003", "W000001", "W000002"]


def test_a_closed_case_no_longer_counts_in_the_load(service: CaseService) -> None:
    first = hotline(service, T0, category="a")
    at = work_to_feedback(service, first, T0)
    service.act(first, A.VERIFY_PASS, ADMIN, at + MINUTE, {"note": "ok"})

    second = hotline(service, at + 2 * MINUTE, category="b")

    assert service.store.summary(second).assignee == "W000001"  # type: ignore[union-attr]


def test_a_grid_without_workers_sends_the_case_to_its_community(
    tmp_path: Path, tiny_dir: Path
) -> None:
    assert without_workers_of(tiny_dir, OTHER_GRID) == ["W000005", "W000006"]
    app = district_app(tmp_path, tiny_dir)
    service = app.case_service()

    case_id = hotline(service, T0, building=OTHER_BUILDING)

    s = service.store.summary(case_id)
    assert s is not None and (s.assignee, s.assignee_kind) == (COMMUNITY, "community")
    assert feed(app) == [(f"community:{COMMUNITY}", "assigned", case_id)]
    event = service.act(case_id, A.SIGN, ADMIN, T0 + MINUTE)
    assert event.payload["unit"] == COMMUNITY  # the admin signs for the community


def test_a_gas_leak_report_is_routed_to_the_gas_company(app: App, service: CaseService) -> None:
    report = NewReport(
        "sensor", "gas_detector.gas_leak", severity="critical", building_code=BUILDING
    )
    outcome = service.report(report, HOTLINE, T0)

    s = service.store.summary(outcome.case_id)
    assert s is not None and (s.assignee, s.departments) == ("W000001", ("D04",))
    assert (s.sign_due, s.handle_due) == (T0 + 5 * MINUTE, T0 + 30 * MINUTE)
    assert {r for r, _k, _c in feed(app)} == {"worker:W000001", "department:D04"}
    gas = Actor("gas-duty", Role.DEPARTMENT, region="D04")
    assert service.case(outcome.case_id, gas)[0].case_id == outcome.case_id


def test_a_channel_without_automatic_dispatch_waits_as_reported(service: CaseService) -> None:
    outcome = service.report(
        NewReport("wechat", "road_damage", building_code=BUILDING), HOTLINE, T0
    )

    s = service.store.summary(outcome.case_id)
    assert s is not None and (s.state, s.assignee) == ("reported", None)
    service.act(outcome.case_id, A.REGISTER, DISPATCHER, T0 + MINUTE)
    service.act(outcome.case_id, A.DISPATCH, DISPATCHER, T0 + 2 * MINUTE)
    s = service.store.summary(outcome.case_id)
    assert s is not None and (s.state, s.assignee) == ("dispatched", "W000001")
    assert s.sign_due == T0 + 2 * MINUTE + 240 * MINUTE


def test_a_granted_extension_moves_the_deadline_to_the_time_asked(service: CaseService) -> None:
    case_id = hotline(service, T0)
    holder = worker(service, "W000001")
    service.act(case_id, A.SIGN, holder, T0 + MINUTE)
    due = service.store.summary(case_id).handle_due  # type: ignore[union-attr]
    assert due is not None
    until = due + 2 * 24 * 60 * MINUTE

    service.act(
        case_id, A.REQUEST_EXTENSION, holder, T0 + 2 * MINUTE, {"until": until, "reason": "材料"}
    )
    assert service.store.summary(case_id).extension_until == until  # type: ignore[union-attr]
    service.act(case_id, A.GRANT_EXTENSION, ADMIN, T0 + 3 * MINUTE)

    s = service.store.summary(case_id)
    assert s is not None and (s.handle_due, s.extension_until) == (until, None)
    assert service.store.history(case_id)[-1].payload["handle_due"] == until


def test_verification_closes_the_case_in_the_same_call(app: App, service: CaseService) -> None:
    case_id = hotline(service, T0)
    at = work_to_feedback(service, case_id, T0)

    service.act(case_id, A.VERIFY_PASS, ADMIN, at + MINUTE, {"note": "核查属实"})

    s = service.store.summary(case_id)
    assert s is not None and (s.state, s.closed_at) == ("closed", at + MINUTE)
    assert actions(service, case_id)[-2:] == ["verify_pass", "close"]
    assert ("reporter:13800000001", "closed", case_id) in feed(app)


def test_without_auto_close_a_dispatcher_closes_after_verification(
    tmp_path: Path, tiny_dir: Path
) -> None:
    app = district_app(tmp_path, tiny_dir, "[cases]\nauto_close = false\n")
    service = app.case_service()
    case_id = hotline(service, T0)
    at = work_to_feedback(service, case_id, T0)

    service.act(case_id, A.VERIFY_PASS, ADMIN, at + MINUTE, {"note": "核查属实"})
    assert service.store.summary(case_id).state == "verified"  # type: ignore[union-attr]
    with pytest.raises(RoleNotAllowed):
        service.act(case_id, A.CLOSE, ADMIN, at + 2 * MINUTE)
    service.act(case_id, A.CLOSE, DISPATCHER, at + 3 * MINUTE)

    s = service.store.summary(case_id)
    assert s is not None and (s.state, s.closed_at) == ("closed", at + 3 * MINUTE)
    assert ("reporter:13800000001", "closed", case_id) in feed(app)


@pytest.mark.parametrize(
    ("config", "key"),
    [
        ("[merge]\ndistance_m = -5\n", "merge.distance_m"),
        ("[merge]\nradius = 5\n", "merge.radius"),
        ('[cases]\nauto_close = "yes"\n', "cases.auto_close"),
        ('[cases]\nescalation_repeat = "soon"\n', "cases.escalation_repeat"),
        ('[routing]\n"camera.*" = 6\n', "routing.camera.*"),
    ],
)
def test_a_bad_setting_is_refused_naming_the_file_and_the_key(
    tmp_path: Path, tiny_dir: Path, config: str, key: str
) -> None:
    app = district_app(tmp_path, tiny_dir, config)

    with pytest.raises(ConfigError) as refused:
        app.case_service()
    assert str(app.settings.config_path) in str(refused.value)
    assert key in str(refused.value)


def test_routing_to_a_department_the_district_lacks_is_refused(
    tmp_path: Path, tiny_dir: Path
) -> None:
    app = district_app(tmp_path, tiny_dir, '[routing]\n"camera.*" = ["D06", "D77"]\n')

    with pytest.raises(ConfigError, match=r"unknown departments \['D77'\]"):
        app.case_service()


def test_configured_routing_replaces_the_default_table(tmp_path: Path, tiny_dir: Path) -> None:
    app = district_app(tmp_path, tiny_dir, '[routing]\n"gas_detector.*" = ["D04", "D09"]\n')
    service = app.case_service()
    report = NewReport("sensor", "gas_detector.gas_leak", "critical", building_code=BUILDING)

    assert service.report(report, HOTLINE, T0).departments == ("D04", "D09")
    smoke = NewReport("sensor", "smoke_detector.smoke_alarm", "critical", building_code=BUILDING)
    assert service.report(smoke, HOTLINE, T0).departments == ()
