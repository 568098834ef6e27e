"""Briefings read like published district bulletins and reproduce their published figures."""

from __future__ import annotations

from functools import cache

from indicators_support import dispatch, history, report, step

from gridloop.domain.cases.briefing import briefing_en, briefing_zh, percent, top_warning_groups
from gridloop.domain.cases.events import Action as A
from gridloop.domain.cases.events import CaseEvent
from gridloop.domain.cases.indicators import Dimension, Report, compute

LABELS = {"elder_abnormal": "高龄老人身体异常", "smoke": "烟雾火灾感知", "gas": "燃气泄漏"}


def _cases(count: int, closed: int, channel: str) -> list[list[CaseEvent]]:
    """`count` registered, dispatched cases, the first `closed` of them closed on time."""
    # categories weighted so elder_abnormal ranks first, smoke second, gas third
    categories = ["elder_abnormal"] * 5 + ["smoke"] * 4 + ["gas"]
    cases = []
    for i in range(count):
        steps = [
            report(channel=channel, category=categories[i % 10], alerts=(f"a{i}",)),
            step(0, A.REGISTER),
            dispatch(1, "w1", sign_by=5, handle_by=30),
        ]
        if i < closed:
            steps += [step(2, A.SIGN), step(20, A.HANDLE), step(25, A.CLOSE)]
        cases.append(history(f"c{i}", *steps))
    return cases


@cache
def _sensing() -> Report:
    """The published sensing figure: 4,807 warnings, 4,473 closed through the loop."""
    return compute(_cases(4807, 4473, "sensor"), None, by=Dimension.CATEGORY)


def test_the_published_sensing_figure_gives_93_05_percent() -> None:
    grouped = _sensing()
    assert (grouped.warnings, grouped.warnings_closed) == (4807, 4473)
    assert grouped.warning_closure_rate is not None
    assert round(grouped.warning_closure_rate, 4) == 0.9305
    top = [(LABELS[key], count) for key, count in top_warning_groups(grouped)]
    text = briefing_zh(grouped, top)
    assert text.startswith(
        "截至目前,先后有效预警高龄老人身体异常、烟雾火灾感知等事件4807起,"
        "完成闭环处置4473起,闭环处置率达93.05%。"
    )
    assert "4,807" not in text


def test_the_published_closure_figure_gives_93_72_percent() -> None:
    text = briefing_zh(compute(_cases(972, 911, "hotline"), None), [])
    assert text == "截至目前,应结案972件,结案911件,结案率93.72%,按期结案率93.72%。"


def test_the_most_frequent_warning_groups_come_first() -> None:
    grouped = compute(_cases(20, 0, "sensor"), None, by=Dimension.CATEGORY)
    assert top_warning_groups(grouped, 3) == [("elder_abnormal", 10), ("smoke", 8), ("gas", 2)]
    assert top_warning_groups(compute([], None)) == []


def test_percentages_keep_two_decimals_and_round_half_up() -> None:
    assert percent(4473, 4807) == "93.05%"
    assert percent(911, 972) == "93.72%"
    assert percent(1, 20_000) == "0.01%"  # exactly half a basis point rounds up
    assert percent(1, 40_000) == "0.00%"
    assert percent(3, 3) == "100.00%"


def test_satisfaction_is_reported_when_cases_were_rated() -> None:
    text = briefing_zh(Report(rated=4, satisfied=3), [], period_label="2025年11月")
    assert text == "2025年11月,回访评价4件,满意率75.00%。"


def test_a_period_without_cases_says_so() -> None:
    assert briefing_zh(Report(), []) == "截至目前,暂无立案事件。"
    assert briefing_en(Report(), []) == "As of now, no cases were registered."


def test_the_english_briefing_carries_the_same_figures() -> None:
    grouped = _sensing()
    top = [("elderly health alerts", 2404), ("smoke alarms", 1923)]
    text = briefing_en(grouped, top)
    assert text.startswith(
        "As of now, 4807 effective warnings (elderly health alerts (2404), smoke alarms (1923) "
        "and others) were raised and 4473 were handled through the closed loop, a closed-loop "
        "rate of 93.05%."
    )
    assert "4807 cases were due for closure and 4473 were closed" in text
    no_warnings = briefing_en(Report(due_for_closure=972, closed=911, closed_on_time=900), [])
    assert no_warnings.startswith("As of now, 972 cases were due for closure")
    assert "93.72%" in no_warnings
