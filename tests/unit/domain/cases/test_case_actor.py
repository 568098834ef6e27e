"""Who may see a case: each role's reach over the district, and actors that cannot exist."""

from __future__ import annotations

import pytest

from gridloop.domain.cases.actor import SYSTEM, Actor, Place
from gridloop.domain.cases.events import Role

GRID = "110105001001003"
OTHER_GRID = "110105001002001"
COMMUNITY, STREET = GRID[:12], GRID[:9]
HERE = Place(GRID, COMMUNITY, STREET)
ELSEWHERE = Place(OTHER_GRID, OTHER_GRID[:12], "110105002")


def test_a_grid_worker_reaches_the_cases_of_their_grids_only() -> None:
    worker = Actor("w1", Role.GRID_WORKER, grids=frozenset({GRID, "110105001001004"}))

    assert worker.covers(HERE)
    assert worker.covers(Place("110105001001004"))
    assert not worker.covers(ELSEWHERE)
    assert not worker.covers(Place())


def test_a_grid_worker_reaches_a_case_assigned_to_them_outside_their_grids() -> None:
    worker = Actor("w1", Role.GRID_WORKER, grids=frozenset({GRID}))

    assert worker.covers(Place(OTHER_GRID, assignee="w1"))
    assert not worker.covers(Place(OTHER_GRID, assignee="w2"))


def test_a_community_admin_reaches_their_community_and_cases_assigned_to_it() -> None:
    admin = Actor("ca1", Role.COMMUNITY_ADMIN, region=COMMUNITY)

    assert admin.covers(HERE)
    assert not admin.covers(ELSEWHERE)
    assert admin.covers(Place(OTHER_GRID, OTHER_GRID[:12], assignee=COMMUNITY))


def test_a_street_dispatcher_reaches_every_case_of_the_street_and_no_other() -> None:
    dispatcher = Actor("sd1", Role.STREET_DISPATCHER, region=STREET)

    assert dispatcher.covers(HERE)
    assert dispatcher.covers(Place(None, None, STREET))
    assert not dispatcher.covers(ELSEWHERE)
    assert not dispatcher.covers(Place(GRID, COMMUNITY, None, assignee=STREET))


def test_a_department_reaches_the_cases_routed_or_assigned_to_it() -> None:
    gas = Actor("d-gas", Role.DEPARTMENT, region="D04")

    assert gas.covers(Place(OTHER_GRID, departments=("D02", "D04")))
    assert gas.covers(Place(OTHER_GRID, assignee="D04"))
    assert not gas.covers(Place(GRID, COMMUNITY, STREET, departments=("D02",)))
    assert not gas.covers(HERE)


@pytest.mark.parametrize("role", [Role.DISTRICT_ADMIN, Role.SYSTEM, Role.AUDITOR])
def test_district_wide_roles_reach_everything(role: Role) -> None:
    actor = Actor("a1", role)

    assert actor.covers(HERE) and actor.covers(ELSEWHERE) and actor.covers(Place())


def test_the_system_actor_reaches_everything() -> None:
    assert SYSTEM.role is Role.SYSTEM and SYSTEM.covers(ELSEWHERE)


def test_a_resident_reaches_no_case_through_the_region_check() -> None:
    resident = Actor("r1", Role.RESIDENT)

    assert not resident.covers(HERE)
    assert not resident.covers(Place(GRID, assignee="r1"))


def test_an_actor_needs_an_id() -> None:
    with pytest.raises(ValueError, match="needs an id"):
        Actor("", Role.DISTRICT_ADMIN)


@pytest.mark.parametrize("role", [Role.COMMUNITY_ADMIN, Role.STREET_DISPATCHER, Role.DEPARTMENT])
def test_a_regional_role_needs_its_region_code(role: Role) -> None:
    with pytest.raises(ValueError, match=role.value):
        Actor("x1", role)


def test_a_grid_worker_needs_a_grid() -> None:
    with pytest.raises(ValueError, match="w9 has no grid"):
        Actor("w9", Role.GRID_WORKER)
