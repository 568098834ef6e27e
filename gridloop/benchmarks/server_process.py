"""The server a benchmark measures: `gridloop serve` in a process of its own, on loopback."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from gridloop.entrypoints.web.serving import free_port


@dataclass(frozen=True)
class Served:
    port: int
    pid: int


@contextlib.contextmanager
def served(
    db: Path, progress: Callable[[str], None], loop: str = "auto", processes: int = 1
) -> Iterator[Served]:
    """Start the server on `db` (no access log), wait until it answers, stop it after."""
    port = free_port()
    progress(f"starting the server on port {port}")
    command = [sys.executable, "-m", "gridloop", "serve", "--db", str(db), "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--no-access-log", "--loop", loop, "--processes", str(processes)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "GRIDLOOP_DB": str(db)},
    )
    try:
        wait_up(port, processes=processes)
        yield Served(port, server.pid)
    finally:
        server.terminate()
        server.wait(timeout=60)


def wait_up(port: int, timeout_s: float = 120, processes: int = 1) -> None:
    """Until every server process answers: a load that connected earlier would pile its
    connections onto the first one up (each connection stays with the process it reached)."""
    deadline = time.monotonic() + timeout_s
    answered: set[int] = set()
    while time.monotonic() < deadline:
        try:  # a new connection each time: the kernel hands it to any process listening
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                answered.add(int(json.load(r).get("pid", 0)))
            if len(answered) >= processes:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{processes - len(answered)} of {processes} server processes not up")
