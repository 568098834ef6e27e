"""The caller's notices (new assignments, escalations, rework...): GET /api/v1/feed as
server-sent events, GET /api/v1/feed/recent as JSON.

A stream first sends what was stored after its cursor (`Last-Event-ID`, else `?after=`, else
nothing: a new listener hears what arrives from now on), then what the process's feed hub hands
on: one reader of the table for every open stream, woken by the bell of this process's case
service and polling for other processes' writes. A comment line every 15 s keeps proxies from
closing an idle stream.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse

from gridloop.domain.accounts import Account
from gridloop.domain.notifications import Notice
from gridloop.entrypoints.timefmt import iso
from gridloop.entrypoints.web.api_context import Api
from gridloop.entrypoints.web.auth import Caller
from gridloop.entrypoints.web.feed_hub import FeedHub
from gridloop.entrypoints.web.sse import EVENT_ID_PATTERN, MAX_ID, resume_point
from gridloop.service_layer.notice_feed import NoticeFeed

router = APIRouter(prefix="/api/v1", tags=["feed"])
BACKLOG_READ = 100
HEARTBEAT_S = 15.0
RETRY_MS = 3000


def notice_json(notice_id: int, n: Notice) -> dict[str, object]:
    return {"id": notice_id, **n.as_json(), "at": iso(n.at)}


def _start(feed: NoticeFeed, last_event_id: str | None, after: int | None) -> int:
    return resume_point(last_event_id, after, feed.latest_id, "a notice id")


@router.get("/feed", response_class=StreamingResponse)
async def feed(
    request: Request,
    caller: Caller,
    api: Api,
    last_event_id: Annotated[str | None, Header(max_length=20, pattern=EVENT_ID_PATTERN)] = None,
    after: Annotated[int | None, Query(ge=0, le=MAX_ID)] = None,
) -> StreamingResponse:
    """text/event-stream: `id:` the notice id, `event:` its kind, `data:` the notice as JSON."""
    notices = api.notice_feed()
    start = await asyncio.to_thread(_start, notices, last_event_id, after)
    events = _events(request, _hub(request, notices), notices, caller.account, start)
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(events, media_type="text/event-stream", headers=headers)


async def _events(
    request: Request, hub: FeedHub, notices: NoticeFeed, account: Account, cursor: int
) -> AsyncIterator[str]:
    with hub.subscribe(notices.recipients(account)) as sub:
        yield f"retry: {RETRY_MS}\n: listening after {cursor}\n\n"
        await hub.started()
        from_table = True  # first what was stored after the cursor, then what the hub hands on
        while not await request.is_disconnected():
            if sub.overflowed.is_set():
                sub.overflowed.clear()
                while not sub.queue.empty():
                    sub.queue.get_nowait()
                from_table = True
            if from_table:
                found = await asyncio.to_thread(notices.since, account, cursor, BACKLOG_READ)
                from_table = len(found) == BACKLOG_READ
            else:
                try:
                    found = [await asyncio.wait_for(sub.queue.get(), HEARTBEAT_S)]
                except TimeoutError:
                    yield ": heartbeat\n\n"
                    continue
                while not sub.queue.empty():
                    found.append(sub.queue.get_nowait())
            for notice_id, notice in found:
                if notice_id > cursor:  # the table and the hub may both hold it
                    data = json.dumps(notice_json(notice_id, notice), ensure_ascii=False)
                    yield f"id: {notice_id}\nevent: {notice.kind.value}\ndata: {data}\n\n"
                    cursor = notice_id


def _hub(request: Request, notices: NoticeFeed) -> FeedHub:
    """This process's hub, made with its first stream (the app's lifespan closes it)."""
    state = request.app.state
    hub: FeedHub | None = getattr(state, "feed_hub", None)
    if hub is None:
        hub = state.feed_hub = FeedHub(notices, state.gridloop.bell, state.gridloop.feed_poll_s)
    return hub


@router.get("/feed/recent")
def recent(
    caller: Caller,
    api: Api,
    after: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, object]:
    """The caller's notices after the id `after`, oldest first; `last_id` resumes."""
    found = api.notice_feed().since(caller.account, after, limit)
    items = [notice_json(i, n) for i, n in found]
    return {"items": items, "last_id": found[-1][0] if found else after}
