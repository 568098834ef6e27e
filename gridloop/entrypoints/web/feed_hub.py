"""One reader of the feed table per server process, handing each new notice to the open streams
of its recipient.

A district has thousands of workers with the phone page open: were each stream to query the
feed itself, every poll and every ring of the bell would cost one query per phone. The hub
reads new rows once (when the bell rings, and every poll period for other processes' writes)
and puts each notice on the queue of every stream subscribed to its recipient. A stream that
falls far behind is told so and catches up from the table by its own cursor.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import Iterator, Sequence

from gridloop.domain.notifications import Notice
from gridloop.entrypoints.web.feed_bell import FeedBell
from gridloop.service_layer.notice_feed import NoticeFeed

log = logging.getLogger(__name__)
POLL_S = 0.5
READ_LIMIT = 1000
QUEUE_LIMIT = 1000  # notices a stream may have waiting before it reads the table instead


class Subscription:
    def __init__(self, recipients: Sequence[str]) -> None:
        self.recipients = tuple(recipients)
        self.queue: asyncio.Queue[tuple[int, Notice]] = asyncio.Queue(QUEUE_LIMIT)
        self.overflowed = asyncio.Event()  # set when a notice did not fit: read the table

    def offer(self, item: tuple[int, Notice]) -> None:
        try:
            self.queue.put_nowait(item)
        except asyncio.QueueFull:
            self.overflowed.set()


class FeedHub:
    def __init__(self, feed: NoticeFeed, bell: FeedBell | None, poll_s: float = POLL_S) -> None:
        self.feed, self.bell, self.poll_s = feed, bell, poll_s
        self._by_recipient: dict[str, set[Subscription]] = defaultdict(set)
        self._task: asyncio.Task[None] | None = None
        self._started = asyncio.Event()
        self.reads = 0

    @contextlib.contextmanager
    def subscribe(self, recipients: Sequence[str]) -> Iterator[Subscription]:
        """Notices for these recipients stored from now on (after the hub's first read)."""
        sub = Subscription(recipients)
        for r in sub.recipients:
            self._by_recipient[r].add(sub)
        if self._task is None:
            self._task = asyncio.create_task(self._run())
        try:
            yield sub
        finally:
            for r in sub.recipients:
                subs = self._by_recipient.get(r)
                if subs is not None:
                    subs.discard(sub)
                    if not subs:
                        del self._by_recipient[r]

    async def started(self) -> None:
        """Until the hub knows where the table ends (a stream reads its backlog after that)."""
        await self._started.wait()

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        last = await asyncio.to_thread(self.feed.latest_id)
        self._started.set()
        while True:
            ticket = self.bell.ticket() if self.bell is not None else None
            try:
                found = await asyncio.to_thread(self.feed.everyone_since, last, READ_LIMIT)
            except Exception:  # a locked or broken database: the streams wait, the hub retries
                log.exception("reading the feed failed; retrying in %.1f s", self.poll_s)
                await asyncio.sleep(self.poll_s)
                continue
            self.reads += 1
            for item in found:
                for sub in self._by_recipient.get(item[1].recipient, ()):
                    sub.offer(item)
            if found:
                last = found[-1][0]
            if len(found) == READ_LIMIT:
                continue  # more are waiting
            if ticket is None:
                await asyncio.sleep(self.poll_s)
            else:
                await FeedBell.wait(ticket, self.poll_s)
