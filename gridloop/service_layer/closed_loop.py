"""Sensing and the case loop in one process: the outbox's events reach their handlers (alerts
become cases), and between batches the clocks escalate overdue cases, simulated people act (in
the demo), and the event alerts of finished cases clear. Time is the stream's event time in
replays, the clock when live."""

from __future__ import annotations

from gridloop.domain.events import AlertCleared, AlertOpened
from gridloop.service_layer.casework import CaseService
from gridloop.service_layer.ingest import IngestPipeline
from gridloop.service_layer.outbox import OutboxDispatcher
from gridloop.service_layer.simulated_workers import SimulatedWorkers

MINUTE = 60_000


class ClosedLoop:
    def __init__(
        self,
        pipeline: IngestPipeline,
        cases: CaseService,
        dispatcher: OutboxDispatcher | None,
        workers: SimulatedWorkers | None = None,
        every_ms: int = MINUTE,
    ) -> None:
        # no dispatcher: another thread runs it (the web server's OutboxWorker)
        self.pipeline, self.cases, self.dispatcher = pipeline, cases, dispatcher
        self.workers = workers
        self.every_ms = every_ms
        self.escalations = 0
        self._last_run: int | None = None

    def _run(self, t: int) -> None:
        if self.workers is not None:
            self.workers.step(t)
        self.escalations += self.cases.run_clocks(t)

    def start_at(self, t_ms: int) -> None:
        """Tick from this event time on (otherwise from the first alert)."""
        if self._last_run is None or t_ms < self._last_run:
            self._last_run = t_ms

    def dispatch(self) -> None:
        """Deliver what the outbox holds (alerts become cases, notices go out)."""
        if self.dispatcher is None:
            return
        delivered = self.dispatcher.run()
        times = [e.change.at for e in delivered if isinstance(e, AlertOpened | AlertCleared)]
        if times:
            self.start_at(min(times) - self.every_ms)

    def advance(self, now_ms: int | None = None, force: bool = False) -> None:
        """Deliver the outbox, then run the clocks and the people up to `now_ms` (default: the
        stream's event time, as far as it is committed: the alerts before it are delivered
        first), at most once per `every_ms` of it unless forced."""
        # Read before delivering: every alert up to this time is then delivered first.
        now = now_ms if now_ms is not None else self.pipeline.durable_watermark()
        self.dispatch()
        if now is None:
            return
        last = self._last_run
        if not force and last is not None and now - last < self.every_ms:
            return
        # Step through the time since the last run so that people and clocks take turns as
        # they would live: a late worker is escalated before signing, a prompt one is not.
        start = now if last is None or self.workers is None else last + self.every_ms
        for t in range(start, now, self.every_ms):
            self._run(t)
        self._run(now)
        self._last_run = now
        over = self.cases.store.active_alerts_of_final_cases()
        if over:
            self.pipeline.close_event_alerts([(d, r) for d, r, _id, _case in over], now)
        self.dispatch()
