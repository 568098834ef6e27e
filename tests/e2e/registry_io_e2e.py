"""Import the tiny district into an app's database and return its devices."""

from __future__ import annotations

from pathlib import Path

from gridloop.bootstrap import App
from gridloop.domain.devices.device import Device


def import_tiny(app: App, directory: Path) -> list[Device]:
    app.import_directory(directory)
    uow = app.unit_of_work()
    try:
        with uow:
            return uow.registry.devices()
    finally:
        uow.close()
