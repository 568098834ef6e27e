"""The outbox dispatcher: pending events to the message bus, in commit order, marked done after.

Delivery is at least once: a crash after a handler's commit and before `mark_done` hands the same
rows over again, so handlers are idempotent by key (an alert id opens at most one case; the feed's
notices were stored with their case, the webhook carries an idempotency key). A row whose handler
fails stops the run there (what follows may depend on it) and is tried again on the next run; a
row that failed `max_attempts` times is parked for an operator and the rest go on, except the
later changes of the same alert: they are parked behind it (an alert's clearing handled before
its opening would be lost), and `gridloop outbox redeliver` hands them over again in order.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from gridloop.domain.events import Event, incident_of, incident_of_key
from gridloop.service_layer.messagebus import MessageBus
from gridloop.service_layer.ports import Outbox, OutboxEntry

log = logging.getLogger(__name__)
BATCH = 500
MAX_ATTEMPTS = 5


@dataclass
class DispatchStats:
    delivered: int = 0
    failures: int = 0
    parked: int = 0
    by_type: dict[str, int] = field(default_factory=dict)


class OutboxDispatcher:
    def __init__(
        self,
        outbox: Outbox,
        bus: MessageBus,
        clock: Callable[[], int],
        max_attempts: int = MAX_ATTEMPTS,
    ) -> None:
        self.outbox, self.bus, self.clock = outbox, bus, clock
        self.max_attempts = max_attempts
        self.stats = DispatchStats()
        self._lock = threading.Lock()  # one run at a time: order is the contract
        self._held: set[str] = set()  # incidents with a parked change: the rest wait behind

    def run(self, batch: int = BATCH) -> list[Event]:
        """Deliver everything pending now; returns the events delivered, in order (a parked
        one is not among them, and the rows after it go on)."""
        delivered: list[Event] = []
        with self._lock:
            # read each run: an operator may have requeued them from another process
            self._held = {incident_of_key(k) for k in self.outbox.parked_keys()}
            while True:
                entries = self.outbox.pending(batch)
                if not entries:
                    return delivered
                events, blocked = self._deliver(entries)
                delivered += events
                if blocked:
                    return delivered  # stopped at a failure: the next run tries it again

    def _deliver(self, entries: list[OutboxEntry]) -> tuple[list[Event], bool]:
        """Hand the entries over: the events delivered, and whether a row that will be tried
        again stopped the rest (a parked row does not: it leaves `pending`)."""
        readable = 0
        while readable < len(entries) and entries[readable].event is not None:
            readable += 1
        if readable:
            ready = self._not_held(entries[:readable])
            events = [e.event for e in ready if e.event is not None]
            if not events:
                return [], False
            try:
                self.bus.handle(events)
            except Exception:  # find the row that fails, one at a time
                return self._one_by_one(ready)
            self._done(ready)
            return events, False
        bad = entries[0]  # an unreadable row cannot succeed later: park it at once
        self._failed(bad, bad.problem, park=True)
        return [], False

    def _not_held(self, entries: list[OutboxEntry]) -> list[OutboxEntry]:
        """The entries free to go; those of an alert with a parked change are parked behind it."""
        ready = []
        for entry in entries:
            incident = incident_of(entry.event) if entry.event is not None else None
            if incident is None or incident not in self._held:
                ready.append(entry)
                continue
            self._failed(entry, f"held behind a parked change of the same alert ({incident})", True)
            log.warning("outbox row %d held behind a parked change of %s", entry.id, incident)
        return ready

    def _one_by_one(self, entries: list[OutboxEntry]) -> tuple[list[Event], bool]:
        delivered: list[Event] = []
        for entry in entries:
            assert entry.event is not None
            try:
                self.bus.handle([entry.event])
            except Exception as e:  # counted, logged, kept or parked
                park = entry.attempts + 1 >= self.max_attempts
                self._failed(entry, f"{type(e).__name__}: {e}", park)
                log.warning(
                    "outbox row %d (%s) failed%s: %s",
                    entry.id,
                    type(entry.event).__name__,
                    "; parked" if park else "; will retry",
                    e,
                )
                return delivered, not park
            self._done([entry])
            delivered.append(entry.event)
        return delivered, False

    def _done(self, entries: list[OutboxEntry]) -> None:
        self.outbox.mark_done([e.id for e in entries], self.clock())
        self.stats.delivered += len(entries)
        for e in entries:
            name = type(e.event).__name__
            self.stats.by_type[name] = self.stats.by_type.get(name, 0) + 1

    def _failed(self, entry: OutboxEntry, error: str, park: bool) -> None:
        self.outbox.mark_failed(entry.id, error, park)
        self.stats.failures += 1
        self.stats.parked += int(park)
        incident = incident_of(entry.event) if park and entry.event is not None else None
        if incident is not None:
            self._held.add(incident)


class OutboxWorker:
    """Runs a dispatcher in a thread of its own: woken after a commit, and every `poll_s` for
    what other processes committed."""

    def __init__(
        self, dispatcher: OutboxDispatcher, wakeup: threading.Event, poll_s: float = 1.0
    ) -> None:
        self.dispatcher, self.poll_s = dispatcher, poll_s
        self._wake = wakeup
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="outbox", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)
        self.dispatcher.run()  # what the last commits left

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.poll_s)
            self._wake.clear()
            try:
                self.dispatcher.run()
            except Exception:  # the store itself failed: try again later
                log.exception("outbox dispatch failed; retrying in %.1f s", self.poll_s)
