"""Wakes this process's feed streams the moment a notice is stored.

A Notifier at the end of the case service's fan-out (after the feed row is committed): each
stream waits on the bell instead of sleeping a whole poll period, so a new assignment reaches
the worker's phone in milliseconds. Streams still poll on a timeout, for notices that another
process (the CLI, a second server) writes to the same database.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence

from gridloop.domain.notifications import Notice


class FeedBell:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._rung = asyncio.Event()
        self.rings = 0

    def notify(self, notices: Sequence[Notice]) -> None:
        """Called from whichever thread committed the notices."""
        if notices and not self._loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop stopped meanwhile
                self._loop.call_soon_threadsafe(self._ring)

    def close(self) -> None:
        """Nothing queued: a ring not heard is picked up by the next poll."""

    def _ring(self) -> None:
        self.rings += 1
        rung, self._rung = self._rung, asyncio.Event()
        rung.set()  # every stream waiting now wakes; later waiters wait for the next ring

    def ticket(self) -> asyncio.Event:
        """Taken before reading the feed: a ring while the read runs is not missed."""
        return self._rung

    @staticmethod
    async def wait(ticket: asyncio.Event, timeout_s: float) -> bool:
        """Until the ring after `ticket` was taken (True) or the timeout (False)."""
        try:
            await asyncio.wait_for(ticket.wait(), timeout_s)
        except TimeoutError:
            return False
        return True
