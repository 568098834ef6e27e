"""The public shape of an alert (CLI JSON and the HTTP API share it)."""

from __future__ import annotations

from gridloop.entrypoints.timefmt import iso
from gridloop.service_layer.ports import AlertRow


def alert_json(a: AlertRow) -> dict[str, object]:
    return {
        "id": a.id,
        "device_id": a.device_id,
        "kind": a.kind,
        "rule": a.rule,
        "severity": a.severity,
        "status": a.status,
        "started_at": iso(a.started_at),
        "cleared_at": iso(a.cleared_at),
        "occurrences": a.occurrences,
        "building_code": a.building_code,
        "grid_code": a.grid_code,
        "case_id": a.case_id,
    }
