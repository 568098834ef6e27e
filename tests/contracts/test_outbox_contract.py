"""The Outbox port's contract: every adapter (SQLite, the in-memory fake) passes the same suite."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Protocol

import pytest
from fakes.events import cleared, notices, opened
from fakes.outbox import InMemoryOutbox

from gridloop.adapters.sqlite.database import connect, transaction
from gridloop.adapters.sqlite.outbox import record
from gridloop.bootstrap import bootstrap
from gridloop.config import Settings
from gridloop.domain.events import Event
from gridloop.service_layer.ports import Outbox, OutboxBacklog


class Harness(Protocol):
    """How the suite opens one adapter and does what only its owner can (a cause's
    transaction, a damaged row, a reopening)."""

    reopens: bool

    def open(self) -> Outbox: ...
    def commit_with_cause(self, outbox: Outbox, events: Sequence[Event], fail: bool) -> None: ...
    def add_unreadable(self, outbox: Outbox, topic: str) -> None: ...
    def reopen(self, outbox: Outbox) -> Outbox: ...


class CauseFailed(Exception):
    pass


class SqliteHarness:
    """A real database file, migrated by the app; causes write on a connection of their own
    (as the telemetry and case stores do)."""

    reopens = True

    def __init__(self, tmp_path: Path) -> None:
        self.app = bootstrap(Settings(db_path=tmp_path / "gridloop.db"))

    def open(self) -> Outbox:
        return self.app.outbox()

    def commit_with_cause(self, outbox: Outbox, events: Sequence[Event], fail: bool) -> None:
        conn = connect(self.app.settings.db_path)
        try:
            with transaction(conn):
                conn.execute(
                    "INSERT INTO intake_counters (reason, n) VALUES ('accepted', 1)"
                    " ON CONFLICT(reason) DO UPDATE SET n = n + 1"
                )
                record(conn, events)
                if fail:
                    raise CauseFailed
        finally:
            conn.close()

    def add_unreadable(self, outbox: Outbox, topic: str) -> None:
        conn = connect(self.app.settings.db_path)
        try:
            with transaction(conn):
                conn.execute(
                    "INSERT INTO outbox (topic, payload, created_at) VALUES (?, ?, 0)",
                    (topic, b"{}"),
                )
        finally:
            conn.close()

    def reopen(self, outbox: Outbox) -> Outbox:
        outbox.close()
        return self.open()


class MemoryHarness:
    reopens = False

    def open(self) -> Outbox:
        return InMemoryOutbox()

    def commit_with_cause(self, outbox: Outbox, events: Sequence[Event], fail: bool) -> None:
        assert isinstance(outbox, InMemoryOutbox)
        with outbox.transaction():
            outbox.record(events)
            if fail:
                raise CauseFailed

    def add_unreadable(self, outbox: Outbox, topic: str) -> None:
        assert isinstance(outbox, InMemoryOutbox)
        outbox.add_unreadable(topic)

    def reopen(self, outbox: Outbox) -> Outbox:
        raise NotImplementedError("memory does not outlive its object")


ADAPTERS: dict[str, Callable[[Path], Harness]] = {
    "sqlite": SqliteHarness,
    "memory": lambda _tmp: MemoryHarness(),
}


@pytest.fixture(params=list(ADAPTERS))
def harness(request: pytest.FixtureRequest, tmp_path: Path) -> Harness:
    made: Harness = ADAPTERS[request.param](tmp_path)
    return made


@pytest.fixture
def outbox(harness: Harness) -> Iterator[Outbox]:
    box = harness.open()
    yield box
    box.close()


def events_of(outbox: Outbox, limit: int = 100) -> list[Event | None]:
    return [e.event for e in outbox.pending(limit)]


def test_a_new_outbox_has_nothing_pending(outbox: Outbox) -> None:
    assert outbox.pending(10) == []
    assert outbox.backlog() == OutboxBacklog(pending=0, parked=0, oldest_pending_at=None)


def test_events_come_back_in_commit_order_unchanged(outbox: Outbox) -> None:
    first: list[Event] = [opened("D1", 1_000), notices("worker:W1", "community:630104001001")]
    second = [cleared("D1", 1_000, at=4_000)]
    outbox.add(first)
    outbox.add(second)

    entries = outbox.pending(10)

    assert [e.event for e in entries] == [*first, *second]
    assert [e.id for e in entries] == sorted({e.id for e in entries})  # ascending, distinct
    assert [(e.attempts, e.problem) for e in entries] == [(0, "")] * 3


def test_adding_nothing_adds_nothing(outbox: Outbox) -> None:
    outbox.add([])
    assert outbox.backlog().pending == 0


def test_events_recorded_with_their_cause_take_their_place_in_commit_order(
    harness: Harness, outbox: Outbox
) -> None:
    outbox.add([opened("D1")])
    harness.commit_with_cause(outbox, [opened("D2"), opened("D3")], fail=False)
    outbox.add([opened("D4")])

    devices = [e.change.device_id for e in events_of(outbox)]  # type: ignore[union-attr]
    assert devices == ["D1", "D2", "D3", "D4"]


def test_a_cause_that_rolls_back_leaves_no_events(harness: Harness, outbox: Outbox) -> None:
    with pytest.raises(CauseFailed):
        harness.commit_with_cause(outbox, [opened("D1"), notices()], fail=True)

    assert outbox.pending(10) == []
    outbox.add([opened("D1")])  # its key was not taken by the rolled-back row
    assert events_of(outbox) == [opened("D1")]


def test_pending_gives_at_most_limit_rows_from_the_front(outbox: Outbox) -> None:
    outbox.add([opened(f"D{i}") for i in range(5)])

    front = outbox.pending(2)

    assert [e.event for e in front] == [opened("D0"), opened("D1")]
    assert outbox.pending(0) == []
    assert len(outbox.pending(100)) == 5


def test_reading_pending_rows_does_not_take_them(outbox: Outbox) -> None:
    outbox.add([opened("D1"), opened("D2")])
    assert outbox.pending(10) == outbox.pending(10)
    assert outbox.backlog().pending == 2


def test_a_keyed_event_is_recorded_once(outbox: Outbox) -> None:
    outbox.add([opened("D1"), opened("D1")])
    outbox.add([opened("D1"), cleared("D1")])

    assert events_of(outbox) == [opened("D1"), cleared("D1")]


def test_a_replay_of_a_delivered_event_is_not_delivered_again(outbox: Outbox) -> None:
    outbox.add([opened("D1")])
    outbox.mark_done([e.id for e in outbox.pending(10)], at_ms=9_000)

    outbox.add([opened("D1")])

    assert outbox.pending(10) == []


def testnotices_have_no_key_so_each_row_is_kept(outbox: Outbox) -> None:
    outbox.add([notices("worker:W1")])
    outbox.add([notices("worker:W1")])

    assert events_of(outbox) == [notices("worker:W1"), notices("worker:W1")]


def test_rows_marked_done_leave_the_rest_in_order(outbox: Outbox) -> None:
    outbox.add([opened("D1"), opened("D2"), opened("D3")])
    middle = outbox.pending(10)[1].id

    outbox.mark_done([middle], at_ms=9_000)

    assert events_of(outbox) == [opened("D1"), opened("D3")]
    assert outbox.backlog().pending == 2


def test_marking_done_twice_or_nothing_or_an_unknown_row_is_harmless(outbox: Outbox) -> None:
    outbox.add([opened("D1"), opened("D2")])
    first = outbox.pending(10)[0].id

    outbox.mark_done([first], at_ms=9_000)
    outbox.mark_done([first], at_ms=9_500)
    outbox.mark_done([], at_ms=9_600)
    outbox.mark_done([first + 1000], at_ms=9_700)

    assert events_of(outbox) == [opened("D2")]
    assert outbox.backlog() == OutboxBacklog(pending=1, parked=0, oldest_pending_at=1_000)


def test_a_failure_counts_an_attempt_and_keeps_the_row_at_the_front(outbox: Outbox) -> None:
    outbox.add([opened("D1"), opened("D2")])
    first = outbox.pending(10)[0].id

    outbox.mark_failed(first, "RuntimeError: store down", park=False)
    outbox.mark_failed(first, "RuntimeError: store down", park=False)

    entries = outbox.pending(10)
    assert [(e.id, e.attempts) for e in entries] == [(first, 2), (entries[1].id, 0)]
    assert entries[0].event == opened("D1")
    assert outbox.backlog().parked == 0


def test_a_parked_row_is_no_longer_pending_and_is_counted(outbox: Outbox) -> None:
    outbox.add([opened("D1"), opened("D2"), opened("D3")])
    first = outbox.pending(10)[0].id

    outbox.mark_failed(first, "boom", park=True)

    assert events_of(outbox) == [opened("D2"), opened("D3")]
    assert outbox.backlog() == OutboxBacklog(pending=2, parked=1, oldest_pending_at=1_000)


def test_the_operator_sees_parked_rows_with_their_last_error_cut_short(
    outbox: Outbox,
) -> None:
    outbox.add([opened("D1"), notices()])
    alert, notice = outbox.pending(10)
    outbox.mark_failed(notice.id, "first", park=False)
    outbox.mark_failed(notice.id, "x" * 2_000, park=True)

    assert outbox.parked() == [(notice.id, "notices", "x" * 500)]
    outbox.mark_failed(alert.id, "KeyError: 'D1'", park=True)
    assert outbox.parked(limit=1) == [(alert.id, "alert_opened", "KeyError: 'D1'")]


def test_requeued_rows_are_pending_again_with_fresh_attempts_in_their_place(
    outbox: Outbox,
) -> None:
    outbox.add([opened("D1"), opened("D2"), opened("D3")])
    first, second, third = outbox.pending(10)
    for entry in (first, third):
        outbox.mark_failed(entry.id, "boom", park=False)
        outbox.mark_failed(entry.id, "boom", park=True)

    assert outbox.requeue([third.id]) == 1
    assert [(e.id, e.attempts) for e in outbox.pending(10)] == [(second.id, 0), (third.id, 0)]
    assert outbox.parked() == [(first.id, "alert_opened", "boom")]
    assert outbox.requeue(None) == 1
    assert [e.event for e in outbox.pending(10)] == [opened("D1"), opened("D2"), opened("D3")]
    assert outbox.backlog() == OutboxBacklog(pending=3, parked=0, oldest_pending_at=1_000)


def test_requeue_leaves_alone_what_is_not_parked(outbox: Outbox) -> None:
    outbox.add([opened("D1"), opened("D2"), opened("D3")])
    done, failing, parked = outbox.pending(10)
    outbox.mark_done([done.id], at_ms=9_000)
    outbox.mark_failed(failing.id, "boom", park=False)
    outbox.mark_failed(parked.id, "boom", park=True)

    assert outbox.requeue([done.id, failing.id, parked.id + 1_000, -1]) == 0
    assert [(e.id, e.attempts) for e in outbox.pending(10)] == [(failing.id, 1)]
    assert outbox.requeue([]) == 0
    assert outbox.requeue([parked.id, parked.id]) == 1  # named twice, requeued once
    assert [e.id for e in outbox.pending(10)] == [failing.id, parked.id]


def test_a_parked_row_marked_done_is_no_longer_counted_as_parked(outbox: Outbox) -> None:
    outbox.add([opened("D1")])
    (entry,) = outbox.pending(10)
    outbox.mark_failed(entry.id, "boom", park=True)
    outbox.mark_done([entry.id], at_ms=9_000)  # delivered by hand meanwhile

    assert outbox.backlog().parked == 0 and outbox.parked() == []
    assert outbox.requeue(None) == 0 and outbox.pending(10) == []


def test_the_oldest_pending_is_the_earliest_event_time_not_the_first_row(
    outbox: Outbox,
) -> None:
    outbox.add([cleared("D1", 1_000, at=7_000)])
    outbox.add([notices("worker:W1", at=3_000), opened("D2", 5_000)])
    assert outbox.backlog().oldest_pending_at == 3_000

    later, notice, _alert = outbox.pending(10)
    outbox.mark_done([notice.id], at_ms=9_000)
    assert outbox.backlog().oldest_pending_at == 5_000

    outbox.mark_done([e.id for e in outbox.pending(10)], at_ms=9_000)
    assert outbox.backlog() == OutboxBacklog(pending=0, parked=0, oldest_pending_at=None)
    assert later.event == cleared("D1", 1_000, at=7_000)


def test_an_unreadable_row_is_handed_over_with_its_problem_in_its_place(
    harness: Harness, outbox: Outbox
) -> None:
    outbox.add([opened("D1")])
    harness.add_unreadable(outbox, "from_the_future")
    outbox.add([opened("D2")])

    entries = outbox.pending(10)

    assert [e.event for e in entries] == [opened("D1"), None, opened("D2")]
    bad = entries[1]
    assert "from_the_future" in bad.problem
    assert bad.attempts == 0
    assert entries[0].problem == entries[2].problem == ""


def test_what_was_committed_survives_reopening(harness: Harness, outbox: Outbox) -> None:
    if not harness.reopens:
        pytest.skip("an in-memory outbox does not outlive its object")
    outbox.add([opened("D1"), opened("D2"), opened("D3"), notices()])
    done, failed, parked, notice = outbox.pending(10)
    outbox.mark_done([done.id], at_ms=9_000)
    outbox.mark_failed(failed.id, "boom", park=False)
    outbox.mark_failed(parked.id, "boom", park=True)

    again = harness.reopen(outbox)
    try:
        entries = again.pending(10)
        assert [(e.id, e.attempts) for e in entries] == [(failed.id, 1), (notice.id, 0)]
        assert [e.event for e in entries] == [opened("D2"), notices()]
        assert again.backlog() == OutboxBacklog(pending=2, parked=1, oldest_pending_at=1_000)

        again.add([opened("D1"), opened("D3"), opened("D4")])  # keys outlive the process
        newest = again.pending(10)[-1]
        assert newest.event == opened("D4")
        assert newest.id > notice.id
    finally:
        again.close()


def test_another_handle_on_the_same_store_sees_the_commits(harness: Harness) -> None:
    if not harness.reopens:
        pytest.skip("one in-memory outbox is one object")
    writer, reader = harness.open(), harness.open()
    try:
        writer.add([opened("D1")])
        entry = reader.pending(10)[0]
        reader.mark_done([entry.id], at_ms=9_000)
        assert writer.pending(10) == []
    finally:
        writer.close()
        reader.close()


def test_a_closed_outbox_refuses_to_be_used(harness: Harness) -> None:
    box = harness.open()
    box.close()
    with pytest.raises(Exception):  # noqa: B017 - each adapter raises its own error
        box.pending(10)


def test_parked_keys_are_those_of_keyed_rows_parked_and_not_done(outbox: Outbox) -> None:
    outbox.add([opened("D1"), cleared("D2"), notices(), opened("D3"), opened("D4")])
    first, second, notice, third, fourth = outbox.pending(10)
    for entry in (first, second, notice, third):
        outbox.mark_failed(entry.id, "boom", park=True)
    outbox.mark_done([third.id], at_ms=9_000)
    outbox.mark_failed(fourth.id, "boom", park=False)

    assert outbox.parked_keys() == {
        "opened|D1|smoke.alarm|1000",
        "cleared|D2|smoke.alarm|1000",
    }
    outbox.requeue([first.id])
    assert outbox.parked_keys() == {"cleared|D2|smoke.alarm|1000"}
