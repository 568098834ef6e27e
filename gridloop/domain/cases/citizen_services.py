"""The kinds of citizen request a district takes (Open311 services), and the defaults.

A service files into a case category with a severity; its attributes are the questions the
citizen answers (Open311 service definitions). The SLA policy gives its time limits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

DATATYPES = ("string", "number", "datetime", "text", "singlevaluelist", "multivaluelist")


@dataclass(frozen=True)
class ServiceAttribute:
    code: str
    description: str
    datatype: str = "string"
    required: bool = False
    order: int = 1
    values: tuple[tuple[str, str], ...] = ()  # (key, name) for the list datatypes
    datatype_description: str = ""

    def refusal(self, given: list[str]) -> str | None:
        """Why these values do not fit the attribute, or None."""
        if not given or given == [""]:
            return f"attribute {self.code} is required" if self.required else None
        if self.datatype != "multivaluelist" and len(given) > 1:
            return f"attribute {self.code} takes one value"
        keys = {k for k, _ in self.values}
        if self.datatype.endswith("valuelist") and any(v not in keys for v in given):
            return f"attribute {self.code}: value not one of {sorted(keys)}"
        if self.datatype == "number":
            try:
                float(given[0])
            except ValueError:
                return f"attribute {self.code} must be a number"
        return None


@dataclass(frozen=True)
class ServiceType:
    code: str
    name: str
    category: str
    severity: str = "minor"
    description: str = ""
    keywords: tuple[str, ...] = ()
    group: str = ""
    attributes: tuple[ServiceAttribute, ...] = ()


_TIME = ServiceAttribute(
    "time_of_day", "发生时段", "singlevaluelist", values=(("day", "白天"), ("night", "夜间"))
)
_WHO = ServiceAttribute(
    "person",
    "需要帮助的人",
    "singlevaluelist",
    required=True,
    values=(("self", "本人"), ("elderly", "独居老人"), ("disabled", "残疾人"), ("other", "其他")),
)
_PARTS = ServiceAttribute(
    "facility",
    "损坏的设施",
    "multivaluelist",
    values=(("lamp", "路灯"), ("manhole", "井盖"), ("bench", "座椅"), ("fitness", "健身器材")),
)
DEFAULT_SERVICES: Mapping[str, ServiceType] = MappingProxyType(
    {
        s.code: s
        for s in (
            ServiceType(
                "001",
                "噪声扰民",
                "noise",
                "minor",
                "施工、商铺、广场舞等噪声",
                ("噪音", "扰民"),
                "环境",
                (_TIME,),
            ),
            ServiceType(
                "002",
                "暴露垃圾",
                "exposed_garbage",
                "minor",
                "垃圾堆放、未及时清运",
                ("垃圾",),
                "环境",
            ),
            ServiceType(
                "003",
                "违规停车",
                "illegal_parking",
                "minor",
                "占用消防通道、人行道停车",
                ("停车", "消防通道"),
                "交通",
            ),
            ServiceType(
                "004",
                "公共设施损坏",
                "public_facility",
                "minor",
                "路灯、井盖、座椅等损坏",
                ("路灯", "井盖"),
                "市政",
                (_PARTS,),
            ),
            ServiceType(
                "005",
                "供水问题",
                "water_supply",
                "major",
                "停水、漏水、水质问题",
                ("停水", "漏水"),
                "市政",
            ),
            ServiceType(
                "006",
                "求助",
                "help_request",
                "minor",
                "生活困难、需要上门帮助",
                ("求助",),
                "民生",
                (_WHO,),
            ),
            ServiceType(
                "007", "投诉", "complaint", "minor", "对服务或管理的投诉", ("投诉",), "民生"
            ),
            ServiceType("008", "咨询", "enquiry", "minor", "政策、办事咨询", ("咨询",), "民生"),
        )
    }
)
