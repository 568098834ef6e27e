"""`gridloop ingest` of a simulated day, killed with SIGKILL at random moments and then run to the
end, leaves exactly what an uninterrupted run leaves: readings, alerts and their cases, case
histories, notices; the outbox delivered; every alert in exactly one case; chains intact."""

from __future__ import annotations

import random
import subprocess
import time
from pathlib import Path

from cli_process import command, ok
from fault_support import INGEST_DAY, alert_case_problems, readings_count, simulated_day, snapshot

KILLS = 20


def test_ingest_killed_twenty_times_ends_as_an_uninterrupted_run(
    tiny_dir: Path, tmp_path: Path
) -> None:
    clean, killed, again = simulated_day(tiny_dir, tmp_path, "clean", "killed", "again")
    ingest = INGEST_DAY

    # two clean runs: the first may pay for cold caches (a fresh clone compiles its modules),
    # and a kill delay scaled on it could fall after the whole day was done
    timings = []
    for db in (clean, again):
        began = time.perf_counter()
        ok(*ingest, "--db", str(db), cwd=tmp_path)
        timings.append(time.perf_counter() - began)
    clean_s = min(timings)
    assert snapshot(clean).differences(snapshot(again)) == []  # the reference is deterministic

    total = readings_count(clean)
    rng = random.Random(12)
    kills, seen = 0, set()
    for attempt in range(10 * KILLS):
        before = readings_count(killed)
        run = subprocess.Popen(
            command(*ingest, "--db", str(killed)),
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if attempt % 2:
            # at a random moment: in the start-up, the replay of what is stored, or the work
            time.sleep(rng.uniform(0.1, 1.0) * clean_s)
        else:
            # once the run has stored a random share of what is left: a restart replays the
            # stored prefix first, so a delay alone falls ever more often before new work
            # on a machine whose start-up is slow
            wait_until_stored(run, killed, before + rng.randint(1, max(1, (total - before) // 3)))
            time.sleep(rng.uniform(0.0, 0.05) * clean_s)
        if run.poll() is None:
            run.kill()  # SIGKILL
            kills += 1
        run.wait(timeout=60)
        seen.add(readings_count(killed))
        if kills >= KILLS:
            break
    out = ok(*ingest, "--db", str(killed), cwd=tmp_path)

    assert kills >= KILLS, f"only {kills} runs were still going when their kill came"
    # the kills fell in the middle of the work, not only before it began or after it ended
    assert len({n for n in seen if 0 < n < total}) >= 3, sorted(seen)
    want, got = snapshot(clean), snapshot(killed)
    assert want.differences(got) == []
    assert len(want.tables["alerts"]) >= 30 and len(want.tables["cases"]) >= 30
    assert (got.undelivered, got.parked) == (0, 0)
    assert alert_case_problems(killed) == []
    assert "every chain intact" in ok("verify-history", "--db", str(killed), cwd=tmp_path), out


def wait_until_stored(run: subprocess.Popen[bytes], db: Path, readings: int) -> None:
    """Until `db` holds `readings` readings or `run` has ended."""
    deadline = time.monotonic() + 120
    while run.poll() is None and time.monotonic() < deadline:
        if readings_count(db) >= readings:
            return
        time.sleep(0.01)
