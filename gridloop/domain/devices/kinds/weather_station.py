"""气象监测站: a community's wind, rain and temperature station."""

from gridloop.domain.devices.kind import AttrSpec, DeviceKind, PlacedPer, Placement, ValueField
from gridloop.domain.devices.rules import RuleSpec, Severity, Threshold

KIND = DeviceKind(
    code="weather_station",
    label_zh="气象监测站",
    label_en="Weather station",
    id_prefix="WXS",
    values=(
        ValueField("wind_speed_ms", "m/s", 0, 100, "风速"),
        ValueField("rain_mm_1h", "mm", 0, 500, "小时降雨量"),
        ValueField("temp_c", "°C", -60, 70, "气温"),
        ValueField("humidity_pct", "%", 0, 100, "相对湿度"),
    ),
    events=(),
    attrs=(AttrSpec("height_m", float, low=0, high=200, label_zh="安装高度"),),
    rules=(
        RuleSpec(
            code="gale",
            severity=Severity.MAJOR,
            conditions=(Threshold("wind_speed_ms", ">="),),
            params={"threshold": 17.2},  # CMA: Beaufort force 8 (gale) starts at 17.2 m/s
            title_zh="大风",
            title_en="Gale",
        ),
        RuleSpec(
            code="heavy_rain",
            severity=Severity.MAJOR,
            conditions=(Threshold("rain_mm_1h", ">="),),
            params={"threshold": 20},  # CMA: short-duration heavy rain is ≥ 20 mm in an hour
            title_zh="短时强降雨",
            title_en="Heavy rain",
        ),
        RuleSpec(
            code="heat",
            severity=Severity.MINOR,
            conditions=(Threshold("temp_c", ">="),),
            params={"threshold": 37},  # CMA heat warnings start at 35–37 °C
            title_zh="高温",
            title_en="Heat",
        ),
    ),
    placement=Placement(PlacedPer.COMMUNITY, share=1.0),
)
