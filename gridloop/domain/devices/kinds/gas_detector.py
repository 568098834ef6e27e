"""可燃气体探测器: combustible-gas concentration as a percentage of the lower explosive limit."""

from gridloop.domain.devices.kind import DeviceKind, EventType, PlacedPer, Placement, ValueField
from gridloop.domain.devices.rules import EventIs, RuleSpec, Severity, Threshold

KIND = DeviceKind(
    code="gas_detector",
    label_zh="可燃气体探测器",
    label_en="Combustible gas detector",
    id_prefix="GAS",
    values=(ValueField("lel_pct", "%LEL", 0, 100, "可燃气体浓度"),),
    events=(EventType("gas_alarm", "燃气报警"),),
    attrs=(),
    rules=(
        RuleSpec(
            code="gas_leak",
            severity=Severity.CRITICAL,
            conditions=(Threshold("lel_pct", ">="), EventIs("gas_alarm")),
            # Combustible-gas detectors commonly alarm at 20–25 % LEL.
            params={"threshold": 20},
            title_zh="燃气泄漏",
            title_en="Gas leak",
        ),
    ),
    placement=Placement(PlacedPer.BUILDING, share=0.05),
)
