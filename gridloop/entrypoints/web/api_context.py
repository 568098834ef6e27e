"""What the signed-in API's routes share (cases, attachments, feed, devices, regions), opened
for the app's lifetime by `api_router(settings)`; routes reach it through `Api`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Annotated, Protocol, TypeVar

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request

from gridloop.bootstrap import App, bootstrap
from gridloop.config import Settings
from gridloop.entrypoints.web.state import WebState
from gridloop.service_layer.attachments import AttachmentService
from gridloop.service_layer.casework import CaseService
from gridloop.service_layer.device_status import DeviceStatusService
from gridloop.service_layer.notice_feed import NoticeFeed
from gridloop.service_layer.region_views import RegionViews
from gridloop.service_layer.reporting import category_labeller
from gridloop.service_layer.telemetry_setup import checked_rule_config

T = TypeVar("T")


class Closable(Protocol):
    def close(self) -> None: ...


NO_DISTRICT = "this database holds no district yet: run gridloop import"
LABELS_REMEMBERED = 10_000
PRUNE_EVERY_S = 3600.0  # unreferenced photos go after a day: an hour late is soon enough
log = logging.getLogger(__name__)


@dataclass
class ApiServices:
    app: App
    cases: CaseService | None = None
    attachments: AttachmentService | None = None
    feed: NoticeFeed | None = None
    devices: DeviceStatusService | None = None
    regions: RegionViews | None = None
    connections: list[Closable] = field(default_factory=list)  # the stores above, to close
    _labels: dict[str, tuple[str, str]] = field(default_factory=dict)

    def case_service(self) -> CaseService:
        return _ready(self.cases)

    def category_labels(self, category: str) -> tuple[str, str]:
        """A category's names for people, Chinese and English (a sensor rule's title, or the
        hotline category's); remembered, as every case of a list asks and they never change."""
        labels = self._labels.get(category)
        if labels is None:
            if len(self._labels) > LABELS_REMEMBERED:  # categories are open-ended: stay bounded
                self._labels.clear()
            zh = self.case_service().label(category)
            en = category_labeller(self.app.kinds, "en")(category)
            labels = self._labels[category] = (zh, en)
        return labels

    def attachment_service(self) -> AttachmentService:
        return _ready(self.attachments)

    def notice_feed(self) -> NoticeFeed:
        return _ready(self.feed)

    def device_status(self) -> DeviceStatusService:
        return _ready(self.devices)

    def region_views(self) -> RegionViews:
        return _ready(self.regions)


def _ready(service: T | None) -> T:
    if service is None:
        raise HTTPException(503, NO_DISTRICT)
    return service


def open_services(app: App, state: WebState) -> ApiServices:
    services = ApiServices(app)
    if state.cases is None:
        return services
    cases = services.cases = state.cases
    uow = app.unit_of_work()
    try:
        with uow:
            district, grids, devices = (
                uow.registry.district(),
                uow.registry.grids(),
                uow.registry.devices(),
            )
    finally:
        uow.close()
    if district is None:
        return services
    feed, readings = app.feed_store(), app.latest_readings()
    services.connections += [feed, readings]
    services.attachments, ledger = app.attachment_service(cases)
    services.connections.append(ledger)
    services.feed = NoticeFeed(feed, district.code)
    config = checked_rule_config(app.kinds, app.settings.rule_params())
    services.devices = DeviceStatusService(devices, app.kinds, config, readings)
    services.regions = RegionViews(district, grids)
    return services


def api_router(settings: Settings) -> APIRouter:
    """Cases, attachments, the feed, regions, devices and reports, with their lifespan."""
    from gridloop.entrypoints.web import (
        attachment_routes,
        case_routes,
        feed_routes,
        label_routes,
        registry_routes,
    )

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state: WebState = app.state.gridloop
        services = open_services(bootstrap(settings), state)
        app.state.api = services
        # one process prunes: the one that ingests (of several, the others pass telemetry on)
        pruning = services.attachments is not None and state.leader is None
        stop = asyncio.Event()
        task = asyncio.create_task(_prune_attachments(services, stop)) if pruning else None
        try:
            yield
        finally:
            stop.set()  # a prune under way finishes first: it uses the connections closed below
            if task is not None:
                await task
            for conn in services.connections:
                conn.close()

    router = APIRouter(lifespan=lifespan)
    for module in (case_routes, attachment_routes, feed_routes, registry_routes, label_routes):
        router.include_router(module.router)
    return router


async def _prune_attachments(services: ApiServices, stop: asyncio.Event) -> None:
    """Remove the photos no action named within a day, now and then every PRUNE_EVERY_S."""
    while not stop.is_set():
        try:
            now = int(time.time() * 1000)
            pruned = await asyncio.to_thread(services.attachment_service().prune, now)
            if pruned.removed:
                log.info("pruned %d unreferenced attachments", len(pruned.removed))
        except Exception:  # a failed prune is retried next time; the server goes on
            log.exception("attachment prune failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), PRUNE_EVERY_S)


async def api_services(request: Request) -> ApiServices:  # async: no worker thread for this
    services: ApiServices = request.app.state.api
    return services


Api = Annotated[ApiServices, Depends(api_services)]
