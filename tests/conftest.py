"""Shared fixtures: districts come from the simulator, so tests and demo speak of the same place."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gridloop.bootstrap import App, bootstrap
from gridloop.config import Settings


@pytest.fixture(scope="session")
def tiny_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from gridloop.simulator.district import write_district

    out = tmp_path_factory.mktemp("tiny") / "district"
    write_district("tiny", 1, out)
    return out


@pytest.fixture
def tiny_dir(tiny_source: Path, tmp_path: Path) -> Path:
    """A fresh copy of the tiny district, free to corrupt."""
    copy = tmp_path / "tiny"
    shutil.copytree(tiny_source, copy)
    return copy


@pytest.fixture
def app(tmp_path: Path) -> App:
    return bootstrap(Settings(db_path=tmp_path / "gridloop.db"))
