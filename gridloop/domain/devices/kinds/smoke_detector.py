"""独立式烟感: a battery-powered smoke alarm in a dwelling or stairwell."""

from gridloop.domain.devices.kind import DeviceKind, EventType, PlacedPer, Placement, ValueField
from gridloop.domain.devices.rules import EventIs, RuleSpec, Severity, Threshold

KIND = DeviceKind(
    code="smoke_detector",
    label_zh="独立式烟感",
    label_en="Standalone smoke detector",
    id_prefix="SMK",
    values=(ValueField("battery_pct", "%", 0, 100, "电池电量", status=True),),
    events=(
        EventType("smoke_alarm", "烟雾报警"),
        EventType("tamper", "设备被拆"),
    ),
    attrs=(),
    rules=(
        RuleSpec(
            code="smoke_alarm",
            severity=Severity.CRITICAL,
            conditions=(EventIs("smoke_alarm"),),
            title_zh="烟雾报警",
            title_en="Smoke alarm",
        ),
        RuleSpec(
            code="low_battery",
            severity=Severity.MINOR,
            conditions=(Threshold("battery_pct", "<"),),
            params={"threshold": 20},
            title_zh="烟感电量低",
            title_en="Smoke detector battery low",
        ),
        RuleSpec(
            code="tamper",
            severity=Severity.MINOR,
            conditions=(EventIs("tamper"),),
            title_zh="烟感被拆",
            title_en="Smoke detector tampered with",
        ),
    ),
    placement=Placement(PlacedPer.BUILDING, share=0.1),
)
