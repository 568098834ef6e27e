"""Prometheus text exposition of the intake counters (kept in the database, so they survive) and
of the outbox's backlog (what waits for its handlers, what was parked for an operator)."""

from __future__ import annotations

from collections.abc import Mapping

from gridloop.domain.telemetry import RejectReason
from gridloop.service_layer.ports import OutboxBacklog


def render_metrics(counters: Mapping[str, int], backlog: OutboxBacklog | None = None) -> str:
    lines = [
        "# HELP gridloop_messages_accepted_total Telemetry messages accepted.",
        "# TYPE gridloop_messages_accepted_total counter",
        f"gridloop_messages_accepted_total {counters.get('accepted', 0)}",
        "# HELP gridloop_messages_rejected_total Telemetry messages rejected, by reason.",
        "# TYPE gridloop_messages_rejected_total counter",
    ]
    lines += [
        f'gridloop_messages_rejected_total{{reason="{r.value}"}} {counters.get(r.value, 0)}'
        for r in RejectReason
    ]
    if backlog is not None:
        lines += _outbox_lines(backlog)
    return "\n".join(lines) + "\n"


def _outbox_lines(backlog: OutboxBacklog) -> list[str]:
    lines = [
        "# HELP gridloop_outbox_pending Outbox entries waiting for their handlers.",
        "# TYPE gridloop_outbox_pending gauge",
        f"gridloop_outbox_pending {backlog.pending}",
        "# HELP gridloop_outbox_parked Outbox entries that failed every attempt"
        " (gridloop outbox status).",
        "# TYPE gridloop_outbox_parked gauge",
        f"gridloop_outbox_parked {backlog.parked}",
    ]
    if backlog.oldest_pending_at is not None:
        lines += [
            "# HELP gridloop_outbox_oldest_pending_event_seconds Event time of the oldest"
            " pending entry (Unix seconds).",
            "# TYPE gridloop_outbox_oldest_pending_event_seconds gauge",
            f"gridloop_outbox_oldest_pending_event_seconds {backlog.oldest_pending_at / 1000:.3f}",
        ]
    return lines
