"""Ports the services need; adapters (SQLite now, PostgreSQL next) implement them.

The registry is imported and exported as a whole, so its repository works on collections:
bulk upserts in one transaction, never one round trip per record.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType
from typing import Protocol, Self

from gridloop.domain.buildings import Building
from gridloop.domain.devices.device import Device
from gridloop.domain.people import Department, GridWorker, Resident
from gridloop.domain.problems import Problem
from gridloop.domain.regions import District, Grid
from gridloop.domain.registry import DistrictRegistry, RegistryStats


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
    def load(self) -> DistrictRegistry | None:
        """The whole registry, or None for an empty database."""
        ...

    def keys(self, table: str) -> set[str]:
        """Primary keys of one registry table (`grids`, `buildings`, `workers`...)."""
        ...

    def stats(self, kind_codes: Sequence[str]) -> RegistryStats: ...


class UnitOfWork(Protocol):
    """One transaction: commit explicitly, roll back on leaving without commit."""

    registry: RegistryRepository

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
