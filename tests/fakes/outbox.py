"""The Outbox port in memory: rows in commit order, keyed events kept once, attempts and parking
as the SQLite outbox keeps them."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from gridloop.domain.events import AlertCleared, AlertOpened, Event
from gridloop.service_layer.ports import OutboxBacklog, OutboxEntry

ERROR_CHARS = 500  # as the SQLite outbox: the last error is kept this long


@dataclass
class _Row:
    id: int
    topic: str
    event: Event | None  # None: an unreadable row (`problem` says why)
    key: str | None
    created_at: int
    problem: str = ""
    attempts: int = 0
    error: str | None = None
    done_at: int | None = None
    parked: bool = False

    @property
    def is_pending(self) -> bool:
        return self.done_at is None and not self.parked


def event_key(event: Event) -> str | None:
    """A replayed alert change has the same key; a notices row has none (it commits once)."""
    return event.key if isinstance(event, AlertOpened | AlertCleared) else None


def topic(event: Event) -> str:
    if isinstance(event, AlertOpened):
        return "alert_opened"
    return "alert_cleared" if isinstance(event, AlertCleared) else "notices"


def event_time(event: Event) -> int:
    """The cause's event time, which `backlog().oldest_pending_at` reports."""
    if isinstance(event, AlertOpened | AlertCleared):
        return event.change.at
    return min((n.at for n in event.notices), default=0)


class InMemoryOutbox:
    def __init__(self) -> None:
        self._rows: list[_Row] = []  # ascending ids: commit order
        self._keys: set[str] = set()
        self._next_id = 1
        self._open: list[list[Event]] = []  # events recorded in transactions not yet committed
        self._lock = threading.RLock()  # the dispatcher runs in a worker thread
        self.closed = False

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A cause's transaction: what `record` adds inside it is committed with it, or not at
        all (the in-memory counterpart of `adapters.sqlite.outbox.record` in a transaction)."""
        with self._lock:
            self._check_open()
            self._open.append([])
            try:
                yield
            except BaseException:
                self._open.pop()
                raise
            events = self._open.pop()
            if self._open:
                self._open[-1].extend(events)  # a nested transaction joins the outer one
            else:
                self._append(events)

    def record(self, events: Sequence[Event]) -> None:
        """Add events inside the open transaction."""
        with self._lock:
            if not self._open:
                raise RuntimeError("record() needs an open transaction(); add() opens its own")
            self._open[-1].extend(events)

    def add(self, events: Sequence[Event]) -> None:
        with self.transaction():
            self.record(events)

    def add_unreadable(self, topic: str, created_at: int = 0) -> int:
        """A row no decoder can read (a topic from a newer gridloop, a damaged payload)."""
        with self._lock:
            self._check_open()
            problem = f"unreadable {topic} row: ValueError: unknown outbox topic {topic!r}"
            row = _Row(self._next_id, topic, None, None, created_at, problem)
            self._rows.append(row)
            self._next_id += 1
            return row.id

    def pending(self, limit: int) -> list[OutboxEntry]:
        with self._lock:
            self._check_open()
            rows = [r for r in self._rows if r.is_pending]
            if limit >= 0:  # SQLite's LIMIT: a negative one is no limit
                rows = rows[:limit]
            return [OutboxEntry(r.id, r.event, r.attempts, r.problem) for r in rows]

    def mark_done(self, ids: Sequence[int], at_ms: int) -> None:
        with self._lock:
            self._check_open()
            wanted = set(ids)
            for row in self._rows:
                if row.id in wanted:
                    row.done_at = at_ms

    def mark_failed(self, entry_id: int, error: str, park: bool) -> None:
        with self._lock:
            self._check_open()
            for row in self._rows:
                if row.id == entry_id:
                    row.attempts += 1
                    row.error = error[:ERROR_CHARS]
                    row.parked = park

    def backlog(self) -> OutboxBacklog:
        with self._lock:
            self._check_open()
            pending = [r for r in self._rows if r.is_pending]
            return OutboxBacklog(
                pending=len(pending),
                parked=sum(r.parked and r.done_at is None for r in self._rows),
                oldest_pending_at=min((r.created_at for r in pending), default=None),
            )

    def parked(self, limit: int = 20) -> list[tuple[int, str, str]]:
        """Rows that failed every attempt: id, topic and the last error (as SqliteOutbox)."""
        with self._lock:
            rows = [r for r in self._rows if r.parked and r.done_at is None][:limit]
            return [(r.id, r.topic, r.error or "") for r in rows]

    def parked_keys(self) -> set[str]:
        with self._lock:
            self._check_open()
            rows = [r for r in self._rows if r.parked and r.done_at is None]
            return {r.key for r in rows if r.key is not None}

    def requeue(self, ids: Sequence[int] | None) -> int:
        with self._lock:
            self._check_open()
            wanted = None if ids is None else set(ids)
            rows = [r for r in self._rows if r.parked and r.done_at is None]
            rows = [r for r in rows if wanted is None or r.id in wanted]
            for row in rows:
                row.parked, row.attempts = False, 0
            return len(rows)

    def delivered(self) -> list[Event]:
        """The events marked done, in commit order (for assertions)."""
        with self._lock:
            return [r.event for r in self._rows if r.done_at is not None and r.event is not None]

    def last_error(self, entry_id: int) -> str | None:
        with self._lock:
            return next((r.error for r in self._rows if r.id == entry_id), None)

    def done_at(self, entry_id: int) -> int | None:
        with self._lock:
            return next((r.done_at for r in self._rows if r.id == entry_id), None)

    def close(self) -> None:
        self.closed = True

    def _append(self, events: Sequence[Event]) -> None:
        for event in events:
            key = event_key(event)
            if key is not None:
                if key in self._keys:
                    continue  # a replay after a restart: kept once
                self._keys.add(key)
            self._rows.append(_Row(self._next_id, topic(event), event, key, event_time(event)))
            self._next_id += 1

    def _check_open(self) -> None:
        if self.closed:
            raise RuntimeError("the outbox is closed")
