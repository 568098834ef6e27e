"""The names people read for report codes: indicators, channels, groupings and categories.

Sensor and camera categories are rule codes (`gas_detector.gas_leak`) named by the device kind
catalog, so callers look those up there first and fall back to `category_label` for the rest.
Unknown codes read as themselves: a report never fails for want of a label.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from gridloop.domain.cases.indicators import Dimension

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")


@dataclass(frozen=True)
class Label:
    zh: str
    en: str

    def read(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Indicator:
    """One of the report's JSON keys, its names (WORKFLOW.md), and whether it is a rate."""

    key: str
    label: Label
    rate: bool = False


def _indicator(key: str, zh: str, en: str) -> Indicator:
    rate = key.endswith("_rate") or key == "dispatch_accuracy"
    return Indicator(key, Label(zh, en), rate)


# in JSON_KEYS order; a test holds the two together
INDICATORS: tuple[Indicator, ...] = (
    _indicator("registered", "立案数", "Registered"),
    _indicator("closed", "结案数", "Closed"),
    _indicator("closure_rate", "结案率", "Closure rate"),
    _indicator("closed_on_time", "按期结案数", "Closed on time"),
    _indicator("on_time_closure_rate", "按期结案率", "On-time closure rate"),
    _indicator("handled", "处置数", "Handled"),
    _indicator("handling_rate", "处置率", "Handling rate"),
    _indicator("on_time_handling_rate", "按期处置率", "On-time handling rate"),
    _indicator("reworks", "返工数", "Reworks"),
    _indicator("rework_rate", "返工率", "Rework rate"),
    _indicator("extensions", "延期数", "Extensions"),
    _indicator("extension_rate", "延期率", "Extension rate"),
    _indicator("dispatches", "派遣数", "Dispatches"),
    _indicator("returns", "退单数", "Returns"),
    _indicator("dispatch_accuracy", "派遣准确率", "Dispatch accuracy"),
    _indicator("signed_on_time", "按时签收数", "Signed on time"),
    _indicator("on_time_sign_rate", "按时签收率", "On-time sign-for rate"),
    _indicator("rated", "回访评价数", "Rated"),
    _indicator("satisfied", "满意数", "Satisfied"),
    _indicator("satisfaction_rate", "满意率", "Satisfaction rate"),
    _indicator("warnings", "有效预警数", "Effective warnings"),
    _indicator("warnings_closed", "闭环处置数", "Warnings closed"),
    _indicator("warning_closure_rate", "闭环处置率", "Closed-loop rate"),
)

TOTAL = Label("合计", "Total")

DIMENSIONS: Mapping[Dimension, Label] = MappingProxyType(
    {
        Dimension.CHANNEL: Label("渠道", "Channel"),
        Dimension.CATEGORY: Label("类别", "Category"),
        Dimension.STREET: Label("街道", "Street"),
        Dimension.COMMUNITY: Label("社区", "Community"),
        Dimension.GRID: Label("网格", "Grid"),
        Dimension.WORKER: Label("承办人", "Assignee"),  # a worker, or a department's code
    }
)

CHANNELS: Mapping[str, Label] = MappingProxyType(
    {
        "sensor": Label("物联感知", "IoT sensing"),
        "camera": Label("视频监控", "Video surveillance"),
        "hotline": Label("12345热线", "12345 hotline"),
        "open311": Label("网上诉求(Open311)", "Open311 requests"),
        "patrol": Label("网格巡查", "Grid patrol"),
        "manual": Label("人工录入", "Manual entry"),
    }
)

# hotline, Open311 and patrol categories; sensor rules are named by the kind catalog
CATEGORIES: Mapping[str, Label] = MappingProxyType(
    {
        "enquiry": Label("咨询", "Enquiry"),
        "help_request": Label("求助", "Help request"),
        "complaint": Label("投诉", "Complaint"),
        "suggestion": Label("建议", "Suggestion"),
        "praise": Label("表扬", "Praise"),
        "tip_off": Label("举报", "Tip-off"),
        "exposed_garbage": Label("暴露垃圾", "Exposed garbage"),
        "garbage": Label("垃圾清运", "Garbage"),
        "road_cleaning": Label("道路保洁", "Road cleaning"),
        "illegal_structure": Label("违法建设", "Illegal structure"),
        "illegal_parking": Label("违规停车", "Illegal parking"),
        "noise": Label("噪声扰民", "Noise"),
        "public_facility": Label("公共设施损坏", "Damaged public facility"),
        "water_supply": Label("供水问题", "Water supply"),
        "power_supply": Label("供电问题", "Power supply"),
        "property_management": Label("物业管理", "Property management"),
        "neighbour_dispute": Label("邻里纠纷", "Neighbour dispute"),
    }
)


def category_label(code: str, lang: Lang) -> str:
    """A non-sensor category's name, or the code itself when it has none."""
    label = CATEGORIES.get(code)
    return label.read(lang) if label else code


def channel_label(code: str, lang: Lang) -> str:
    label = CHANNELS.get(code)
    return label.read(lang) if label else code
