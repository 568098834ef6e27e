"""Helpers for the registry import tests: run an import the way the CLI does."""

from __future__ import annotations

from pathlib import Path

from gridloop.adapters.formats.reader import read_directory
from gridloop.bootstrap import App
from gridloop.domain.registry import RegistryStats
from gridloop.service_layer.registry_import import ImportSummary, import_registry


def run_import(app: App, directory: Path) -> ImportSummary:
    uow = app.unit_of_work()
    try:
        return import_registry(
            read_directory(directory), uow, app.kinds, app.check_geometry, app.build_locator
        )
    finally:
        uow.close()


def stored_stats(app: App) -> RegistryStats:
    uow = app.unit_of_work()
    try:
        with uow:
            return uow.registry.stats(app.kinds.codes())
    finally:
        uow.close()
