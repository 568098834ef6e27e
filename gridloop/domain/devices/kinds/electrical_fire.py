"""电气火灾监测终端: residual current and cable temperature of a building's distribution board."""

from gridloop.domain.devices.kind import (
    AttrSpec,
    DeviceKind,
    PlacedPer,
    Placement,
    ValueField,
)
from gridloop.domain.devices.rules import RuleSpec, Severity, Threshold

# GB 50116 commentary: residual-current alarms are set at 300–500 mA; PVC cable is rated for 70 °C.
KIND = DeviceKind(
    code="electrical_fire",
    label_zh="电气火灾监测终端",
    label_en="Electrical fire monitor",
    id_prefix="EFM",
    values=(
        ValueField("residual_current_ma", "mA", 0, 10_000, "剩余电流"),
        ValueField("cable_temp_c", "°C", -40, 200, "线缆温度"),
        ValueField("current_a", "A", 0, 2_000, "电流"),
        ValueField("voltage_v", "V", 0, 1_000, "电压"),
    ),
    events=(),
    attrs=(AttrSpec("circuits", int, low=1, high=64, label_zh="回路数"),),
    rules=(
        RuleSpec(
            code="residual_current_high",
            severity=Severity.MAJOR,
            conditions=(Threshold("residual_current_ma", ">="),),
            params={"threshold": 300},
            consecutive=2,
            title_zh="剩余电流超限",
            title_en="Residual current high",
        ),
        RuleSpec(
            code="residual_current_critical",
            severity=Severity.CRITICAL,
            conditions=(Threshold("residual_current_ma", ">="),),
            params={"threshold": 500},
            consecutive=2,
            title_zh="剩余电流严重超限",
            title_en="Residual current critical",
        ),
        RuleSpec(
            code="cable_overheat",
            severity=Severity.MAJOR,
            conditions=(Threshold("cable_temp_c", ">="),),
            params={"threshold": 70},
            consecutive=2,
            title_zh="线缆温度过高",
            title_en="Cable overheating",
        ),
    ),
    placement=Placement(PlacedPer.BUILDING, share=0.35, attr_choices={"circuits": (4, 8, 12)}),
)
