"""Departments by category: functions bound to departments, exact entries, "kind.*" prefixes,
and configuration errors."""

from __future__ import annotations

import pytest

from gridloop.domain.cases.routing import DEFAULT_ROUTES, RoutingTable
from gridloop.domain.people import Department
from gridloop.domain.people import DepartmentFunction as F

BRIGADE = Department("FIRE-01", "消防救援站", functions=(F.FIRE, F.EMERGENCY))
POWER = Department("P1", "供电所", functions=(F.POWER,))
GAS = Department("G", "燃气公司", functions=(F.GAS,))


def test_the_default_table_sends_a_fire_to_whichever_department_has_the_function() -> None:
    table = RoutingTable().bind([POWER, BRIGADE, GAS])

    assert table.departments_for("gas_detector.gas_leak") == ("G",)
    assert table.departments_for("smoke_detector.smoke_alarm") == ("FIRE-01",)
    assert table.departments_for("electrical_fire.residual_current_critical") == (
        "FIRE-01",
        "P1",
    )
    assert table.departments_for("electrical_fire.residual_current_high") == ()


def test_every_department_with_the_function_takes_the_case_in_code_order() -> None:
    second = Department("FIRE-00", "消防二站", functions=(F.FIRE,))
    table = RoutingTable({"smoke_detector.*": ("fire",)}).bind([BRIGADE, second])

    assert table.departments_for("smoke_detector.smoke_alarm") == ("FIRE-00", "FIRE-01")


def test_a_function_no_department_has_leaves_the_case_with_the_grid() -> None:
    table = RoutingTable().bind([GAS])

    assert table.departments_for("smoke_detector.smoke_alarm") == ()
    assert table.departments_for("gas_detector.gas_leak") == ("G",)
    assert table.uncovered_functions() == ["fire", "police", "power"]
    assert RoutingTable().uncovered_functions() == ["fire", "gas", "police", "power"]


def test_a_department_code_in_the_table_routes_to_that_department() -> None:
    table = RoutingTable({"gas_detector.*": ("gas", "D09")}).bind([GAS])

    assert table.departments_for("gas_detector.gas_leak") == ("G", "D09")
    assert table.unknown_departments({"G"}) == ["D09"]
    assert table.unknown_departments({"G", "D09"}) == []


def test_a_kind_prefix_covers_every_rule_of_the_kind() -> None:
    table = RoutingTable({"camera.*": ("D06",)})

    assert table.departments_for("camera.thrown_object") == ("D06",)
    assert table.departments_for("camera.intrusion") == ("D06",)
    assert table.departments_for("cameras.intrusion") == ()


def test_an_exact_entry_wins_over_the_prefix() -> None:
    table = RoutingTable({"camera.*": ("D06",), "camera.fire_lane_blocked": ("D02",)})

    assert table.departments_for("camera.fire_lane_blocked") == ("D02",)
    assert table.departments_for("camera.ebike_in_elevator") == ("D06",)


def test_a_category_without_a_kind_matches_no_prefix() -> None:
    table = RoutingTable({"exposed_garbage.*": ("D01",)})

    assert table.departments_for("exposed_garbage") == ()


def test_the_table_cannot_be_changed_through_the_mapping_it_was_given() -> None:
    given = {"camera.*": ("D06",)}
    table = RoutingTable(given)
    given["camera.*"] = ("D99",)

    assert table.departments_for("camera.intrusion") == ("D06",)
    with pytest.raises(TypeError):
        table.routes["x.*"] = ("D01",)  # type: ignore[index]


def test_configuration_takes_a_code_or_a_list_of_codes() -> None:
    table = RoutingTable.from_config({"camera.*": "D06", "gas_detector.gas_leak": ["D04", "D02"]})

    assert table.routes == {"camera.*": ("D06",), "gas_detector.gas_leak": ("D04", "D02")}
    assert "smoke_detector.smoke_alarm" not in table.routes  # configuration replaces the defaults


@pytest.mark.parametrize("value", [4, ["D04", 2], [""], "", {"code": "D04"}])
def test_a_bad_configured_value_names_its_key(value: object) -> None:
    with pytest.raises(ValueError, match=r"^routing\.gas_detector\.gas_leak: ") as refused:
        RoutingTable.from_config({"gas_detector.gas_leak": value})

    assert repr(value) in str(refused.value)


def test_the_error_names_the_key_the_caller_read_the_table_from() -> None:
    with pytest.raises(ValueError, match=r"^cases\.routing\.camera\.\*: "):
        RoutingTable.from_config({"camera.*": 6}, key="cases.routing")


def test_unknown_departments_are_listed_once_and_sorted() -> None:
    table = RoutingTable({"a.*": ("D09", "D04"), "b.x": ("D09",), "c.y": ("D01",)})

    assert table.unknown_departments({"D01", "D04"}) == ["D09"]
    assert RoutingTable(DEFAULT_ROUTES).unknown_departments(set()) == []  # functions only
