"""The pieces of several server processes: one lock makes one leader, telemetry passes to it
over a Unix socket frame by frame, and writers from several processes take turns."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gridloop.adapters.sqlite.database import connect, transaction
from gridloop.adapters.sqlite.write_gate import share_writes
from gridloop.entrypoints.web.leader_link import LeaderLink, Leadership, serve_intake


def test_one_leader_at_a_time_and_another_takes_over_when_it_goes(tmp_path: Path) -> None:
    first, second = Leadership(tmp_path / "g.db"), Leadership(tmp_path / "g.db")
    assert first.try_lead() and not second.try_lead()
    assert first.socket_path == second.socket_path
    first.release()
    assert second.try_lead()
    second.release()


def test_telemetry_passes_to_the_leader_and_its_answers_come_back(
    tmp_path: Path, run_async: Callable[..., Any]
) -> None:
    socket_path = tmp_path / "intake.sock"
    seen: list[tuple[str, bytes]] = []

    async def intake(token: str, body: bytes) -> tuple[int, dict[str, object]]:
        seen.append((token, body))
        if token != "good":
            return 401, {"detail": "a valid device or gateway token is required (Bearer)"}
        return 200, {"accepted": body.count(b"device_id"), "rejected": 0}

    modes: list[int] = []

    async def scenario() -> list[tuple[int, dict[str, object]]]:
        link = LeaderLink(socket_path, connect_timeout_s=0.5)
        gone = await link.ingest("good", b"[]")  # no leader yet: a clear 503, no exception
        server = await serve_intake(socket_path, intake)
        modes.append(socket_path.stat().st_mode & 0o777)
        body = b'[{"device_id":"SMK-1"},{"device_id":"SMK-2"}]'
        answers = [gone, await link.ingest("good", body), await link.ingest("bad", b"[]")]
        answers.append(await link.ingest("good", b"x" * 3_000_000))  # a large body, one frame
        server.close()
        await server.wait_closed()
        link.close()
        return answers

    answers = run_async(scenario())
    assert answers[0][0] == 503 and "retry" in str(answers[0][1]["detail"])
    assert answers[1] == (200, {"accepted": 2, "rejected": 0})
    assert answers[2][0] == 401
    assert answers[3] == (200, {"accepted": 0, "rejected": 0})
    assert [t for t, _b in seen] == ["good", "bad", "good"] and len(seen[2][1]) == 3_000_000
    assert modes == [0o600]  # only the server's own user may pass telemetry in


def _count_up(db: str, times: int) -> None:
    share_writes(Path(db))
    conn = connect(db)
    for _ in range(times):
        with transaction(conn):
            (n,) = conn.execute("SELECT n FROM counter").fetchone()
            conn.execute("UPDATE counter SET n = ?", (n + 1,))
    conn.close()


def test_writers_in_several_processes_take_turns_through_the_gate(tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    conn = connect(db)
    conn.execute("CREATE TABLE counter (n INTEGER)")
    conn.execute("INSERT INTO counter VALUES (0)")
    spawn = multiprocessing.get_context("spawn")
    writers = [spawn.Process(target=_count_up, args=(str(db), 300)) for _ in range(3)]
    for w in writers:
        w.start()
    for w in writers:
        w.join(120)
    assert [w.exitcode for w in writers] == [0, 0, 0]
    assert conn.execute("SELECT n FROM counter").fetchone() == (900,)
    assert (tmp_path / "g.db.writes").exists()  # the gate's lock file beside the database
