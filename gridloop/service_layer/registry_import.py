"""Import a district directory: read, check everything, then write it all in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from gridloop.domain.devices.catalog import KindCatalog
from gridloop.domain.problems import InvalidInput, Problem
from gridloop.domain.regions import Grid
from gridloop.domain.registry import DistrictRegistry
from gridloop.domain.registry_checks import (
    BUILDINGS,
    DEVICES,
    DISTRICT,
    GRIDS,
    ParsedRegistry,
    check_registry,
    to_registry,
)
from gridloop.service_layer.ports import (
    GeometryChecker,
    GridLocator,
    RegistryRepository,
    UnitOfWork,
)

Progress = Callable[[str], None]

_TABLES = ("grids", "buildings", "workers", "devices", "residents", "departments")


@dataclass
class ImportSummary:
    """How many records of each table the import wrote, and how many it found new."""

    written: dict[str, int] = field(default_factory=dict)
    new: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)  # in the database, not in the directory


def import_registry(
    parsed: ParsedRegistry,
    uow: UnitOfWork,
    kinds: KindCatalog,
    check_geometry: GeometryChecker,
    build_locator: Callable[[Sequence[Grid]], GridLocator],
    progress: Progress = lambda _step: None,
) -> ImportSummary:
    """Write `parsed` through `uow`, or raise InvalidInput listing every problem."""
    problems = list(parsed.problems)
    progress("checking references")
    problems += check_registry(parsed, kinds)
    progress("checking polygons")
    problems += check_geometry([(g.value, g.line) for g in parsed.grids], GRIDS)
    if parsed.district is None or problems:
        raise InvalidInput(problems)
    progress("locating buildings and devices")
    grid_of = _locate(parsed, build_locator([g.value for g in parsed.grids]), problems)
    if problems:
        raise InvalidInput(problems)
    registry = to_registry(parsed, grid_of)
    progress("writing")
    with uow:
        existing = uow.registry.district()
        if existing is not None and existing.code != registry.district.code:
            raise InvalidInput(
                [
                    Problem(
                        DISTRICT,
                        parsed.district.line,
                        "code",
                        f"this database holds district {existing.code} ({existing.name}); "
                        f"refusing to import district {registry.district.code} into it",
                    )
                ]
            )
        before = {t: uow.registry.keys(t) for t in _TABLES}
        save_registry(uow.registry, registry)
        summary = _summary(registry, before)
        uow.commit()
    return summary


def _locate(
    parsed: ParsedRegistry, locator: GridLocator, problems: list[Problem]
) -> dict[str, str]:
    """Grid of every building (by its point) and device (by its building, else its point)."""
    buildings = [b.value for b in parsed.buildings]
    grids = locator.locate_many([b.lon for b in buildings], [b.lat for b in buildings])
    grid_of: dict[str, str] = {}
    for located, grid in zip(parsed.buildings, grids, strict=True):
        b = located.value
        if grid is None:
            problems.append(
                Problem(
                    BUILDINGS,
                    located.line,
                    "lon/lat",
                    f"({b.lon}, {b.lat}) lies outside every grid",
                )
            )
        else:
            grid_of[b.code] = grid
    loose = [d for d in parsed.devices if not d.value.building_code]
    loose_grids = locator.locate_many([d.value.lon for d in loose], [d.value.lat for d in loose])
    for device, grid in zip(loose, loose_grids, strict=True):
        d = device.value
        if grid is None:
            problems.append(
                Problem(
                    DEVICES, located.line, "lon/lat", f"({d.lon}, {d.lat}) lies outside every grid"
                )
            )
        else:
            grid_of[d.id] = grid
    for device in parsed.devices:
        d = device.value
        if d.building_code and d.building_code in grid_of:
            grid_of[d.id] = grid_of[d.building_code]
    return grid_of


def save_registry(repo: RegistryRepository, registry: DistrictRegistry) -> None:
    """Every table of `registry`, parents first."""
    repo.save_district(registry.district)
    repo.upsert_grids(registry.grids)
    repo.upsert_buildings(registry.buildings)
    repo.upsert_workers(registry.workers)
    repo.upsert_devices(registry.devices)
    repo.upsert_residents(registry.residents)
    repo.upsert_departments(registry.departments)


def _summary(registry: DistrictRegistry, before: dict[str, set[str]]) -> ImportSummary:
    keys = {
        "grids": {g.code for g in registry.grids},
        "buildings": {b.code for b in registry.buildings},
        "workers": {w.id for w in registry.workers},
        "devices": {d.id for d in registry.devices},
        "residents": {r.id for r in registry.residents},
        "departments": {d.code for d in registry.departments},
    }
    return ImportSummary(
        written={t: len(keys[t]) for t in _TABLES},
        new={t: len(keys[t] - before[t]) for t in _TABLES},
        kept={t: len(before[t] - keys[t]) for t in _TABLES},
    )
