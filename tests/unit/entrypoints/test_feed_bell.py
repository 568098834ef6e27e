"""The feed bell: a notice committed in any thread wakes the streams waiting now, and a ring
during a stream's read is not lost."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

from gridloop.domain.notifications import Notice, NoticeKind
from gridloop.entrypoints.web.feed_bell import FeedBell

NOTICE = Notice("worker:W1", NoticeKind.ASSIGNED, "C1", 0, "新派单", {})


def test_a_notice_from_another_thread_wakes_every_waiting_stream(
    run_async: Callable[..., Any],
) -> None:
    async def scenario() -> list[bool]:
        bell = FeedBell(asyncio.get_running_loop())
        waiting = [asyncio.create_task(FeedBell.wait(bell.ticket(), 30)) for _ in range(3)]
        await asyncio.sleep(0)
        threading.Thread(target=bell.notify, args=([NOTICE],)).start()
        return list(await asyncio.gather(*waiting))

    assert run_async(scenario()) == [True, True, True]


def test_a_ring_between_taking_the_ticket_and_waiting_is_not_missed(
    run_async: Callable[..., Any],
) -> None:
    async def scenario() -> tuple[bool, bool]:
        bell = FeedBell(asyncio.get_running_loop())
        ticket = bell.ticket()  # the stream takes its ticket, then reads the feed...
        bell.notify([NOTICE])  # ...while the case service stores a notice
        await asyncio.sleep(0)
        heard = await FeedBell.wait(ticket, 30)
        later = await FeedBell.wait(bell.ticket(), 0.05)  # a fresh ticket waits for a new ring
        return heard, later

    assert run_async(scenario()) == (True, False)


def test_no_notices_ring_nothing_and_a_closed_loop_is_left_alone(
    run_async: Callable[..., Any],
) -> None:
    async def scenario() -> int:
        bell = FeedBell(asyncio.get_running_loop())
        bell.notify([])
        await asyncio.sleep(0)
        return bell.rings

    assert run_async(scenario()) == 0
    loop = asyncio.new_event_loop()
    bell = FeedBell(loop)
    loop.close()
    bell.notify([NOTICE])  # the server stopped: nothing to wake, and no error
    assert bell.rings == 0
