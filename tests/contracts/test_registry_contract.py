"""The UnitOfWork and RegistryRepository ports' contract: every adapter passes the same suite."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Protocol, TypeVar

import pytest
from fakes.registry import (
    B1,
    B3,
    DISTRICT,
    EAST,
    G1,
    G2,
    G3,
    WEST,
    WUSI,
    box,
    building,
    department,
    device,
    district,
    grid,
    resident,
    ring,
    small_registry,
    worker,
)

from gridloop.adapters.formats.reader import read_directory
from gridloop.adapters.geometry_checks import grid_geometry_problems
from gridloop.bootstrap import bootstrap, build_locator, extension_kinds
from gridloop.config import Settings
from gridloop.domain.devices.catalog import default_catalog
from gridloop.domain.geometry import Area
from gridloop.domain.people import DepartmentFunction, ResidentTag
from gridloop.domain.regions import Community, District, Street
from gridloop.domain.registry import DistrictRegistry, RegistryStats
from gridloop.service_layer.ports import RegistryRepository, UnitOfWork
from gridloop.service_layer.registry_import import ImportSummary, import_registry, save_registry

TABLES = (
    "streets",
    "communities",
    "grids",
    "buildings",
    "workers",
    "devices",
    "residents",
    "departments",
)
SOUTH = "630199003"
T = TypeVar("T")
KINDS = ("electrical_fire", "gas_detector", "smoke_detector", "weather_station")


class Harness(Protocol):
    """How the suite opens units of work on one fresh store, and releases them."""

    def unit_of_work(self) -> UnitOfWork: ...
    def close(self) -> None: ...


class SqliteHarness:
    """A real database file migrated by the app; each unit of work on its own connection."""

    def __init__(self, tmp_path: Path) -> None:
        self.app = bootstrap(Settings(db_path=tmp_path / "gridloop.db"))
        self._opened: list[Callable[[], None]] = []

    def unit_of_work(self) -> UnitOfWork:
        uow = self.app.unit_of_work()
        self._opened.append(uow.close)
        return uow

    def close(self) -> None:
        for close in self._opened:
            close()


ADAPTERS: dict[str, Callable[[Path], Harness]] = {"sqlite": SqliteHarness}


@pytest.fixture(params=list(ADAPTERS))
def new_harness(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], Harness]]:
    """Fresh stores of the adapter under test, as many as a test needs."""
    made: list[Harness] = []

    def make() -> Harness:
        where = tmp_path / f"store{len(made)}"
        where.mkdir()
        harness = ADAPTERS[request.param](where)
        made.append(harness)
        return harness

    yield make
    for harness in made:
        harness.close()


@pytest.fixture
def harness(new_harness: Callable[[], Harness]) -> Harness:
    return new_harness()


def write(harness: Harness, do: Callable[[RegistryRepository], object]) -> None:
    with harness.unit_of_work() as uow:
        do(uow.registry)
        uow.commit()


def read(harness: Harness, get: Callable[[RegistryRepository], T]) -> T:
    with harness.unit_of_work() as uow:
        return get(uow.registry)


def import_directory(harness: Harness, directory: Path) -> ImportSummary:
    """The real import, writing through the adapter's unit of work."""
    kinds = default_catalog(extension_kinds)
    return import_registry(
        read_directory(directory),
        harness.unit_of_work(),
        kinds,
        grid_geometry_problems,
        build_locator,
    )


def loaded(harness: Harness) -> DistrictRegistry:
    registry = read(harness, lambda r: r.load())
    assert registry is not None
    return registry


def by_key(registry: DistrictRegistry) -> dict[str, dict[str, object]]:
    """Each table's records by key: the port does not promise an order."""
    return {
        "grids": {g.code: g for g in registry.grids},
        "buildings": {b.code: b for b in registry.buildings},
        "workers": {w.id: w for w in registry.workers},
        "devices": {d.id: d for d in registry.devices},
        "residents": {r.id: r for r in registry.residents},
        "departments": {d.code: d for d in registry.departments},
    }


def streets_by_code(d: District) -> dict[str, tuple[str, set[Community]]]:
    return {s.code: (s.name, set(s.communities)) for s in d.streets}


def with_small_district(harness: Harness) -> None:
    write(harness, lambda r: save_registry(r, small_registry()))


# --- the unit of work ---------------------------------------------------------------------


class Boom(Exception):
    pass


def test_an_empty_store_holds_no_registry(harness: Harness) -> None:
    with harness.unit_of_work() as uow:
        repo = uow.registry
        assert repo.district() is None
        assert repo.load() is None
        assert (repo.grids(), repo.devices()) == ([], [])
        assert {t: repo.keys(t) for t in TABLES} == {t: set() for t in TABLES}


def test_committed_writes_are_seen_by_the_next_unit_of_work(harness: Harness) -> None:
    with harness.unit_of_work() as uow:
        uow.registry.save_district(district())
        uow.registry.upsert_grids([grid(G1, box(0, 0, 1, 1))])
        uow.commit()

    assert read(harness, lambda r: r.district()) == district()
    assert read(harness, lambda r: r.keys("grids")) == {G1}


def test_a_unit_of_work_sees_its_own_writes_before_commit(harness: Harness) -> None:
    with harness.unit_of_work() as uow:
        uow.registry.save_district(district())
        uow.registry.upsert_grids([grid(G1, box(0, 0, 1, 1))])
        assert uow.registry.district() == district()
        assert [g.code for g in uow.registry.grids()] == [G1]


def test_leaving_without_commit_rolls_back(harness: Harness) -> None:
    with harness.unit_of_work() as uow:
        save_registry(uow.registry, small_registry())

    assert read(harness, lambda r: r.load()) is None
    assert read(harness, lambda r: r.keys("grids")) == set()


def test_an_exception_rolls_back_and_goes_on_to_the_caller(harness: Harness) -> None:
    with_small_district(harness)

    with pytest.raises(Boom), harness.unit_of_work() as uow:
        uow.registry.upsert_departments([department("D09", "民政局")])
        uow.registry.save_district(district(name="改名区"))
        raise Boom

    assert read(harness, lambda r: r.keys("departments")) == {"D01", "D02"}
    assert read(harness, lambda r: r.district()) == district()


def test_an_explicit_rollback_discards_the_writes_and_leaving_after_it_is_fine(
    harness: Harness,
) -> None:
    with harness.unit_of_work() as uow:
        save_registry(uow.registry, small_registry())
        uow.rollback()

    assert read(harness, lambda r: r.load()) is None


def test_only_what_was_committed_survives_a_later_failure(harness: Harness) -> None:
    with_small_district(harness)
    with harness.unit_of_work() as uow:
        uow.registry.upsert_devices([device("WS-000002", "weather_station", G2, 1.2, 0.2)])
        uow.commit()
    with harness.unit_of_work() as uow:
        uow.registry.upsert_devices([device("WS-000003", "weather_station", G2, 1.3, 0.3)])

    assert read(harness, lambda r: r.keys("devices")) == {
        "EF-000001",
        "SMK-000001",
        "WS-000001",
        "WS-000002",
    }


# --- the district -------------------------------------------------------------------------


def test_a_district_round_trips_with_its_streets_and_communities(harness: Harness) -> None:
    write(harness, lambda r: r.save_district(district()))

    got = read(harness, lambda r: r.district())

    assert got is not None
    assert (got.code, got.name) == (DISTRICT, "试验区")
    assert streets_by_code(got) == streets_by_code(district())
    assert {c.code for c in got.communities()} == {c.code for c in district().communities()}


def test_saving_the_district_again_renames_and_adds(harness: Harness) -> None:
    write(harness, lambda r: r.save_district(district()))
    east, west = district().streets
    grown = District(
        DISTRICT,
        "城东区",
        (
            east,
            Street(WEST, "西风路街道", (*west.communities, Community(f"{WEST}002", "民和街社区"))),
            Street(SOUTH, "南山街道", (Community(f"{SOUTH}001", "南山社区"),)),
        ),
    )

    write(harness, lambda r: r.save_district(grown))

    got = read(harness, lambda r: r.district())
    assert got is not None
    assert got.name == "城东区"
    assert streets_by_code(got) == streets_by_code(grown)
    assert read(harness, lambda r: r.keys("streets")) == {EAST, WEST, SOUTH}


# --- upserts ------------------------------------------------------------------------------

UPSERTS = {
    "grids": (
        "upsert_grids",
        grid(G1, box(0, 0, 1, 1), name="旧名", households=300),
        grid(G1, box(0, 0, 1, 2), name="朝阳苑社区第1网格", households=None),
    ),
    "buildings": (
        "upsert_buildings",
        building(B1, G1, 0.2, 0.2, compound="海湖小区", households=100),
        building(B1, G2, 1.2, 0.2, compound="", households=140),
    ),
    "workers": (
        "upsert_workers",
        worker("W000001", G1, G2, name="叶超"),
        worker("W000001", G3, G1, name="叶超然", full_time=False),
    ),
    "devices": (
        "upsert_devices",
        device("EF-000001", "electrical_fire", G1, 0.2, 0.2, B1, {"rated_a": 63}),
        device("EF-000001", "electrical_fire", G2, 1.5, 0.5, "", {"rated_a": 32, "型号": "X"}),
    ),
    "residents": (
        "upsert_residents",
        resident("R0000001", B1, ResidentTag.ELDERLY_ALONE),
        resident("R0000001", B3, ResidentTag.VETERAN, ResidentTag.PARTY_MEMBER, name="李秀英"),
    ),
    "departments": (
        "upsert_departments",
        department("D01", "城管执法局", DepartmentFunction.URBAN_MANAGEMENT),
        department("D01", "城市管理局", DepartmentFunction.HOUSING, phone=""),
    ),
}


def upsert(repo: RegistryRepository, table: str, records: Sequence[object]) -> None:
    getattr(repo, UPSERTS[table][0])(records)


@pytest.mark.parametrize("table", list(UPSERTS))
def test_an_upsert_of_a_known_key_replaces_the_record(harness: Harness, table: str) -> None:
    _method, first, last = UPSERTS[table]
    key = next(iter(by_key(small_registry())[table]))
    with_small_district(harness)

    write(harness, lambda r: upsert(r, table, [first]))
    write(harness, lambda r: upsert(r, table, [last]))

    rows = by_key(loaded(harness))[table]
    assert rows[key] == last
    assert len(rows) == len(by_key(small_registry())[table])
    assert read(harness, lambda r: r.keys(table)) == set(rows)


@pytest.mark.parametrize("table", list(UPSERTS))
def test_a_key_given_twice_in_one_bulk_upsert_keeps_the_last(harness: Harness, table: str) -> None:
    _method, first, last = UPSERTS[table]
    key = next(iter(by_key(small_registry())[table]))
    with_small_district(harness)

    write(harness, lambda r: upsert(r, table, [first, last]))

    rows = by_key(loaded(harness))[table]
    assert rows[key] == last
    assert len(rows) == len(by_key(small_registry())[table])


def test_a_bulk_upsert_adds_the_new_and_replaces_the_known_in_one_call(
    harness: Harness,
) -> None:
    with_small_district(harness)
    renamed = dataclasses.replace(small_registry().grids[1], name="五四村社区第1网格")
    added = [grid(f"{WUSI}{i:03d}", box(i, 5, i + 1, 6)) for i in range(1, 201)]

    write(harness, lambda r: r.upsert_grids([*added, renamed]))

    grids = {g.code: g for g in read(harness, lambda r: r.grids())}
    assert len(grids) == 3 + 200
    assert grids[G2] == renamed
    assert [grids[g.code] for g in added] == added


def test_a_workers_grids_are_replaced_in_their_order_not_merged(harness: Harness) -> None:
    with_small_district(harness)

    write(harness, lambda r: r.upsert_workers([worker("W000001", G3, G1)]))

    workers = by_key(loaded(harness))["workers"]
    assert workers["W000001"] == worker("W000001", G3, G1)
    assert workers["W000002"] == worker("W000002", G3, full_time=False)


def test_upserting_nothing_changes_nothing(harness: Harness) -> None:
    with_small_district(harness)

    def nothing(repo: RegistryRepository) -> None:
        for table in UPSERTS:
            upsert(repo, table, [])

    write(harness, nothing)

    assert by_key(loaded(harness)) == by_key(small_registry())


# --- reads --------------------------------------------------------------------------------


def test_grids_come_back_as_saved_holes_multipolygons_and_all(harness: Harness) -> None:
    write(harness, lambda r: r.save_district(district()))
    multi = dataclasses.replace(
        grid(G2, box(1, 0, 2, 1)),
        area=Area(((box(1, 0, 2, 1),), (box(3, 0, 4, 1), box(3.2, 0.2, 3.8, 0.8))), multi=True),
    )
    concave = grid(G3, ring((0, 2), (3, 2), (3, 5), (2, 5), (2, 3), (1, 3), (1, 5), (0, 5)))
    saved = [grid(G1, box(0, 0, 1, 1), households=None), multi, concave]

    write(harness, lambda r: r.upsert_grids(saved))

    assert sorted(read(harness, lambda r: r.grids()), key=lambda g: g.code) == saved


def test_devices_come_back_as_saved_attributes_and_all(harness: Harness) -> None:
    registry = small_registry()

    def places(repo: RegistryRepository) -> None:
        repo.save_district(registry.district)
        repo.upsert_grids(registry.grids)
        repo.upsert_buildings(registry.buildings)

    write(harness, places)
    saved = [
        device("EF-000001", "electrical_fire", G1, 0.2, 0.2, B1, {"rated_a": 63, "ok": True}),
        device("GAS-000001", "gas_detector", G1, 0.2, 0.2, B1, {"位置": "厨房", "lel": 0.5}),
        device("WS-000001", "weather_station", G2, 1.5, 0.5, attrs={"height_m": {"mast": 6}}),
        device("WS-000002", "weather_station", G2, 1.6, 0.5),
    ]

    write(harness, lambda r: r.upsert_devices(saved))

    assert sorted(read(harness, lambda r: r.devices()), key=lambda d: d.id) == saved


def test_load_gives_back_the_whole_registry_as_saved(harness: Harness) -> None:
    with_small_district(harness)

    got = loaded(harness)

    assert got.district == small_registry().district
    assert by_key(got) == by_key(small_registry())


@pytest.mark.parametrize("table", TABLES)
def test_keys_are_the_primary_keys_of_each_table(harness: Harness, table: str) -> None:
    registry = small_registry()
    with_small_district(harness)
    expected = {
        "streets": {s.code for s in registry.district.streets},
        "communities": {c.code for c in registry.district.communities()},
        **{t: set(rows) for t, rows in by_key(registry).items()},
    }

    assert read(harness, lambda r: r.keys(table)) == expected[table]


@pytest.mark.parametrize("name", ["districts", "worker_grids", "grids; DROP TABLE grids", ""])
def test_keys_of_a_name_that_is_not_a_registry_table_is_refused(
    harness: Harness, name: str
) -> None:
    with_small_district(harness)
    with pytest.raises(Exception), harness.unit_of_work() as uow:  # noqa: B017 - adapter's own
        uow.registry.keys(name)
    assert read(harness, lambda r: r.keys("grids")) == {G1, G2, G3}


def test_stats_count_what_was_saved(harness: Harness) -> None:
    with_small_district(harness)

    stats = read(harness, lambda r: r.stats(KINDS))

    assert stats == RegistryStats(
        streets=2,
        communities=3,
        grids=3,
        compounds=2,  # 海湖小区 in G1 and 兴旺苑 in G3; B2 stands alone
        buildings=3,
        households=360,
        workers=2,
        full_time_workers=1,
        devices=3,
        devices_by_kind={
            "electrical_fire": 1,
            "gas_detector": 0,  # asked about, none installed
            "smoke_detector": 1,
            "weather_station": 1,
        },
        residents=3,
        residents_by_tag={"disabled": 1, "elderly": 1, "elderly_alone": 1},
        departments=2,
    )


def test_stats_list_every_installed_kind_even_one_not_asked_about(harness: Harness) -> None:
    with_small_district(harness)

    stats = read(harness, lambda r: r.stats(["gas_detector"]))

    assert stats.devices_by_kind == {
        "electrical_fire": 1,
        "gas_detector": 0,
        "smoke_detector": 1,
        "weather_station": 1,
    }


def test_stats_of_an_empty_store_are_zeros(harness: Harness) -> None:
    stats = read(harness, lambda r: r.stats(["smoke_detector"]))

    assert stats == RegistryStats(
        streets=0,
        communities=0,
        grids=0,
        compounds=0,
        buildings=0,
        households=0,
        workers=0,
        full_time_workers=0,
        devices=0,
        devices_by_kind={"smoke_detector": 0},
        residents=0,
        residents_by_tag={},
        departments=0,
    )


def test_a_compound_name_in_two_grids_is_two_compounds(harness: Harness) -> None:
    with_small_district(harness)
    write(harness, lambda r: r.upsert_buildings([building(f"{G2}001", G2, 1.5, 0.5)]))

    assert read(harness, lambda r: r.stats(KINDS)).compounds == 3


# --- the tiny district, imported for real -------------------------------------------------


def test_the_imported_tiny_district_reads_back_through_the_port(
    harness: Harness, tiny_source: Path
) -> None:
    summary = import_directory(harness, tiny_source)

    registry = loaded(harness)
    rows = by_key(registry)
    assert {t: len(r) for t, r in rows.items()} == summary.written
    with harness.unit_of_work() as uow:
        assert {t: uow.registry.keys(t) for t in rows} == {t: set(r) for t, r in rows.items()}
    assert {g.code: g for g in read(harness, lambda r: r.grids())} == rows["grids"]
    assert {d.id: d for d in read(harness, lambda r: r.devices())} == rows["devices"]
    assert {b.grid_code for b in registry.buildings} <= set(rows["grids"])
    assert {d.grid_code for d in registry.devices} <= set(rows["grids"])

    stats = read(harness, lambda r: r.stats(["smoke_detector"]))
    assert (stats.grids, stats.buildings, stats.devices, stats.residents) == (
        summary.written["grids"],
        summary.written["buildings"],
        summary.written["devices"],
        summary.written["residents"],
    )
    assert stats.households == sum(b.households for b in registry.buildings)
    assert sum(stats.devices_by_kind.values()) == stats.devices
    assert stats.communities == len(registry.district.communities())


def test_a_loaded_registry_written_to_a_fresh_store_loads_the_same(
    new_harness: Callable[[], Harness], tiny_source: Path
) -> None:
    original = new_harness()
    import_directory(original, tiny_source)
    registry = loaded(original)

    copy = new_harness()
    write(copy, lambda r: save_registry(r, registry))

    again = loaded(copy)
    assert streets_by_code(again.district) == streets_by_code(registry.district)
    assert by_key(again) == by_key(registry)
    assert read(copy, lambda r: r.stats(KINDS)) == read(original, lambda r: r.stats(KINDS))


def test_importing_the_same_district_again_changes_nothing(
    harness: Harness, tiny_source: Path
) -> None:
    import_directory(harness, tiny_source)
    before = loaded(harness)

    again = import_directory(harness, tiny_source)

    assert by_key(loaded(harness)) == by_key(before)
    assert set(again.new.values()) == {0}
    assert again.written == {t: len(rows) for t, rows in by_key(before).items()}


def test_a_unit_of_work_that_raises_mid_import_leaves_the_store_as_it_was(
    harness: Harness, tiny_source: Path
) -> None:
    import_directory(harness, tiny_source)
    before = loaded(harness)
    fewer = dataclasses.replace(
        before,
        district=dataclasses.replace(before.district, name="改名区"),
        grids=tuple(dataclasses.replace(g, name=f"改{g.name}") for g in before.grids),
    )

    with pytest.raises(Boom), harness.unit_of_work() as uow:
        save_registry(uow.registry, fewer)
        raise Boom

    after = loaded(harness)
    assert after.district == before.district
    assert by_key(after) == by_key(before)
