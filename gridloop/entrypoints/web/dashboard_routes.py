"""The command center's API: GET /api/v1/dashboard (tiles, trends, rankings, device health),
/dashboard/grids/{code} (one grid's cases, devices and workers), /dashboard/queues (what waits
for a dispatcher) and /alerts/stream (new alerts of the caller's region as server-sent events).

The stream polls the alerts table on a connection of its own (in a worker thread), like the
feed: `Last-Event-ID` or `?after=` resume after an alert id, else it starts from now.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Header, HTTPException, Path, Query, Request
from fastapi.responses import StreamingResponse

from gridloop.adapters.sqlite.alert_log import SqliteAlertLog
from gridloop.config import Settings
from gridloop.domain.accounts import Account
from gridloop.domain.cases.actor import Actor
from gridloop.domain.cases.events import Role
from gridloop.domain.reach import ScopeNotAllowed
from gridloop.entrypoints.web import dashboard_view as view
from gridloop.entrypoints.web.api_context import NO_DISTRICT, ApiServices
from gridloop.entrypoints.web.auth import Caller, Principal, require
from gridloop.entrypoints.web.sse import EVENT_ID_PATTERN, MAX_ID, resume_point
from gridloop.service_layer.command_views import CommandViews, GridOutOfReach
from gridloop.service_layer.dashboard import Dashboard

# the desk's queues: those who decide on them, and auditors, who read everything
DeskReader = Annotated[
    Principal,
    Depends(
        require(Role.COMMUNITY_ADMIN, Role.STREET_DISPATCHER, Role.DISTRICT_ADMIN, Role.AUDITOR)
    ),
]
POLL_S = 0.5
HEARTBEAT_S = 15.0
RETRY_MS = 3000


class DashboardState:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.dashboard: Dashboard | None = None
        self.views: CommandViews | None = None
        self.log: SqliteAlertLog | None = None
        self.view: view.Labels | None = None

    def ready(self) -> tuple[Dashboard, CommandViews, view.Labels]:
        if self.dashboard is None or self.views is None or self.view is None:
            raise HTTPException(503, NO_DISTRICT)
        return self.dashboard, self.views, self.view


def dashboard_router(settings: Settings) -> APIRouter:
    """The routes with their lifespan (after the API's: it builds on its services)."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state = DashboardState(settings)
        api: ApiServices = app.state.api
        if api.devices is not None and api.cases is not None and api.regions is not None:
            state.log = api.app.alert_log()
            state.dashboard = Dashboard(api.cases, api.devices, state.log)
            state.views = CommandViews(api.cases, api.devices, api.regions.grids)
            state.view = view.Labels(api.app.kinds, api.cases.directory)
        app.state.dashboard = state
        try:
            yield
        finally:
            if state.log is not None:
                state.log.close()

    router = APIRouter(prefix="/api/v1", tags=["dashboard"], lifespan=lifespan)
    router.add_api_route("/dashboard", overview, methods=["GET"])
    router.add_api_route("/dashboard/grids/{code}", grid_panel, methods=["GET"])
    router.add_api_route("/dashboard/queues", queues, methods=["GET"])
    router.add_api_route(
        "/alerts/stream", alert_stream, methods=["GET"], response_class=StreamingResponse
    )
    return router


def _state(request: Request) -> DashboardState:
    state: DashboardState = request.app.state.dashboard
    return state


def _now() -> int:
    return int(time.time() * 1000)


def overview(
    request: Request, caller: Caller, days: Annotated[int, Query(ge=7, le=90)] = 30
) -> dict[str, object]:
    """Today's tiles, the last `days` days per day, rankings over them and device health."""
    state = _state(request)
    dashboard, _views, labels = state.ready()
    try:
        found = dashboard.overview(caller.actor, _now(), days)
    except ScopeNotAllowed as e:
        raise HTTPException(403, str(e)) from e
    doc = labels.overview_json(found)
    web = state.settings.document().get("web", {})
    tiles = web if isinstance(web, dict) else {}
    doc["map"] = {
        "tile_url": tiles.get("tile_url") or None,
        "tile_attribution": tiles.get("tile_attribution") or "",
    }
    return doc


def grid_panel(
    request: Request, caller: Caller, code: Annotated[str, Path(min_length=1, max_length=32)]
) -> dict[str, object]:
    """One grid: its open cases, its devices with their status, its workers."""
    _dashboard, views, labels = _state(request).ready()
    now = _now()
    try:
        panel = views.grid_panel(caller.actor, code, now)
    except GridOutOfReach:
        raise HTTPException(404, f"no grid {code} in your region") from None
    return labels.grid_json(panel, now)


def queues(request: Request, caller: DeskReader) -> dict[str, object]:
    """Cases waiting for the caller: to place, to re-dispatch, to verify, extension requests."""
    _dashboard, views, labels = _state(request).ready()
    return labels.queues_json(views.queues(caller.actor), _now())


async def alert_stream(
    request: Request,
    caller: Caller,
    last_event_id: Annotated[str | None, Header(max_length=20, pattern=EVENT_ID_PATTERN)] = None,
    after: Annotated[int | None, Query(ge=0, le=MAX_ID)] = None,
) -> StreamingResponse:
    """text/event-stream: `id:` the alert id, `event: alert`, `data:` the alert with its rule's
    names, its device's place and its case."""
    dashboard, _views, labels = _state(request).ready()
    start = await asyncio.to_thread(
        resume_point, last_event_id, after, dashboard.alerts.latest_id, "an alert id"
    )
    events = _events(request, dashboard, labels, caller.account, caller.actor, start)
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(events, media_type="text/event-stream", headers=headers)


async def _events(
    request: Request,
    dashboard: Dashboard,
    labels: view.Labels,
    account: Account,
    actor: Actor,
    cursor: int,
) -> AsyncIterator[str]:
    yield f"retry: {RETRY_MS}\n: alerts after {cursor} for {account.name}\n\n"
    quiet_since = time.monotonic()
    while not await request.is_disconnected():
        found, last = await asyncio.to_thread(dashboard.new_alerts, actor, cursor)
        for alert in found:
            data = json.dumps(labels.alert_json(alert), ensure_ascii=False)
            yield f"id: {alert.id}\nevent: alert\ndata: {data}\n\n"
        moved, cursor = last != cursor, last
        now = time.monotonic()
        if found:
            quiet_since = now
        elif now - quiet_since >= HEARTBEAT_S:
            yield ": heartbeat\n\n"
            quiet_since = now
        if not moved:
            await asyncio.sleep(POLL_S)
