"""Checks every simulated district must pass, shared by the tiny and chengxi tests."""

from __future__ import annotations

from collections import Counter

import numpy as np
import shapely

from gridloop.adapters.spatial_index import areas_m2, to_shape
from gridloop.domain.devices.catalog import default_catalog
from gridloop.domain.people import Employment
from gridloop.domain.registry import DistrictRegistry
from gridloop.simulator.presets import get_preset

MAX_OVERLAP_M2 = 1.0


def grid_shapes(registry: DistrictRegistry) -> np.ndarray:
    return np.asarray([to_shape(g.area) for g in registry.grids], dtype=object)


def assert_codes_nest(registry: DistrictRegistry) -> None:
    district = registry.district
    communities = set()
    for street in district.streets:
        assert len(street.code) == 9 and street.code.startswith(district.code)
        for community in street.communities:
            assert len(community.code) == 12 and community.code.startswith(street.code)
            communities.add(community.code)
    for grid in registry.grids:
        assert len(grid.code) == 15 and grid.code.isdigit()
        assert grid.code.startswith(grid.community_code) and grid.community_code in communities
    for building in registry.buildings:
        assert len(building.code) == 18 and building.code.startswith(building.grid_code)


def assert_grids_tile(registry: DistrictRegistry, outline: shapely.Polygon) -> None:
    shapes = grid_shapes(registry)
    assert shapely.is_valid(shapes).all()
    union = shapely.union_all(shapes)
    assert abs(union.area - outline.area) / outline.area < 1e-3
    assert shapely.symmetric_difference(union, outline).area / outline.area < 1e-3
    left, right = shapely.STRtree(shapes).query(shapes, predicate="intersects")
    keep = left < right
    overlaps = areas_m2(shapely.intersection(shapes[left[keep]], shapes[right[keep]]))
    assert overlaps.max(initial=0.0) < MAX_OVERLAP_M2
    coords = shapely.get_coordinates(shapes)
    assert np.array_equal(coords, np.round(coords, 6))


def assert_buildings_in_their_grid(registry: DistrictRegistry) -> None:
    shapes = dict(zip((g.code for g in registry.grids), grid_shapes(registry), strict=True))
    by_grid: dict[str, list[tuple[float, float]]] = {}
    for b in registry.buildings:
        by_grid.setdefault(b.grid_code, []).append((b.lon, b.lat))
    for code, points in by_grid.items():
        xy = np.asarray(points)
        assert shapely.contains_xy(shapes[code], xy[:, 0], xy[:, 1]).all(), code


def assert_households_add_up(registry: DistrictRegistry) -> None:
    by_grid = Counter[str]()
    for b in registry.buildings:
        by_grid[b.grid_code] += b.households
    for grid in registry.grids:
        assert grid.households == by_grid[grid.code]


def assert_staffed(registry: DistrictRegistry) -> None:
    codes = {g.code for g in registry.grids}
    full_time = Counter(
        c for w in registry.workers if w.employment is Employment.FULL_TIME for c in w.grid_codes
    )
    assert all(full_time[c] == 1 for c in codes)
    for worker in registry.workers:
        assert set(worker.grid_codes) <= codes
        assert len(worker.phone) == 11 and worker.phone[:2] in {"13", "15", "17", "18", "19"}
        if len(worker.grid_codes) > 1:
            assert worker.employment is Employment.PART_TIME
            assert len({c[:12] for c in worker.grid_codes}) == 1
    assert len({w.id for w in registry.workers}) == len(registry.workers)


def assert_devices_fit_their_kind(registry: DistrictRegistry) -> None:
    catalog = default_catalog()
    buildings = {b.code: b for b in registry.buildings}
    residents = {r.id for r in registry.residents}
    for device in registry.devices:
        kind = catalog.get(device.kind)
        assert device.id.startswith(kind.id_prefix + "-") and len(device.id.split("-")[1]) == 6
        assert kind.attrs_problems(device.attrs) == []
        if device.building_code:
            building = buildings[device.building_code]
            assert (device.lon, device.lat) == (building.lon, building.lat)
        if "resident_id" in device.attrs:
            assert device.attrs["resident_id"] in residents
    assert {d.kind for d in registry.devices} == set(catalog.codes())


def assert_residents_live_in_homes(registry: DistrictRegistry) -> None:
    homes = {b.code for b in registry.buildings if b.households > 0}
    assert all(r.building_code in homes for r in registry.residents)
    assert len({r.id for r in registry.residents}) == len(registry.residents)


def assert_well_formed(registry: DistrictRegistry, preset: str) -> None:
    assert_codes_nest(registry)
    assert_grids_tile(registry, shapely.Polygon(get_preset(preset).outline))
    assert_buildings_in_their_grid(registry)
    assert_households_add_up(registry)
    assert_staffed(registry)
    assert_devices_fit_their_kind(registry)
    assert_residents_live_in_homes(registry)
