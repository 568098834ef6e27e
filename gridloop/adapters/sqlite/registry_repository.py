"""The registry repository on SQLite: bulk upserts and whole-registry reads."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Sequence

from gridloop.adapters.formats.geojson import area_from_geojson, area_to_geojson
from gridloop.domain.buildings import Building
from gridloop.domain.devices.device import Device
from gridloop.domain.people import (
    Department,
    DepartmentFunction,
    Employment,
    GridWorker,
    Resident,
    ResidentTag,
)
from gridloop.domain.regions import Community, District, Grid, Street
from gridloop.domain.registry import DistrictRegistry, RegistryStats

_TABLE_KEYS = {
    "streets": "code",
    "communities": "code",
    "grids": "code",
    "buildings": "code",
    "workers": "id",
    "devices": "id",
    "residents": "id",
    "departments": "code",
}


def _upsert_sql(table: str, columns: Sequence[str], key: str) -> str:
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != key)
    marks = ", ".join("?" for _ in columns)
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks}) "
        f"ON CONFLICT({key}) DO UPDATE SET {updates}"
    )


class SqliteRegistryRepository:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def district(self) -> District | None:
        row = self._conn.execute("SELECT code, name FROM districts").fetchone()
        if row is None:
            return None
        communities: dict[str, list[Community]] = defaultdict(list)
        for code, name, street in self._conn.execute(
            "SELECT code, name, street_code FROM communities ORDER BY code"
        ):
            communities[street].append(Community(code, name))
        streets = tuple(
            Street(code, name, tuple(communities[code]))
            for code, name in self._conn.execute("SELECT code, name FROM streets ORDER BY code")
        )
        return District(row[0], row[1], streets)

    def save_district(self, district: District) -> None:
        self._conn.execute(
            _upsert_sql("districts", ("code", "name"), "code"), (district.code, district.name)
        )
        self._conn.executemany(
            _upsert_sql("streets", ("code", "district_code", "name"), "code"),
            [(s.code, district.code, s.name) for s in district.streets],
        )
        self._conn.executemany(
            _upsert_sql("communities", ("code", "street_code", "name"), "code"),
            [(c.code, s.code, c.name) for s in district.streets for c in s.communities],
        )

    def upsert_grids(self, grids: Sequence[Grid]) -> None:
        cols = (
            "code",
            "community_code",
            "name",
            "households",
            "geometry",
            "min_lon",
            "min_lat",
            "max_lon",
            "max_lat",
        )
        self._conn.executemany(
            _upsert_sql("grids", cols, "code"),
            [
                (
                    g.code,
                    g.community_code,
                    g.name,
                    g.households,
                    area_to_geojson(g.area),
                    *g.area.bounds(),
                )
                for g in grids
            ],
        )

    def upsert_buildings(self, buildings: Sequence[Building]) -> None:
        cols = ("code", "name", "lon", "lat", "address", "households", "compound", "grid_code")
        self._conn.executemany(
            _upsert_sql("buildings", cols, "code"),
            [
                (b.code, b.name, b.lon, b.lat, b.address, b.households, b.compound, b.grid_code)
                for b in buildings
            ],
        )

    def upsert_workers(self, workers: Sequence[GridWorker]) -> None:
        # a worker given twice in one call: the last one wins, grid list included
        workers = list({w.id: w for w in workers}.values())
        self._conn.executemany(
            _upsert_sql("workers", ("id", "name", "phone", "employment"), "id"),
            [(w.id, w.name, w.phone, w.employment.value) for w in workers],
        )
        self._conn.executemany(
            "DELETE FROM worker_grids WHERE worker_id = ?", [(w.id,) for w in workers]
        )
        self._conn.executemany(
            "INSERT INTO worker_grids (worker_id, grid_code, position) VALUES (?, ?, ?)",
            [(w.id, g, i) for w in workers for i, g in enumerate(w.grid_codes)],
        )

    def upsert_devices(self, devices: Sequence[Device]) -> None:
        cols = ("id", "kind", "building_code", "lon", "lat", "attrs", "grid_code")
        self._conn.executemany(
            _upsert_sql("devices", cols, "id"),
            [
                (
                    d.id,
                    d.kind,
                    d.building_code,
                    d.lon,
                    d.lat,
                    json.dumps(dict(d.attrs), ensure_ascii=False, sort_keys=True),
                    d.grid_code,
                )
                for d in devices
            ],
        )

    def upsert_residents(self, residents: Sequence[Resident]) -> None:
        cols = ("id", "name", "building_code", "room", "phone", "tags", "emergency_contact")
        self._conn.executemany(
            _upsert_sql("residents", cols, "id"),
            [
                (
                    r.id,
                    r.name,
                    r.building_code,
                    r.room,
                    r.phone,
                    ";".join(t.value for t in r.tags),
                    r.emergency_contact,
                )
                for r in residents
            ],
        )

    def upsert_departments(self, departments: Sequence[Department]) -> None:
        self._conn.executemany(
            _upsert_sql("departments", ("code", "name", "phone", "functions"), "code"),
            [
                (d.code, d.name, d.phone, ";".join(f.value for f in d.functions))
                for d in departments
            ],
        )

    def grids(self) -> list[Grid]:
        return [
            Grid(code, name, community, area_from_geojson(geometry), households)
            for code, name, community, geometry, households in self._conn.execute(
                "SELECT code, name, community_code, geometry, households FROM grids ORDER BY code"
            )
        ]

    def devices(self) -> list[Device]:
        return [
            Device(i, k, b, lon, lat, json.loads(a), g)
            for i, k, b, lon, lat, a, g in self._conn.execute(
                "SELECT id, kind, building_code, lon, lat, attrs, grid_code"
                " FROM devices ORDER BY id"
            )
        ]

    def load(self) -> DistrictRegistry | None:
        district = self.district()
        if district is None:
            return None
        q = self._conn.execute
        worker_grids: dict[str, list[str]] = defaultdict(list)
        for worker_id, grid_code in q(
            "SELECT worker_id, grid_code FROM worker_grids ORDER BY worker_id, position"
        ):
            worker_grids[worker_id].append(grid_code)
        return DistrictRegistry(
            district=district,
            grids=tuple(self.grids()),
            buildings=tuple(
                Building(*row)
                for row in q(
                    "SELECT code, name, lon, lat, address, households, compound, grid_code"
                    " FROM buildings ORDER BY code"
                )
            ),
            workers=tuple(
                GridWorker(i, n, p, tuple(worker_grids[i]), Employment(e))
                for i, n, p, e in q("SELECT id, name, phone, employment FROM workers ORDER BY id")
            ),
            devices=tuple(self.devices()),
            residents=tuple(
                Resident(i, n, b, room, p, _tags(t), e)
                for i, n, b, room, p, t, e in q(
                    "SELECT id, name, building_code, room, phone, tags, emergency_contact"
                    " FROM residents ORDER BY id"
                )
            ),
            departments=tuple(
                Department(c, n, p, _functions(f))
                for c, n, p, f in q(
                    "SELECT code, name, phone, functions FROM departments ORDER BY code"
                )
            ),
        )

    def keys(self, table: str) -> set[str]:
        key = _TABLE_KEYS[table]  # a KeyError for anything else: never interpolate input
        return {row[0] for row in self._conn.execute(f"SELECT {key} FROM {table}")}

    def stats(self, kind_codes: Sequence[str]) -> RegistryStats:
        one = self._scalar
        by_kind = dict(self._conn.execute("SELECT kind, COUNT(*) FROM devices GROUP BY kind"))
        tags: Counter[str] = Counter()
        for tag_list, n in self._conn.execute(
            "SELECT tags, COUNT(*) FROM residents WHERE tags != '' GROUP BY tags"
        ):
            for tag in tag_list.split(";"):
                tags[tag] += n
        return RegistryStats(
            streets=one("SELECT COUNT(*) FROM streets"),
            communities=one("SELECT COUNT(*) FROM communities"),
            grids=one("SELECT COUNT(*) FROM grids"),
            compounds=one(
                "SELECT COUNT(*) FROM"
                " (SELECT DISTINCT grid_code, compound FROM buildings WHERE compound != '')"
            ),
            buildings=one("SELECT COUNT(*) FROM buildings"),
            households=one("SELECT COALESCE(SUM(households), 0) FROM buildings"),
            workers=one("SELECT COUNT(*) FROM workers"),
            full_time_workers=one("SELECT COUNT(*) FROM workers WHERE employment = 'full_time'"),
            devices=one("SELECT COUNT(*) FROM devices"),
            devices_by_kind={k: by_kind.get(k, 0) for k in sorted({*kind_codes, *by_kind})},
            residents=one("SELECT COUNT(*) FROM residents"),
            residents_by_tag=dict(sorted(tags.items())),
            departments=one("SELECT COUNT(*) FROM departments"),
        )

    def _scalar(self, sql: str) -> int:
        return int(self._conn.execute(sql).fetchone()[0])


def _tags(text: str) -> tuple[ResidentTag, ...]:
    return tuple(ResidentTag(t) for t in text.split(";") if t)


def _functions(text: str) -> tuple[DepartmentFunction, ...]:
    return tuple(DepartmentFunction(f) for f in text.split(";") if f)
