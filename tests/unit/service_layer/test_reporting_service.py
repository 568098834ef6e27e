"""The reporting service names periods, categories and groups, and writes the briefing."""

from __future__ import annotations

from gridloop.domain.cases.case import open_case
from gridloop.domain.cases.events import Action, CaseEvent, Role
from gridloop.domain.cases.indicators import DISTRICT, JSON_KEYS, Dimension, Report, Scope
from gridloop.domain.cases.labels import INDICATORS
from gridloop.domain.devices.catalog import default_catalog
from gridloop.service_layer.reporting import (
    Period,
    briefing,
    build_report,
    category_labeller,
    group_labeller,
    indicator_values,
)

DAY = 86_400_000
NOV_28 = 1_795_795_200_000  # 2026-11-28T00:00:00+08:00, still the 27th in UTC
CATALOG = default_catalog(lambda: [])


def sensor_case(case_id: str, category: str, grid: str, closed: bool) -> list[CaseEvent]:
    """A sensor case registered and dispatched at NOV_28, closed on time when `closed`."""
    report = {"channel": "sensor", "category": category, "grid_code": grid, "alert_ids": [case_id]}
    case = open_case(case_id, report, "rule", Role.SYSTEM, NOV_28)
    case.act(Action.REGISTER, "system", Role.SYSTEM, NOV_28)
    due = {"sign_due": NOV_28 + 300_000, "handle_due": NOV_28 + 1_800_000}
    dispatch = {"assignee": "w1", "assignee_kind": "worker", **due}
    case.act(Action.DISPATCH, "system", Role.SYSTEM, NOV_28 + 1, dispatch)
    if closed:
        for step, action in enumerate((Action.SIGN, Action.HANDLE, Action.FEEDBACK), 2):
            case.act(action, "w1", Role.GRID_WORKER, NOV_28 + step)
        case.act(Action.VERIFY_PASS, "admin", Role.COMMUNITY_ADMIN, NOV_28 + 5)
        case.act(Action.CLOSE, "system", Role.SYSTEM, NOV_28 + 6)
    return case.history


HISTORIES = [
    sensor_case("a", "gas_detector.gas_leak", "G1", closed=True),
    sensor_case("b", "gas_detector.gas_leak", "G1", closed=False),
    sensor_case("c", "smoke_detector.smoke_alarm", "G2", closed=True),
    sensor_case("d", "camera.fire_lane_blocked", "G2", closed=True),
    sensor_case("e", "smart_breaker.offline", "G2", closed=True),
]


def test_a_period_reads_as_shanghai_dates_with_the_last_included_day() -> None:
    assert Period().label("zh") == "截至目前" and Period().label("en") == "As of now"
    two_days = Period(NOV_28, NOV_28 + 2 * DAY)
    assert two_days.label("zh") == "2026年11月28日至11月29日"
    assert two_days.label("en") == "From 2026-11-28 to 2026-11-29"
    assert Period(NOV_28, NOV_28 + DAY).label("zh") == "2026年11月28日"
    assert Period(NOV_28, NOV_28 + 40 * DAY).label("zh") == "2026年11月28日至2027年1月6日"
    assert Period(NOV_28).label("zh") == "2026年11月28日以来"
    assert Period(end=NOV_28 + DAY).label("zh") == "截至2026年11月28日"


def test_a_period_open_at_one_end_still_bounds_the_other() -> None:
    assert Period().bounds is None
    start, end = Period(NOV_28).bounds or (0, 0)
    assert start == NOV_28 and end > NOV_28 + 1000 * 365 * DAY
    assert Period(end=NOV_28).bounds == (0, NOV_28)
    assert build_report(HISTORIES, Period(end=NOV_28)).registered == 0
    assert build_report(HISTORIES, Period(NOV_28)).registered == 5


def test_categories_are_named_by_the_kind_catalog_then_the_label_table() -> None:
    zh, en = category_labeller(CATALOG, "zh"), category_labeller(CATALOG, "en")
    assert zh("gas_detector.gas_leak") == "燃气泄漏" and en("gas_detector.gas_leak") == "Gas leak"
    assert zh("camera.fire_lane_blocked") == "消防通道占用"
    assert (
        zh("smart_breaker.offline") == "智慧空开离线"
        and en("smart_breaker.offline") == "Smart circuit breaker offline"
    )
    assert zh("complaint") == "投诉" and en("exposed_garbage") == "Exposed garbage"
    assert zh("gas_detector.no_such_rule") == "gas_detector.no_such_rule"
    assert zh("no_such_category") == "no_such_category"


def test_groups_are_named_by_their_dimension() -> None:
    assert group_labeller(Dimension.CHANNEL, CATALOG, "zh")("sensor") == "物联感知"
    assert group_labeller(Dimension.CHANNEL, CATALOG, "en")("hotline") == "12345 hotline"
    assert group_labeller(Dimension.CATEGORY, CATALOG, "zh")("elderly_care.fall") == "老人跌倒"
    assert group_labeller(Dimension.GRID, CATALOG, "zh")("G1") == "G1"
    assert group_labeller(None, CATALOG, "zh")("-") == "-"


def test_the_briefing_names_the_two_most_frequent_warning_types() -> None:
    labels = category_labeller(CATALOG, "zh")
    text = briefing(HISTORIES, Period(), DISTRICT, "zh", labels)
    # gas leads with two warnings; the others tie at one and rank by code (camera first)
    assert text.startswith(
        "截至目前,先后有效预警燃气泄漏、消防通道占用等事件5起,完成闭环处置4起,闭环处置率达80.00%。"
    )
    in_g2 = briefing(HISTORIES, Period(NOV_28, NOV_28 + DAY), Scope.parse("grid:G2"), "en", labels)
    assert in_g2.startswith("On 2026-11-28, 3 effective warnings")


def test_indicator_values_keep_the_key_order_and_round_rates_to_four_places() -> None:
    values = indicator_values(Report(due_for_closure=3, closed=2, closed_on_time=1))
    assert list(values) == list(JSON_KEYS) == [i.key for i in INDICATORS]
    assert (values["closure_rate"], values["on_time_closure_rate"]) == (0.6667, 0.3333)
    assert values["closed"] == 2 and isinstance(values["closed"], int)
    assert values["satisfaction_rate"] is None
