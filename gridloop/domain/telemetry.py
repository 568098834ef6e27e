"""A telemetry message as the pipeline hands it to the rule engine (already validated)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Message:
    """One accepted message; `ts` is epoch milliseconds (UTC)."""

    device_id: str
    ts: int
    seq: int
    values: dict[str, float]
    event: str | None = None
    attrs: dict[str, object] | None = None

    @property
    def is_heartbeat(self) -> bool:
        """No event and no values beyond status values: it only says the device is alive."""
        return self.event is None and not self.values
