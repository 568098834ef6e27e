"""From alerts to cases: an opened alert registers and dispatches a case, a re-fired one joins
the open case of its device and rule, a cleared one is recorded (a human still closes the case).

The message bus hands the outbox's alert events here. Delivery is at least once (a crash after
the case commit and before the outbox row is marked done delivers it again), so each effect is
idempotent by the alert's id: an alert that has a case opens none, a clearing already recorded
is not recorded again.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from gridloop.domain.alerting.changes import AlertChange, ChangeKind
from gridloop.domain.cases.actor import SYSTEM
from gridloop.domain.cases.case import Case
from gridloop.domain.cases.errors import ReportRefused, TransitionRefused
from gridloop.domain.cases.events import Action, Role
from gridloop.domain.cases.summary import source_key
from gridloop.domain.events import AlertCleared, AlertOpened
from gridloop.service_layer.casework import CaseService, CaseWork, NewReport
from gridloop.service_layer.ports import CaseStore

CAMERA_KIND = "camera"


def channel_of(kind: str) -> str:
    """AI-camera events come in through the video channel, every other device through sensing."""
    return "camera" if kind == CAMERA_KIND else "sensor"


class AlertCases:
    """The bus's handler of AlertOpened and AlertCleared: one case transaction per batch."""

    def __init__(self, service: CaseService) -> None:
        self.service = service
        self.opened = 0  # cases opened so far (the CLI reports it)

    def handle(self, events: Sequence[AlertOpened | AlertCleared]) -> None:
        # The clocks catch up to each alert's time before it is recorded, so a case's history
        # is the same however the events were batched, delayed or redelivered after a crash.
        for at, group in groupby(events, key=lambda e: e.change.at):
            self.service.run_clocks(at)
            with self.service.transaction() as work:
                self.opened += apply_alert_changes(self.service, work, [e.change for e in group])


def apply_alert_changes(service: CaseService, work: CaseWork, changes: Sequence[object]) -> int:
    """Apply one batch of alert changes; returns how many cases were opened."""
    relevant = [
        c for c in changes if isinstance(c, AlertChange) and c.change is not ChangeKind.UPDATED
    ]
    if not relevant:
        return 0
    store = service.store
    keys = [(c.device_id, c.rule, c.started_at) for c in relevant]
    alert_ids = store.alert_ids(keys)
    opened = 0
    links: dict[int, str] = {}
    for c, key in zip(relevant, keys, strict=True):
        alert = alert_ids.get(key)
        if alert is None:
            continue  # not stored (should not happen after the commit); nothing to attach to
        source = source_key(c.device_id, c.rule)
        if c.change is ChangeKind.OPENED:
            if alert in links or _case_of_alert(work, store, alert) is not None:
                continue  # delivered before: its case exists
            open_case_id = _open_case_of(work, store.open_by_source([source]).get(source), source)
            if open_case_id is not None:
                case = work.case(open_case_id)
                event = case.act(
                    Action.LINK_ALERT,
                    SYSTEM.id,
                    Role.SYSTEM,
                    _after(case, c.at),
                    {"alert_id": str(alert)},
                )
                work.add(case, event)
                links[alert] = open_case_id
                continue
            device = service.directory.devices.get(c.device_id)
            if device is None:
                continue
            report = NewReport(
                channel=channel_of(device.kind),
                category=c.rule,
                severity=c.severity.label,
                building_code=device.building_code or None,
                lon=device.lon,
                lat=device.lat,
                grid_code=device.grid_code or None,
                reporter=c.device_id,
                alert_ids=(str(alert),),
                device_id=c.device_id,
                rule=c.rule,
            )
            try:
                outcome = service.report_in(work, report, SYSTEM, c.at)
            except ReportRefused:
                continue  # a device outside every grid: the alert stays, without a case
            links[alert] = outcome.merged_into or outcome.case_id
            opened += 1
        else:
            case_id = _case_of_alert(work, store, alert)
            if case_id is None:
                continue
            case = work.case(case_id)
            if _clearing_recorded(case, alert):
                continue  # delivered before
            try:
                event = case.act(
                    Action.ALERT_CLEARED,
                    SYSTEM.id,
                    Role.SYSTEM,
                    _after(case, c.at),
                    {"alert_id": str(alert)},
                )
            except TransitionRefused:
                continue  # merged away or refused: the surviving record is elsewhere
            work.add(case, event)
    if links:
        store.link_alerts(links)
    return opened


def _after(case: Case, at_ms: int) -> int:
    # People act on event time too: a sensor's clearing can arrive stamped a little before the
    # worker's last action was recorded; the history stays in time order.
    return max(at_ms, case.history[-1].at)


def _open_case_of(work: CaseWork, stored: str | None, source: str) -> str | None:
    """The open case of this device and rule, including one opened earlier in this batch."""
    for case in work.cases.values():
        if case.state.is_open and case.merged_into is None and case.history:
            report = case.history[0].payload
            if source_key(str(report.get("device_id")), str(report.get("rule"))) == source:
                return case.case_id
    return stored


def _case_of_alert(work: CaseWork, store: CaseStore, alert: int) -> str | None:
    for case in work.cases.values():
        if str(alert) in case.alert_ids and case.merged_into is None:
            return case.case_id
    return store.case_of_alert(alert)


def _clearing_recorded(case: Case, alert: int) -> bool:
    return any(
        e.action is Action.ALERT_CLEARED and e.payload.get("alert_id") == str(alert)
        for e in case.history
    )
