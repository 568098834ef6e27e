"""Generate a whole simulated district: the registry an import directory would hold."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import shapely

from gridloop.adapters.formats.writer import write_registry
from gridloop.domain.devices.catalog import KindCatalog, default_catalog
from gridloop.domain.geometry import Area, PolygonRings, Ring
from gridloop.domain.people import Department
from gridloop.domain.people import DepartmentFunction as F
from gridloop.domain.regions import Community, District, Grid, Street
from gridloop.domain.registry import DistrictRegistry
from gridloop.simulator.geography import Tiling, build_tiling
from gridloop.simulator.housing import build_housing
from gridloop.simulator.installation import install
from gridloop.simulator.names import NameBank
from gridloop.simulator.presets import get_preset
from gridloop.simulator.residents import build_residents
from gridloop.simulator.staffing import build_workers

Progress = Callable[[str], None]

DEPARTMENTS = (
    Department("D01", "城管执法局", "0971-6112319", (F.URBAN_MANAGEMENT,)),
    Department("D02", "消防救援大队", "0971-6119119", (F.FIRE,)),
    Department("D03", "供电公司", "0971-6195598", (F.POWER,)),
    Department("D04", "燃气公司", "0971-6196777", (F.GAS,)),
    Department("D05", "自来水公司", "0971-6133345", (F.WATER,)),
    Department("D06", "公安分局", "0971-6110110", (F.POLICE,)),
    Department("D07", "民政局", "0971-6147012", (F.CIVIL_AFFAIRS,)),
    Department("D08", "住建局", "0971-6152368", (F.HOUSING,)),
    Department("D09", "应急管理局", "0971-6120350", (F.EMERGENCY,)),
    Department("D10", "物业服务中心", "0971-6188006", (F.PROPERTY,)),
)

# Each stage draws from its own stream, so changing one stage leaves the others' output alone.
TILING, HOUSING, RESIDENTS, WORKERS, DEVICES = range(1, 6)


def generate_district(
    preset: str,
    seed: int,
    progress: Progress | None = None,
    catalog: KindCatalog | None = None,
) -> DistrictRegistry:
    """The simulated district `preset`; the same (preset, seed) always gives the same one."""
    spec = get_preset(preset)
    kinds = list(catalog if catalog is not None else default_catalog())
    say = progress or (lambda _: None)

    def stream(stage: int) -> np.random.Generator:
        return np.random.default_rng([seed, stage])

    say("tiling")
    rng = stream(TILING)
    tiling = build_tiling(spec, rng, NameBank(rng), progress)
    say("buildings")
    housing = build_housing(tiling, spec, stream(HOUSING))
    say("residents")
    residents = build_residents(housing, spec, stream(RESIDENTS))
    say("workers")
    workers = build_workers(tiling, spec, stream(WORKERS))
    say("devices")
    devices = install(kinds, tiling, housing, residents, stream(DEVICES))
    return DistrictRegistry(
        district=_district(tiling, spec.district_code, spec.district_name),
        grids=tuple(
            Grid(g.code, g.name, g.code[:12], to_area(g.geom), housing.households[g.code])
            for g in tiling.grids()
        ),
        buildings=tuple(b.building for b in housing.buildings),
        workers=tuple(workers),
        devices=tuple(devices),
        residents=tuple(residents),
        departments=DEPARTMENTS,
    )


def write_district(
    preset: str,
    seed: int,
    out_dir: Path,
    progress: Progress | None = None,
    catalog: KindCatalog | None = None,
) -> DistrictRegistry:
    """Generate `preset` and write it to `out_dir` as a district directory."""
    registry = generate_district(preset, seed, progress, catalog)
    if progress is not None:
        progress("writing")
    write_registry(registry, Path(out_dir))
    return registry


def _district(tiling: Tiling, code: str, name: str) -> District:
    return District(
        code,
        name,
        tuple(
            Street(s.code, s.name, tuple(Community(c.code, c.name) for c in s.communities))
            for s in tiling.streets
        ),
    )


def to_area(geom: shapely.Geometry) -> Area:
    """A snapped Polygon or MultiPolygon as the domain's Area, coordinates at 6 decimals."""
    polygons = list(shapely.get_parts(geom))
    return Area(tuple(_rings(p) for p in polygons), multi=isinstance(geom, shapely.MultiPolygon))


def _rings(polygon: shapely.Polygon) -> PolygonRings:
    return tuple(_ring(r.coords) for r in (polygon.exterior, *polygon.interiors))


def _ring(coords: shapely.coords.CoordinateSequence) -> Ring:
    return tuple((round(x, 6), round(y, 6)) for x, y in coords)
