"""智能摄像机: AI camera that reports scene events detected at the edge."""

from gridloop.domain.devices.kind import AttrSpec, DeviceKind, EventType, PlacedPer, Placement
from gridloop.domain.devices.rules import EventIs, RuleSpec, Severity

_DETECTION = ("confidence", "snapshot")

KIND = DeviceKind(
    code="camera",
    label_zh="智能摄像机",
    label_en="Smart camera",
    id_prefix="CAM",
    values=(),
    events=(
        EventType("ebike_in_elevator", "电动车进电梯", _DETECTION),
        EventType("fire_lane_blocked", "消防通道占用", _DETECTION),
        EventType("thrown_object", "高空抛物", _DETECTION),
        EventType("intrusion", "区域入侵", _DETECTION),
    ),
    attrs=(AttrSpec("channel", str, label_zh="通道"),),
    rules=(
        RuleSpec(
            code="ebike_in_elevator",
            severity=Severity.MAJOR,
            conditions=(EventIs("ebike_in_elevator"),),
            title_zh="电动车进电梯",
            title_en="E-bike in elevator",
        ),
        RuleSpec(
            code="fire_lane_blocked",
            severity=Severity.MAJOR,
            conditions=(EventIs("fire_lane_blocked"),),
            title_zh="消防通道占用",
            title_en="Fire lane blocked",
        ),
        RuleSpec(
            code="thrown_object",
            severity=Severity.MAJOR,
            conditions=(EventIs("thrown_object"),),
            title_zh="高空抛物",
            title_en="Object thrown from height",
        ),
        RuleSpec(
            code="intrusion",
            severity=Severity.MAJOR,
            conditions=(EventIs("intrusion"),),
            title_zh="区域入侵",
            title_en="Intrusion",
        ),
    ),
    # Two per compound (gate and elevator hall) on 60 % of compounds keeps the district in budget.
    placement=Placement(PlacedPer.COMPOUND, share=0.6, count=2),
)
