"""The tiny preset: a complete, well-formed district in a fraction of a second."""

from __future__ import annotations

from pathlib import Path

import pytest
import shapely
from sim_checks import assert_well_formed, grid_shapes

from gridloop.adapters.geometry_checks import grid_geometry_problems
from gridloop.domain.devices.catalog import default_catalog
from gridloop.domain.devices.kind import PlacedPer
from gridloop.domain.people import ResidentTag
from gridloop.domain.registry import DistrictRegistry
from gridloop.simulator.district import generate_district, write_district


@pytest.fixture(scope="module")
def tiny() -> DistrictRegistry:
    return generate_district("tiny", 1)


def _files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_same_seed_writes_byte_identical_files(tmp_path: Path) -> None:
    write_district("tiny", 1, tmp_path / "a")
    write_district("tiny", 1, tmp_path / "b")
    first, second = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert sorted(first) == [
        "buildings.csv",
        "departments.csv",
        "devices.csv",
        "district.json",
        "grids.geojson",
        "residents.csv",
        "workers.csv",
    ]
    assert first == second


def test_another_seed_gives_another_district(tmp_path: Path) -> None:
    write_district("tiny", 1, tmp_path / "a")
    write_district("tiny", 2, tmp_path / "b")
    first, second = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert first["grids.geojson"] != second["grids.geojson"]
    assert first["residents.csv"] != second["residents.csv"]


def test_tiny_has_the_promised_shape(tiny: DistrictRegistry) -> None:
    assert tiny.district.code == "630199"
    assert len(tiny.district.streets) == 2
    assert all(len(s.communities) == 2 for s in tiny.district.streets)
    assert len(tiny.grids) == 12
    assert tiny.residents and tiny.departments


def test_tiny_is_well_formed(tiny: DistrictRegistry) -> None:
    assert_well_formed(tiny, "tiny")


def test_importer_finds_no_geometry_problem(tiny: DistrictRegistry) -> None:
    assert grid_geometry_problems([(g, i) for i, g in enumerate(tiny.grids, 2)], "grids") == []


def test_special_grid_fills_a_hole_of_a_residential_grid(tiny: DistrictRegistry) -> None:
    shapes = dict(zip((g.code for g in tiny.grids), grid_shapes(tiny), strict=True))
    (special,) = [g for g in tiny.grids if g.name.endswith("专属网格")]
    assert special.households == 0
    hosts = [
        code
        for code, shape in shapes.items()
        if isinstance(shape, shapely.Polygon) and len(shape.interiors) == 1
    ]
    assert len(hosts) == 1
    hole = shapely.Polygon(shapes[hosts[0]].interiors[0])
    assert shapely.equals(hole, shapes[special.code])
    assert hosts[0][:12] == special.community_code


def test_river_splits_a_grid_into_a_multipolygon(tiny: DistrictRegistry) -> None:
    multi = [g for g in tiny.grids if g.area.multi]
    assert len(multi) == 1 and len(multi[0].area.polygons) == 2


def test_grids_are_numbered_north_to_south(tiny: DistrictRegistry) -> None:
    shapes = dict(zip((g.code for g in tiny.grids), grid_shapes(tiny), strict=True))
    for community in tiny.district.communities():
        codes = sorted(c for c in shapes if c.startswith(community.code))
        assert [c[-3:] for c in codes] == [f"{i:03d}" for i in range(1, len(codes) + 1)]
        lats = [shapes[c].point_on_surface().y for c in codes]
        assert lats[0] >= min(lats[1:])


def test_every_grid_has_part_timers_besides_its_full_timer(tiny: DistrictRegistry) -> None:
    for grid in tiny.grids:
        serving = [w for w in tiny.workers if grid.code in w.grid_codes]
        assert len(serving) >= 2


def test_devices_per_elderly_resident_stand_in_their_home(tiny: DistrictRegistry) -> None:
    per_resident = {
        k.code for k in default_catalog() if k.placement.per is PlacedPer.ELDERLY_RESIDENT
    }
    alone = {r.id: r for r in tiny.residents if ResidentTag.ELDERLY_ALONE in r.tags}
    cared = [d for d in tiny.devices if d.kind in per_resident]
    assert len(cared) >= len(per_resident)
    for device in cared:
        resident = alone[str(device.attrs["resident_id"])]
        assert device.building_code == resident.building_code


def test_a_progress_callback_hears_each_stage() -> None:
    heard: list[str] = []
    generate_district("tiny", 3, progress=heard.append)
    assert {"tiling", "buildings", "residents", "workers", "devices"} <= set(heard)
