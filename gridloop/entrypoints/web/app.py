"""The web application factory: nothing is built at import time."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from collections.abc import AsyncIterator

from anyio import to_thread
from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse

from gridloop import __version__
from gridloop.adapters.sqlite.revocations import INTAKE
from gridloop.adapters.sqlite.write_gate import share_writes
from gridloop.bootstrap import bootstrap, tune_gc_for_streaming
from gridloop.config import Settings
from gridloop.entrypoints.web import assets, openapi_doc, problems
from gridloop.entrypoints.web.api_context import api_router
from gridloop.entrypoints.web.auth_routes import router as auth_router
from gridloop.entrypoints.web.callers import principal_of
from gridloop.entrypoints.web.dashboard_routes import dashboard_router
from gridloop.entrypoints.web.feed_bell import FeedBell
from gridloop.entrypoints.web.leader_link import LeaderLink, Leadership, serve_intake
from gridloop.entrypoints.web.limits import LimitsMiddleware, api_limits
from gridloop.entrypoints.web.metrics import render_metrics
from gridloop.entrypoints.web.open311 import open311_router
from gridloop.entrypoints.web.pages import router as pages_router
from gridloop.entrypoints.web.people_routes import people_router
from gridloop.entrypoints.web.state import WebState
from gridloop.entrypoints.web.telemetry_routes import intake
from gridloop.entrypoints.web.telemetry_routes import router as telemetry_router
from gridloop.service_layer.closed_loop import ClosedLoop

log = logging.getLogger("gridloop.web")
TICK_S = 5.0  # live timers (offline, inactivity) fire within this of their deadline
CHECKPOINT_S = 60.0
REQUEST_THREADS = 8
OUTBOX_POLL_S = 0.25  # besides the wake-up after each case commit: alerts, other processes


def create_app(settings: Settings, processes: int = 1, now_ms: int | None = None) -> FastAPI:
    """The app of one server process; with `processes` > 1 one of them ingests (leader_link).

    `now_ms` (a replay: `gridloop serve --now`): timestamps are judged against that instant, and
    the clocks run on the stream's event time, not the wall clock: each committed batch moves
    the case loop on before it is answered, as `gridloop ingest` does, so that a replay over
    HTTP ends as the same replay from a file would — after a crash and resends too.
    """
    replay = now_ms is not None
    if replay and processes > 1:
        raise ValueError("a replay (--now) runs in one server process")

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if processes > 1:
            share_writes(settings.db_path)  # before any connection to it is opened
        core = bootstrap(settings)
        leadership = Leadership(settings.db_path) if processes > 1 else None
        ingests = leadership is None or leadership.try_lead()
        clock = (lambda: now_ms) if now_ms is not None else (lambda: int(time.time() * 1000))
        pipeline = core.pipeline(clock=clock) if ingests else None
        intake_revocations = core.revocations(INTAKE)
        state = WebState(pipeline, core.telemetry_store(), core.token_store(), intake_revocations)
        state.accounts = core.account_service()
        state.bounds = core.intake_bounds()
        case_loop, outbox_worker = None, None
        if core.holds_district():
            # the outbox's alerts become cases in the ingesting process (its worker thread);
            # the clocks run on the wall clock
            state.bell = FeedBell(asyncio.get_running_loop())
            case_loop = core.case_loop(also=(state.bell,))
            state.cases = case_loop.service
            state.outbox = core.outbox()
            if pipeline is not None and replay:
                state.loop = ClosedLoop(pipeline, state.cases, case_loop.dispatcher)
                state.follows_stream = True
                state.loop.dispatch()  # what an earlier run committed and could not deliver
            elif pipeline is not None:
                state.loop = ClosedLoop(pipeline, state.cases, None)
                outbox_worker = case_loop.worker(OUTBOX_POLL_S)
                outbox_worker.start()
                state.wake = outbox_worker.wake
        intake_server = None
        if leadership is not None:
            state.feed_poll_s = 0.1  # the other processes' notices come by the table only
            if ingests:
                intake_server = await serve_intake(
                    leadership.socket_path, lambda token, body: intake(state, token, body)
                )
            else:
                state.leader = LeaderLink(leadership.socket_path)
            log.info("server process %d: %s", os.getpid(), "ingests" if ingests else "passes on")
        app.state.gridloop = state
        # the registry, directory and caches built above live as long as the process: out of
        # the collector's sight, so that no full collection stalls every request for a while
        tune_gc_for_streaming()
        # Few request threads: Python runs one at a time, and forty runnable threads take turns
        # with the event loop in 5 ms slices (a request waits behind all of them)
        to_thread.current_default_thread_limiter().total_tokens = REQUEST_THREADS
        task = asyncio.create_task(_clock(state)) if ingests and not replay else None
        try:
            yield
        finally:
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            if intake_server is not None:
                intake_server.close()
            hub = getattr(app.state, "feed_hub", None)  # made by the first feed stream
            if hub is not None:
                await hub.close()
            if outbox_worker is not None:
                outbox_worker.stop()  # delivers what the last commits left
            if state.follows_stream:
                await asyncio.to_thread(state.end_of_stream)
            if case_loop is not None:
                case_loop.notifier.close()
                case_loop.dispatcher.outbox.close()
            state.close()  # and the case service
            if leadership is not None:
                leadership.release()

    app = FastAPI(title="gridloop", version=__version__, lifespan=lifespan)
    problems.install(app)
    limits = api_limits(settings)
    app.add_middleware(LimitsMiddleware, limits=limits, identify=principal_of)
    openapi_doc.install(app, limits)
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
    def healthz(request: Request) -> dict[str, object]:
        """Up; `ingests`: whether this server process is the one that evaluates telemetry."""
        state: WebState = request.app.state.gridloop
        return {"status": "ok", "pid": os.getpid(), "ingests": state.pipeline is not None}

    @app.get("/metrics", response_class=PlainTextResponse)
    def metrics(request: Request) -> str:
        state: WebState = request.app.state.gridloop
        backlog = state.outbox.backlog() if state.outbox is not None else None
        return render_metrics(state.store.counters(), backlog)

    return app


async def _clock(state: WebState) -> None:
    last_checkpoint = time.monotonic()
    while True:
        await asyncio.sleep(TICK_S)
        await asyncio.to_thread(state.tick)
        if time.monotonic() - last_checkpoint > CHECKPOINT_S:
            await asyncio.to_thread(state.checkpoint)
            last_checkpoint = time.monotonic()


def app_from_env() -> FastAPI:
    """The app of each process `gridloop serve --processes N` starts: settings from the
    environment."""
    return create_app(Settings.from_env(), int(os.environ.get("GRIDLOOP_PROCESSES", "1")))
