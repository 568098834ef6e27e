"""Masks for lists, and who may see personal data in full."""

from __future__ import annotations

import pytest

from gridloop.domain.cases.actor import Actor
from gridloop.domain.cases.events import Role
from gridloop.domain.privacy import (
    Purpose,
    RegionFilter,
    allows,
    mask_contact,
    mask_name,
    mask_phone,
    refusal,
    region_filter,
)


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812345678", "138****5678"),
        ("0971-7162372", "097*-***2372"),  # separators stay, digits are counted
        ("12345678", "123*5678"),
        ("1234567", "*****67"),
        ("12", "12"),
        ("", ""),
    ],
)
def test_masks_a_phone_keeping_head_and_tail(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(
    ("name", "masked"),
    [("张玉明", "张*明"), ("欧阳明月", "欧**月"), ("张三", "张*"), ("张", "*"), ("", "")],
)
def test_masks_a_name_keeping_first_and_last_character(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_masks_both_the_name_and_the_phone_of_an_emergency_contact() -> None:
    assert mask_contact("张辉 19915905922") == "张* 199****5922"
    assert mask_contact("李娜(女儿)13912345678") == "李*(女*)139****5678"


def test_grid_workers_reveal_but_never_see_health_readings() -> None:
    assert allows(Role.GRID_WORKER, Purpose.REVEAL)
    assert not allows(Role.GRID_WORKER, Purpose.HEALTH)


@pytest.mark.parametrize(
    "role", [Role.COMMUNITY_ADMIN, Role.STREET_DISPATCHER, Role.DISTRICT_ADMIN]
)
def test_community_staff_and_above_see_health_readings(role: Role) -> None:
    assert allows(role, Purpose.HEALTH) and allows(role, Purpose.REVEAL)


@pytest.mark.parametrize("purpose", [Purpose.REVEAL, Purpose.HEALTH])
def test_auditors_and_departments_never_see_personal_data_in_full(purpose: Purpose) -> None:
    for role in (Role.AUDITOR, Role.DEPARTMENT, Role.RESIDENT):
        assert not allows(role, purpose)
        assert "may not" in (refusal(role, purpose) or "")


def test_only_auditors_and_district_admins_read_the_access_log() -> None:
    readers = {r for r in Role if allows(r, Purpose.AUDIT)}
    assert readers == {Role.AUDITOR, Role.DISTRICT_ADMIN}


def test_departments_list_no_residents() -> None:
    assert not allows(Role.DEPARTMENT, Purpose.LIST)
    assert region_filter(Actor("d", Role.DEPARTMENT, region="FIRE")) == RegionFilter("none")


def test_region_filter_follows_the_actor() -> None:
    worker = Actor("W1", Role.GRID_WORKER, grids=frozenset({"b", "a"}))
    assert region_filter(worker) == RegionFilter("grids", ("a", "b"))
    community = Actor("c", Role.COMMUNITY_ADMIN, region="630199001001")
    assert region_filter(community) == RegionFilter("community", ("630199001001",))
    assert region_filter(Actor("s", Role.STREET_DISPATCHER, region="630199001")).kind == "street"
    assert region_filter(Actor("x", Role.AUDITOR)).kind == "all"
