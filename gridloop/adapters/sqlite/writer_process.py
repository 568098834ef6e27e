"""A TelemetryStore whose writes run in a child process, so a replay uses both cores.

The parent numbers the readings itself (it is the only writer), sends each batch down a pipe and
goes on with the next one while the child writes; the child also keeps the hourly aggregates
(decoding each reading's values again there costs the parent nothing). Reads are served by the
parent's own connection after waiting for every pending write. Alert changes are published by the
pipeline only once `committed()` has seen their batch acknowledged, so "publish after commit"
still holds. Used for bulk replays (`gridloop ingest`, `gridloop bench ingest`); the HTTP and
MQTT doors keep the in-process store, because they acknowledge a message only once it is durable.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Mapping, Sequence
from multiprocessing.connection import Connection
from pathlib import Path

import orjson

from gridloop.adapters.sqlite.database import connect
from gridloop.adapters.sqlite.telemetry_store import SqliteTelemetryStore
from gridloop.domain.alerting.changes import AlertChange
from gridloop.service_layer.ports import AlertRow, DevicePlace

MAX_IN_FLIGHT = 3  # batches the child may lag behind: bounds memory and data at risk


class WriterFailed(RuntimeError):
    """The writer process stopped on an error; nothing after the last acknowledged batch is kept."""


class BackgroundTelemetryStore:
    def __init__(self, db_path: Path) -> None:
        self._local = SqliteTelemetryStore(connect(db_path))
        self._next_id = self._local.last_reading_id() + 1
        context = multiprocessing.get_context("spawn")  # no fork: the parent may hold threads
        self._pipe, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(str(db_path), child), daemon=True)
        self._process.start()
        child.close()
        self._sent = 0
        self._acked = 0

    def write_batch(
        self,
        readings: Sequence[tuple[str, int, int, bytes]],
        changes: Sequence[AlertChange],
        places: Mapping[str, DevicePlace],
        counters: Mapping[str, int],
    ) -> int:
        first = self._next_id
        numbered = [(first + i, *row) for i, row in enumerate(readings)]
        self._next_id += len(readings)
        needed = {c.device_id: places[c.device_id] for c in changes}
        self._send(("batch", numbered, list(changes), needed, dict(counters)))
        return self._next_id - 1

    def committed(self) -> int:
        """How many requests the child has made durable (waits for none)."""
        while self._pipe.poll():
            self._receive()
        return self._acked

    @property
    def sent(self) -> int:
        return self._sent

    def apply_changes(
        self, changes: Sequence[AlertChange], places: Mapping[str, DevicePlace]
    ) -> None:
        if changes:
            needed = {c.device_id: places[c.device_id] for c in changes}
            self._send(("changes", list(changes), needed))

    def checkpoint(
        self,
        reading_id: int,
        engine: Mapping[str, object],
        seqs: Mapping[str, object],
        saved_at: int,
    ) -> None:
        # Serialised here: bytes cross the pipe in one copy, and the dicts can go at once.
        state = (orjson.dumps(engine), orjson.dumps(seqs))
        # Not waited for: the child writes it after the batches before it, and until it is
        # durable the previous checkpoint plus the stored readings restore the same state.
        self._send(("checkpoint", reading_id, *state, saved_at))

    def recover_aggregates(self, after_reading_id: int) -> None:
        self._send(("recover", after_reading_id))  # the child keeps the aggregates
        self.flush()

    def flush(self) -> None:
        """Wait until the child has written everything sent so far."""
        while self._acked < self._sent:
            self._receive()

    def close(self) -> None:
        if self._process.is_alive():
            self.flush()
            self._pipe.send(("stop",))
            self._process.join(timeout=30)

    def _send(self, request: tuple[object, ...]) -> None:
        while self._sent - self.committed() >= MAX_IN_FLIGHT:
            self._receive()
        self._pipe.send(request)
        self._sent += 1

    def _receive(self) -> None:
        try:
            reply = self._pipe.recv()
        except EOFError as e:
            raise WriterFailed("the writer process ended without a word") from e
        if reply[0] == "error":
            raise WriterFailed(f"the writer process failed: {reply[1]}")
        self._acked += 1

    # Reads: everything sent must be visible first.
    def load_checkpoint(self) -> tuple[int, dict[str, object], dict[str, object]] | None:
        self.flush()
        return self._local.load_checkpoint()

    def readings_after(
        self, reading_id: int, chunk: int = 10_000
    ) -> Iterator[list[tuple[int, bytes]]]:
        self.flush()
        return self._local.readings_after(reading_id, chunk)

    def alerts(
        self, status: str | None = None, rule: str | None = None, since: int | None = None
    ) -> list[AlertRow]:
        self.flush()
        return self._local.alerts(status, rule, since)

    def counters(self) -> dict[str, int]:
        self.flush()
        return self._local.counters()

    def delete_readings_before(self, ts_ms: int) -> int:
        self.flush()
        return self._local.delete_readings_before(ts_ms)


def _serve(db_path: str, pipe: Connection) -> None:
    """The child: one connection, one request at a time, an acknowledgement for each."""
    store = SqliteTelemetryStore(connect(db_path))
    while True:
        request = pipe.recv()
        kind = request[0]
        try:
            if kind == "stop":
                return
            if kind == "batch":
                store.write_numbered_batch(*request[1:])
            elif kind == "changes":
                store.apply_changes(*request[1:])
            elif kind == "checkpoint":
                store.save_checkpoint_json(*request[1:])
            elif kind == "recover":
                store.recover_aggregates(*request[1:])
        except Exception as e:  # report, then stop: the parent raises WriterFailed
            pipe.send(("error", f"{type(e).__name__}: {e}"))
            return
        pipe.send(("ok",))
