"""Chinese addresses in one canonical spelling, so that a citizen's words compare with the registry.

Citizens write the same building many ways: full-width digits (１号楼), Chinese numerals (三栋),
with or without the province, city and district (青海省西宁市城西区…), 号楼 / 栋 / 幢 / 座, with
the unit and the room (2单元301室), with spaces and punctuation. `normalise` removes what does not
tell buildings apart and spells the rest one way; `numbers` reads the two numbers that do.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_DIGIT |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUMBER = re.compile(r"[零〇一二两三四五六七八九十百]+(?=号|栋|幢|座|单元|层|楼|室)")
_NOISE = re.compile(r"[\W_]+")  # spaces and punctuation (CJK characters are word characters)
_PROVINCE = re.compile(r"^[\u4e00-\u9fff]{2,3}?(?:省|自治区)")
_CITY = re.compile(r"^[\u4e00-\u9fff]{2,4}?市")
# a county-level name only when a street (街道 / 镇 / 乡) follows it: never a 社区 or 小区
_COUNTY = re.compile(r"^[\u4e00-\u9fff]{1,4}?[区县](?=[\u4e00-\u9fff]{2,5}?(?:街道|镇|乡))")
_BUILDING = re.compile(r"(\d+)(?:号楼|号栋|号幢|栋楼|栋|幢|座|号座)")
_AFTER_BUILDING = re.compile(r"(\d+栋).*$")  # the unit and the room do not choose a building
_UNIT_ROOM = re.compile(r"(?:\d+单元|\d+层|\d+楼\d+|\d+室|\d+-\d+(?:-\d+)?).*$")
_ROAD_NUMBER = re.compile(r"(\d+)号(?!楼)")
_BUILDING_NUMBER = re.compile(r"(\d+)栋")
_STREET_COMMUNITY = re.compile(r"^(?:[\u4e00-\u9fff]{1,8}?街道)?(?:[\u4e00-\u9fff]{1,8}?社区)?")


def cn_number(text: str) -> int | None:
    """The value of a small Chinese numeral (一 … 九百九十九), or None."""
    total, current = 0, 0
    for ch in text:
        if ch in _DIGIT:
            current = current * 10 + _DIGIT[ch] if current else _DIGIT[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


def _arabic(match: re.Match[str]) -> str:
    value = cn_number(match.group(0))
    return str(value) if value is not None else match.group(0)


def normalise(text: str, prefixes: Iterable[str] = ()) -> str:
    """The canonical spelling of an address; `prefixes` are the district's own names to drop."""
    s = unicodedata.normalize("NFKC", text)
    s = _NOISE.sub("", s)
    s = _CN_NUMBER.sub(_arabic, s)
    s = _PROVINCE.sub("", s)
    s = _CITY.sub("", s)
    for name in sorted((unicodedata.normalize("NFKC", p) for p in prefixes), key=len, reverse=True):
        if name and s.startswith(name):
            s = s[len(name) :]
            break
    else:
        s = _COUNTY.sub("", s)
    s = _BUILDING.sub(r"\1栋", s)
    if _BUILDING_NUMBER.search(s):
        return _AFTER_BUILDING.sub(r"\1", s)
    return _UNIT_ROOM.sub("", s)


def without_street_and_community(normalised: str) -> str:
    """The part after the street and community names (road, number, compound, building)."""
    rest = _STREET_COMMUNITY.sub("", normalised, count=1)
    return rest or normalised


def up_to_road_number(normalised: str) -> str:
    """The street address alone (马坊南路40号), as a door plate reads: "" when it has none."""
    rest = without_street_and_community(normalised)
    found = _ROAD_NUMBER.search(rest)
    return rest[: found.end()] if found and found.end() < len(rest) else ""


@dataclass(frozen=True)
class AddressNumbers:
    """The numbers that tell buildings apart: the road number (…40号) and the building (1栋)."""

    road: str | None
    building: str | None

    def conflicts(self, other: AddressNumbers) -> int:
        """How many of the numbers both name differ (0, 1 or 2)."""
        pairs = ((self.road, other.road), (self.building, other.building))
        return sum(1 for a, b in pairs if a is not None and b is not None and a != b)


def numbers(normalised: str) -> AddressNumbers:
    road = _ROAD_NUMBER.findall(normalised)
    building = _BUILDING_NUMBER.findall(normalised)
    return AddressNumbers(
        road[-1].lstrip("0") or "0" if road else None,
        building[-1].lstrip("0") or "0" if building else None,
    )
