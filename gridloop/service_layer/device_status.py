"""Devices as the map and the lists show them: where, latest values, online or not.

"Online" means heard from within the device's offline window (the `offline` rule's minutes, as
configured for its kind or overridden on the device), the same window the rule engine alerts on.
One page of devices costs one query for their latest readings, never one per device.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from gridloop.domain.alerting.params import RuleConfig, resolve_params
from gridloop.domain.devices.catalog import KindCatalog
from gridloop.domain.devices.device import Device
from gridloop.domain.devices.rules import OFFLINE

MINUTE_MS = 60_000


class LatestReadings(Protocol):
    def latest(self, device_ids: Sequence[str]) -> dict[str, tuple[int, Mapping[str, object]]]:
        """device id → (ts, values) of its newest stored reading."""
        ...


@dataclass(frozen=True)
class DeviceStatus:
    device: Device
    last_seen: int | None  # epoch ms of the newest reading, None if never heard from
    values: Mapping[str, object]
    online: bool
    offline_after_ms: int  # the silence after which the device counts as offline


class DeviceStatusService:
    def __init__(
        self,
        devices: Sequence[Device],
        kinds: KindCatalog,
        config: RuleConfig,
        readings: LatestReadings,
    ) -> None:
        self.devices = sorted(devices, key=lambda d: d.id)
        self.readings = readings
        self._window = {d.id: _offline_window(d, kinds, config) for d in self.devices}

    def page(
        self,
        in_reach: Callable[[Device], bool],
        now_ms: int,
        after: str | None = None,
        limit: int = 100,
        kind: str | None = None,
    ) -> tuple[list[DeviceStatus], str | None]:
        """Devices in reach ordered by id, after the id `after`; and the cursor of the next
        page (None on the last)."""
        chosen: list[Device] = []
        for d in self.devices:
            if (after is not None and d.id <= after) or (kind and d.kind != kind):
                continue
            if in_reach(d):
                chosen.append(d)
                if len(chosen) > limit:
                    break
        more = len(chosen) > limit
        chosen = chosen[:limit]
        latest = self.readings.latest([d.id for d in chosen])
        page = []
        for d in chosen:
            ts, values = latest.get(d.id, (None, {}))
            window = self._window[d.id]
            online = ts is not None and now_ms - ts < window
            page.append(DeviceStatus(d, ts, values, online, window))
        return page, chosen[-1].id if more and chosen else None


def _offline_window(device: Device, kinds: KindCatalog, config: RuleConfig) -> int:
    if device.kind not in kinds:
        return int(OFFLINE.params["minutes"] * MINUTE_MS)
    minutes = resolve_params(kinds.get(device.kind), OFFLINE, device.attrs, config)["minutes"]
    return int(minutes * MINUTE_MS)
