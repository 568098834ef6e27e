"""What the benchmarks report of a set of latencies."""

from __future__ import annotations

import statistics


def percentiles(ms: list[float]) -> dict[str, float]:
    """p50, p95 and p99 in milliseconds, to 0.1 (zeros for fewer than two samples)."""
    if len(ms) < 2:
        return {"p50_ms": 0.0, "p95_ms": 0.0, "p99_ms": 0.0}
    cuts = statistics.quantiles(ms, n=100, method="inclusive")
    return {
        "p50_ms": round(cuts[49], 1),
        "p95_ms": round(cuts[94], 1),
        "p99_ms": round(cuts[98], 1),
    }
