"""When two reports are the same problem: same category, close in place and in time."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

EARTH_RADIUS_M = 6_371_008.8
_M_PER_DEG_LAT = math.pi * EARTH_RADIUS_M / 180


@dataclass(frozen=True)
class MergePolicy:
    distance_m: float = 50.0
    window_ms: int = 30 * 60_000

    def __post_init__(self) -> None:
        if not (self.distance_m >= 0 and self.window_ms >= 0):
            raise ValueError("merge distance and window must not be negative")

    def box(self, lon: float, lat: float) -> tuple[float, float, float, float]:
        """(min_lon, min_lat, max_lon, max_lat) holding every point within the distance."""
        dlat = self.distance_m / _M_PER_DEG_LAT
        dlon = dlat / max(math.cos(math.radians(lat)), 1e-6)
        return lon - dlon, lat - dlat, lon + dlon, lat + dlat


@dataclass(frozen=True)
class Candidate:
    """An open case that a new report might repeat."""

    case_id: str
    category: str
    lon: float
    lat: float
    reported_at: int


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance (haversine); exact enough at the scale of a street."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def same_problem(
    policy: MergePolicy,
    category: str,
    lon: float,
    lat: float,
    at_ms: int,
    candidates: Iterable[Candidate],
) -> Candidate | None:
    """The nearest open case of the same category within the distance and time window."""
    best: tuple[float, int, str, Candidate] | None = None
    for c in candidates:
        if c.category != category or abs(at_ms - c.reported_at) > policy.window_ms:
            continue
        d = distance_m(lon, lat, c.lon, c.lat)
        if d <= policy.distance_m:
            key = (d, c.reported_at, c.case_id, c)
            if best is None or key[:3] < best[:3]:
                best = key
    return best[3] if best else None
