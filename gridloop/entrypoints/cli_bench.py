"""`gridloop bench`: each benchmark prints one JSON line and appends it to bench/results/."""

from __future__ import annotations

import json
from pathlib import Path

import click

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
