"""Simulated 12345 hotline requests: citizens calling about their buildings, more by day than
by night, some calling again about the same problem (which the loop merges)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from gridloop.domain.buildings import Building

HOUR_MS = 3_600_000
# (category, severity, what people say); weights follow the common mix of a district hotline
TOPICS: tuple[tuple[str, str, str, int], ...] = (
    ("exposed_garbage", "minor", "小区垃圾堆放多日无人清运", 5),
    ("noise", "minor", "楼下商铺夜间噪音扰民", 4),
    ("help_request", "minor", "独居老人家中水管漏水需要帮助", 3),
    ("enquiry", "minor", "咨询居住证办理需要哪些材料", 3),
    ("public_facility", "major", "小区门口路面塌陷存在安全隐患", 1),
    ("illegal_parking", "minor", "消防通道被私家车长期占用", 2),
)
# share of the day's calls by Shanghai local hour: quiet at night, busiest mid-morning
_HOURLY = (1, 1, 1, 1, 1, 2, 4, 8, 12, 14, 13, 11, 9, 10, 12, 12, 11, 10, 9, 8, 6, 4, 2, 1)
REPEAT_SHARE = 0.15  # a neighbour calls about the same problem shortly after


@dataclass(frozen=True)
class HotlineRequest:
    at: int  # epoch ms
    building_code: str
    category: str
    severity: str
    description: str
    caller: str  # an anonymous caller reference, never a phone number


def hotline_requests(
    buildings: Sequence[Building], start_ms: int, hours: float, seed: int, per_day: float
) -> list[HotlineRequest]:
    """Requests over `hours` from `start_ms`, about `per_day` a day, in time order."""
    rng = random.Random(seed * 7919 + 12345)
    if not buildings:
        return []
    topics = [t[:3] for t in TOPICS]
    weights = [t[3] for t in TOPICS]
    out: list[HotlineRequest] = []
    total = sum(_HOURLY)
    hour = 0
    while hour < hours:
        local_hour = ((start_ms + hour * HOUR_MS) // HOUR_MS + 8) % 24
        expected = per_day * _HOURLY[int(local_hour)] / total * min(1.0, hours - hour)
        for _ in range(_poisson(rng, expected)):
            at = start_ms + hour * HOUR_MS + rng.randrange(HOUR_MS)
            if at >= start_ms + hours * HOUR_MS:
                continue
            building = rng.choice(buildings)
            category, severity, text = rng.choices(topics, weights)[0]
            out.append(HotlineRequest(at, building.code, category, severity, text, _caller(rng)))
            if rng.random() < REPEAT_SHARE:
                later = at + rng.randrange(2, 25) * 60_000
                out.append(
                    HotlineRequest(later, building.code, category, severity, text, _caller(rng))
                )
        hour += 1
    out.sort(key=lambda r: r.at)
    return [r for r in out if r.at < start_ms + hours * HOUR_MS]


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method: means here are small (a few calls an hour)
    limit, k, p = pow(2.718281828459045, -mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _caller(rng: random.Random) -> str:
    return f"caller-{rng.randrange(16**8):08x}"
