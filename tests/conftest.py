"""Shared fixtures: districts come from the simulator, so tests and demo speak of the same place."""

from __future__ import annotations

import asyncio
import gc
import shutil
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest

from gridloop.bootstrap import App, bootstrap
from gridloop.config import Settings

DEFAULT_GC_THRESHOLDS = gc.get_threshold()
T = TypeVar("T")


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


@pytest.fixture(autouse=True)
def collect_between_tests() -> Iterator[None]:
    """Undo the pipeline's streaming GC tuning after each test and collect.

    `App.pipeline()` freezes what is alive and raises the thresholds (right for a long-running
    process); across hundreds of tests that would keep every earlier test's cyclic garbage —
    and its open SQLite files — until the process runs out of descriptors.
    """
    yield
    if gc.get_freeze_count() or gc.get_threshold() != DEFAULT_GC_THRESHOLDS:
        gc.unfreeze()
        gc.set_threshold(*DEFAULT_GC_THRESHOLDS)
        gc.collect()


RunAsync = Callable[[Coroutine[Any, Any, T]], T]


@pytest.fixture
def run_async() -> RunAsync[Any]:
    """asyncio.run() in a thread of its own: the browser tests' Playwright keeps an event loop
    running in the main thread for the whole session, where asyncio.run() refuses to start."""

    def run(coro: Coroutine[Any, Any, T]) -> T:
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, coro).result()

    return run
