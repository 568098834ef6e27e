"""Wire the application from settings: storage, device kinds, spatial index, checks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.metadata import entry_points

from gridloop.adapters.geometry_checks import grid_geometry_problems
from gridloop.adapters.spatial_index import GridIndex
from gridloop.adapters.sqlite.unit_of_work import SqliteUnitOfWork
from gridloop.config import Settings
from gridloop.domain.devices.catalog import KindCatalog, default_catalog
from gridloop.domain.devices.kind import DeviceKind
from gridloop.domain.regions import Grid
from gridloop.service_layer.ports import GeometryChecker, GridLocator

ENTRY_POINT_GROUP = "gridloop.device_kinds"


def extension_kinds() -> Iterable[DeviceKind]:
    """Kinds that installed extensions declare under the `gridloop.device_kinds` entry points."""
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        kind = ep.load()
        if not isinstance(kind, DeviceKind):
            raise TypeError(f"entry point {ep.name} of {ENTRY_POINT_GROUP} is not a DeviceKind")
        yield kind


def build_locator(grids: Sequence[Grid]) -> GridLocator:
    return GridIndex.build(grids)


@dataclass
class App:
    settings: Settings
    kinds: KindCatalog
    check_geometry: GeometryChecker

    def unit_of_work(self) -> SqliteUnitOfWork:
        return SqliteUnitOfWork(self.settings.db_path)

    def build_locator(self, grids: Sequence[Grid]) -> GridLocator:
        return build_locator(grids)


def bootstrap(settings: Settings) -> App:
    return App(
        settings=settings,
        kinds=default_catalog(extension_kinds),
        check_geometry=grid_geometry_problems,
    )
