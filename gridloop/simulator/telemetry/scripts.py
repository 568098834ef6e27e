"""The readings an incident or near miss sends, reading by reading (already rounded)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Script = list[dict[str, float]]
ScriptFn = Callable[[np.random.Generator, float], Script]  # (rng, rated_a) → readings
Span = tuple[float, float]


def shape(
    rng: np.random.Generator,
    field: str,
    up: list[Span],
    count: tuple[int, int],
    block: Span,
    down: list[Span],
    decimals: int = 1,
) -> Script:
    """A rise through `up`, `count` readings inside `block`, a fall through `down`."""
    n = int(rng.integers(count[0], count[1] + 1))
    spans = [*up, *([block] * n), *down]
    return [{field: round(float(rng.uniform(lo, hi)), decimals)} for lo, hi in spans]


def _heart(rng: np.random.Generator, _rated: float) -> Script:
    if rng.random() < 0.5:  # tachycardia
        return shape(
            rng,
            "heart_rate_bpm",
            [(112, 120), (122, 129)],
            (2, 10),
            (131, 165),
            [(115, 125), (100, 110)],
            0,
        )
    return shape(
        rng, "heart_rate_bpm", [(46, 50), (41, 44)], (2, 10), (30, 39.4), [(42, 48), (50, 54)], 0
    )


def _overload(rng: np.random.Generator, rated: float) -> Script:
    return shape(
        rng, "current_a", [], (3, 12), (1.05 * rated, 1.5 * rated), [(0.6 * rated, 0.7 * rated)]
    )


# One script per value rule of DEVICES.md; each stays inside its block long enough to alert.
INCIDENT_SCRIPTS: dict[str, ScriptFn] = {
    "electrical_fire.residual_current_high": lambda rng, _: shape(
        rng,
        "residual_current_ma",
        [(170, 230), (240, 290)],
        (2, 20),
        (305, 470),
        [(200, 280), (120, 150)],
    ),
    # 600 mA raises both the high and the critical alert: separate rules on one field.
    "electrical_fire.residual_current_critical": lambda rng, _: shape(
        rng,
        "residual_current_ma",
        [(220, 280), (320, 420)],
        (2, 8),
        (510, 900),
        [(350, 450), (200, 280)],
    ),
    "electrical_fire.cable_overheat": lambda rng, _: shape(
        rng,
        "cable_temp_c",
        [(50, 55), (58, 64), (65, 69)],
        (2, 15),
        (70.5, 85),
        [(62, 68), (55, 60), (48, 52)],
    ),
    "smart_breaker.overload": _overload,
    "smart_breaker.overheat": lambda rng, _: shape(
        rng, "temp_c", [(55, 62), (64, 69)], (2, 10), (70.5, 90), [(60, 66), (50, 55)]
    ),
    "gas_detector.gas_leak": lambda rng, _: shape(
        rng, "lel_pct", [(4, 7), (9, 14), (15, 19.4)], (1, 6), (21, 45), [(12, 18), (5, 9)]
    ),
    "weather_station.gale": lambda rng, _: shape(
        rng, "wind_speed_ms", [(10, 13), (14, 16.5)], (1, 10), (17.5, 26), [(12, 16), (8, 11)]
    ),
    "weather_station.heavy_rain": lambda rng, _: shape(
        rng, "rain_mm_1h", [(5, 9), (12, 18)], (1, 30), (20.5, 45), [(14, 19), (8, 12)]
    ),
    "weather_station.heat": lambda rng, _: shape(
        rng, "temp_c", [(35.5, 36.4), (36.5, 36.9)], (1, 20), (37.1, 39.5), [(36, 36.8), (35, 35.9)]
    ),
    "elderly_care.abnormal_heart_rate": _heart,
}

# Near misses: close to a threshold, or over it too briefly; none may alert.
NEAR_MISS_SCRIPTS: dict[str, tuple[str, str, ScriptFn]] = {
    "rc299": (
        "electrical_fire",
        "residual_current_ma 299 on consecutive readings (high needs ≥ 300 twice)",
        lambda rng, _: shape(
            rng, "residual_current_ma", [(200, 260)], (3, 8), (299, 299), [(180, 240)]
        ),
    ),
    "rc310": (
        "electrical_fire",
        "a single residual_current_ma 310 spike between normal readings (needs 2 in a row)",
        lambda rng, _: shape(
            rng, "residual_current_ma", [(240, 270)], (1, 1), (310, 310), [(230, 260)]
        ),
    ),
    "hr131": (
        "elderly_care",
        "heart_rate_bpm 131 once (abnormal needs 2 readings in a row)",
        lambda rng, _: shape(
            rng, "heart_rate_bpm", [(118, 124)], (1, 1), (131, 131), [(115, 122)], 0
        ),
    ),
    "lel19": (
        "gas_detector",
        "lel_pct 19 % (gas_leak needs ≥ 20)",
        lambda rng, _: shape(
            rng, "lel_pct", [(9, 12), (14, 17)], (1, 2), (19, 19), [(12, 15), (5, 8)]
        ),
    ),
    "overload2": (
        "smart_breaker",
        "current_a above rated_a on 2 readings in a row (overload needs 3)",
        lambda rng, r: shape(
            rng, "current_a", [], (2, 2), (1.05 * r, 1.3 * r), [(0.6 * r, 0.7 * r)]
        ),
    ),
}
