"""Checks across a parsed district directory: codes nest, references resolve, ids are unique."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import TypeVar

from gridloop.domain.buildings import Building
from gridloop.domain.codes import Level, code_problem
from gridloop.domain.devices.catalog import KindCatalog
from gridloop.domain.devices.device import Device
from gridloop.domain.people import Department, GridWorker, Resident, phone_problem
from gridloop.domain.problems import Located, Problem
from gridloop.domain.regions import District, Grid
from gridloop.domain.registry import DistrictRegistry

DISTRICT = "district.json"
GRIDS = "grids.geojson"
BUILDINGS = "buildings.csv"
WORKERS = "workers.csv"
DEVICES = "devices.csv"
RESIDENTS = "residents.csv"
DEPARTMENTS = "departments.csv"

T = TypeVar("T")


@dataclass
class ParsedRegistry:
    """What the reader made of a directory, line numbers kept, before cross-file checks."""

    district: Located[District] | None = None
    grids: list[Located[Grid]] = field(default_factory=list)
    buildings: list[Located[Building]] = field(default_factory=list)
    workers: list[Located[GridWorker]] = field(default_factory=list)
    devices: list[Located[Device]] = field(default_factory=list)
    residents: list[Located[Resident]] = field(default_factory=list)
    departments: list[Located[Department]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    region_lines: dict[str, int] = field(default_factory=dict)  # district.json code → line


def check_registry(parsed: ParsedRegistry, kinds: KindCatalog) -> list[Problem]:
    """Every cross-file problem; devices without a point take their building's."""
    out: list[Problem] = []
    communities = (
        _check_district(parsed.district, parsed.region_lines, out) if parsed.district else set()
    )
    _unique(parsed.grids, GRIDS, "code", lambda g: g.code, out)
    for located in parsed.grids:
        g, line = located.value, located.line
        if g.community_code not in communities:
            out.append(
                Problem(GRIDS, line, "community_code", f"unknown community {g.community_code!r}")
            )
        why = code_problem(g.code, Level.GRID, g.community_code)
        if why:
            out.append(Problem(GRIDS, line, "code", why))
    grid_codes = {g.value.code for g in parsed.grids}
    buildings = _unique(parsed.buildings, BUILDINGS, "code", lambda b: b.code, out)
    _unique(parsed.workers, WORKERS, "id", lambda w: w.id, out)
    for worker in parsed.workers:
        w = worker.value
        for code in w.grid_codes:
            if code not in grid_codes:
                out.append(Problem(WORKERS, worker.line, "grid_codes", f"unknown grid {code!r}"))
        _phone(w.phone, WORKERS, worker.line, out)
    _unique(parsed.devices, DEVICES, "id", lambda d: d.id, out)
    parsed.devices = [_check_device(d, buildings, kinds, out) for d in parsed.devices]
    _unique(parsed.residents, RESIDENTS, "id", lambda r: r.id, out)
    for resident in parsed.residents:
        r = resident.value
        if r.building_code and r.building_code not in buildings:
            out.append(
                Problem(
                    RESIDENTS,
                    resident.line,
                    "building_code",
                    f"unknown building {r.building_code!r}",
                )
            )
        _phone(r.phone, RESIDENTS, resident.line, out)
    _unique(parsed.departments, DEPARTMENTS, "code", lambda d: d.code, out)
    return out


def _check_district(
    located: Located[District], lines: dict[str, int], out: list[Problem]
) -> set[str]:
    d = located.value
    why = code_problem(d.code, Level.DISTRICT)
    if why:
        out.append(Problem(DISTRICT, located.line, "code", why))
    seen: set[str] = set()
    for s in d.streets:
        why = code_problem(s.code, Level.STREET, d.code)
        if why:
            out.append(Problem(DISTRICT, lines.get(s.code, 0), "streets.code", why))
        for c in s.communities:
            why = code_problem(c.code, Level.COMMUNITY, s.code)
            if why:
                out.append(Problem(DISTRICT, lines.get(c.code, 0), "communities.code", why))
        for code in (s.code, *(c.code for c in s.communities)):
            if code in seen:
                out.append(Problem(DISTRICT, lines.get(code, 0), "code", f"{code!r} appears twice"))
            seen.add(code)
    return {c.code for c in d.communities()}


def _check_device(
    located: Located[Device],
    buildings: dict[str, Located[Building]],
    kinds: KindCatalog,
    out: list[Problem],
) -> Located[Device]:
    d, line = located.value, located.line
    if d.kind not in kinds:
        out.append(
            Problem(
                DEVICES,
                line,
                "kind",
                f"unknown device kind {d.kind!r}; known: {', '.join(kinds.codes())}",
            )
        )
    else:
        out.extend(
            Problem(DEVICES, line, "attrs", why)
            for why in kinds.get(d.kind).attrs_problems(d.attrs)
        )
    if d.building_code:
        building = buildings.get(d.building_code)
        if building is None:
            out.append(
                Problem(DEVICES, line, "building_code", f"unknown building {d.building_code!r}")
            )
        elif math.isnan(d.lon):
            return Located(replace(d, lon=building.value.lon, lat=building.value.lat), line)
    elif math.isnan(d.lon):
        out.append(
            Problem(DEVICES, line, "lon/lat", "a device outside any building needs lon and lat")
        )
    return located


def _phone(phone: str, file: str, line: int, out: list[Problem]) -> None:
    why = phone_problem(phone)
    if why:
        out.append(Problem(file, line, "phone", why))


def _unique(
    records: Iterable[Located[T]],
    file: str,
    field_name: str,
    key: Callable[[T], str],
    out: list[Problem],
) -> dict[str, Located[T]]:
    first: dict[str, Located[T]] = {}
    for located in records:
        k = key(located.value)
        if not k:
            continue  # the reader has reported the empty key
        if k in first:
            out.append(
                Problem(
                    file,
                    located.line,
                    field_name,
                    f"duplicate {field_name} {k!r} (first on line {first[k].line})",
                )
            )
        else:
            first[k] = located
    return first


def to_registry(parsed: ParsedRegistry, grid_of: dict[str, str]) -> DistrictRegistry:
    """The checked registry; `grid_of` maps building codes and device ids to their grid."""
    assert parsed.district is not None
    return DistrictRegistry(
        district=parsed.district.value,
        grids=tuple(g.value for g in parsed.grids),
        buildings=tuple(
            replace(b.value, grid_code=grid_of[b.value.code]) for b in parsed.buildings
        ),
        workers=tuple(w.value for w in parsed.workers),
        devices=tuple(replace(d.value, grid_code=grid_of[d.value.id]) for d in parsed.devices),
        residents=tuple(r.value for r in parsed.residents),
        departments=tuple(d.value for d in parsed.departments),
    )
