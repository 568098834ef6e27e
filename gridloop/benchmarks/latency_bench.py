"""`gridloop bench latency`: how long from a reading's arrival to its case in the assignee's feed,
with the live server under a steady telemetry load.

The server (`gridloop serve`, one process) holds a fresh chengxi district. A sender process
posts the district's normal readings over HTTP at a steady rate (default 20,000 messages/s) as
gateways do, and among them incident events (camera, smoke and access events, each from a
different device in a different place, so none merges into another's case). A listener process
holds the feed stream of every worker of the district (or, with `--phones incident-grids`, of
the incidents' grids only), as their phone pages would. For each incident the latency is
the time from its batch leaving the sender to the `assigned` notice of its case arriving on the
stream of the worker the case was assigned to; an incident whose case never reached its
assignee's stream counts as missed, not as fast.
"""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from gridloop.benchmarks.figures import percentiles
from gridloop.benchmarks.latency_load import GatewayPlan, listen, send
from gridloop.benchmarks.latency_setup import Scenario, build_scenario, gateway_index
from gridloop.benchmarks.server_process import Served, served

TARGET_P99_MS = 250.0


def bench_latency(
    preset: str,
    rate: float,
    seconds: float,
    incidents_per_s: float,
    gateways: int,
    batch: int,
    seed: int,
    progress: Callable[[str], None] = lambda _s: None,
    every_phone: bool = True,
    processes: int = 1,
) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="gridloop-bench-latency-") as tmp:
        work = Path(tmp)
        db = work / "gridloop.db"
        incidents = max(1, round(incidents_per_s * max(1.0, seconds - 5)))
        scenario = build_scenario(work, preset, incidents, gateways, seed, progress, every_phone)
        with served(db, progress, processes=processes) as server:
            measured = _run(server, scenario, rate, seconds, incidents_per_s, batch)
            progress("stopping the server")
        cases = _cases_of(db, {d for d, _e, _a in scenario.incidents})
    return _result(preset, rate, seconds, gateways, batch, processes, scenario, measured, cases)


def _run(
    server: Served,
    scenario: Scenario,
    rate: float,
    seconds: float,
    incidents_per_s: float,
    batch: int,
) -> dict[str, object]:
    port, server_pid = server.port, server.pid
    spawn = multiprocessing.get_context("spawn")
    ready, stop = spawn.Event(), spawn.Event()
    listened, listener_end = spawn.Pipe(duplex=False)
    listener = spawn.Process(
        target=listen, args=(port, scenario.listeners, ready, stop, listener_end)
    )
    listener.start()
    if not ready.wait(120):
        stop.set()
        listener.join(30)
        raise RuntimeError("the feed streams did not open within 120 s")
    plans = _plans(scenario, incidents_per_s, seconds)
    tallies_in, tallies_end = spawn.Pipe(duplex=False)
    start_at = time.monotonic() + 2.0  # the sender process is up by then
    sender = spawn.Process(
        target=send, args=(port, plans, rate, seconds, batch, start_at, tallies_end)
    )
    sender.start()
    time.sleep(max(0.0, start_at - time.monotonic()))
    cpu_before = _cpu_s(server_pid)
    tallies = tallies_in.recv()
    cpu_s = _cpu_s(server_pid) - cpu_before
    elapsed = time.monotonic() - start_at
    sender.join(30)
    time.sleep(3.0)  # the last incidents' notices are on their way
    stop.set()
    received, failures = listened.recv()
    listener.join(30)
    return {
        "tallies": tallies,
        "received": received,
        "listen_failures": failures,
        "elapsed_s": elapsed,
        "server_cpu_s": cpu_s,
        "server_peak_rss_mb": _peak_rss_mb(server_pid),
    }


def _plans(scenario: Scenario, incidents_per_s: float, seconds: float) -> list[GatewayPlan]:
    """Each gateway its token, its devices' readings, and the incidents of its devices, spread
    evenly from 2 s after the start to 3 s before the end."""
    plans = [GatewayPlan(token, templates) for token, templates in scenario.gateways]
    span = max(0.0, seconds - 5.0)
    step = span / max(1, len(scenario.incidents))
    for i, incident in enumerate(scenario.incidents):
        plans[gateway_index(incident[0], len(plans))].incidents.append((2.0 + i * step, incident))
    return plans


def _cases_of(db: Path, devices: set[str]) -> dict[str, tuple[str, str | None]]:
    """device → (case_id, assignee) of the case each incident opened."""
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "SELECT source_key, case_id, assignee FROM cases WHERE source_key IS NOT NULL"
        ).fetchall()
    finally:
        conn.close()
    found: dict[str, tuple[str, str | None]] = {}
    for source, case_id, assignee in rows:
        device = str(source).split("|", 1)[0]
        if device in devices:
            found.setdefault(device, (case_id, assignee))
    return found


def _result(
    preset: str,
    rate: float,
    seconds: float,
    gateways: int,
    batch: int,
    processes: int,
    scenario: Scenario,
    measured: dict[str, object],
    cases: dict[str, tuple[str, str | None]],
) -> dict[str, object]:
    tallies = measured["tallies"]
    assert isinstance(tallies, list)
    sent_at = {d: t for tally in tallies for d, t in tally.sent_at.items()}
    arrivals: dict[tuple[str, str], float] = {}
    for worker, case_id, at in measured["received"]:  # type: ignore[attr-defined]
        arrivals.setdefault((worker, case_id), at)
    latencies, missed = [], 0
    for device, left in sent_at.items():
        case_id, assignee = cases.get(device, ("", None))
        at = arrivals.get((assignee or "", case_id))
        if at is None:
            missed += 1
        else:
            latencies.append((at - left) * 1000)
    sent = sum(t.sent for t in tallies)
    elapsed = float(measured["elapsed_s"])  # type: ignore[arg-type]
    most = round(max(latencies), 1) if len(latencies) >= 2 else 0.0
    cuts = {**percentiles(latencies), "max_ms": most}
    return {
        "benchmark": "latency",
        "preset": preset,
        "devices": scenario.devices,
        "rate_asked": rate,
        "seconds": seconds,
        "server_processes": processes,
        "gateways": gateways,
        "batch": batch,
        "messages_sent": sent,
        "messages_accepted": sum(t.accepted for t in tallies),
        "messages_per_s": round(sent / elapsed),
        "posts": sum(t.posts for t in tallies),
        "failed_posts": sum(t.failed_posts for t in tallies),
        "errors": [e for t in tallies for e in t.errors][:5],
        "sender_most_behind_ms": round(max(t.most_behind_s for t in tallies) * 1000, 1),
        "incidents": len(scenario.incidents),
        "incidents_sent": len(sent_at),
        "cases_opened": len(cases),
        "phones": len(scenario.listeners),
        "stream_failures": measured["listen_failures"],
        "measured": len(latencies),
        "missed": missed,
        **cuts,
        "target_p99_ms": TARGET_P99_MS,
        "met": bool(latencies) and missed == 0 and cuts["p99_ms"] < TARGET_P99_MS,
        "server_cpu_pct": round(100 * float(measured["server_cpu_s"]) / elapsed, 1),  # type: ignore[arg-type]
        "server_peak_rss_mb": measured["server_peak_rss_mb"],
    }


def _tree(pid: int) -> list[int]:
    """The process and its descendants (with --processes, the supervisor and its servers)."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        for task in Path(f"/proc/{p}/task").glob("*/children"):
            todo += [int(c) for c in task.read_text().split()]
    return found


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process and its descendants (Linux /proc)."""
    total = 0
    for p in _tree(pid):
        fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _peak_rss_mb(pid: int) -> int | None:
    """The peak resident memory of the process and its descendants, added up."""
    peaks = []
    for p in _tree(pid):
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]))
    return round(sum(peaks) / 1024) if peaks else None
