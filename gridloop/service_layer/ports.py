"""Ports the services need; adapters (SQLite now, PostgreSQL next) implement them.

The registry is imported and exported as a whole, so its repository works on collections:
bulk upserts in one transaction, never one round trip per record.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from types import TracebackType
from typing import Protocol, Self

from gridloop.domain.alerting.changes import AlertChange
from gridloop.domain.buildings import Building
from gridloop.domain.cases.events import CaseEvent
from gridloop.domain.cases.merging import Candidate
from gridloop.domain.cases.summary import CaseSummary
from gridloop.domain.devices.device import Device
from gridloop.domain.events import Event
from gridloop.domain.notifications import Notice
from gridloop.domain.people import Department, GridWorker, Resident
from gridloop.domain.problems import Problem
from gridloop.domain.regions import District, Grid
from gridloop.domain.registry import DistrictRegistry, RegistryStats
from gridloop.domain.telemetry import Message, Rejection


class RegistryRepository(Protocol):
    def district(self) -> District | None:
        """The district this database holds, with its streets and communities."""
        ...

    def save_district(self, district: District) -> None: ...
    def upsert_grids(self, grids: Sequence[Grid]) -> None: ...
    def upsert_buildings(self, buildings: Sequence[Building]) -> None: ...
    def upsert_workers(self, workers: Sequence[GridWorker]) -> None: ...
    def upsert_devices(self, devices: Sequence[Device]) -> None: ...
    def upsert_residents(self, residents: Sequence[Resident]) -> None: ...
    def upsert_departments(self, departments: Sequence[Department]) -> None: ...

    def grids(self) -> list[Grid]: ...
    def devices(self) -> list[Device]: ...
    def load(self) -> DistrictRegistry | None:
        """The whole registry, or None for an empty database."""
        ...

    def keys(self, table: str) -> set[str]:
        """Primary keys of one registry table (`grids`, `buildings`, `workers`...)."""
        ...

    def stats(self, kind_codes: Sequence[str]) -> RegistryStats: ...


class UnitOfWork(Protocol):
    """One transaction: commit explicitly, roll back on leaving without commit."""

    @property
    def registry(self) -> RegistryRepository: ...

    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...


class GridLocator(Protocol):
    """Point → grid code, for many points at once; None where no grid holds the point."""

    def locate_many(self, lons: Sequence[float], lats: Sequence[float]) -> list[str | None]: ...


class GeometryChecker(Protocol):
    """Problems of the grids' polygons: invalid shapes and overlaps (with the grids' lines)."""

    def __call__(self, grids: Sequence[tuple[Grid, int]], file: str) -> list[Problem]: ...


Decoded = tuple[list[Message], list[bytes], list[int], list[Rejection]]
"""Accepted messages, their raw JSON bytes and positions (same order), and the rejections."""


@dataclass(frozen=True)
class DevicePlace:
    """Where an alert's device is: copied onto the alert so alert lists need no join."""

    kind: str
    building_code: str
    grid_code: str


@dataclass(frozen=True)
class AlertRow:
    id: int
    device_id: str
    kind: str
    rule: str
    severity: str
    status: str
    started_at: int
    cleared_at: int | None
    occurrences: int
    building_code: str
    grid_code: str
    case_id: str | None


class TelemetryDecoder(Protocol):
    def decode_lines(
        self, lines: Sequence[bytes], now_ms: int | None, first: int = 1
    ) -> Decoded: ...
    def decode_objects(self, objs: Sequence[object], now_ms: int | None) -> Decoded: ...


class TelemetryStore(Protocol):
    """Append-only readings, alerts, counters and the engine checkpoint."""

    def write_batch(
        self,
        readings: Sequence[tuple[str, int, int, bytes]],
        changes: Sequence[AlertChange],
        places: Mapping[str, DevicePlace],
        counters: Mapping[str, int],
    ) -> int:
        """Store one batch atomically, the alert changes' events in the outbox with it;
        returns the id of the last reading stored."""
        ...

    def apply_changes(
        self, changes: Sequence[AlertChange], places: Mapping[str, DevicePlace]
    ) -> None: ...
    def checkpoint(
        self,
        reading_id: int,
        engine: Mapping[str, object],
        seqs: Mapping[str, object],
        saved_at: int,
    ) -> None:
        """Save the engine state and the hourly aggregates of the readings since, atomically."""
        ...

    def recover_aggregates(self, after_reading_id: int) -> None:
        """After a restart: aggregate again the readings the last checkpoint did not cover."""
        ...

    def load_checkpoint(self) -> tuple[int, dict[str, object], dict[str, object]] | None: ...
    def readings_after(
        self, reading_id: int, chunk: int = 10_000
    ) -> Iterator[list[tuple[int, bytes]]]: ...
    def alerts(
        self, status: str | None = None, rule: str | None = None, since: int | None = None
    ) -> list[AlertRow]: ...
    def counters(self) -> dict[str, int]: ...
    def delete_readings_before(self, ts_ms: int) -> int: ...

    @property
    def sent(self) -> int:
        """Write requests made so far (each write_batch, apply_changes, checkpoint)."""
        ...

    def committed(self) -> int:
        """How many of them are durable; a store writing in the background may lag."""
        ...

    def flush(self) -> None: ...
    def close(self) -> None: ...


@dataclass(frozen=True)
class OutboxEntry:
    id: int
    event: Event | None  # None: the row cannot be read (`problem` says why)
    attempts: int
    problem: str = ""


@dataclass(frozen=True)
class OutboxBacklog:
    pending: int
    parked: int  # failed every attempt; an operator looks (gridloop doctor)
    oldest_pending_at: int | None


class Outbox(Protocol):
    """Events committed with their cause, waiting for their handlers, in commit order."""

    def add(self, events: Sequence[Event]) -> None:
        """Record events in a transaction of their own (keyed ones at most once)."""
        ...

    def pending(self, limit: int) -> list[OutboxEntry]: ...
    def mark_done(self, ids: Sequence[int], at_ms: int) -> None: ...
    def mark_failed(self, entry_id: int, error: str, park: bool) -> None: ...
    def backlog(self) -> OutboxBacklog: ...
    def parked(self, limit: int = 20) -> list[tuple[int, str, str]]:
        """Rows that failed every attempt, oldest first: id, topic and the last error."""
        ...

    def parked_keys(self) -> set[str]:
        """The keys of the keyed rows that are parked (an alert's later changes wait behind
        them, so its clearing is never handled before its opening)."""
        ...

    def requeue(self, ids: Sequence[int] | None) -> int:
        """Make parked rows pending again with fresh attempts (all of them for None), once
        their cause is removed; returns how many. A row not parked is left as it is."""
        ...

    def close(self) -> None: ...


class Notifier(Protocol):
    """Delivers notices: the in-app feed, a webhook, a log. Must not block for long or raise
    for a delivery failure (it counts and logs it); the case is already committed."""

    def notify(self, notices: Sequence[Notice]) -> None: ...
    def close(self) -> None:
        """Deliver or give up on what is queued, then release resources."""
        ...


@dataclass(frozen=True)
class CaseFilter:
    """Which case summaries to list; empty tuples mean any."""

    case_ids: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    severities: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    grids: tuple[str, ...] = ()
    communities: tuple[str, ...] = ()
    streets: tuple[str, ...] = ()
    assignees: tuple[str, ...] = ()
    open_only: bool = False
    unlocated: bool = False  # the manual-location queue: reported without a grid
    below_level: str | None = None  # not escalated to this level (the top: nothing more to do)
    overdue_at: int | None = None  # open, not deferred, with a step past its deadline at this time
    reported_from: int | None = None
    reported_to: int | None = None
    sort: str = "reported_at"  # reported_at | updated_at | handle_due | sign_due | case_id
    descending: bool = False
    after_n: int | None = None  # cursor: allocation number of the last case of the previous page
    # keyset cursor for any sort: (sort value, case id) of the last case of the previous page
    after: tuple[int | str | None, str] | None = None
    limit: int | None = None


class CaseStore(Protocol):
    """Case histories (the truth) and their summaries (the read side), written together."""

    def atomic(self) -> AbstractContextManager[None]:
        """One write transaction; nested calls join the outer one."""
        ...

    def new_case_id(self, at_ms: int) -> str: ...
    def history(self, case_id: str) -> list[CaseEvent]: ...
    def histories(self) -> Iterator[list[CaseEvent]]: ...
    def save(
        self,
        events: Sequence[CaseEvent],
        summaries: Sequence[CaseSummary],
        notices: Sequence[Notice] = (),
    ) -> None:
        """Append the events, replace the summaries, store the notices in the in-app feed and
        put them in the outbox for delivery elsewhere: one transaction."""
        ...

    def summary(self, case_id: str) -> CaseSummary | None: ...
    def find(self, f: CaseFilter) -> list[CaseSummary]: ...
    def open_by_source(self, keys: Sequence[str]) -> dict[str, str]: ...
    def merge_candidates(
        self, category: str, box: tuple[float, float, float, float], since: int
    ) -> list[Candidate]: ...
    def open_load(self, assignees: Sequence[str]) -> dict[str, int]: ...
    def alert_ids(
        self, keys: Sequence[tuple[str, str, int]]
    ) -> dict[tuple[str, str, int], int]: ...
    def link_alerts(self, links: Mapping[int, str]) -> None: ...
    def case_of_alert(self, alert_id: int) -> str | None: ...
    def active_alerts_of_final_cases(self) -> list[tuple[str, str, int, str]]: ...
    def counts_by_state(self) -> dict[str, int]: ...
    def close(self) -> None: ...
    def cases_with_attachment(self, sha256: str) -> list[str]:
        """The cases whose history references this attachment (SIGN / HANDLE / FEEDBACK)."""
        ...
