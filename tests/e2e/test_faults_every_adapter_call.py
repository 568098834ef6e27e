"""A failure at any adapter call, in turn, then a restart: the end is that of a run without one.

Every call the replay makes on its adapters (the telemetry store, the case store, the outbox,
the notifier) is counted; run k raises at call k, either before the call happens or just after
it returned (its effect committed, its caller never told). An exception that escapes the replay
is a crash: the connections are dropped without a commit and a fresh process runs the whole
stream again. Whatever the code caught and retried itself must also end the same way.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from fault_support import alert_case_problems, snapshot

from gridloop.adapters.telemetry.files import line_batches
from gridloop.bootstrap import bootstrap
from gridloop.config import Settings
from gridloop.entrypoints.timefmt import parse_iso
from gridloop.service_layer.closed_loop import ClosedLoop
from gridloop.service_layer.ingest import IntakeUnavailable

START, NOW = "2026-11-20T00:00:00+08:00", parse_iso("2026-11-20T04:00:00+08:00")
BATCH = 500


class InjectedFault(RuntimeError):
    pass


class Faults:
    """Counts adapter calls and fails the one numbered `at` (before or after it runs)."""

    def __init__(self, at: int | None = None, after: bool = False) -> None:
        self.at, self.after = at, after
        self.calls = 0
        self.failed: str | None = None

    def around(self, name: str, call: Callable[[], Any]) -> Any:
        self.calls += 1
        failing = self.calls == self.at
        if failing and not self.after:
            self.failed = f"before {name}"
            raise InjectedFault(self.failed)
        result = call()
        if failing:
            self.failed = f"after {name}"
            raise InjectedFault(self.failed)
        return result


class Faulty:
    """An adapter whose every method call (and property read) goes through `faults`."""

    def __init__(self, inner: Any, port: str, faults: Faults) -> None:
        self._inner, self._port, self._faults = inner, port, faults

    def __getattr__(self, name: str) -> Any:
        where = f"{self._port}.{name}"
        value = self._faults.around(where, lambda: getattr(self._inner, name))
        if not callable(value):
            return value
        return lambda *a, **k: self._faults.around(where, lambda: value(*a, **k))


class Received:
    """A notifier beside the log (as the web server's bell is): what reached it."""

    def __init__(self) -> None:
        self.notices: list[object] = []

    def notify(self, notices: Sequence[object]) -> None:
        self.notices += notices

    def close(self) -> None:
        pass


def replay(db: Path, stream: Path, faults: Faults | None) -> None:
    """`gridloop ingest --now` in-process, the doors' in-process store; adapters wrapped."""
    app = bootstrap(Settings(db_path=db))
    pipeline = app.pipeline(clock=lambda: NOW)
    received: Any = Received()
    if faults is not None:
        received = Faulty(received, "notifier", faults)
    case_loop = app.case_loop(also=(received,), clock=lambda: NOW)
    adapters = [pipeline.store, case_loop.service.store, case_loop.dispatcher.outbox]
    if faults is not None:
        pipeline.store = Faulty(pipeline.store, "telemetry", faults)
        case_loop.service.store = Faulty(case_loop.service.store, "cases", faults)
        case_loop.dispatcher.outbox = Faulty(case_loop.dispatcher.outbox, "outbox", faults)
    loop = ClosedLoop(pipeline, case_loop.service, case_loop.dispatcher)
    try:
        loop.dispatch()
        for first, lines in line_batches(stream, BATCH):
            try:
                pipeline.ingest_lines(lines, first)
            except IntakeUnavailable:  # as a door does: nothing was kept, send it again
                pipeline.ingest_lines(lines, first)
            loop.advance()
        pipeline.drain()
        loop.advance(force=True)
        loop.dispatch()
        pipeline.finish()
        case_loop.close()
    finally:  # a crash: what was not committed is gone (closing commits nothing)
        for adapter in adapters:
            adapter.close()


@pytest.fixture(scope="module")
def day(tiny_source: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    where = tmp_path_factory.mktemp("faults")
    db = where / "base.db"
    for args in (
        ("import", str(tiny_source), "--db", str(db)),
        ("sim", "telemetry", "--district", str(tiny_source), "--hours", "1", "--seed", "1"),
    ):
        extra = ("--start", START, "--out", str(where / "s.ndjson")) if args[0] == "sim" else ()
        done = subprocess.run(
            [sys.executable, "-m", "gridloop", *args, *extra], capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
    yield where


def test_a_failure_at_any_adapter_call_then_a_restart_ends_as_a_clean_run(
    day: Path, tmp_path: Path
) -> None:
    stream = day / "s.ndjson"
    clean = tmp_path / "clean.db"
    shutil.copy(day / "base.db", clean)
    counting = Faults()
    replay(clean, stream, counting)
    want = snapshot(clean)
    assert len(want.tables["alerts"]) >= 20 and want.undelivered == 0

    wrong = []
    for at in range(1, counting.calls + 1):
        for after in (False, True):
            db = tmp_path / "run.db"
            shutil.copy(day / "base.db", db)
            faults = Faults(at, after)
            with contextlib.suppress(InjectedFault):  # the crash
                replay(db, stream, faults)
            assert faults.failed is not None, f"call {at} was not reached"
            replay(db, stream, None)  # the restart
            got = snapshot(db)
            problems = want.differences(got) + alert_case_problems(db)
            if got.undelivered or got.parked:
                problems.append(f"outbox: {got.undelivered} undelivered, {got.parked} parked")
            if problems:
                wrong.append(f"call {at} ({faults.failed}): {problems}")
    assert wrong == [], "\n".join(wrong[:10])
