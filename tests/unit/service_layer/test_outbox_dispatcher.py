"""The outbox dispatcher on the in-memory outbox: commit order, retries, parking, the worker."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

import pytest
from fakes.events import cleared, notices, opened
from fakes.outbox import InMemoryOutbox

from gridloop.domain.events import AlertCleared, AlertOpened, Event, NoticesIssued
from gridloop.service_layer.messagebus import MessageBus
from gridloop.service_layer.outbox import MAX_ATTEMPTS, OutboxDispatcher, OutboxWorker
from gridloop.service_layer.ports import OutboxEntry

NOW = 42_000


class Handlers:
    """Records what each handler call received; refuses a batch holding a failing event."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, list[Event]]] = []
        self.failing: list[Event] = []  # a list: notices are not hashable
        self.lock = threading.Lock()

    def bus(self) -> MessageBus:
        return MessageBus(
            {
                AlertOpened: [self._handler("open_cases")],
                AlertCleared: [self._handler("record_clearings")],
                NoticesIssued: [self._handler("deliver_notices")],
            }
        )

    def handled(self) -> list[Event]:
        return [e for _name, events in self.calls for e in events]

    def _handler(self, name: str) -> Callable[[Sequence[Event]], None]:
        def handle(events: Sequence[Event]) -> None:
            bad = [e for e in events if e in self.failing]
            if bad:
                raise RuntimeError(f"cannot handle {bad[0]}")
            with self.lock:
                self.calls.append((name, list(events)))

        return handle


@pytest.fixture
def outbox() -> InMemoryOutbox:
    return InMemoryOutbox()


@pytest.fixture
def handlers() -> Handlers:
    return Handlers()


@pytest.fixture
def dispatcher(outbox: InMemoryOutbox, handlers: Handlers) -> OutboxDispatcher:
    return OutboxDispatcher(outbox, handlers.bus(), clock=lambda: NOW)


def run_until_idle(dispatcher: OutboxDispatcher, runs: int = 20) -> list[Event]:
    delivered: list[Event] = []
    for _ in range(runs):
        delivered += dispatcher.run()
        if not dispatcher.outbox.pending(1):
            return delivered
    raise AssertionError(f"still pending after {runs} runs")


def test_delivers_in_commit_order_and_marks_done_at_the_clocks_time(
    outbox: InMemoryOutbox, handlers: Handlers, dispatcher: OutboxDispatcher
) -> None:
    events: list[Event] = [opened("D1"), opened("D2"), notices("worker:W1"), cleared("D1")]
    outbox.add(events[:2])
    outbox.add(events[2:])
    ids = [e.id for e in outbox.pending(10)]

    assert dispatcher.run() == events

    assert handlers.calls == [
        ("open_cases", events[:2]),  # one call for the run of one type
        ("deliver_notices", [events[2]]),
        ("record_clearings", [events[3]]),
    ]
    assert outbox.pending(10) == []
    assert [outbox.done_at(i) for i in ids] == [NOW] * 4
    assert dispatcher.stats.delivered == 4
    assert dispatcher.stats.by_type == {"AlertOpened": 2, "NoticesIssued": 1, "AlertCleared": 1}


def test_a_run_with_nothing_pending_hands_nothing_over(
    handlers: Handlers, dispatcher: OutboxDispatcher
) -> None:
    assert dispatcher.run() == []
    assert handlers.calls == []


def test_a_later_run_delivers_only_what_was_committed_since(
    outbox: InMemoryOutbox, handlers: Handlers, dispatcher: OutboxDispatcher
) -> None:
    outbox.add([opened("D1")])
    dispatcher.run()
    outbox.add([opened("D2")])

    assert dispatcher.run() == [opened("D2")]
    assert handlers.handled() == [opened("D1"), opened("D2")]


def test_reads_the_outbox_a_batch_at_a_time_until_it_is_empty(
    outbox: InMemoryOutbox, handlers: Handlers, dispatcher: OutboxDispatcher
) -> None:
    events = [opened(f"D{i}") for i in range(5)]
    outbox.add(events)

    assert dispatcher.run(batch=2) == events
    assert [len(batch) for _name, batch in handlers.calls] == [2, 2, 1]


def test_stops_at_a_failing_row_and_tries_it_again_next_run(
    outbox: InMemoryOutbox, handlers: Handlers, dispatcher: OutboxDispatcher
) -> None:
    outbox.add([opened("D1"), opened("D2"), opened("D3")])
    handlers.failing = [opened("D2")]

    assert dispatcher.run() == [opened("D1")]
    front = outbox.pending(10)
    assert [(e.event, e.attempts) for e in front] == [(opened("D2"), 1), (opened("D3"), 0)]
    assert "RuntimeError: cannot handle" in (outbox.last_error(front[0].id) or "")

    handlers.failing = []
    assert dispatcher.run() == [opened("D2"), opened("D3")]
    assert handlers.handled() == [opened("D1"), opened("D2"), opened("D3")]  # each once


def test_what_follows_a_failing_row_waits_for_it(
    outbox: InMemoryOutbox, handlers: Handlers, dispatcher: OutboxDispatcher
) -> None:
    outbox.add([opened("D1"), cleared("D1")])
    handlers.failing = [opened("D1")]

    for _ in range(3):
        assert dispatcher.run() == []

    assert handlers.calls == []  # the clearing is never handled before its opening
    assert outbox.pending(10)[0].attempts == 3


def test_parks_a_row_after_five_failed_attempts_and_the_rest_go_on(
    outbox: InMemoryOutbox, handlers: Handlers, dispatcher: OutboxDispatcher
) -> None:
    outbox.add([opened("D1"), opened("D2"), opened("D3")])
    handlers.failing = [opened("D2")]
    parked_id = outbox.pending(10)[1].id

    dispatcher.run()
    for _ in range(MAX_ATTEMPTS - 2):
        dispatcher.run()
    assert outbox.pending(10)[0].attempts == MAX_ATTEMPTS - 1  # still pending
    assert outbox.backlog().parked == 0

    run_until_idle(dispatcher)

    assert outbox.backlog().parked == 1
    assert [i for i, _topic, _error in outbox.parked()] == [parked_id]
    assert handlers.handled() == [opened("D1"), opened("D3")]
    assert dispatcher.stats.failures == MAX_ATTEMPTS
    assert dispatcher.stats.parked == 1
    assert dispatcher.stats.delivered == 2
    assert dispatcher.stats.by_type == {"AlertOpened": 2}


def test_the_number_of_attempts_is_the_dispatchers_setting(
    outbox: InMemoryOutbox, handlers: Handlers
) -> None:
    dispatcher = OutboxDispatcher(outbox, handlers.bus(), clock=lambda: NOW, max_attempts=2)
    outbox.add([notices("worker:W1")])
    handlers.failing = [notices("worker:W1")]

    dispatcher.run()
    assert outbox.backlog().parked == 0
    dispatcher.run()
    assert outbox.backlog().parked == 1
    assert outbox.pending(10) == []


def test_handler_exceptions_are_counted_each_attempt(
    outbox: InMemoryOutbox, handlers: Handlers, dispatcher: OutboxDispatcher
) -> None:
    outbox.add([opened("D1"), opened("D2")])
    handlers.failing = [opened("D2")]

    dispatcher.run()
    dispatcher.run()

    assert (dispatcher.stats.failures, dispatcher.stats.parked) == (2, 0)
    assert dispatcher.stats.delivered == 1


def test_an_unreadable_row_is_parked_at_once_with_its_problem(
    outbox: InMemoryOutbox, handlers: Handlers, dispatcher: OutboxDispatcher
) -> None:
    outbox.add([opened("D1")])
    bad = outbox.add_unreadable("from_the_future")
    outbox.add([opened("D2")])

    run_until_idle(dispatcher)

    assert handlers.handled() == [opened("D1"), opened("D2")]
    assert [(i, t) for i, t, _error in outbox.parked()] == [(bad, "from_the_future")]
    assert "from_the_future" in (outbox.last_error(bad) or "")
    assert (dispatcher.stats.parked, dispatcher.stats.failures) == (1, 1)


def test_rows_before_the_failing_one_in_a_batch_are_marked_done(
    outbox: InMemoryOutbox, handlers: Handlers, dispatcher: OutboxDispatcher
) -> None:
    outbox.add([opened("D1"), cleared("D1"), opened("D2")])
    handlers.failing = [opened("D2")]

    dispatcher.run()

    assert outbox.delivered() == [opened("D1"), cleared("D1")]
    assert [e.event for e in outbox.pending(10)] == [opened("D2")]


def test_the_run_that_parks_a_row_goes_on_with_the_rest(
    outbox: InMemoryOutbox, handlers: Handlers, dispatcher: OutboxDispatcher
) -> None:
    outbox.add([opened("D1"), opened("D2")])
    handlers.failing = [opened("D1")]
    for _ in range(MAX_ATTEMPTS - 1):
        dispatcher.run()

    dispatcher.run()  # the fifth failure: parked

    assert handlers.handled() == [opened("D2")]


def test_a_parked_event_is_not_reported_as_delivered(
    outbox: InMemoryOutbox, handlers: Handlers, dispatcher: OutboxDispatcher
) -> None:
    outbox.add([opened("D1")])
    handlers.failing = [opened("D1")]

    delivered = [e for _ in range(MAX_ATTEMPTS) for e in dispatcher.run()]

    assert outbox.backlog().parked == 1
    assert delivered == []


class FlakyOutbox(InMemoryOutbox):
    """The store itself fails: pending() raises as many times as asked."""

    def __init__(self, failures: int) -> None:
        super().__init__()
        self.failures = failures

    def pending(self, limit: int) -> list[OutboxEntry]:
        if self.failures:
            self.failures -= 1
            raise OSError("disk I/O error")
        return super().pending(limit)


def wait_for(condition: Callable[[], bool], timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.005)


def test_the_worker_delivers_when_woken(
    outbox: InMemoryOutbox, handlers: Handlers, dispatcher: OutboxDispatcher
) -> None:
    worker = OutboxWorker(dispatcher, threading.Event(), poll_s=60)  # no poll within the test
    worker.start()
    try:
        outbox.add([opened("D1")])
        worker.wake()
        wait_for(lambda: outbox.backlog().pending == 0)
    finally:
        worker.stop()

    assert handlers.handled() == [opened("D1")]


def test_stopping_the_worker_delivers_what_the_last_commits_left(
    outbox: InMemoryOutbox, handlers: Handlers, dispatcher: OutboxDispatcher
) -> None:
    worker = OutboxWorker(dispatcher, threading.Event(), poll_s=60)
    outbox.add([opened("D1"), notices("worker:W1")])

    worker.stop()

    assert handlers.handled() == [opened("D1"), notices("worker:W1")]
    assert outbox.backlog().pending == 0


def test_the_worker_survives_a_store_failure_and_tries_again(handlers: Handlers) -> None:
    outbox = FlakyOutbox(failures=2)
    dispatcher = OutboxDispatcher(outbox, handlers.bus(), clock=lambda: NOW)
    outbox.add([opened("D1")])
    worker = OutboxWorker(dispatcher, threading.Event(), poll_s=0.01)
    worker.start()
    try:
        wait_for(lambda: handlers.handled() == [opened("D1")])
    finally:
        worker.stop()

    assert outbox.failures == 0
    assert outbox.backlog().pending == 0


def park(dispatcher: OutboxDispatcher) -> None:
    for _ in range(MAX_ATTEMPTS):
        dispatcher.run()


def test_the_later_changes_of_an_alert_wait_behind_its_parked_opening(
    outbox: InMemoryOutbox, handlers: Handlers, dispatcher: OutboxDispatcher
) -> None:
    """A clearing handled before its opening would find no case and be lost for good."""
    outbox.add([opened("D1"), opened("D2")])
    handlers.failing = [opened("D1")]
    park(dispatcher)
    outbox.add([cleared("D1"), cleared("D2"), opened("D1", started_at=9_000)])

    dispatcher.run()

    assert handlers.handled() == [opened("D2"), cleared("D2"), opened("D1", started_at=9_000)]
    (_, held) = outbox.parked()
    assert "held behind a parked change of the same alert (D1|smoke.alarm|1000)" in held[2]
    assert outbox.backlog().parked == 2


def test_a_clearing_in_the_same_run_as_its_failing_opening_waits_too(
    outbox: InMemoryOutbox, handlers: Handlers, dispatcher: OutboxDispatcher
) -> None:
    outbox.add([opened("D1")])
    handlers.failing = [opened("D1")]
    for _ in range(MAX_ATTEMPTS - 1):
        dispatcher.run()
    outbox.add([cleared("D1"), opened("D2")])

    dispatcher.run()  # the fifth failure parks the opening; its clearing follows it

    assert handlers.handled() == [opened("D2")]
    assert [topic for _, topic, _ in outbox.parked()] == ["alert_opened", "alert_cleared"]


def test_requeued_changes_of_an_alert_are_handled_in_their_order_by_a_new_dispatcher(
    outbox: InMemoryOutbox, handlers: Handlers, dispatcher: OutboxDispatcher
) -> None:
    outbox.add([opened("D1"), cleared("D1"), opened("D2")])
    handlers.failing = [opened("D1")]
    park(dispatcher)
    later = OutboxDispatcher(outbox, handlers.bus(), clock=lambda: NOW)  # after a restart
    outbox.add([opened("D1", started_at=1_000, occurrences=2)])  # a replay: kept once
    later.run()
    assert handlers.handled() == [opened("D2")]

    handlers.failing = []
    assert outbox.requeue(None) == 2
    later.run()

    assert handlers.handled() == [opened("D2"), opened("D1"), cleared("D1")]
    assert outbox.backlog().parked == 0 and outbox.pending(10) == []
