"""The caller's notices (new assignments, escalations, rework...): GET /api/v1/feed as
server-sent events, GET /api/v1/feed/recent as JSON.

The stream reads the feed table (in a worker thread) when this process's case service rings
the bell, and at least every POLL_S for notices written by other processes; it resumes after
`Last-Event-ID` or `?after=`, and without either starts with what arrives from now on. A
comment line every 15 s keeps proxies from closing an idle stream.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse

from gridloop.domain.accounts import Account
from gridloop.domain.notifications import Notice
from gridloop.entrypoints.timefmt import iso
from gridloop.entrypoints.web.api_context import Api
from gridloop.entrypoints.web.auth import Caller
from gridloop.entrypoints.web.feed_bell import FeedBell
from gridloop.entrypoints.web.sse import MAX_ID, resume_point
from gridloop.service_layer.notice_feed import NoticeFeed

router = APIRouter(prefix="/api/v1", tags=["feed"])
POLL_S = 0.5
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
    last_event_id: Annotated[str | None, Header(max_length=20)] = None,
    after: Annotated[int | None, Query(ge=0, le=MAX_ID)] = None,
) -> StreamingResponse:
    """text/event-stream: `id:` the notice id, `event:` its kind, `data:` the notice as JSON."""
    notices = api.notice_feed()
    start = await asyncio.to_thread(_start, notices, last_event_id, after)
    bell = request.app.state.gridloop.bell
    events = _events(request, notices, caller.account, start, bell)
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(events, media_type="text/event-stream", headers=headers)


async def _events(
    request: Request, notices: NoticeFeed, account: Account, cursor: int, bell: FeedBell | None
) -> AsyncIterator[str]:
    yield f"retry: {RETRY_MS}\n: listening after {cursor}\n\n"
    quiet_since = time.monotonic()
    while not await request.is_disconnected():
        ticket = bell.ticket() if bell is not None else None
        found = await asyncio.to_thread(notices.since, account, cursor)
        for notice_id, notice in found:
            data = json.dumps(notice_json(notice_id, notice), ensure_ascii=False)
            yield f"id: {notice_id}\nevent: {notice.kind.value}\ndata: {data}\n\n"
            cursor = notice_id
        now = time.monotonic()
        if found:
            quiet_since = now
        elif now - quiet_since >= HEARTBEAT_S:
            yield ": heartbeat\n\n"
            quiet_since = now
        if len(found) < 100:
            if ticket is None:
                await asyncio.sleep(POLL_S)
            else:
                await FeedBell.wait(ticket, POLL_S)


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
