"""What a signed-in actor reaches by place, and which report scopes they may ask for."""

from __future__ import annotations

import pytest

from gridloop.domain.cases.actor import Actor
from gridloop.domain.cases.events import Role
from gridloop.domain.cases.indicators import DISTRICT, Scope
from gridloop.domain.reach import (
    ScopeNotAllowed,
    checked_scope,
    reaches_grid,
    reaches_region,
)

STREET = "630199001"
COMMUNITY = "630199001001"
GRID = "630199001001001"
NEIGHBOUR_GRID = "630199001001002"
OTHER_COMMUNITY_GRID = "630199001002001"
OTHER_STREET_GRID = "630199002001001"

WORKER = Actor("W1", Role.GRID_WORKER, grids=frozenset({GRID}))
ADMIN = Actor("admin", Role.COMMUNITY_ADMIN, region=COMMUNITY)
DISPATCHER = Actor("disp", Role.STREET_DISPATCHER, region=STREET)
BOSS = Actor("boss", Role.DISTRICT_ADMIN)
AUDITOR = Actor("audit", Role.AUDITOR)
GAS = Actor("gas", Role.DEPARTMENT, region="D04")
WORKERS = {"W1": (GRID,), "W2": (GRID, NEIGHBOUR_GRID), "W9": (OTHER_COMMUNITY_GRID,)}


def grids_of(worker: str) -> tuple[str, ...]:
    return WORKERS.get(worker, ())


@pytest.mark.parametrize(
    ("actor", "reached"),
    [
        (WORKER, {GRID}),
        (ADMIN, {GRID, NEIGHBOUR_GRID}),
        (DISPATCHER, {GRID, NEIGHBOUR_GRID, OTHER_COMMUNITY_GRID}),
        (BOSS, {GRID, NEIGHBOUR_GRID, OTHER_COMMUNITY_GRID, OTHER_STREET_GRID}),
        (AUDITOR, {GRID, NEIGHBOUR_GRID, OTHER_COMMUNITY_GRID, OTHER_STREET_GRID}),
        (GAS, set()),
    ],
)
def test_each_role_reaches_the_grids_of_its_region(actor: Actor, reached: set[str]) -> None:
    every = (GRID, NEIGHBOUR_GRID, OTHER_COMMUNITY_GRID, OTHER_STREET_GRID)
    assert {g for g in every if reaches_grid(actor, g)} == reached
    assert not reaches_grid(actor, None) or actor in (BOSS, AUDITOR)


def test_a_worker_and_a_community_reach_the_regions_above_them_not_their_neighbours() -> None:
    assert reaches_region(WORKER, STREET) and reaches_region(WORKER, COMMUNITY)
    assert not reaches_region(WORKER, "630199001002")
    assert reaches_region(ADMIN, STREET) and not reaches_region(ADMIN, "630199001002")
    assert not reaches_region(GAS, STREET)


def test_without_a_scope_each_caller_gets_their_own_region() -> None:
    assert checked_scope(WORKER, None, grids_of) == Scope.parse("worker:W1")
    assert checked_scope(ADMIN, None, grids_of) == Scope.parse(f"community:{COMMUNITY}")
    assert checked_scope(DISPATCHER, None, grids_of) == Scope.parse(f"street:{STREET}")
    assert checked_scope(AUDITOR, None, grids_of) == DISTRICT


@pytest.mark.parametrize(
    ("actor", "asked"),
    [
        (ADMIN, f"grid:{NEIGHBOUR_GRID}"),
        (ADMIN, "worker:W2"),  # both of W2's grids are in the community
        (DISPATCHER, f"community:{COMMUNITY}"),
        (DISPATCHER, "worker:W9"),
        (WORKER, f"grid:{GRID}"),
        (BOSS, f"street:{STREET}"),
    ],
)
def test_a_part_of_ones_region_may_be_asked_for(actor: Actor, asked: str) -> None:
    assert checked_scope(actor, Scope.parse(asked), grids_of) == Scope.parse(asked)


@pytest.mark.parametrize(
    ("actor", "asked"),
    [
        (ADMIN, "district"),
        (ADMIN, f"street:{STREET}"),
        (ADMIN, "worker:W9"),
        (ADMIN, "worker:nobody"),
        (WORKER, "worker:W2"),
        (WORKER, f"grid:{NEIGHBOUR_GRID}"),
        (DISPATCHER, "street:630199002"),
        (GAS, "district"),
    ],
)
def test_a_scope_outside_ones_region_is_refused(actor: Actor, asked: str) -> None:
    with pytest.raises(ScopeNotAllowed):
        checked_scope(actor, Scope.parse(asked), grids_of)


def test_a_department_has_no_region_to_report_on() -> None:
    with pytest.raises(ScopeNotAllowed):
        checked_scope(GAS, None, grids_of)
