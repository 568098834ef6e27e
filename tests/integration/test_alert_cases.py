"""Alerts become cases: stored as the telemetry store stores them (with their outbox events),
then delivered by the outbox dispatcher to the case service."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from casework_support import ADMIN, GRID, MINUTE, actions, beijing, district_app, feed, worker

from gridloop.bootstrap import App
from gridloop.domain.alerting.changes import AlertChange, ChangeKind
from gridloop.domain.cases.events import Action
from gridloop.domain.cases.summary import CaseSummary
from gridloop.domain.devices.rules import Severity
from gridloop.service_layer.casework import CaseService
from gridloop.service_layer.ports import CaseFilter, DevicePlace

A = Action
T0 = beijing("2026-11-20T10:00")
GAS = "GAS-000001"  # in GRID
GAS_LEAK = "gas_detector.gas_leak"
CAMERA = "CAM-000001"  # in grid 630199001001003
TWIN_CAMERAS = ("CAM-000003", "CAM-000004")  # in one building, at one point


class Alerts:
    """The telemetry store and the case service of one database, fed the same changes."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.telemetry = app.telemetry_store()
        self.loop = app.case_loop()
        self.service: CaseService = self.loop.service
        self.places = {
            d: DevicePlace(p.kind, p.building_code, p.grid_code)
            for d, p in self.service.directory.devices.items()
        }

    def apply(self, *changes: AlertChange) -> int:
        """Store the changes, then turn them into cases; how many cases were opened."""
        self.telemetry.apply_changes(list(changes), self.places)
        before = self.loop.alert_cases.opened
        self.loop.dispatcher.run()
        return self.loop.alert_cases.opened - before

    def rows(self) -> list[tuple[int, str, int, str, str | None]]:
        """(id, device, started_at, status, case_id) of every alert."""
        conn = sqlite3.connect(self.app.settings.db_path)
        try:
            return conn.execute(
                "SELECT id, device_id, started_at, status, case_id FROM alerts ORDER BY id"
            ).fetchall()
        finally:
            conn.close()

    def cases(self) -> list[CaseSummary]:
        return self.service.store.find(CaseFilter())


def opened(device: str, rule: str, at: int, severity: Severity = Severity.CRITICAL) -> AlertChange:
    return AlertChange(ChangeKind.OPENED, device, rule, severity, at, at, 1)


def cleared(alert: AlertChange, at: int) -> AlertChange:
    return AlertChange(
        ChangeKind.CLEARED, alert.device_id, alert.rule, alert.severity, alert.started_at, at, 3
    )


def updated(alert: AlertChange, at: int) -> AlertChange:
    return AlertChange(
        ChangeKind.UPDATED, alert.device_id, alert.rule, alert.severity, alert.started_at, at, 2
    )


@pytest.fixture
def alerts(tmp_path: Path, tiny_dir: Path) -> Alerts:
    return Alerts(district_app(tmp_path, tiny_dir))


def test_an_opened_alert_opens_a_dispatched_sensor_case_routed_by_its_rule(alerts: Alerts) -> None:
    assert alerts.apply(opened(GAS, GAS_LEAK, T0)) == 1

    [case] = alerts.cases()
    [(alert_id, _device, _at, status, case_id)] = alerts.rows()
    assert (status, case_id) == ("active", case.case_id)
    assert (case.channel, case.category, case.severity) == ("sensor", GAS_LEAK, "critical")
    assert (case.state, case.grid_code, case.assignee) == ("dispatched", GRID, "W000001")
    assert (case.departments, case.alert_ids) == (("D04",), (str(alert_id),))
    assert (case.reporters, case.source_key) == ((GAS,), f"{GAS}|{GAS_LEAK}")
    assert (case.sign_due, case.handle_due) == (T0 + 5 * MINUTE, T0 + 30 * MINUTE)
    assert {r for r, _k, _c in feed(alerts.app)} == {"worker:W000001", "department:D04"}


def test_a_camera_alert_comes_in_through_the_camera_channel(alerts: Alerts) -> None:
    alerts.apply(opened(CAMERA, "camera.thrown_object", T0, Severity.MAJOR))

    [case] = alerts.cases()
    assert (case.channel, case.departments, case.assignee) == ("camera", ("D06",), "W000005")


def test_a_re_fired_alert_joins_the_open_case_and_a_cleared_one_is_recorded(
    alerts: Alerts,
) -> None:
    first = opened(GAS, GAS_LEAK, T0)
    alerts.apply(first)
    [case] = alerts.cases()

    assert alerts.apply(cleared(first, T0 + 2 * MINUTE)) == 0
    assert alerts.apply(opened(GAS, GAS_LEAK, T0 + 4 * MINUTE)) == 0

    [after] = alerts.cases()
    (id1, *_r1, case1), (id2, *_r2, case2) = alerts.rows()
    assert (after.case_id, after.state) == (case.case_id, "dispatched")
    assert after.alert_ids == (str(id1), str(id2))
    assert case1 == case2 == case.case_id
    assert actions(alerts.service, case.case_id) == [
        "report",
        "register",
        "dispatch",
        "alert_cleared",
        "link_alert",
    ]
    history = alerts.service.store.history(case.case_id)
    assert history[-2].payload == {"alert_id": str(id1)}
    assert history[-1].payload == {"alert_id": str(id2)}


def test_an_updated_alert_changes_no_case(alerts: Alerts) -> None:
    first = opened(GAS, GAS_LEAK, T0)
    alerts.apply(first)

    assert alerts.apply(updated(first, T0 + MINUTE)) == 0
    [case] = alerts.cases()
    assert case.seq == 3


def test_after_the_case_closes_a_new_alert_opens_a_new_case(alerts: Alerts) -> None:
    first = opened(GAS, GAS_LEAK, T0)
    alerts.apply(first)
    [case] = alerts.cases()
    holder = worker(alerts.service, "W000001")
    for n, action in enumerate((A.SIGN, A.HANDLE, A.FEEDBACK), 1):
        alerts.service.act(case.case_id, action, holder, T0 + n * MINUTE, {"note": "关阀通风"})
    alerts.service.act(case.case_id, A.VERIFY_PASS, ADMIN, T0 + 4 * MINUTE, {"note": "ok"})
    assert alerts.service.store.active_alerts_of_final_cases() == [
        (GAS, GAS_LEAK, alerts.rows()[0][0], case.case_id)
    ]

    assert alerts.apply(cleared(first, T0 + 5 * MINUTE)) == 0
    assert alerts.apply(opened(GAS, GAS_LEAK, T0 + 6 * MINUTE)) == 1

    old, new = alerts.cases()
    assert old.case_id == case.case_id and old.state == "closed"
    assert actions(alerts.service, old.case_id)[-1] == "alert_cleared"
    assert new.state == "dispatched" and new.case_id != old.case_id
    assert [row[4] for row in alerts.rows()] == [old.case_id, new.case_id]


def test_one_batch_opening_the_same_device_and_rule_twice_makes_one_case(alerts: Alerts) -> None:
    assert alerts.apply(opened(GAS, GAS_LEAK, T0), opened(GAS, GAS_LEAK, T0 + MINUTE)) == 1

    [case] = alerts.cases()
    assert len(case.alert_ids) == 2
    assert actions(alerts.service, case.case_id)[-1] == "link_alert"
    assert {row[4] for row in alerts.rows()} == {case.case_id}


def test_one_batch_spreads_its_cases_over_the_grids_workers(alerts: Alerts) -> None:
    n = alerts.apply(
        opened(GAS, GAS_LEAK, T0),
        opened("SMK-000001", "smoke_detector.smoke_alarm", T0),  # GAS's building
        opened("ELD-000001", "elderly_care.fall", T0),
    )

    # within one transaction the load counts the cases it has just dispatched
    assert n == 3
    assert [c.assignee for c in alerts.cases()] == ["W000001", "W000002", "W000003"]
    assert [c.grid_code for c in alerts.cases()] == [GRID] * 3


def test_two_devices_at_one_place_reporting_the_same_thing_share_a_case(alerts: Alerts) -> None:
    one, two = TWIN_CAMERAS
    n = alerts.apply(
        opened(one, "camera.thrown_object", T0, Severity.MAJOR),
        opened(two, "camera.thrown_object", T0 + MINUTE, Severity.MAJOR),
    )

    assert n == 2  # every opened alert that is not a re-fire is a report
    survivor, merged = alerts.cases()
    assert (survivor.state, merged.state, merged.merged_into) == (
        "dispatched",
        "merged",
        survivor.case_id,
    )
    assert survivor.reporters == (one, two)
    assert {row[4] for row in alerts.rows()} == {survivor.case_id}
    assert len(survivor.alert_ids) == 2
