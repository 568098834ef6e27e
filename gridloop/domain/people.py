"""Residents, grid workers and departments."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ResidentTag(StrEnum):
    """Vulnerable groups a grid keeps on file (重点人群)."""

    ELDERLY_ALONE = "elderly_alone"  # 独居老人
    ELDERLY = "elderly"  # 老年人
    DISABLED = "disabled"  # 残疾人
    HARDSHIP = "hardship"  # 困难群众
    CHILD_LEFT_BEHIND = "child_left_behind"  # 留守儿童
    VETERAN = "veteran"  # 退役军人
    PARTY_MEMBER = "party_member"  # 党员


class Employment(StrEnum):
    FULL_TIME = "full_time"  # 专职
    PART_TIME = "part_time"  # 兼职


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


@dataclass(frozen=True)
class Department:
    """A functional department that takes cases beyond a grid worker's power."""

    code: str
    name: str
    phone: str = ""


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
