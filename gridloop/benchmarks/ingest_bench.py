"""`gridloop bench ingest`: a simulated day through the whole pipeline, against a floor.

The floor is measured in the same run on the same bytes: decode the NDJSON and insert
(device_id, ts, seq, values-as-JSON) with executemany, 10,000 rows a transaction, into a fresh
WAL table, nothing else. The ratio says how much of the floor's speed the pipeline keeps.
"""

from __future__ import annotations

import multiprocessing
import resource
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import orjson

from gridloop.adapters.telemetry.files import line_batches
from gridloop.bootstrap import bootstrap
from gridloop.config import Settings
from gridloop.simulator.district import write_district
from gridloop.simulator.telemetry import write_telemetry

BATCH = 10_000
HOUR_MS = 3_600_000


def bench_ingest(
    preset: str, hours: float, seed: int, progress: Callable[[str], None] = lambda _s: None
) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="gridloop-bench-") as tmp:
        work = Path(tmp)
        start_ms = _hour_floor(int(time.time() * 1000)) - int(hours * HOUR_MS)
        end_ms = start_ms + int(hours * HOUR_MS)
        progress(f"simulating the {preset} district and {hours:g} h of its telemetry")
        # In a child process, so that this process's peak memory is the pipeline's alone.
        context = multiprocessing.get_context("spawn")
        with context.Pool(1) as pool:
            devices = pool.apply(_prepare, (preset, hours, seed, start_ms, str(work)))
        app = bootstrap(Settings(db_path=work / "gridloop.db"))
        stream = work / "telemetry.ndjson"

        progress("full pipeline")
        pipeline = app.pipeline(clock=lambda: end_ms, background_writes=True)
        lines = 0
        started = time.perf_counter()
        for first, batch in line_batches(stream, BATCH):
            pipeline.ingest_lines(batch, first)
            lines += len(batch)
        pipeline.finish()
        seconds = time.perf_counter() - started

        progress("floor")
        floor_seconds = _floor(stream, work / "floor.db")
    report = pipeline.report.as_json()
    rate = lines / seconds
    floor_rate = lines / floor_seconds
    return {
        "benchmark": "ingest",
        "preset": preset,
        "hours": hours,
        "devices": devices,
        "messages": lines,
        "accepted": report["accepted"],
        "rejected": report["rejected"],
        "alerts": report["alerts_opened"],
        "seconds": round(seconds, 3),
        "messages_per_s": round(rate),
        "floor_seconds": round(floor_seconds, 3),
        "floor_messages_per_s": round(floor_rate),
        "ratio": round(rate / floor_rate, 3),
        "pipeline_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def _prepare(preset: str, hours: float, seed: int, start_ms: int, work: str) -> int:
    """Simulate the district, import it, simulate its telemetry; returns the device count."""
    folder = Path(work)
    registry = write_district(preset, seed, folder / "district")
    bootstrap(Settings(db_path=folder / "gridloop.db")).import_directory(folder / "district")
    write_telemetry(
        registry.devices, hours=hours, seed=seed, start_ms=start_ms, out=folder / "telemetry.ndjson"
    )
    return len(registry.devices)


def _floor(stream: Path, db: Path) -> float:
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("CREATE TABLE readings (device_id TEXT, ts, seq INTEGER, vals TEXT)")
    dumps, loads = orjson.dumps, orjson.loads
    started = time.perf_counter()
    for _first, batch in line_batches(stream, BATCH):
        rows = [
            (m["device_id"], m["ts"], m["seq"], dumps(m.get("values", {})))
            for m in loads(b"[" + b",".join(batch) + b"]")
        ]
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO readings VALUES (?, ?, ?, ?)", rows)
        conn.execute("COMMIT")
    seconds = time.perf_counter() - started
    conn.close()
    return seconds


def _hour_floor(ms: int) -> int:
    return ms - ms % HOUR_MS
