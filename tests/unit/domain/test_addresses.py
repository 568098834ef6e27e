"""Addresses spelled one way: what a citizen types compares with the registry's address."""

from __future__ import annotations

import pytest

from gridloop.domain.addresses import (
    AddressNumbers,
    cn_number,
    normalise,
    numbers,
    up_to_road_number,
)

REGISTRY = "东风街道朝阳苑社区 马坊南路40号海湖小区1号楼"
CANONICAL = "东风街道朝阳苑社区马坊南路40号海湖小区1栋"
NAMES = ("试验区", "试验")


@pytest.mark.parametrize(
    "typed",
    [
        REGISTRY,
        "东风街道朝阳苑社区 马坊南路４０号海湖小区１号楼",  # full-width digits
        "东风街道，朝阳苑社区：马坊南路40号 海湖小区1号楼。",  # punctuation and spaces
        "青海省西宁市试验区东风街道朝阳苑社区马坊南路40号海湖小区1号楼",  # 省市区 prefixes
        "西宁市试验东风街道朝阳苑社区马坊南路40号海湖小区1号楼",  # the district without 区
        "东风街道朝阳苑社区马坊南路40号海湖小区1栋",
        "东风街道朝阳苑社区马坊南路40号海湖小区1幢",
        "东风街道朝阳苑社区马坊南路40号海湖小区一号楼",  # a Chinese numeral
        "东风街道朝阳苑社区马坊南路40号海湖小区1号楼2单元301室",  # the unit and the room
        "东风街道朝阳苑社区马坊南路40号海湖小区1号楼3单元",
    ],
)
def test_the_ways_of_writing_one_building_meet(typed: str) -> None:
    assert normalise(typed, NAMES) == CANONICAL


def test_an_unknown_district_name_is_dropped_only_before_a_street() -> None:
    assert normalise("城东区东风街道朝阳苑社区互助巷270号") == "东风街道朝阳苑社区互助巷270号"
    assert normalise("朝阳苑社区互助巷270号") == "朝阳苑社区互助巷270号"  # 社区 is no district
    assert normalise("海湖小区2号楼") == "海湖小区2栋"  # nor is 小区


def test_a_room_number_without_a_building_is_dropped() -> None:
    assert normalise("互助巷270号301室") == "互助巷270号"


@pytest.mark.parametrize(
    ("text", "value"), [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("三十四", 34)]
)
def test_small_chinese_numerals(text: str, value: int) -> None:
    assert cn_number(text) == value


def test_numbers_read_the_road_number_and_the_building() -> None:
    assert numbers(CANONICAL) == AddressNumbers("40", "1")
    assert numbers("互助巷270号") == AddressNumbers("270", None)
    assert numbers(CANONICAL).conflicts(AddressNumbers("40", "2")) == 1
    assert numbers(CANONICAL).conflicts(AddressNumbers(None, "1")) == 0


def test_the_door_plate_is_the_road_and_its_number() -> None:
    assert up_to_road_number(CANONICAL) == "马坊南路40号"
    assert up_to_road_number("东风街道朝阳苑社区互助巷270号") == ""  # the whole address already
