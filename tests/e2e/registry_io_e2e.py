"""Import the tiny district into an app's database and return its devices."""

from __future__ import annotations

from pathlib import Path

from gridloop.adapters.formats.reader import read_directory
from gridloop.bootstrap import App
from gridloop.domain.devices.device import Device
from gridloop.service_layer.registry_import import import_registry


def import_tiny(app: App, directory: Path) -> list[Device]:
    uow = app.unit_of_work()
    try:
        import_registry(
            read_directory(directory), uow, app.kinds, app.check_geometry, app.build_locator
        )
        with uow:
            return uow.registry.devices()
    finally:
        uow.close()
