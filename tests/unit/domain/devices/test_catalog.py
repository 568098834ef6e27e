"""The kind catalog finds the built-in kinds and takes a new kind the way an extension adds one."""

import pytest

from gridloop.domain.devices.catalog import KindCatalog, builtin_kinds, default_catalog
from gridloop.domain.devices.kind import DeviceKind, EventType, PlacedPer, Placement
from gridloop.domain.devices.rules import EventIs, RuleSpec, Severity

DEVICES_MD_KINDS = [
    "access_terminal",
    "camera",
    "elderly_care",
    "electrical_fire",
    "gas_detector",
    "smart_breaker",
    "smoke_detector",
    "weather_station",
]


def water_leak_kind(code: str = "water_leak") -> DeviceKind:
    """A ninth kind, declared in one place as its own module would be."""
    return DeviceKind(
        code=code,
        label_zh="水浸传感器",
        label_en="Water leak sensor",
        id_prefix="WLK",
        values=(),
        events=(EventType("water_detected", "水浸报警"),),
        attrs=(),
        rules=(
            RuleSpec(
                code="water_detected",
                severity=Severity.MAJOR,
                conditions=(EventIs("water_detected"),),
                title_zh="水浸报警",
                title_en="Water detected",
            ),
        ),
        placement=Placement(PlacedPer.BUILDING, share=0.01),
    )


def test_discovers_exactly_the_eight_kinds_of_the_domain() -> None:
    assert default_catalog().codes() == DEVICES_MD_KINDS


def test_every_built_in_module_exposes_one_kind() -> None:
    assert sorted(k.code for k in builtin_kinds()) == DEVICES_MD_KINDS


def test_labels_come_from_the_domain() -> None:
    catalog = default_catalog()
    labels = {code: catalog.get(code).label_zh for code in DEVICES_MD_KINDS}
    assert labels == {
        "access_terminal": "安全管理终端",
        "camera": "智能摄像机",
        "elderly_care": "关爱老人设备",
        "electrical_fire": "电气火灾监测终端",
        "gas_detector": "可燃气体探测器",
        "smart_breaker": "智慧空开",
        "smoke_detector": "独立式烟感",
        "weather_station": "气象监测站",
    }


def test_an_unknown_kind_is_a_key_error() -> None:
    catalog = default_catalog()
    assert "water_leak" not in catalog
    with pytest.raises(KeyError, match="water_leak"):
        catalog.get("water_leak")


def test_a_second_kind_with_a_taken_code_is_refused() -> None:
    catalog = KindCatalog()
    catalog.register(water_leak_kind())
    with pytest.raises(ValueError, match="registered twice"):
        catalog.register(water_leak_kind())


def test_a_built_in_code_cannot_be_taken_by_an_extension() -> None:
    catalog = default_catalog(lambda: [water_leak_kind("camera")])
    with pytest.raises(ValueError, match="camera"):
        catalog.codes()


def test_registering_the_same_kind_again_is_harmless() -> None:
    catalog = KindCatalog()
    kind = water_leak_kind()
    catalog.register(kind)
    catalog.register(kind)
    assert catalog.codes() == ["water_leak"]


def test_a_ninth_kind_registered_like_an_extension_is_found_with_the_built_in_ones() -> None:
    catalog = default_catalog()
    ninth = water_leak_kind()
    catalog.register(ninth)
    assert catalog.get("water_leak") is ninth
    assert "water_leak" in catalog
    assert [k.code for k in catalog] == sorted([*DEVICES_MD_KINDS, "water_leak"])
    assert ninth.rule("offline").severity is Severity.MINOR


def test_a_ninth_kind_from_an_extension_loader_joins_the_catalog() -> None:
    catalog = default_catalog(lambda: [water_leak_kind()])
    assert len(catalog.codes()) == 9
    assert catalog.get("water_leak").label_en == "Water leak sensor"


def test_discovery_waits_for_first_use() -> None:
    calls: list[str] = []

    def loader() -> list[DeviceKind]:
        calls.append("loaded")
        return [water_leak_kind()]

    catalog = KindCatalog([loader])
    assert calls == []
    catalog.codes()
    catalog.codes()
    assert calls == ["loaded"]


def test_per_device_rule_overrides_are_checked_against_the_kinds_rules() -> None:
    from gridloop.domain.devices.catalog import default_catalog

    kind = default_catalog().get("electrical_fire")
    assert kind.attrs_problems({"rules": {"residual_current_high": {"threshold": 350}}}) == []
    assert kind.attrs_problems({"rules": {"offline": {"minutes": 60}}}) == []
    (unknown_rule,) = kind.attrs_problems({"rules": {"gale": {"threshold": 1}}})
    assert "has no rule 'gale'" in unknown_rule
    (unknown_param,) = kind.attrs_problems({"rules": {"cable_overheat": {"limit": 80}}})
    assert "no param 'limit'" in unknown_param
    (not_a_number,) = kind.attrs_problems({"rules": {"cable_overheat": {"threshold": "80"}}})
    assert "must be a number" in not_a_number
    assert kind.attrs_problems({"rules": [1]}) != []
