"""Who reports when: each device's interval, phase within it and timestamp form."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from gridloop.domain.devices.device import Device
from gridloop.simulator.telemetry.clock import Ints, ceil_div

# Metering kinds send a reading every minute; event kinds a heartbeat every five minutes.
INTERVAL_S = {
    "electrical_fire": 60,
    "weather_station": 60,
    "smart_breaker": 60,
    "gas_detector": 60,
    "elderly_care": 60,
    "camera": 300,
    "access_terminal": 300,
    "smoke_detector": 300,
}
# These vendors' firmware sends epoch milliseconds; a share of the others comes from a second
# vendor that does the same, so both timestamp forms appear in every district.
EPOCH_KINDS = frozenset({"camera", "smart_breaker"})
EPOCH_SHARE = 0.12
# Battery-powered devices keep talking when a building's power goes off.
BATTERY_KINDS = frozenset({"smoke_detector", "elderly_care"})


@dataclass(frozen=True)
class Fleet:
    """The streaming devices, sorted by id; a device's index is its number everywhere else."""

    start_ms: int
    end_ms: int
    devices: tuple[Device, ...]
    interval_ms: Ints
    phase_ms: Ints
    ticks: Ints  # number of regular messages of each device in [start, end)
    epoch: np.ndarray  # bool: sends epoch ms rather than ISO text
    by_kind: dict[str, Ints]
    by_building: dict[str, tuple[int, ...]]

    def tick(self, d: int, k: int) -> int:
        """Time of the device's k-th regular message (k from 0)."""
        return int(self.start_ms + self.phase_ms[d] + k * self.interval_ms[d])

    def tick_at_or_after(self, d: int, ms: int) -> int:
        """Index of the device's first regular message at or after `ms` (may be ≥ ticks)."""
        first = ceil_div(ms - self.start_ms - int(self.phase_ms[d]), int(self.interval_ms[d]))
        return max(0, int(first))

    def rated_a(self, d: int) -> float | None:
        rated = self.devices[d].attrs.get("rated_a")
        return float(rated) if isinstance(rated, int | float) else None

    @property
    def key_base(self) -> int:
        """Multiplier of a (device, tick) key: device * key_base + tick."""
        return int(self.ticks.max(initial=0)) + 1


def build_fleet(
    devices: Sequence[Device], start_ms: int, end_ms: int, rng: np.random.Generator
) -> Fleet:
    """Devices of known kinds, with a random phase and timestamp form each."""
    known = sorted((d for d in devices if d.kind in INTERVAL_S), key=lambda d: d.id)
    interval_s = np.array([INTERVAL_S[d.kind] for d in known], dtype=np.int64)
    phase_ms = (rng.random(len(known)) * interval_s).astype(np.int64) * 1000
    interval_ms = interval_s * 1000
    ticks = np.maximum(0, ceil_div(end_ms - start_ms - phase_ms, interval_ms))
    share = rng.random(len(known))
    epoch = np.array([d.kind in EPOCH_KINDS for d in known], dtype=bool) | (share < EPOCH_SHARE)
    kinds: dict[str, list[int]] = defaultdict(list)
    buildings: dict[str, list[int]] = defaultdict(list)
    for i, d in enumerate(known):
        kinds[d.kind].append(i)
        if d.building_code:
            buildings[d.building_code].append(i)
    return Fleet(
        start_ms=start_ms,
        end_ms=end_ms,
        devices=tuple(known),
        interval_ms=interval_ms,
        phase_ms=phase_ms,
        ticks=ticks,
        epoch=epoch,
        by_kind={k: np.array(v, dtype=np.int64) for k, v in sorted(kinds.items())},
        by_building={b: tuple(v) for b, v in sorted(buildings.items())},
    )
