"""智慧空开: a smart circuit breaker reporting load, leakage and temperature, and its trips."""

from gridloop.domain.devices.kind import (
    AttrSpec,
    DeviceKind,
    EventType,
    PlacedPer,
    Placement,
    ValueField,
)
from gridloop.domain.devices.rules import EventIs, RuleSpec, Severity, SeverityByAttr, Threshold

KIND = DeviceKind(
    code="smart_breaker",
    label_zh="智慧空开",
    label_en="Smart circuit breaker",
    id_prefix="BRK",
    values=(
        ValueField("current_a", "A", 0, 1_000, "电流"),
        ValueField("leakage_ma", "mA", 0, 10_000, "漏电流"),
        ValueField("temp_c", "°C", -40, 200, "温度"),
    ),
    events=(EventType("trip", "跳闸", ("reason",)),),
    attrs=(AttrSpec("rated_a", int, required=True, low=6, high=630, label_zh="额定电流"),),
    rules=(
        RuleSpec(
            code="trip",
            severity=Severity.MINOR,
            conditions=(EventIs("trip"),),
            severity_by=SeverityByAttr(
                "reason", {"short_circuit": Severity.MAJOR, "leakage": Severity.MAJOR}
            ),
            title_zh="空开跳闸",
            title_en="Breaker tripped",
        ),
        RuleSpec(
            code="overload",
            severity=Severity.MAJOR,
            conditions=(Threshold("current_a", ">", attr="rated_a"),),
            # A sustained overload, not an inrush spike; GB 31252-2014 alarms within 30 s.
            consecutive=3,
            title_zh="线路过载",
            title_en="Circuit overload",
        ),
        RuleSpec(
            code="overheat",
            severity=Severity.MAJOR,
            conditions=(Threshold("temp_c", ">="),),
            params={"threshold": 70},  # PVC-insulated cable is rated for 70 °C
            consecutive=2,
            title_zh="空开温度过高",
            title_en="Breaker overheating",
        ),
    ),
    placement=Placement(
        PlacedPer.BUILDING, share=0.05, attr_choices={"rated_a": (32, 40, 63, 100)}
    ),
)
