"""`gridloop bench`: each benchmark prints one JSON line and appends it to bench/results/."""

from __future__ import annotations

import json
from pathlib import Path

import click

from gridloop.entrypoints.cli_server import loop_option
from gridloop.entrypoints.progress import steps


@click.group()
def bench() -> None:
    """Benchmarks: each prints one JSON line of measured figures."""


@bench.command("lookups")
@click.option("--points", type=int, default=1_000_000, show_default=True)
@click.option("--grids", type=int, default=10_000, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
def bench_lookups(points: int, grids: int, seed: int) -> None:
    """Point → grid lookups through the STRtree index over a synthetic tiling."""
    from gridloop.adapters.spatial_bench import bench_lookups as run

    _record({"benchmark": "lookups", **run(points, grids, seed)})


@bench.command("ingest")
@click.option("--preset", type=click.Choice(["tiny", "chengxi", "city"]), default="chengxi")
@click.option("--hours", type=float, default=24, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
def bench_ingest(preset: str, hours: float, seed: int) -> None:
    """A simulated stream through the whole pipeline, and the floor on the same bytes."""
    from gridloop.benchmarks.ingest_bench import bench_ingest as run

    with steps("bench ingest") as show:
        result = run(preset, hours, seed, show)
    _record(result)


@bench.command("latency")
@click.option("--preset", type=click.Choice(["tiny", "chengxi"]), default="chengxi")
@click.option("--rate", type=float, default=20_000, show_default=True, help="Messages/s sent.")
@click.option("--seconds", type=float, default=60, show_default=True)
@click.option("--incidents", type=float, default=2, show_default=True, help="Incidents/s.")
@click.option("--gateways", type=int, default=10, show_default=True, help="Sending connections.")
@click.option("--batch", type=int, default=200, show_default=True, help="Messages per POST.")
@click.option(
    "--phones",
    type=click.Choice(["all", "incident-grids"]),
    default="all",
    show_default=True,
    help="Whose feed streams are open: every worker's, or those of the incidents' grids.",
)
@click.option("--processes", type=int, default=1, show_default=True, help="Server processes.")
@click.option("--seed", type=int, default=1, show_default=True)
def bench_latency(
    preset: str,
    rate: float,
    seconds: float,
    incidents: float,
    gateways: int,
    batch: int,
    phones: str,
    processes: int,
    seed: int,
) -> None:
    """Reading's arrival → its case in the assignee's feed, under steady HTTP telemetry."""
    from gridloop.benchmarks.latency_bench import bench_latency as run

    with steps("bench latency") as show:
        every = phones == "all"
        result = run(
            preset, rate, seconds, incidents, gateways, batch, seed, show, every, processes
        )
    _record(result)


@bench.command("scale")
@click.option("--preset", type=click.Choice(["tiny", "chengxi", "city"]), default="city")
@click.option("--hours", type=float, default=1, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
def bench_scale(preset: str, hours: float, seed: int) -> None:
    """The city preset (~100k devices) through the whole pipeline: throughput and peak RSS."""
    from gridloop.benchmarks.ingest_bench import bench_ingest as run

    with steps("bench scale") as show:
        result = run(preset, hours, seed, show)
    rss = result["pipeline_peak_rss_mb"]
    assert isinstance(rss, int)
    _record({**result, "benchmark": "scale", "target_rss_mb": 1024, "met": rss < 1024})


@bench.command("api")
@click.option("--preset", type=click.Choice(["tiny", "chengxi"]), default="chengxi")
@click.option("--workers", type=int, default=2000, show_default=True, help="Simulated workers.")
@click.option("--seconds", type=float, default=30, show_default=True)
@click.option("--concurrency", type=int, default=64, show_default=True, help="Requests in flight.")
@click.option("--seed", type=int, default=1, show_default=True)
@loop_option
@click.option("--processes", type=int, default=1, show_default=True, help="Server processes.")
def bench_api(
    preset: str,
    workers: int,
    seconds: float,
    concurrency: int,
    seed: int,
    loop: str,
    processes: int,
) -> None:
    """Grid workers listing, reading and signing cases over HTTP (server in its own process)."""
    from gridloop.benchmarks.api_bench import bench_api as run

    with steps("bench api") as show:
        result = run(preset, workers, seconds, concurrency, seed, show, loop, processes)
    _record(result)


@bench.command("dashboard")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--cases", type=int, default=3000, show_default=True, help="Hotline cases to file.")
@click.option("--days", type=int, default=30, show_default=True, help="...over these last days.")
@click.option("--loads", type=int, default=3, show_default=True, help="Page loads, cold and warm.")
@click.option(
    "--db",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Measure on this database (e.g. a demo's) instead of a fresh chengxi import.",
)
def bench_dashboard(seed: int, cases: int, days: int, loads: int, db: Path | None) -> None:
    """The command center's time to interactive in Chromium (median of cold and warm loads)."""
    from gridloop.benchmarks.dashboard_bench import bench_dashboard as run

    with steps("bench dashboard") as show:
        result = run(seed, cases, days, loads, db, show)
    _record(result)


def _record(result: dict[str, object]) -> None:
    """Print the benchmark's JSON line and append it to bench/results/<name>.jsonl."""
    from datetime import UTC, datetime

    stamp = {"at": datetime.now(UTC).isoformat(timespec="seconds"), "commit": _commit()}
    line = json.dumps({**result, **stamp})
    click.echo(line)
    folder = Path("bench/results")
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f"{result['benchmark']}.jsonl").open("a", encoding="utf-8") as f:
        f.write(line + "\n")


def _commit() -> str | None:
    """The checked-out commit, so a recorded figure says which code it measured."""
    import subprocess

    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=5
        )
    except OSError:
        return None
    return done.stdout.strip() or None
