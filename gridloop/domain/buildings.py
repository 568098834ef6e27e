"""Buildings and the compounds (小区) that hold them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Building:
    code: str
    name: str
    lon: float
    lat: float
    address: str
    households: int
    compound: str  # compound name; "" when the building stands alone
    grid_code: str = ""  # derived by spatial lookup, not imported


@dataclass(frozen=True)
class Compound:
    """A residential compound: the buildings of one grid sharing a compound name."""

    grid_code: str
    name: str
    building_codes: tuple[str, ...]


def compounds_of(buildings: Iterable[Building]) -> list[Compound]:
    """The compounds the buildings form: one per (grid, compound name), sorted."""
    members: dict[tuple[str, str], list[str]] = {}
    for b in buildings:
        if b.compound:
            members.setdefault((b.grid_code, b.compound), []).append(b.code)
    return [
        Compound(grid, name, tuple(sorted(codes)))
        for (grid, name), codes in sorted(members.items())
    ]
