"""The message bus's handlers: each takes a batch of one event type and the dependencies it
names (bootstrap injects them by parameter name, as EVENT_HANDLERS lists them)."""

from __future__ import annotations

from collections.abc import Sequence

from gridloop.domain.events import AlertCleared, AlertOpened, NoticesIssued
from gridloop.service_layer.alert_cases import AlertCases
from gridloop.service_layer.ports import Notifier


def open_cases(events: Sequence[AlertOpened], alert_cases: AlertCases) -> None:
    """An opened alert registers and dispatches a case, or joins the open one."""
    alert_cases.handle(events)


def record_clearings(events: Sequence[AlertCleared], alert_cases: AlertCases) -> None:
    """A cleared alert is recorded on its case."""
    alert_cases.handle(events)


def deliver_notices(events: Sequence[NoticesIssued], notifier: Notifier) -> None:
    """Notices (already in the in-app feed) to the log, the webhook and the web server's bell."""
    notifier.notify([n for e in events for n in e.notices])
