"""Sensing and the case loop in one process: alerts become cases, and between batches the
clocks escalate overdue cases, simulated people act (in the demo), and the event alerts of
finished cases clear. Time is the stream's event time in replays, the clock when live."""

from __future__ import annotations

from collections.abc import Sequence

from gridloop.domain.alerting.changes import AlertChange
from gridloop.service_layer.casework import CaseService
from gridloop.service_layer.ingest import IngestPipeline
from gridloop.service_layer.simulated_workers import SimulatedWorkers

MINUTE = 60_000


class ClosedLoop:
    def __init__(
        self,
        pipeline: IngestPipeline,
        cases: CaseService,
        workers: SimulatedWorkers | None = None,
        every_ms: int = MINUTE,
    ) -> None:
        self.pipeline, self.cases, self.workers = pipeline, cases, workers
        self.every_ms = every_ms
        self.escalations = 0
        self.cases_opened = 0
        self._last_run: int | None = None
        pipeline.publish = self._on_alerts

    def _on_alerts(self, changes: Sequence[AlertChange]) -> None:
        self.cases_opened += self.cases.on_alert_changes(changes)

    def advance(self, now_ms: int | None = None, force: bool = False) -> None:
        """Run the clocks and the people up to `now_ms` (default: the stream's event time), at
        most once per `every_ms` of it unless forced."""
        now = now_ms if now_ms is not None else self.pipeline.engine.watermark
        if now is None:
            return
        if not force and self._last_run is not None and now - self._last_run < self.every_ms:
            return
        self._last_run = now
        if self.workers is not None:
            self.workers.step(now)
        self.escalations += self.cases.run_clocks(now)
        over = self.cases.store.active_alerts_of_final_cases()
        if over:
            self.pipeline.close_event_alerts([(d, r) for d, r, _id, _case in over], now)
