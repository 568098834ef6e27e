"""The feed hub on real SQLite: one read of the table serves every open stream, each notice
goes only to its recipient's streams, and other processes' notices arrive by polling."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gridloop.adapters.sqlite.database import connect
from gridloop.adapters.sqlite.feed import SqliteFeed
from gridloop.domain.notifications import Notice, NoticeKind
from gridloop.entrypoints.web.feed_bell import FeedBell
from gridloop.entrypoints.web.feed_hub import FeedHub, Subscription
from gridloop.service_layer.notice_feed import NoticeFeed

T0 = 1_764_300_000_000


def notice(recipient: str, case_id: str) -> Notice:
    return Notice(recipient, NoticeKind.ASSIGNED, case_id, T0, f"新派单:{case_id}", {})


def test_one_read_per_ring_serves_every_stream_and_each_hears_only_its_own(
    tmp_path: Path, run_async: Callable[..., Any]
) -> None:
    writer = SqliteFeed(connect(tmp_path / "gridloop.db"))
    writer.notify([notice("worker:W0", "C0")])  # stored before anyone listens: not handed on

    async def scenario() -> tuple[dict[str, list[str]], int]:
        bell = FeedBell(asyncio.get_running_loop())
        hub = FeedHub(NoticeFeed(SqliteFeed(connect(tmp_path / "gridloop.db")), "D"), bell, 30)
        heard: dict[str, list[str]] = {}
        with contextlib.ExitStack() as stack:
            subs = {
                f"worker:W{i}": stack.enter_context(hub.subscribe([f"worker:W{i}"]))
                for i in range(200)
            }
            await hub.started()
            await asyncio.sleep(0.05)  # the hub's first read is done; it waits for the bell
            reads_before = hub.reads
            stored = [notice(f"worker:W{i}", f"C{i}") for i in (3, 7, 7)]
            await asyncio.to_thread(writer.notify, stored)
            bell.notify(stored)
            await asyncio.wait_for(subs["worker:W7"].queue.get(), 5)
            await asyncio.sleep(0.05)
            for recipient, sub in subs.items():
                while not sub.queue.empty():
                    heard.setdefault(recipient, []).append(sub.queue.get_nowait()[1].case_id)
            reads = hub.reads - reads_before
        await hub.close()
        return heard, reads

    heard, reads = run_async(scenario())
    assert heard == {"worker:W3": ["C3"], "worker:W7": ["C7"]}  # W7's first went to the waiter
    assert reads == 1  # one query for 200 streams


def test_notices_another_process_stores_arrive_by_polling(
    tmp_path: Path, run_async: Callable[..., Any]
) -> None:
    async def scenario() -> list[tuple[int, str]]:
        hub = FeedHub(NoticeFeed(SqliteFeed(connect(tmp_path / "gridloop.db")), "D"), None, 0.05)
        with hub.subscribe(["community:C1"]) as sub:
            await hub.started()
            other = SqliteFeed(connect(tmp_path / "gridloop.db"))  # as the CLI would, no bell
            await asyncio.to_thread(other.notify, [notice("community:C1", "C9")])
            got = await asyncio.wait_for(sub.queue.get(), 5)
        await hub.close()
        return [(got[0], got[1].case_id)]

    assert run_async(scenario()) == [(1, "C9")]


def test_a_stream_too_far_behind_is_told_to_read_the_table(run_async: Callable[..., Any]) -> None:
    async def scenario() -> tuple[int, bool]:
        sub = Subscription(["worker:W1"])
        for i in range(sub.queue.maxsize + 5):
            sub.offer((i + 1, notice("worker:W1", f"C{i}")))
        return sub.queue.qsize(), sub.overflowed.is_set()

    size, told = run_async(scenario())
    assert told and size == Subscription(["x"]).queue.maxsize
