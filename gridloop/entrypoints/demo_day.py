"""A simulated stretch of a district's life, run as fast as it goes: sensors, hotline callers
and the people of the loop, all on the stream's event time. `gridloop demo --headless` and the
end-to-end tests run it; what it prints comes from the stored histories, like any report."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from gridloop.adapters.telemetry.files import line_batches
from gridloop.bootstrap import App
from gridloop.domain.alerting.changes import ChangeKind
from gridloop.domain.cases.actor import Actor
from gridloop.domain.cases.errors import ReportRefused
from gridloop.domain.cases.events import Role
from gridloop.domain.cases.indicators import DISTRICT
from gridloop.service_layer import reporting
from gridloop.service_layer.casework import CaseService, NewReport
from gridloop.service_layer.closed_loop import ClosedLoop
from gridloop.service_layer.history_check import HistoryCheck, verify_histories
from gridloop.service_layer.ports import CaseFilter
from gridloop.service_layer.simulated_workers import SimulatedWorkers
from gridloop.simulator.hotline import HotlineRequest

HOTLINE = Actor("12345-platform", Role.SYSTEM)


@dataclass(frozen=True)
class DayResult:
    messages: int
    alerts_opened: int
    hotline_requests: int
    cases_opened: int
    escalations: int
    people_actions: dict[str, int]
    states: dict[str, int]
    report: dict[str, int | float | None]
    briefing_zh: str
    briefing_en: str
    history: HistoryCheck
    seconds: float

    def as_json(self) -> dict[str, object]:
        return {
            "messages": self.messages,
            "alerts_opened": self.alerts_opened,
            "hotline_requests": self.hotline_requests,
            "cases_opened": self.cases_opened,
            "escalations": self.escalations,
            "people_actions": self.people_actions,
            "cases_by_state": self.states,
            "report": self.report,
            "briefing": self.briefing_zh,
            "histories": {
                "cases": self.history.cases,
                "events": self.history.events,
                "intact": self.history.intact,
            },
            "seconds": round(self.seconds, 1),
        }


def run_day(
    app: App,
    stream: Path,
    requests: Sequence[HotlineRequest],
    period: tuple[int, int],
    seed: int,
    batch: int = 10_000,
    progress: Callable[[str], None] = lambda _s: None,
) -> DayResult:
    started = time.perf_counter()
    case_loop = app.case_loop()
    service = case_loop.service
    pipeline = app.pipeline(clock=lambda: period[1], background_writes=True)
    workers = SimulatedWorkers(service, seed)
    loop = ClosedLoop(pipeline, service, case_loop.dispatcher, workers)
    loop.start_at(period[0])
    pending = list(requests)
    filed = 0
    for first, lines in line_batches(stream, batch):
        pipeline.ingest_lines(lines, first)
        now = pipeline.engine.watermark or period[0]
        filed += _file_requests(service, pending, now)
        loop.advance()
        progress(f"line {first:,}: {pipeline.report.accepted:,} messages, {filed} calls")
    pipeline.drain()
    filed += _file_requests(service, pending, period[1])
    loop.advance(period[1], force=True)
    pipeline.drain()
    loop.dispatch()
    pipeline.finish()
    histories = list(service.store.histories())
    span = reporting.Period(*period)
    label_zh = reporting.category_labeller(app.kinds, "zh")
    label_en = reporting.category_labeller(app.kinds, "en")
    total = reporting.build_report(histories, span)
    return DayResult(
        messages=pipeline.report.accepted,
        alerts_opened=pipeline.report.changes[ChangeKind.OPENED.value],
        hotline_requests=filed,
        cases_opened=case_loop.alert_cases.opened + filed,
        escalations=loop.escalations,
        people_actions=dict(sorted(workers.done.items())),
        states=service.store.counts_by_state(),
        report=reporting.indicator_values(total),
        briefing_zh=reporting.briefing(histories, span, DISTRICT, "zh", label_zh),
        briefing_en=reporting.briefing(histories, span, DISTRICT, "en", label_en),
        history=verify_histories(
            histories, {s.case_id: s for s in service.store.find(CaseFilter())}
        ),
        seconds=time.perf_counter() - started,
    )


def _file_requests(service: CaseService, pending: list[HotlineRequest], now: int) -> int:
    """File the calls made by `now` (they arrive in time order); returns how many."""
    filed = 0
    while pending and pending[0].at <= now:
        r = pending.pop(0)
        report = NewReport(
            channel="hotline",
            category=r.category,
            severity=r.severity,
            description=r.description,
            building_code=r.building_code,
            reporter=r.caller,
        )
        try:
            service.report(report, HOTLINE, r.at)
        except ReportRefused:
            continue  # a building outside every grid: the hotline keeps it (counted nowhere)
        filed += 1
    return filed
