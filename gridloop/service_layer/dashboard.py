"""The command center's overview for a signed-in actor: today's tiles, daily trends, rankings
of streets, communities and grids, and device health, all within the actor's region.

Rates come from the indicators over the case histories (never from counters); the histories
are read once per overview and every figure is computed from that one list.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from gridloop.domain.calendar import SHANGHAI
from gridloop.domain.cases.actor import Actor
from gridloop.domain.cases.indicators import Dimension, Report, Scope
from gridloop.domain.cases.trends import per_day
from gridloop.domain.devices.device import Device
from gridloop.domain.reach import default_scope, reaches_grid
from gridloop.service_layer.casework import CaseService
from gridloop.service_layer.device_status import DeviceStatusService
from gridloop.service_layer.ports import AlertRow, CaseFilter
from gridloop.service_layer.reporting import Period, build_report

DAY_MS = 86_400_000
OFFSET_MS = int(SHANGHAI.utcoffset(None) // timedelta(milliseconds=1))
RANKED = (Dimension.STREET, Dimension.COMMUNITY, Dimension.GRID)
HEALTH_PAGE = 500


class AlertLog(Protocol):
    def latest_id(self) -> int: ...
    def after(self, alert_id: int, limit: int = 100) -> list[AlertRow]: ...
    def opened_per_day(self, since_ms: int, offset_ms: int) -> list[tuple[int, str, int]]: ...


@dataclass(frozen=True)
class Tiles:
    warnings: int  # alerts opened today in the region
    opened: int  # cases reported today
    closed: int  # of those, closed
    closure_rate: float | None
    on_time_closure_rate: float | None
    overdue_now: int


@dataclass(frozen=True)
class DayTrend:
    start: int  # local midnight, epoch ms
    warnings: int
    opened: int
    closed: int  # CLOSE events that day, whenever the case was reported


@dataclass(frozen=True)
class KindHealth:
    kind: str
    online: int
    offline: int


@dataclass(frozen=True)
class Overview:
    at: int
    day_start: int
    scope: Scope
    tiles: Tiles
    trend: list[DayTrend]  # the last `days` days, oldest first, today last
    rankings: dict[Dimension, list[tuple[str, Report]]]  # over the trend's period
    health: list[KindHealth]


def local_midnight(at_ms: int) -> int:
    """The start of the Asia/Shanghai day holding `at_ms`."""
    return (at_ms + OFFSET_MS) // DAY_MS * DAY_MS - OFFSET_MS


class Dashboard:
    def __init__(self, cases: CaseService, devices: DeviceStatusService, alerts: AlertLog) -> None:
        self.cases, self.devices, self.alerts = cases, devices, alerts

    def overview(self, actor: Actor, now: int, days: int = 30) -> Overview:
        today = local_midnight(now)
        day_starts = [today - (days - 1 - i) * DAY_MS for i in range(days)]
        scope = default_scope(actor)
        histories = list(self.cases.store.histories())
        counts = per_day(histories, day_starts, now, scope)
        warnings = self._warnings_per_day(actor, day_starts[0])
        trend = [
            DayTrend(c.start, warnings[(c.start + OFFSET_MS) // DAY_MS], c.opened, c.closed)
            for c in counts
        ]
        today_report = build_report(histories, Period(today, now), scope)
        overdue = self.cases.find(CaseFilter(overdue_at=now), actor)
        tiles = Tiles(
            trend[-1].warnings,
            today_report.reported,
            today_report.closed,
            today_report.closure_rate,
            today_report.on_time_closure_rate,
            len(overdue),
        )
        period = Period(day_starts[0], now)
        rankings = {
            by: list(build_report(histories, period, scope, by).rows or ()) for by in RANKED
        }
        return Overview(now, today, scope, tiles, trend, rankings, self.device_health(actor, now))

    def _warnings_per_day(self, actor: Actor, since: int) -> Counter[int]:
        found: Counter[int] = Counter()
        for day, grid, n in self.alerts.opened_per_day(since, OFFSET_MS):
            if reaches_grid(actor, grid):
                found[day] += n
        return found

    def device_health(self, actor: Actor, now: int) -> list[KindHealth]:
        """Online and offline devices of each kind in the actor's grids."""

        def in_reach(d: Device) -> bool:
            return reaches_grid(actor, d.grid_code)

        online: Counter[str] = Counter()
        offline: Counter[str] = Counter()
        cursor: str | None = None
        while True:
            page, cursor = self.devices.page(in_reach, now, cursor, HEALTH_PAGE)
            for s in page:
                (online if s.online else offline)[s.device.kind] += 1
            if cursor is None:
                break
        kinds = sorted(online.keys() | offline.keys())
        return [KindHealth(k, online[k], offline[k]) for k in kinds]

    def new_alerts(self, actor: Actor, after: int, limit: int = 100) -> tuple[list[AlertRow], int]:
        """Alerts in the actor's grids stored after the id `after`, and the id to go on from."""
        rows = self.alerts.after(after, limit)
        last = rows[-1].id if rows else after
        return [a for a in rows if reaches_grid(actor, a.grid_code)], last
