"""Residents (masked, or revealed and logged), care-device health readings, the access log.

GET /api/v1/residents, /residents/{id}, /devices/{id}/health, /audit — who may call each is
`domain.privacy.POLICY`; `people_router(settings)` opens the connections for the app's lifetime.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator, Iterator
from typing import Annotated

from fastapi import APIRouter, FastAPI, HTTPException, Path, Query, Request

from gridloop.bootstrap import bootstrap
from gridloop.config import Settings
from gridloop.domain.people import ResidentTag
from gridloop.entrypoints.timefmt import iso, parse_api_time
from gridloop.entrypoints.web.auth import Caller
from gridloop.entrypoints.web.openapi_doc import answers, time_query
from gridloop.entrypoints.web.people_schemas import (
    AccessEntryOut,
    AuditPage,
    HealthOut,
    HourlyOut,
    ReadingOut,
    ResidentOut,
    ResidentPage,
)
from gridloop.service_layer.residents import (
    NotInReach,
    PrivacyRefused,
    ResidentRecord,
    ResidentService,
    Viewer,
)

routes = APIRouter(prefix="/api/v1", tags=["people"])
Id = Annotated[str, Path(min_length=1, max_length=64)]


def people_router(settings: Settings) -> APIRouter:
    """The people routes, with a lifespan that holds the residents' service and its stores."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        residents = bootstrap(settings).resident_service()
        app.state.residents = residents
        try:
            yield
        finally:
            residents.close()

    router = APIRouter(lifespan=lifespan)
    router.include_router(routes)
    return router


def _now() -> int:
    return int(time.time() * 1000)


def _service(request: Request) -> ResidentService:
    service: ResidentService = request.app.state.residents
    return service


def _viewer(caller: Caller) -> Viewer:
    return Viewer(caller.account, caller.actor)


@contextlib.contextmanager
def _answers() -> Iterator[None]:
    """Service refusals as HTTP answers: 403 for a role, 404 outside the region."""
    try:
        yield
    except PrivacyRefused as e:
        raise HTTPException(403, str(e)) from None
    except NotInReach as e:
        raise HTTPException(404, str(e)) from None


@routes.get("/residents", responses=answers(403, 404))
def list_residents(
    request: Request,
    caller: Caller,
    cursor: Annotated[str, Query(max_length=64, description="next_cursor of the last page")] = "",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    grid: Annotated[str | None, Query(min_length=1, max_length=32)] = None,
    tag: ResidentTag | None = None,
) -> ResidentPage:
    """Residents of the caller's region, masked (张*明, 138****5678), by id."""
    with _answers():
        page = _service(request).residents(
            _viewer(caller), cursor, limit, grid, tag.value if tag else None
        )
    return ResidentPage(
        items=[_resident(r, masked=True) for r in page.items], next_cursor=page.next_cursor
    )


@routes.get("/residents/{resident_id}", responses=answers(403))
def get_resident(
    request: Request, caller: Caller, resident_id: Id, reveal: bool = False
) -> ResidentOut:
    """One resident, masked; `reveal=true` shows the full values to roles allowed (logged)."""
    with _answers():
        record = _service(request).resident(_viewer(caller), resident_id, reveal, _now())
    return _resident(record, masked=not reveal)


@routes.get("/devices/{device_id}/health", responses=answers(403))
def device_health(
    request: Request,
    caller: Caller,
    device_id: Id,
    readings: Annotated[int, Query(ge=1, le=500, description="latest readings")] = 50,
    hours: Annotated[int, Query(ge=1, le=24 * 31, description="hourly figures window")] = 48,
) -> HealthOut:
    """An elderly-care device's latest readings and hourly figures (community staff and up)."""
    with _answers():
        health = _service(request).health(_viewer(caller), device_id, readings, hours, _now())
    device = health.device
    return HealthOut(
        device_id=device.id,
        resident_id=device.resident_id or None,
        grid_code=device.grid_code,
        readings=[
            ReadingOut(ts=iso(r.ts) or "", seq=r.seq, values=dict(r.values), event=r.event)
            for r in health.readings
        ],
        hourly=[
            HourlyOut(
                field=h.field, hour=iso(h.hour) or "", n=h.n, mean=h.mean, low=h.low, high=h.high
            )
            for h in health.hourly
        ],
    )


@routes.get("/audit", responses=answers(403, 404))
def audit_log(
    request: Request,
    caller: Caller,
    since: Annotated[str | None, time_query()] = None,
    after: Annotated[int, Query(ge=0, le=2**62, description="next_after of the last page")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> AuditPage:
    """The access log, oldest first (auditors and district admins)."""
    try:
        since_ms = parse_api_time(since) if since else None
    except (ValueError, OverflowError) as e:
        raise HTTPException(422, f"since: {e}") from None
    with _answers():
        entries = _service(request).access_log(_viewer(caller), since_ms, after, limit, _now())
    return AuditPage(
        items=[
            AccessEntryOut(
                id=e.id,
                at=iso(e.at) or "",
                user_id=e.user_id,
                user=e.user_name,
                action=e.action,
                subject=e.subject,
                detail=e.detail,
            )
            for e in entries
        ],
        next_after=entries[-1].id if len(entries) == limit else None,
    )


def _resident(r: ResidentRecord, masked: bool) -> ResidentOut:
    return ResidentOut(
        id=r.id,
        name=r.name,
        building_code=r.building_code,
        room=r.room,
        phone=r.phone,
        emergency_contact=r.emergency_contact,
        tags=list(r.tags),
        grid_code=r.grid_code,
        masked=masked,
    )
