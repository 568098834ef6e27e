"""Briefing paragraphs from a report, in the style district bulletins publish them.

Numbers go without thousands separators and percentages with two decimals rounded half up, as in
"有效预警……事件4807起,完成闭环处置4473起,闭环处置率达93.05%". Category labels come from the caller,
already translated and in the order to print.
"""

from __future__ import annotations

from collections.abc import Sequence

from gridloop.domain.cases.indicators import Report

# the issue quotes the bulletin with ASCII commas; keep its text verbatim so it can be matched
COMMA = ","


def percent(numerator: int, denominator: int) -> str:
    """`numerator / denominator` as a percentage, 2 decimals, half up: 4473, 4807 → "93.05%"."""
    # integer arithmetic: a float product like 0.93725 * 100 can land just below the half
    basis_points = (numerator * 20_000 + denominator) // (2 * denominator)
    return f"{basis_points // 100}.{basis_points % 100:02d}%"


def top_warning_groups(report: Report, limit: int = 2) -> list[tuple[str, int]]:
    """The group keys of a grouped report with the most warnings, most first, with their counts."""
    ranked = sorted((row for row in report.rows or () if row[1].warnings), key=_most_warnings)
    return [(key, row.warnings) for key, row in ranked[:limit]]


def _most_warnings(row: tuple[str, Report]) -> tuple[int, str]:
    return -row[1].warnings, row[0]


def briefing_zh(
    report: Report, top_categories: Sequence[tuple[str, int]], period_label: str = "截至目前"
) -> str:
    """The zh-CN paragraph: warnings closed through the loop, closure, then satisfaction."""
    c = COMMA
    sentences: list[str] = []
    if report.warnings:
        kinds = "、".join(label for label, _ in top_categories)
        what = f"{kinds}等事件" if kinds else "事件"
        sentences.append(
            f"先后有效预警{what}{report.warnings}起{c}完成闭环处置{report.warnings_closed}起"
            f"{c}闭环处置率达{percent(report.warnings_closed, report.warnings)}"
        )
    due = report.due_for_closure
    if due:
        sentences.append(
            f"应结案{due}件{c}结案{report.closed}件{c}结案率{percent(report.closed, due)}"
            f"{c}按期结案率{percent(report.closed_on_time, due)}"
        )
    if report.rated:
        sentences.append(
            f"回访评价{report.rated}件{c}满意率{percent(report.satisfied, report.rated)}"
        )
    if not sentences:
        return f"{period_label}{c}暂无立案事件。"
    return f"{period_label}{c}" + "。".join(sentences) + "。"


def briefing_en(
    report: Report, top_categories: Sequence[tuple[str, int]], period_label: str = "As of now"
) -> str:
    """The same paragraph in English."""
    sentences: list[str] = []
    if report.warnings:
        kinds = ", ".join(f"{label} ({count})" for label, count in top_categories)
        what = f" ({kinds} and others)" if kinds else ""
        sentences.append(
            f"{period_label}, {report.warnings} effective warnings{what} were raised and "
            f"{report.warnings_closed} were handled through the closed loop, a closed-loop rate "
            f"of {percent(report.warnings_closed, report.warnings)}."
        )
    due = report.due_for_closure
    if due:
        sentences.append(
            f"{due} cases were due for closure and {report.closed} were closed, a closure rate of "
            f"{percent(report.closed, due)} ({percent(report.closed_on_time, due)} on time)."
        )
    if report.rated:
        sentences.append(
            f"Of {report.rated} rated cases, {percent(report.satisfied, report.rated)} were "
            "satisfied or basically satisfied."
        )
    if not sentences:
        return f"{period_label}, no cases were registered."
    if not report.warnings:
        sentences[0] = f"{period_label}, {sentences[0]}"
    return " ".join(sentences)
