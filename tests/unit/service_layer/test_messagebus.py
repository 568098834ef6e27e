"""The message bus hands runs of one event type to that type's handlers, in order; bootstrap's
`inject` binds each handler's dependencies by parameter name."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest
from fakes.events import cleared, notices, opened

from gridloop.bootstrap import EVENT_HANDLERS, inject
from gridloop.domain.events import AlertCleared, AlertOpened, Event, NoticesIssued
from gridloop.domain.notifications import Notice
from gridloop.service_layer.messagebus import Handler, MessageBus

Calls = list[tuple[str, list[Event]]]


def recorder(calls: Calls, name: str) -> Handler:
    def handle(events: Sequence[Event]) -> None:
        calls.append((name, list(events)))

    return handle


def test_each_event_type_goes_to_its_handlers_in_their_order() -> None:
    calls: Calls = []
    bus = MessageBus(
        {
            AlertOpened: [recorder(calls, "open_case"), recorder(calls, "count_open")],
            NoticesIssued: [recorder(calls, "deliver")],
        }
    )

    bus.handle([opened("D1"), notices("worker:W1")])

    assert calls == [
        ("open_case", [opened("D1")]),
        ("count_open", [opened("D1")]),
        ("deliver", [notices("worker:W1")]),
    ]


def test_a_run_of_one_type_is_one_batch_and_order_across_types_is_kept() -> None:
    calls: Calls = []
    bus = MessageBus(
        {
            AlertOpened: [recorder(calls, "opened")],
            AlertCleared: [recorder(calls, "cleared")],
        }
    )

    bus.handle([opened("D1"), opened("D2"), cleared("D1"), opened("D3")])

    assert calls == [
        ("opened", [opened("D1"), opened("D2")]),
        ("cleared", [cleared("D1")]),  # handled after its opening, before the next run
        ("opened", [opened("D3")]),
    ]


def test_events_nobody_handles_are_passed_over() -> None:
    calls: Calls = []
    bus = MessageBus({AlertOpened: [recorder(calls, "opened")], AlertCleared: []})

    bus.handle([cleared("D1"), notices(), opened("D1")])

    assert calls == [("opened", [opened("D1")])]
    assert bus.handles(AlertOpened)
    assert not bus.handles(AlertCleared)
    assert not bus.handles(NoticesIssued)


def test_no_events_call_no_handler() -> None:
    calls: Calls = []
    MessageBus({AlertOpened: [recorder(calls, "opened")]}).handle([])
    assert calls == []


def test_a_handler_exception_propagates_and_later_runs_wait() -> None:
    calls: Calls = []

    def refuse(events: Sequence[Event]) -> None:
        raise RuntimeError("case store down")

    bus = MessageBus(
        {
            AlertOpened: [recorder(calls, "first"), refuse, recorder(calls, "after")],
            AlertCleared: [recorder(calls, "cleared")],
        }
    )

    with pytest.raises(RuntimeError, match="case store down"):
        bus.handle([opened("D1"), cleared("D1")])

    assert calls == [("first", [opened("D1")])]


def test_the_bus_keeps_the_table_it_was_given() -> None:
    calls: Calls = []
    table: dict[type, list[Handler]] = {AlertOpened: [recorder(calls, "opened")]}
    bus = MessageBus(table)

    table[AlertOpened].append(recorder(calls, "added later"))
    bus.handle([opened("D1")])

    assert calls == [("opened", [opened("D1")])]


class RecordingNotifier:
    def __init__(self) -> None:
        self.notified: list[Notice] = []

    def notify(self, notices: Sequence[Notice]) -> None:
        self.notified.extend(notices)

    def close(self) -> None: ...


class RecordingAlertCases:
    def __init__(self) -> None:
        self.handled: list[list[Event]] = []

    def handle(self, events: Sequence[Event]) -> None:
        self.handled.append(list(events))


def test_inject_binds_dependencies_by_parameter_name() -> None:
    seen: list[tuple[list[Event], object, object]] = []

    def handler(events: Sequence[Event], notifier: object, alert_cases: object) -> None:
        seen.append((list(events), notifier, alert_cases))

    notifier, alert_cases = object(), object()
    bound = inject(
        {AlertOpened: [handler]}, alert_cases=alert_cases, notifier=notifier, unused=object()
    )
    bound[AlertOpened][0]([opened("D1")])

    assert seen == [([opened("D1")], notifier, alert_cases)]
    assert bound[AlertOpened][0].__name__ == "handler"  # logs name the handler, not a wrapper


def test_inject_keeps_each_types_handlers_in_order() -> None:
    calls: list[str] = []

    def make(name: str) -> Callable[[Sequence[Event]], None]:
        def handle(events: Sequence[Event]) -> None:
            calls.append(name)

        handle.__name__ = name
        return handle

    bound = inject({AlertOpened: [make("a"), make("b"), make("c")]})
    MessageBus(bound).handle([opened("D1")])

    assert calls == ["a", "b", "c"]


def test_inject_names_the_handler_and_the_dependency_it_lacks() -> None:
    def page_the_duty_officer(events: Sequence[Event], pager: object, notifier: object) -> None:
        raise AssertionError("not to be called")

    with pytest.raises(TypeError) as refused:
        inject({AlertOpened: [page_the_duty_officer]}, notifier=object())

    message = str(refused.value)
    assert "page_the_duty_officer" in message
    assert "'pager'" in message
    assert "notifier" not in message


def test_the_applications_handlers_are_wired_to_what_bootstrap_injects() -> None:
    notifier, alert_cases = RecordingNotifier(), RecordingAlertCases()
    bus = MessageBus(inject(EVENT_HANDLERS, alert_cases=alert_cases, notifier=notifier))
    batch = notices("worker:W1", "community:630104001001")

    bus.handle([opened("D1"), opened("D2"), cleared("D1"), batch, notices("worker:W2")])

    assert alert_cases.handled == [[opened("D1"), opened("D2")], [cleared("D1")]]
    assert notifier.notified == [*batch.notices, *notices("worker:W2").notices]
