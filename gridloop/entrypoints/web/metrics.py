"""Prometheus text exposition of the intake counters (kept in the database, so they survive)."""

from __future__ import annotations

from collections.abc import Mapping

from gridloop.domain.telemetry import RejectReason


def render_metrics(counters: Mapping[str, int]) -> str:
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
    return "\n".join(lines) + "\n"
