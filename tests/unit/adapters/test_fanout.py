"""The fan-out: every notifier gets every notice; one that raises spares the others."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import pytest

from gridloop.adapters.notify.fanout import FanOut
from gridloop.adapters.notify.log import LogNotifier
from gridloop.domain.notifications import Notice, NoticeKind

NOTICES = [
    Notice("worker:W0001", NoticeKind.ASSIGNED, "C00000001", 1_764_300_000_000, "新工单：漏电报警"),
    Notice("community:630104001001", NoticeKind.ESCALATED, "C00000002", 1_764_300_000_000, "督办"),
]


class Recording:
    def __init__(self) -> None:
        self.got: list[Notice] = []
        self.closed = False

    def notify(self, notices: Sequence[Notice]) -> None:
        self.got.extend(notices)

    def close(self) -> None:
        self.closed = True


class Broken:
    def notify(self, notices: Sequence[Notice]) -> None:
        raise RuntimeError("notifier bug")

    def close(self) -> None:
        raise RuntimeError("close bug")


def test_gives_every_notifier_every_notice() -> None:
    a, b = Recording(), Recording()

    FanOut([a, b]).notify(NOTICES)

    assert a.got == NOTICES and b.got == NOTICES


def test_one_notifier_raising_spares_the_others(caplog: pytest.LogCaptureFixture) -> None:
    before, after = Recording(), Recording()
    fan = FanOut([before, Broken(), after])

    fan.notify(NOTICES)

    assert before.got == NOTICES and after.got == NOTICES
    assert fan.errors == 1
    assert "Broken failed on 2 notice(s)" in caplog.text and "notifier bug" in caplog.text


def test_close_reaches_every_notifier_even_past_a_failure() -> None:
    before, after = Recording(), Recording()
    fan = FanOut([before, Broken(), after])

    fan.close()

    assert before.closed and after.closed
    assert fan.errors == 1


def test_an_empty_batch_reaches_no_notifier() -> None:
    fan = FanOut([Broken()])

    fan.notify([])

    assert fan.errors == 0


def test_the_log_notifier_writes_one_line_per_notice(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="gridloop.notify"):
        FanOut([LogNotifier()]).notify(NOTICES)

    assert [r.getMessage() for r in caplog.records] == [
        "notice assigned to worker:W0001 on case C00000001: 新工单：漏电报警",
        "notice escalated to community:630104001001 on case C00000002: 督办",
    ]
