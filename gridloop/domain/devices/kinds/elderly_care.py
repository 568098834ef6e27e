"""关爱老人设备: wristband, water meter and door sensor of an elderly resident living alone."""

from gridloop.domain.devices.kind import (
    AttrSpec,
    DeviceKind,
    EventType,
    PlacedPer,
    Placement,
    ValueField,
)
from gridloop.domain.devices.rules import EventIs, Outside, Quiet, RuleSpec, Severity

KIND = DeviceKind(
    code="elderly_care",
    label_zh="关爱老人设备",
    label_en="Elderly-care device",
    id_prefix="ELD",
    values=(
        ValueField("heart_rate_bpm", "bpm", 0, 300, "心率"),
        ValueField("water_l", "L", 0, 10_000, "用水量"),
        ValueField("door_opens", "次", 0, 1_000, "开门次数"),
    ),
    events=(
        EventType("sos", "紧急呼救"),
        EventType("fall", "跌倒"),
    ),
    attrs=(AttrSpec("resident_id", str, label_zh="关爱对象"),),
    rules=(
        RuleSpec(
            code="sos",
            severity=Severity.CRITICAL,
            conditions=(EventIs("sos"),),
            title_zh="老人紧急呼救",
            title_en="SOS call",
        ),
        RuleSpec(
            code="fall",
            severity=Severity.CRITICAL,
            conditions=(EventIs("fall"),),
            title_zh="老人跌倒",
            title_en="Fall detected",
        ),
        RuleSpec(
            code="abnormal_heart_rate",
            severity=Severity.CRITICAL,
            conditions=(Outside("heart_rate_bpm"),),
            params={"low": 40, "high": 130},
            consecutive=2,
            title_zh="心率异常",
            title_en="Abnormal heart rate",
        ),
        RuleSpec(
            code="inactivity",
            severity=Severity.MAJOR,
            conditions=(Quiet(("water_l", "door_opens")),),
            # District elderly-care schemes raise a visit after 24 h without a door opening.
            params={"hours": 24},
            title_zh="老人长时间无活动",
            title_en="No activity",
        ),
    ),
    # Care-device schemes cover a minority of those living alone (Shanghai, Ningbo pilots).
    placement=Placement(PlacedPer.ELDERLY_RESIDENT, share=0.08),
)
