"""The part of the district a signed-in actor sees outside one case: grids, devices, reports.

Codes are hierarchical (grid = community + 3 digits, community = street + 3), so a community or
street reaches the grids whose codes begin with its own. A grid worker reaches their grids; the
district's admins and auditors reach everything; a department has no region of its own (it sees
the cases routed to it, through `Actor.covers`, and nothing by place).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from gridloop.domain.cases.actor import Actor
from gridloop.domain.cases.events import Role
from gridloop.domain.cases.indicators import DISTRICT, Dimension, Scope

_EVERYWHERE = frozenset({Role.DISTRICT_ADMIN, Role.AUDITOR, Role.SYSTEM})
_BY_PREFIX = frozenset({Role.COMMUNITY_ADMIN, Role.STREET_DISPATCHER})


class ScopeNotAllowed(Exception):
    """A report scope outside the actor's region."""


def reaches_everything(actor: Actor) -> bool:
    return actor.role in _EVERYWHERE


def reaches_grid(actor: Actor, grid_code: str | None) -> bool:
    """Whether the grid (and what stands in it: buildings, devices, alerts) is in reach."""
    if actor.role in _EVERYWHERE:
        return True
    if not grid_code:
        return False
    if actor.role is Role.GRID_WORKER:
        return grid_code in actor.grids
    if actor.role in _BY_PREFIX:
        return grid_code.startswith(actor.region)
    return False


def reaches_region(actor: Actor, code: str) -> bool:
    """Whether a street or community is (at least partly) in reach: a worker reaches the
    community and street of each of their grids, a community its street."""
    if actor.role in _EVERYWHERE:
        return True
    if actor.role is Role.GRID_WORKER:
        return any(g.startswith(code) for g in actor.grids)
    if actor.role in _BY_PREFIX:
        return code.startswith(actor.region) or actor.region.startswith(code)
    return False


def default_scope(actor: Actor) -> Scope:
    """The report a caller gets without asking for a scope: their own region."""
    if actor.role in _EVERYWHERE:
        return DISTRICT
    if actor.role is Role.GRID_WORKER:
        return Scope(Dimension.WORKER, actor.id)
    if actor.role is Role.COMMUNITY_ADMIN:
        return Scope(Dimension.COMMUNITY, actor.region)
    if actor.role is Role.STREET_DISPATCHER:
        return Scope(Dimension.STREET, actor.region)
    raise ScopeNotAllowed(f"a {actor.role.value} has no region to report on")


def checked_scope(
    actor: Actor, asked: Scope | None, grids_of_worker: Callable[[str], Iterable[str]]
) -> Scope:
    """The scope to report on: the one asked for if it lies within the actor's region (else
    ScopeNotAllowed), or the actor's own region."""
    if asked is None:
        return default_scope(actor)
    if actor.role in _EVERYWHERE:
        return asked
    default_scope(actor)  # a role without a region reports on nothing
    facet, code = asked.facet, asked.code
    allowed = False
    if facet is Dimension.GRID:
        allowed = reaches_grid(actor, code)
    elif facet is Dimension.WORKER:
        grids = list(grids_of_worker(code))
        is_self = actor.role is Role.GRID_WORKER and code == actor.id
        allowed = is_self or (bool(grids) and all(reaches_grid(actor, g) for g in grids))
    elif facet in (Dimension.COMMUNITY, Dimension.STREET) and actor.role in _BY_PREFIX:
        allowed = code.startswith(actor.region)
    if not allowed:
        name = "district" if facet is None else f"{facet.value}:{code}"
        raise ScopeNotAllowed(f"scope {name} is outside the region of this {actor.role.value}")
    return asked
