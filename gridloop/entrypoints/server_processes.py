"""`gridloop serve --processes N`: N server processes on one port, supervised.

Each process binds its own listening socket with SO_REUSEPORT, so the kernel spreads new
connections evenly over them (a single shared socket lets whichever process is idle first take
a whole burst of connections). One of them ingests telemetry and runs the clocks (see
web/leader_link.py). A process that dies is started again; one that keeps dying at start
stops the group with an error. SIGTERM or Ctrl-C stops every process gracefully.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import time
from multiprocessing.process import BaseProcess
from types import FrameType

log = logging.getLogger("gridloop.serve")
QUICK_DEATH_S = 5.0  # a process gone this soon after its start failed to start
MAX_QUICK_DEATHS = 5


def run_processes(processes: int, host: str, port: int, loop: str, access_log: bool) -> int:
    """Run until stopped; returns the exit status (0, or 1 when processes kept failing)."""
    spawn = multiprocessing.get_context("spawn")
    stopping: list[int] = []

    def stop(signum: int, _frame: FrameType | None) -> None:
        stopping.append(signum)

    def start(i: int) -> tuple[BaseProcess, float]:
        child = spawn.Process(
            target=_serve_one, args=(host, port, loop, access_log), name=f"gridloop-serve-{i}"
        )
        child.start()
        return child, time.monotonic()

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    children = [start(i) for i in range(processes)]
    quick_deaths, status = 0, 0
    try:
        while not stopping:
            time.sleep(0.2)
            for i, (child, started) in enumerate(children):
                if child.is_alive() or stopping:
                    continue
                quick_deaths += time.monotonic() - started < QUICK_DEATH_S
                if quick_deaths > MAX_QUICK_DEATHS:
                    log.error("server processes keep failing at start; stopping")
                    stopping.append(0)
                    status = 1
                    break
                log.warning("server process %s ended (%s); starting another", child.pid,
                            child.exitcode)  # fmt: skip
                children[i] = start(i)
    finally:
        for child, _started in children:
            if child.is_alive() and child.pid is not None:
                os.kill(child.pid, signal.SIGTERM)  # uvicorn finishes its requests, then exits
        for child, _started in children:
            child.join(60)
            if child.is_alive():
                child.kill()
        for s, handler in previous.items():
            signal.signal(s, handler)
    return status


def _serve_one(host: str, port: int, loop: str, access_log: bool) -> None:
    import uvicorn

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    config = uvicorn.Config(
        "gridloop.entrypoints.web.app:app_from_env",
        factory=True,
        loop=loop,
        log_level="info",
        access_log=access_log,
    )
    uvicorn.Server(config).run(sockets=[sock])
