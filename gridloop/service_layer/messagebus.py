"""The message bus: domain events to the handlers that `bootstrap.EVENT_HANDLERS` names.

Handlers take a batch of events of one type (one case transaction for a batch of alerts, not
one per alert). Events keep their order: a run of one type goes to its handlers before the next
run starts, so an alert's opening is always handled before its clearing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from gridloop.domain.events import Event

Handler = Callable[[Sequence[Any]], None]
Handlers = Mapping[type, Sequence[Handler]]


class MessageBus:
    def __init__(self, handlers: Handlers) -> None:
        self._handlers = {t: tuple(hs) for t, hs in handlers.items()}

    def handle(self, events: Sequence[Event]) -> None:
        """Hand every event to its type's handlers, in order; a handler's exception propagates
        (the outbox then keeps the events pending)."""
        for run in _runs(events):
            for handler in self._handlers.get(type(run[0]), ()):
                handler(run)

    def handles(self, event_type: type) -> bool:
        return bool(self._handlers.get(event_type))


def _runs(events: Sequence[Event]) -> list[list[Event]]:
    """Consecutive events of one type, in order."""
    runs: list[list[Event]] = []
    for e in events:
        if runs and type(runs[-1][0]) is type(e):
            runs[-1].append(e)
        else:
            runs.append([e])
    return runs
