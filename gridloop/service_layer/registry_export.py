"""Export the stored registry as a district directory."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from gridloop.domain.registry import DistrictRegistry
from gridloop.service_layer.ports import UnitOfWork


class EmptyDatabase(Exception):
    """The database holds no district yet."""


def export_registry(
    uow: UnitOfWork, directory: Path, write: Callable[[DistrictRegistry, Path], None]
) -> DistrictRegistry:
    with uow:
        registry = uow.registry.load()
    if registry is None:
        raise EmptyDatabase("the database holds no district: run `gridloop import DIR` first")
    write(registry, directory)
    return registry
