"""Several server processes on one database: one ingests, the others hand it their telemetry.

The rule engine keeps each device's state in memory, so exactly one process may evaluate
readings (and run the clocks): the one that holds an exclusive lock on `<db>.leader`. The
others answer every other request themselves and pass each telemetry POST (the token and the
body, unparsed) to the leader over a Unix socket only the server's user may open; the leader
authenticates, ingests and answers as if the POST had come to it. When the leader dies the
supervisor starts a new process, which takes the lock and recovers from the checkpoint.

A frame is a big-endian header and its bytes: request (token length, body length, token,
body); answer (HTTP status, JSON length, JSON).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import json
import logging
import os
import struct
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

log = logging.getLogger(__name__)
_REQUEST = struct.Struct(">II")
_ANSWER = struct.Struct(">II")
MAX_FRAME = 64 * 1024 * 1024
Intake = Callable[[str, bytes], Awaitable[tuple[int, dict[str, object]]]]


class Leadership:
    """The lock that makes one process the ingesting one; held until the process ends."""

    def __init__(self, db_path: Path) -> None:
        where = db_path.resolve()
        self.lock_path = where.with_name(where.name + ".leader")
        digest = hashlib.sha1(str(where).encode()).hexdigest()[:16]
        # in the temp folder: a socket path must stay under ~100 bytes wherever the database is
        self.socket_path = Path(tempfile.gettempdir()) / f"gridloop-{digest}.intake"
        self._fd: int | None = None

    def try_lead(self) -> bool:
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the lock
            self._fd = None


async def serve_intake(path: Path, intake: Intake) -> asyncio.AbstractServer:
    """The leader's side: answer framed telemetry POSTs from the other processes."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readexactly(_REQUEST.size)
                token_len, body_len = _REQUEST.unpack(head)
                if token_len + body_len > MAX_FRAME:
                    break
                token = (await reader.readexactly(token_len)).decode("utf-8", "replace")
                body = await reader.readexactly(body_len)
                status, answer = await intake(token, body)
                data = json.dumps(answer, ensure_ascii=False).encode()
                writer.write(_ANSWER.pack(status, len(data)) + data)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass  # the other process closed its connection
        finally:
            writer.close()

    with contextlib.suppress(FileNotFoundError):
        path.unlink()  # a socket left by a leader that died: the lock says it is ours now
    server = await asyncio.start_unix_server(handle, path=str(path))
    os.chmod(path, 0o600)
    return server


class LeaderLink:
    """A follower's side: connections to the leader's socket, reused one request at a time."""

    def __init__(self, path: Path, connect_timeout_s: float = 5.0) -> None:
        self.path, self.connect_timeout_s = path, connect_timeout_s
        self._idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        self.forwarded = 0

    async def ingest(self, token: str, body: bytes) -> tuple[int, dict[str, object]]:
        try:
            reader, writer = self._idle.pop() if self._idle else await self._open()
        except OSError as e:
            log.warning("the ingesting process is not reachable at %s: %s", self.path, e)
            return 503, {"detail": "the ingesting server process is not reachable; retry"}
        try:
            token_bytes = token.encode()
            writer.write(_REQUEST.pack(len(token_bytes), len(body)) + token_bytes + body)
            await writer.drain()
            status, length = _ANSWER.unpack(await reader.readexactly(_ANSWER.size))
            answer = json.loads(await reader.readexactly(length))
        except (OSError, asyncio.IncompleteReadError) as e:
            writer.close()
            log.warning("the ingesting process dropped a telemetry POST: %s", e)
            return 503, {"detail": "the ingesting server process went away; retry"}
        self._idle.append((reader, writer))
        self.forwarded += 1
        return status, answer

    async def _open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        # the leader may still be starting: try for a few seconds before giving up
        deadline = asyncio.get_running_loop().time() + self.connect_timeout_s
        while True:
            try:
                return await asyncio.open_unix_connection(str(self.path), limit=MAX_FRAME)
            except (FileNotFoundError, ConnectionRefusedError):
                if asyncio.get_running_loop().time() > deadline:
                    raise
                await asyncio.sleep(0.1)

    def close(self) -> None:
        for _reader, writer in self._idle:
            writer.close()
        self._idle.clear()
