"""The district as the caller reaches it: GET /api/v1/regions (tree), /grids (GeoJSON),
/devices (latest values, online), /reports (the `gridloop report --format json` document)."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from gridloop.domain.cases.indicators import Dimension, Scope
from gridloop.domain.devices.device import Device
from gridloop.domain.reach import ScopeNotAllowed, reaches_grid
from gridloop.entrypoints.report_view import report_json
from gridloop.entrypoints.timefmt import iso, parse_api_time
from gridloop.entrypoints.web.api_context import Api
from gridloop.entrypoints.web.auth import Caller
from gridloop.entrypoints.web.openapi_doc import answers, time_query
from gridloop.service_layer import reporting
from gridloop.service_layer.device_status import DeviceStatus
from gridloop.service_layer.scoped_reports import report_for

router = APIRouter(prefix="/api/v1", tags=["registry"])
# what `Scope.parse` reads: `district`, or a dimension and a code
SCOPE_PATTERN = "^(district|(street|community|grid|worker):.+)$"


def _now() -> int:
    return int(time.time() * 1000)


@router.get("/regions")
def regions(caller: Caller, api: Api) -> dict[str, object]:
    """district → streets → communities → grids, pruned to the caller's region."""
    return api.region_views().tree(caller.actor)


@router.get("/grids")
def grids(caller: Caller, api: Api) -> dict[str, object]:
    """A GeoJSON FeatureCollection of the caller's grids with their open and overdue cases."""
    loads = api.region_views().grid_loads(caller.actor, api.case_service(), _now())
    features = [
        {
            "type": "Feature",
            "id": load.grid.code,
            "geometry": {
                "type": load.grid.area.geojson_type,
                "coordinates": load.grid.area.geojson_coordinates(),
            },
            "properties": {
                "code": load.grid.code,
                "name": load.grid.name,
                "community_code": load.grid.community_code,
                "street_code": load.grid.street_code,
                "households": load.grid.households,
                "open_cases": load.open_cases,
                "overdue_cases": load.overdue_cases,
            },
        }
        for load in loads
    ]
    return {"type": "FeatureCollection", "features": features}


@router.get("/devices")
def devices(
    caller: Caller,
    api: Api,
    kind: Annotated[str | None, Query(max_length=64)] = None,
    cursor: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> dict[str, object]:
    """Devices in the caller's grids by id, with their latest values and whether they are
    online; `next_cursor` (the last id) continues the list."""
    actor = caller.actor

    def in_reach(d: Device) -> bool:
        return reaches_grid(actor, d.grid_code)

    page, next_cursor = api.device_status().page(in_reach, _now(), cursor, limit, kind)
    return {"items": [_device_json(s) for s in page], "next_cursor": next_cursor}


def _device_json(s: DeviceStatus) -> dict[str, object]:
    d = s.device
    return {
        "id": d.id,
        "kind": d.kind,
        "building_code": d.building_code or None,
        "grid_code": d.grid_code,
        "lon": d.lon,
        "lat": d.lat,
        "online": s.online,
        "last_seen": iso(s.last_seen),
        "values": dict(s.values),
        "offline_after_minutes": s.offline_after_ms // 60_000,
    }


@router.get("/reports", responses=answers(403))
def reports(
    caller: Caller,
    api: Api,
    start: Annotated[str | None, time_query("from")] = None,
    end: Annotated[str | None, time_query("to")] = None,
    scope: Annotated[str | None, Query(max_length=64, pattern=SCOPE_PATTERN)] = None,
    by: Dimension | None = None,
) -> dict[str, object]:
    """The closed-loop indicators of the caller's region (or a part of it: `scope`); a scope
    outside it is 403, never quietly narrowed."""
    try:
        period = reporting.Period(
            parse_api_time(start) if start else None, parse_api_time(end) if end else None
        )
    except ValueError as e:
        raise HTTPException(422, f"from/to: not an ISO-8601 time ({e})") from e
    if period.start is not None and period.end is not None and period.start >= period.end:
        raise HTTPException(422, "from: must be before to")
    try:
        asked = Scope.parse(scope) if scope else None
    except ValueError as e:
        raise HTTPException(422, f"scope: {e}") from e
    try:
        chosen, result = report_for(caller.actor, api.case_service(), period, asked, by)
    except ScopeNotAllowed as e:
        raise HTTPException(403, str(e)) from e
    label = reporting.group_labeller(by, api.app.kinds, "zh")
    return report_json(result, period.start, period.end, chosen, by and by.value, label)
