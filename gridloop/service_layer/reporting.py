"""Reports over case histories: the indicators, the names of their groups, and the briefing."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from gridloop.domain.calendar import local_datetime
from gridloop.domain.cases.briefing import briefing_en, briefing_zh, top_warning_groups
from gridloop.domain.cases.events import CaseEvent
from gridloop.domain.cases.indicators import DISTRICT, Dimension, Report, Scope, compute
from gridloop.domain.cases.labels import INDICATORS, Lang, category_label, channel_label
from gridloop.domain.devices.catalog import KindCatalog
from gridloop.domain.devices.rules import OFFLINE

Histories = Iterable[Sequence[CaseEvent]]
Labeller = Callable[[str], str]

TOP_WARNING_TYPES = 2  # bulletins name the two most frequent, then "等"
RATE_DIGITS = 4
_NO_END = 2**63 - 1  # an open end: after every epoch-ms instant SQLite can hold


@dataclass(frozen=True)
class Period:
    """Reported from `start` (inclusive) to `end` (exclusive), epoch ms; either end may be open."""

    start: int | None = None
    end: int | None = None

    @property
    def bounds(self) -> tuple[int, int] | None:
        """What `indicators.compute` takes: None for all time."""
        if self.start is None and self.end is None:
            return None
        return (self.start or 0, _NO_END if self.end is None else self.end)

    def label(self, lang: Lang) -> str:
        """ "截至目前", "2026年11月28日至11月29日" (Asia/Shanghai dates, the last included day)."""
        first = local_datetime(self.start).date() if self.start is not None else None
        last = local_datetime(self.end - 1).date() if self.end is not None else None
        return _label_zh(first, last) if lang == "zh" else _label_en(first, last)


def _zh(day: date, with_year: bool = True) -> str:
    year = f"{day.year}年" if with_year else ""
    return f"{year}{day.month}月{day.day}日"


def _label_zh(first: date | None, last: date | None) -> str:
    if first is None:
        return "截至目前" if last is None else f"截至{_zh(last)}"
    if last is None:
        return f"{_zh(first)}以来"
    if first >= last:
        return _zh(first)
    return f"{_zh(first)}至{_zh(last, with_year=last.year != first.year)}"


def _label_en(first: date | None, last: date | None) -> str:
    if first is None:
        return "As of now" if last is None else f"Up to {last.isoformat()}"
    if last is None:
        return f"Since {first.isoformat()}"
    if first >= last:
        return f"On {first.isoformat()}"
    return f"From {first.isoformat()} to {last.isoformat()}"


def build_report(
    histories: Histories, period: Period, scope: Scope = DISTRICT, by: Dimension | None = None
) -> Report:
    """The indicators of the cases reported in `period` within `scope`, grouped by `by`."""
    return compute(histories, period.bounds, scope, by)


def briefing(
    histories: Histories, period: Period, scope: Scope, lang: Lang, labels: Labeller
) -> str:
    """The bulletin paragraph, naming the most frequent warning types by `labels`."""
    grouped = compute(histories, period.bounds, scope, Dimension.CATEGORY)
    top = [(labels(code), n) for code, n in top_warning_groups(grouped, TOP_WARNING_TYPES)]
    write = briefing_zh if lang == "zh" else briefing_en
    return write(grouped, top, period.label(lang))


def indicator_values(report: Report, digits: int = RATE_DIGITS) -> dict[str, int | float | None]:
    """The JSON keys in order, rates as fractions rounded to `digits` (None stays None)."""
    values: dict[str, int | float | None] = {}
    for indicator in INDICATORS:
        value = getattr(report, indicator.key)
        rounded = indicator.rate and value is not None
        values[indicator.key] = round(value, digits) if rounded else value
    return values


def category_labeller(catalog: KindCatalog, lang: Lang) -> Labeller:
    """Names categories: `kind.rule` codes by the kind catalog, others by the label table."""

    def label(code: str) -> str:
        kind_code, _, rule_code = code.partition(".")
        if rule_code and kind_code in catalog:
            kind = catalog.get(kind_code)
            for rule in kind.all_rules:
                if rule.code != rule_code:
                    continue
                if rule.code == OFFLINE.code:  # every kind has it: say whose
                    return f"{kind.label_zh}离线" if lang == "zh" else f"{kind.label_en} offline"
                return rule.title_zh if lang == "zh" else rule.title_en
        return category_label(code, lang)

    return label


def group_labeller(by: Dimension | None, catalog: KindCatalog, lang: Lang) -> Labeller:
    """Names the keys of a grouping; region and worker codes read as themselves."""
    if by is Dimension.CATEGORY:
        return category_labeller(catalog, lang)
    if by is Dimension.CHANNEL:
        return lambda code: channel_label(code, lang)
    return lambda code: code
