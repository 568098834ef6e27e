"""Hourly aggregates of readings: count, sum, min and max per device, value and hour."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

HOUR_MS = 3_600_000

AggregateRow = tuple[str, str, int, int, float, float, float]
"""(device_id, field, hour start ms, count, sum, min, max)."""


class HourlyAggregates:
    """Accumulates readings between two flushes; rows() gives what to add to storage."""

    def __init__(self) -> None:
        # Keyed by (device, hour) then field: one tuple and one lookup per reading, not per value.
        self._by_hour: dict[tuple[str, int], dict[str, list[float]]] = {}

    def add(self, readings: Iterable[tuple[str, int, Mapping[str, float]]]) -> None:
        """Add (device_id, ts ms, values) readings."""
        by_hour = self._by_hour
        for device_id, ts, values in readings:
            if not values:
                continue
            key = (device_id, ts - ts % HOUR_MS)
            fields = by_hour.get(key)
            if fields is None:
                by_hour[key] = {name: [1, v, v, v] for name, v in values.items()}
                continue
            for name, value in values.items():
                agg = fields.get(name)
                if agg is None:
                    fields[name] = [1, value, value, value]
                    continue
                agg[0] += 1
                agg[1] += value
                if value < agg[2]:
                    agg[2] = value
                elif value > agg[3]:
                    agg[3] = value

    def rows(self) -> list[AggregateRow]:
        return [
            (device, name, hour, int(agg[0]), agg[1], agg[2], agg[3])
            for (device, hour), fields in self._by_hour.items()
            for name, agg in fields.items()
        ]

    def clear(self) -> None:
        self._by_hour = {}
