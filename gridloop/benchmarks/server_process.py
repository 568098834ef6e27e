"""The server a benchmark measures: `gridloop serve` in a process of its own, on loopback."""

from __future__ import annotations

import contextlib
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
        wait_up(port)
        yield Served(port, server.pid)
    finally:
        server.terminate()
        server.wait(timeout=60)


def wait_up(port: int, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not come up")
