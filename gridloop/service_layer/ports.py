"""Ports the services need; adapters (SQLite now, PostgreSQL next) implement them.

The registry is imported and exported as a whole, so its repository works on collections:
bulk upserts in one transaction, never one round trip per record.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Protocol, Self

from gridloop.domain.alerting.changes import AlertChange
from gridloop.domain.buildings import Building
from gridloop.domain.devices.device import Device
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
    case_id: int | None


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
        """Store one batch atomically; returns the id of the last reading stored."""
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
