"""The doctor's checks over in-memory inputs: what each finds, what it leaves alone, exit codes."""

from __future__ import annotations

from dataclasses import replace

import pytest

from gridloop.domain.calendar import WorkCalendar
from gridloop.domain.geometry import Area
from gridloop.domain.people import Department, Employment, GridWorker
from gridloop.domain.people import DepartmentFunction as F
from gridloop.domain.regions import District, Grid
from gridloop.domain.registry import DistrictRegistry
from gridloop.service_layer.case_policy import CasePolicy
from gridloop.service_layer.doctor import (
    DoctorChecks,
    Finding,
    FindingKind,
    SchemaStatus,
    diagnose,
    exit_code,
)

K = FindingKind
RING = ((0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0))
SQUARE = Area(((RING,),))
CALENDAR = WorkCalendar()
ALL_DEPARTMENTS = tuple(
    Department(f"D{i:02d}", f.value, functions=(f,)) for i, f in enumerate(F, 1)
)


def registry(departments: tuple[Department, ...] = ALL_DEPARTMENTS) -> DistrictRegistry:
    grids = tuple(Grid(f"G{i}", f"网格{i}", "C1", SQUARE) for i in (1, 2))
    workers = (
        GridWorker("W1", "甲", "", ("G1",), Employment.FULL_TIME),
        GridWorker("W2", "乙", "", ("G2",), Employment.FULL_TIME),
    )
    return DistrictRegistry(
        district=District("630199", "试验区", ()),
        grids=grids,
        buildings=(),
        workers=workers,
        devices=(),
        residents=(),
        departments=departments,
    )


def checks(**changes: object) -> DoctorChecks:
    fine = DoctorChecks(
        db_path="g.db",
        config_path="",
        schema=lambda: SchemaStatus(exists=True, version=8, latest=8),
        registry=registry,
        settings_document=dict,
        policy=lambda: CasePolicy(CALENDAR),
        rules=lambda: None,
    )
    return replace(fine, **changes)  # type: ignore[arg-type]


def never() -> DistrictRegistry:
    raise AssertionError("the registry must not be read")


def test_a_district_whose_departments_cover_every_function_is_healthy() -> None:
    assert diagnose(checks()) == []
    assert exit_code([]) == 0


def test_each_routed_function_without_a_department_is_one_finding_with_its_categories() -> None:
    found = diagnose(checks(registry=lambda: registry(departments=())))

    assert [f.subject for f in found] == ["fire", "gas", "police", "power"]
    assert {f.kind for f in found} == {K.UNCOVERED_FUNCTION}
    assert found[1].items == ("gas_detector.gas_leak",)
    assert exit_code(found) == 1


def test_a_department_code_the_registry_lacks_is_a_configuration_error() -> None:
    from gridloop.domain.cases.routing import RoutingTable

    policy = CasePolicy(CALENDAR, routing=RoutingTable({"camera.*": ("police", "D77")}))

    found = diagnose(checks(policy=lambda: policy, config_path="g.toml"))

    assert found == [Finding(K.UNKNOWN_DEPARTMENT, "D77", detail="g.toml")]
    assert exit_code(found) == 2


def test_a_grid_no_worker_serves_is_found() -> None:
    lonely = replace(registry(), workers=registry().workers[:1])

    assert diagnose(checks(registry=lambda: lonely)) == [
        Finding(K.GRIDS_WITHOUT_WORKER, "1", ("G2",))
    ]


@pytest.mark.parametrize(
    ("schema", "kind"),
    [
        (SchemaStatus(exists=False, latest=8), K.NO_DATABASE),
        (
            SchemaStatus(exists=True, latest=8, unreadable="file is not a database"),
            K.UNREADABLE_DATABASE,
        ),
        (SchemaStatus(exists=True, version=6, latest=8), K.SCHEMA_BEHIND),
        (SchemaStatus(exists=True, version=9, latest=8), K.SCHEMA_AHEAD),
    ],
)
def test_a_database_not_ready_is_reported_without_reading_its_contents(
    schema: SchemaStatus, kind: FindingKind
) -> None:
    found = diagnose(checks(schema=lambda: schema, registry=never))

    assert [f.kind for f in found] == [kind]
    assert exit_code(found) == 1


def test_configuration_errors_are_all_reported_and_the_database_still_checked() -> None:
    def bad_settings() -> object:
        raise ValueError("g.toml: Expected '='")

    def bad_rules() -> object:
        raise ValueError("rules configuration: unknown rule")

    found = diagnose(checks(settings_document=bad_settings, rules=bad_rules, registry=lambda: None))

    assert [f.kind for f in found] == [K.CONFIG_ERROR, K.RULES_ERROR, K.NO_DISTRICT]
    assert found[0].detail == "g.toml: Expected '='"
    assert exit_code(found) == 2


def test_parked_outbox_entries_are_reported() -> None:
    status = SchemaStatus(exists=True, version=8, latest=8, parked_outbox=3)

    assert diagnose(checks(schema=lambda: status)) == [Finding(K.PARKED_OUTBOX, "3")]
