"""The districts the simulator can generate: their outline, sizes and special grids."""

from __future__ import annotations

import math
from dataclasses import dataclass

LonLat = tuple[float, float]


@dataclass(frozen=True)
class Facility:
    """A unit that gets its own special grid (专属网格), cut out of a residential grid as a hole."""

    name: str
    width_m: float
    height_m: float
    buildings: tuple[str, ...] = ()  # non-residential buildings, 0–2


@dataclass(frozen=True)
class Preset:
    """How big a simulated district is and how it is organised."""

    name: str
    district_code: str
    district_name: str
    outline: tuple[LonLat, ...]  # shell ring, not closed, counter-clockwise
    streets: int
    communities: int
    grids: int
    grids_per_community: tuple[int, int]
    street_names: tuple[str, ...] = ()  # used first, in code order; generated names fill up
    facilities: tuple[Facility, ...] = ()
    rivers: int = 0  # grids split in two by a river channel handed to a neighbour
    buildings_per_grid: tuple[int, int] = (6, 14)
    compounds_per_grid: tuple[int, int] = (1, 4)
    households_per_grid: tuple[int, int] = (300, 500)
    part_timers_per_grid: tuple[int, int] = (3, 5)
    households_per_resident: float = 4.0


# A hand-drawn outline around 西宁市城西区: concave to the south, where 南川 cuts in.
CHENGXI_OUTLINE: tuple[LonLat, ...] = (
    (101.7215, 36.6310), (101.7262, 36.6385), (101.7240, 36.6462), (101.7318, 36.6525),
    (101.7405, 36.6560), (101.7480, 36.6592), (101.7566, 36.6578), (101.7630, 36.6521),
    (101.7702, 36.6540), (101.7781, 36.6512), (101.7798, 36.6440), (101.7760, 36.6372),
    (101.7795, 36.6301), (101.7742, 36.6228), (101.7665, 36.6205), (101.7612, 36.6132),
    (101.7580, 36.6045), (101.7498, 36.6012), (101.7436, 36.6078), (101.7410, 36.6170),
    (101.7352, 36.6155), (101.7290, 36.6102), (101.7228, 36.6168), (101.7250, 36.6245),
)  # fmt: skip

TINY_OUTLINE: tuple[LonLat, ...] = (
    (101.7500, 36.6200), (101.7620, 36.6200), (101.7620, 36.6290), (101.7570, 36.6290),
    (101.7560, 36.6260), (101.7540, 36.6290), (101.7500, 36.6290),
)  # fmt: skip


def _lobed_outline(
    centre: LonLat, radius_m: tuple[float, float], vertices: int
) -> tuple[LonLat, ...]:
    """A star-shaped outline whose radius wobbles: a city spreading along its valleys."""
    lon0, lat0 = centre
    m_lat = 111_320.0
    m_lon = m_lat * math.cos(math.radians(lat0))
    ring: list[LonLat] = []
    for i in range(vertices):
        t = 2 * math.pi * i / vertices
        wobble = 1 + 0.22 * math.sin(3 * t + 0.4) + 0.12 * math.sin(5 * t + 1.3)
        x = radius_m[0] * wobble * math.cos(t)
        y = radius_m[1] * wobble * math.sin(t)
        ring.append((round(lon0 + x / m_lon, 4), round(lat0 + y / m_lat, 4)))
    return tuple(ring)


CHENGXI_STREETS = (
    "西关大街街道",
    "古城台街道",
    "虎台街道",
    "胜利路街道",
    "兴海路街道",
    "通海路街道",
    "文汇路街道",
)

CHENGXI_FACILITIES = (
    Facility("西宁市第二人民医院", 180, 140, ("门诊楼", "住院楼")),
    Facility("西宁市第十一中学", 160, 120, ("教学楼", "实验楼")),
    Facility("麒麟湾公园", 240, 170, ("公园管理处",)),
)

PRESETS: dict[str, Preset] = {
    "tiny": Preset(
        name="tiny",
        district_code="630199",
        district_name="试验区",
        outline=TINY_OUTLINE,
        streets=2,
        communities=4,
        grids=12,
        grids_per_community=(3, 3),
        street_names=("东风街道", "西风街道"),
        facilities=(Facility("试验小学", 70, 50, ("教学楼",)),),
        rivers=1,
        buildings_per_grid=(3, 5),
        compounds_per_grid=(1, 2),
        part_timers_per_grid=(1, 2),
        households_per_resident=8.0,
    ),
    "chengxi": Preset(
        name="chengxi",
        district_code="630104",
        district_name="城西区",
        outline=CHENGXI_OUTLINE,
        streets=7,
        communities=48,
        grids=480,
        grids_per_community=(8, 12),
        street_names=CHENGXI_STREETS,
        facilities=CHENGXI_FACILITIES,
        rivers=1,
    ),
    "city": Preset(
        name="city",
        district_code="630100",
        district_name="西宁市",
        outline=_lobed_outline((101.77, 36.62), (14_500.0, 9_800.0), 96),
        streets=100,
        communities=1_000,
        grids=10_000,
        grids_per_community=(8, 12),
        street_names=CHENGXI_STREETS,
        facilities=(
            *CHENGXI_FACILITIES,
            Facility("青海省人民医院", 220, 160, ("门诊楼", "住院楼")),
            Facility("西宁市第一中学", 170, 130, ("教学楼", "图书馆")),
            Facility("人民公园", 260, 200, ("公园管理处",)),
            Facility("青海大学附属医院", 200, 150, ("门诊楼", "医技楼")),
            Facility("西宁市第五中学", 160, 120, ("教学楼",)),
            Facility("北山美丽园", 250, 180, ()),
            Facility("海湖新区体育中心", 220, 180, ("体育馆",)),
        ),
        rivers=12,
    ),
}


def get_preset(name: str) -> Preset:
    """The preset called `name`; KeyError names the known ones."""
    try:
        return PRESETS[name]
    except KeyError:
        raise KeyError(f"unknown preset {name!r}; known: {', '.join(sorted(PRESETS))}") from None
