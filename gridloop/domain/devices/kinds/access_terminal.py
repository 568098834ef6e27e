"""安全管理终端 (门禁): a compound's door controller that reports door and tamper events."""

from gridloop.domain.devices.kind import DeviceKind, EventType, PlacedPer, Placement
from gridloop.domain.devices.rules import EventIs, RuleSpec, Severity, Threshold

KIND = DeviceKind(
    code="access_terminal",
    label_zh="安全管理终端",
    label_en="Access control terminal",
    id_prefix="ACT",
    values=(),
    events=(
        EventType("door_forced", "门被强行打开"),
        EventType("door_held_open", "门长时间未关", ("duration_s",)),
        EventType("tamper", "设备被拆"),
    ),
    attrs=(),
    rules=(
        RuleSpec(
            code="door_forced",
            severity=Severity.MAJOR,
            conditions=(EventIs("door_forced"),),
            title_zh="门被强行打开",
            title_en="Door forced open",
        ),
        RuleSpec(
            code="door_held_open",
            severity=Severity.MINOR,
            conditions=(
                EventIs(
                    "door_held_open",
                    attr_threshold=Threshold("duration_s", ">=", param="min_duration_s"),
                ),
            ),
            params={"min_duration_s": 300},
            title_zh="门长时间未关",
            title_en="Door held open",
        ),
        RuleSpec(
            code="tamper",
            severity=Severity.MINOR,
            conditions=(EventIs("tamper"),),
            title_zh="终端被拆",
            title_en="Terminal tampered with",
        ),
    ),
    placement=Placement(PlacedPer.COMPOUND, share=0.5),
)
