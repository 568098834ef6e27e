"""The app under uvicorn in a background thread of this process (the live demo, the dashboard
benchmark, the HTTP tests), on loopback."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from gridloop.config import Settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_server(
    settings: Settings, port: int | None = None, start_timeout_s: float = 60
) -> Iterator[str]:
    """Serve until the block ends; yields the base URL. The app's shutdown (checkpoint, closing
    every connection) runs before this returns."""
    import uvicorn

    from gridloop.entrypoints.web.app import create_app

    port = port or free_port()
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + start_timeout_s
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
