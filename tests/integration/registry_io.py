"""Helpers for the registry import tests: run an import the way the CLI does."""

from __future__ import annotations

from pathlib import Path

from gridloop.bootstrap import App
from gridloop.domain.registry import RegistryStats
from gridloop.service_layer.registry_import import ImportSummary


def run_import(app: App, directory: Path) -> ImportSummary:
    return app.import_directory(directory)


def stored_stats(app: App) -> RegistryStats:
    uow = app.unit_of_work()
    try:
        with uow:
            return uow.registry.stats(app.kinds.codes())
    finally:
        uow.close()
