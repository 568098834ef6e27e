"""`gridloop serve --now` taking a simulated day over HTTP, killed with SIGKILL while a batch is in
flight at least ten times, its client resending every batch it got no answer for: the database
ends as an uninterrupted run's does, and as `gridloop ingest` of the same file leaves it."""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from cli_process import command, ok
from fault_support import alert_case_problems, readings_count, snapshot
from http_server import free_port

START, NOW = "2026-11-20T00:00:00+08:00", "2026-11-21T00:00:00+08:00"
BATCH = 500  # lines per POST, as `gridloop ingest --batch 500` reads them
KILLS = 12


class Server:
    """`gridloop serve --now` as its own process, started again after each kill."""

    def __init__(self, db: Path, cwd: Path) -> None:
        self.db, self.cwd, self.port = db, cwd, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = cwd / f"{db.stem}-server.log"

    def start(self) -> None:
        args = ["serve", "--db", str(self.db), "--port", str(self.port), "--now", NOW]
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                command(*args, "--no-access-log"),
                cwd=self.cwd,
                stdout=out,
                stderr=out,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log.read_text()[-3000:]
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise AssertionError(f"the server did not start:\n{self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.kill()  # SIGKILL: no shutdown of any kind
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        """SIGTERM: the replay's end runs (its clocks to the last committed event time)."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=120)  # uvicorn ends by raising the signal again
        log = self.log.read_text()
        assert code in (0, -signal.SIGTERM), log[-3000:]
        assert log.rstrip().endswith(f"Finished server process [{self.proc.pid}]"), log[-3000:]


@contextmanager
def serving(db: Path, cwd: Path) -> Iterator[Server]:
    server = Server(db, cwd)
    server.start()
    try:
        yield server
    finally:
        if server.proc is not None and server.proc.poll() is None:
            server.proc.kill()


def post(server: Server, token: str, lines: list[bytes]) -> httpx.Response:
    return httpx.post(
        f"{server.url}/api/v1/telemetry",
        content=b"\n".join(lines),
        headers={"Authorization": f"Bearer {token}"},
        timeout=120,
    )


def replay(
    server: Server, token: str, batches: list[list[bytes]], kill_at: set[int], rng: random.Random
) -> int:
    """Post every batch in order; at the chosen ones kill the server mid-request, start it
    again and resend the batch. Returns how many kills came while the batch was unanswered."""
    unanswered = 0
    for i, batch in enumerate(batches):
        if i in kill_at:
            answers: list[object] = []

            def send(batch: list[bytes] = batch, answers: list[object] = answers) -> None:
                try:
                    answers.append(post(server, token, batch))
                except httpx.TransportError as e:
                    answers.append(e)

            sender = threading.Thread(target=send)
            sender.start()
            time.sleep(rng.uniform(0.0, 0.06))
            server.kill()
            sender.join(timeout=60)
            unanswered += not isinstance(answers[0], httpx.Response)
            server.start()
        answer = post(server, token, batch)  # after a kill: resent, whatever became of it
        assert answer.status_code == 200, answer.text
    return unanswered


def test_serve_killed_with_batches_in_flight_ends_as_an_uninterrupted_ok(
    tiny_dir: Path, tmp_path: Path
) -> None:
    base = tmp_path / "base.db"
    ok("import", str(tiny_dir), "--db", str(base), cwd=tmp_path)
    token = ok(
        "token", "gateway", "--scope", "", "--label", "replay", "--db", str(base), cwd=tmp_path
    ).strip()
    ok(
        *("sim", "telemetry", "--district", str(tiny_dir), "--hours", "24", "--seed", "1"),
        *("--start", START, "--out", "day.ndjson"),
        cwd=tmp_path,
    )
    lines = [ln for ln in (tmp_path / "day.ndjson").read_bytes().splitlines() if ln.strip()]
    batches = [lines[i : i + BATCH] for i in range(0, len(lines), BATCH)]
    clean, killed, from_file = (tmp_path / f"{n}.db" for n in ("clean", "killed", "file"))
    for db in (clean, killed, from_file):
        shutil.copy(base, db)

    with serving(clean, tmp_path) as server:
        replay(server, token, batches, set(), random.Random(0))
        server.stop()
    rng = random.Random(21)
    kill_at = set(rng.sample(range(len(batches)), KILLS))
    with serving(killed, tmp_path) as server:
        unanswered = replay(server, token, batches, kill_at, rng)
        server.stop()
    ok(
        "ingest",
        "day.ndjson",
        "--now",
        NOW,
        "--batch",
        str(BATCH),
        "--db",
        str(from_file),
        cwd=tmp_path,
    )

    assert unanswered >= KILLS // 2, f"only {unanswered} kills came before the answer"
    want, got = snapshot(clean), snapshot(killed)
    assert want.differences(got) == []
    assert len(want.tables["alerts"]) >= 30 and len(want.tables["cases"]) >= 30
    assert readings_count(killed) == len(lines) == readings_count(clean)
    assert (got.undelivered, got.parked) == (0, 0)
    assert alert_case_problems(killed) == []
    assert snapshot(from_file).differences(want) == []  # HTTP replays as the file does
    assert "every chain intact" in ok("verify-history", "--db", str(killed), cwd=tmp_path)
