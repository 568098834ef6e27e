"""The web application factory: nothing is built at import time."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator

from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse

from gridloop import __version__
from gridloop.bootstrap import bootstrap
from gridloop.config import Settings
from gridloop.entrypoints.web import assets, problems
from gridloop.entrypoints.web.api_context import api_router
from gridloop.entrypoints.web.auth_routes import router as auth_router
from gridloop.entrypoints.web.dashboard_routes import dashboard_router
from gridloop.entrypoints.web.feed_bell import FeedBell
from gridloop.entrypoints.web.limits import LimitsMiddleware, api_limits
from gridloop.entrypoints.web.metrics import render_metrics
from gridloop.entrypoints.web.open311 import open311_router
from gridloop.entrypoints.web.pages import router as pages_router
from gridloop.entrypoints.web.people_routes import people_router
from gridloop.entrypoints.web.state import WebState
from gridloop.entrypoints.web.telemetry_routes import router as telemetry_router
from gridloop.service_layer.closed_loop import ClosedLoop

log = logging.getLogger("gridloop.web")
TICK_S = 5.0  # live timers (offline, inactivity) fire within this of their deadline
CHECKPOINT_S = 60.0


def create_app(settings: Settings) -> FastAPI:
    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        core = bootstrap(settings)
        pipeline = core.pipeline(clock=lambda: int(time.time() * 1000))
        state = WebState(pipeline, core.telemetry_store(), core.token_store())
        state.accounts = core.account_service()
        if core.holds_district():
            # alerts become cases as they are committed; the clocks run on the wall clock
            state.bell = FeedBell(asyncio.get_running_loop())
            state.cases = core.case_service(also=(state.bell,))
            state.loop = ClosedLoop(pipeline, state.cases)
        app.state.gridloop = state
        task = asyncio.create_task(_clock(state))
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            hub = getattr(app.state, "feed_hub", None)  # made by the first feed stream
            if hub is not None:
                await hub.close()
            state.close()

    app = FastAPI(title="gridloop", version=__version__, lifespan=lifespan)
    problems.install(app)
    app.add_middleware(LimitsMiddleware, limits=api_limits(settings))
    app.include_router(telemetry_router)
    app.include_router(auth_router)
    app.include_router(pages_router)
    missing = assets.mount(app)
    if missing:
        log.warning("web libraries not installed (run make install / npm ci): %s", missing)
    app.include_router(open311_router(settings))
    app.include_router(people_router(settings))
    app.include_router(api_router(settings))
    app.include_router(dashboard_router(settings))  # after the API: builds on its services

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/metrics", response_class=PlainTextResponse)
    def metrics(request: Request) -> str:
        state: WebState = request.app.state.gridloop
        return render_metrics(state.store.counters())

    return app


async def _clock(state: WebState) -> None:
    last_checkpoint = time.monotonic()
    while True:
        await asyncio.sleep(TICK_S)
        await asyncio.to_thread(state.tick)
        if time.monotonic() - last_checkpoint > CHECKPOINT_S:
            await asyncio.to_thread(state.checkpoint)
            last_checkpoint = time.monotonic()
