"""/metrics text: the intake counters, and the outbox's backlog when the server holds a district."""

from __future__ import annotations

from gridloop.entrypoints.web.metrics import render_metrics
from gridloop.service_layer.ports import OutboxBacklog


def values(text: str) -> dict[str, str]:
    return dict(line.rsplit(" ", 1) for line in text.splitlines() if not line.startswith("#"))


def test_the_outbox_backlog_is_three_gauges() -> None:
    text = render_metrics({"accepted": 7}, OutboxBacklog(3, 2, 1_795_104_000_123))
    got = values(text)
    assert got["gridloop_messages_accepted_total"] == "7"
    assert (got["gridloop_outbox_pending"], got["gridloop_outbox_parked"]) == ("3", "2")
    assert got["gridloop_outbox_oldest_pending_event_seconds"] == "1795104000.123"
    assert "# TYPE gridloop_outbox_parked gauge" in text


def test_nothing_pending_has_no_oldest_and_no_district_no_outbox() -> None:
    idle = values(render_metrics({}, OutboxBacklog(0, 0, None)))
    assert idle["gridloop_outbox_pending"] == "0"
    assert "gridloop_outbox_oldest_pending_event_seconds" not in idle
    assert not any(k.startswith("gridloop_outbox") for k in values(render_metrics({})))
