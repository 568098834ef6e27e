"""A small, coherent registry near Xining for port tests: boxes as grids, one of each record.

Coordinates are given in units of U degrees around (X0, Y0), so a test reads like a sketch.
"""

from __future__ import annotations

from collections.abc import Mapping

from gridloop.domain.buildings import Building
from gridloop.domain.devices.device import Device
from gridloop.domain.geometry import Area, Ring
from gridloop.domain.people import (
    Department,
    DepartmentFunction,
    Employment,
    GridWorker,
    Resident,
    ResidentTag,
)
from gridloop.domain.regions import Community, District, Grid, Street
from gridloop.domain.registry import DistrictRegistry

X0, Y0, U = 101.70, 36.60, 0.001

DISTRICT = "630199"
EAST, WEST = "630199001", "630199002"
CHAOYANG, WUSI, XINGWANG = "630199001001", "630199001002", "630199002001"
G1, G2, G3 = f"{CHAOYANG}001", f"{CHAOYANG}002", f"{XINGWANG}001"


def at(x: float, y: float) -> tuple[float, float]:
    """(lon, lat) of the point (x, y) in units."""
    return X0 + x * U, Y0 + y * U


def ring(*points: tuple[float, float]) -> Ring:
    """A closed ring through points given in units."""
    coords = tuple(at(x, y) for x, y in points)
    return (*coords, coords[0])


def box(x0: float, y0: float, x1: float, y1: float) -> Ring:
    return ring((x0, y0), (x1, y0), (x1, y1), (x0, y1))


def grid(
    code: str,
    *shell_and_holes: Ring,
    name: str = "",
    households: int | None = 320,
) -> Grid:
    """A one-polygon grid in the community its code names."""
    return Grid(code, name or f"第{code[-3:]}网格", code[:12], Area((shell_and_holes,)), households)


def district(*, name: str = "试验区") -> District:
    return District(
        DISTRICT,
        name,
        (
            Street(
                EAST, "东风街道", (Community(CHAOYANG, "朝阳苑社区"), Community(WUSI, "五四村社区"))
            ),
            Street(WEST, "西风街道", (Community(XINGWANG, "兴旺苑社区"),)),
        ),
    )


def building(
    code: str, grid_code: str, x: float, y: float, compound: str = "海湖小区", households: int = 120
) -> Building:
    lon, lat = at(x, y)
    name, address = f"{code[-3:]}号楼", f"东风街道 马坊南路{code[-2:]}号"
    return Building(code, name, lon, lat, address, households, compound, grid_code)


def worker(
    worker_id: str, *grid_codes: str, name: str = "叶超", full_time: bool = True
) -> GridWorker:
    employment = Employment.FULL_TIME if full_time else Employment.PART_TIME
    return GridWorker(worker_id, name, "13661627080", grid_codes, employment)


def device(
    device_id: str,
    kind: str,
    grid_code: str,
    x: float,
    y: float,
    building_code: str = "",
    attrs: Mapping[str, object] | None = None,
) -> Device:
    lon, lat = at(x, y)
    return Device(device_id, kind, building_code, lon, lat, attrs or {}, grid_code)


def resident(
    resident_id: str, building_code: str, *tags: ResidentTag, name: str = "张玉山"
) -> Resident:
    return Resident(resident_id, name, building_code, "2单元1601", "0971-7162372", tags, "张辉")


def department(
    code: str, name: str, *functions: DepartmentFunction, phone: str = "0971-6112319"
) -> Department:
    return Department(code, name, phone, functions)


B1, B2, B3 = f"{G1}001", f"{G1}002", f"{G3}001"


def small_registry() -> DistrictRegistry:
    """Three grids (G1 and G2 share the border x = 1), each table in key order."""
    return DistrictRegistry(
        district=district(),
        grids=(
            grid(G1, box(0, 0, 1, 1)),
            grid(G2, box(1, 0, 2, 1), households=None),
            grid(G3, box(0, 2, 2, 4), box(0.5, 2.5, 1.5, 3.5)),  # with a hole
        ),
        buildings=(
            building(B1, G1, 0.2, 0.2),
            building(B2, G1, 0.8, 0.8, compound=""),
            building(B3, G3, 0.2, 3.8, compound="兴旺苑"),
        ),
        workers=(worker("W000001", G1, G2), worker("W000002", G3, full_time=False)),
        devices=(
            device("EF-000001", "electrical_fire", G1, 0.2, 0.2, B1, {"rated_a": 63}),
            device("SMK-000001", "smoke_detector", G3, 0.2, 3.8, B3, {"楼层": "3层"}),
            device("WS-000001", "weather_station", G2, 1.5, 0.5),  # on a pole, no building
        ),
        residents=(
            resident("R0000001", B1, ResidentTag.ELDERLY_ALONE, ResidentTag.DISABLED),
            resident("R0000002", B1),
            resident("R0000003", B3, ResidentTag.ELDERLY, name="李秀英"),
        ),
        departments=(
            department("D01", "城管执法局", DepartmentFunction.URBAN_MANAGEMENT),
            department(
                "D02", "消防救援大队", DepartmentFunction.FIRE, DepartmentFunction.EMERGENCY
            ),
        ),
    )
