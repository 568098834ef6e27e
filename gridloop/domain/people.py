"""Residents, grid workers and departments."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ResidentTag(StrEnum):
    """Vulnerable groups a grid keeps on file (重点人群)."""

    ELDERLY_ALONE = "elderly_alone"
    ELDERLY = "elderly"
    DISABLED = "disabled"
    HARDSHIP = "hardship"
    CHILD_LEFT_BEHIND = "child_left_behind"
    VETERAN = "veteran"
    PARTY_MEMBER = "party_member"


class Employment(StrEnum):
    FULL_TIME = "full_time"
    PART_TIME = "part_time"


@dataclass(frozen=True)
class Resident:
    id: str
    name: str
    building_code: str
    room: str
    phone: str
    tags: tuple[ResidentTag, ...]
    emergency_contact: str


@dataclass(frozen=True)
class GridWorker:
    id: str
    name: str
    phone: str
    grid_codes: tuple[str, ...]
    employment: Employment


class DepartmentFunction(StrEnum):
    """What a department is responsible for: the routing table names these, not codes."""

    FIRE = "fire"
    POWER = "power"
    GAS = "gas"
    WATER = "water"
    POLICE = "police"
    HEALTH = "health"
    URBAN_MANAGEMENT = "urban_management"
    CIVIL_AFFAIRS = "civil_affairs"
    HOUSING = "housing"
    EMERGENCY = "emergency"
    PROPERTY = "property"
    ENVIRONMENT = "environment"
    MARKET_REGULATION = "market_regulation"
    TRANSPORT = "transport"

    @property
    def label_zh(self) -> str:
        return _FUNCTION_LABELS_ZH[self.value]


_FUNCTION_LABELS_ZH = {  # as districts name the departments' remits
    "fire": "消防",
    "power": "供电",
    "gas": "燃气",
    "water": "供水",
    "police": "公安",
    "health": "卫生健康",
    "urban_management": "城市管理",
    "civil_affairs": "民政",
    "housing": "住房建设",
    "emergency": "应急管理",
    "property": "物业服务",
    "environment": "生态环境",
    "market_regulation": "市场监管",
    "transport": "交通运输",
}


@dataclass(frozen=True)
class Department:
    """A functional department that takes cases beyond a grid worker's power."""

    code: str
    name: str
    phone: str = ""
    functions: tuple[DepartmentFunction, ...] = ()


def phone_problem(phone: str) -> str | None:
    """Why `phone` is not a plausible mainland phone number, or None. Empty is allowed."""
    if not phone:
        return None
    digits = phone.replace("-", "")
    if not digits.isascii() or not digits.isdigit():
        return f"phone {phone!r} must hold digits (and '-') only"
    if not 7 <= len(digits) <= 12:
        return f"phone {phone!r} has {len(digits)} digits"
    return None
