"""`gridloop demo`: the simulated chengxi district working its closed loop."""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path

import click

HOUR_MS = 3_600_000
CALLS_PER_GRID_DAY = 0.5  # 12345 calls a day per grid: ~240 for chengxi's 480 grids


@click.command()
@click.option(
    "--dir",
    "directory",
    type=click.Path(path_type=Path),
    default=Path("gridloop-demo"),
    show_default=True,
    help="Where the demo keeps its district files and database.",
)
@click.option("--fresh", is_flag=True, help="Start again from an empty directory.")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option(
    "--preset", type=click.Choice(["tiny", "chengxi"]), default="chengxi", show_default=True
)
@click.option(
    "--headless",
    is_flag=True,
    help="No server: run --hours simulated hours as fast as possible, print the briefing "
    "and the JSON report, exit.",
)
@click.option("--hours", type=float, default=None, help="Simulated hours (default 24; 6 live).")
@click.option("--speed", type=float, default=60, show_default=True, help="Live: time factor.")
@click.option("--port", type=int, default=8080, show_default=True)
def demo(
    directory: Path,
    fresh: bool,
    seed: int,
    preset: str,
    headless: bool,
    hours: float | None,
    speed: float,
    port: int,
) -> None:
    """Build a simulated district, import it, and run its sensors, callers and workers."""
    from gridloop.entrypoints.cli import import_, sim_district, stats

    if fresh and directory.exists():
        shutil.rmtree(directory)
    district_dir = directory / "district"
    ctx = click.get_current_context()
    if not (district_dir / "district.json").exists():
        ctx.invoke(sim_district, preset=preset, seed=seed, out=district_dir)
    if headless:
        _headless(directory, district_dir, seed, hours or 24.0)
        return
    db = directory / "gridloop.db"
    ctx.invoke(import_, directory=district_dir, db=str(db))
    ctx.invoke(stats, fmt="text", db=str(db))
    _live(directory, district_dir, db, seed, hours or 6.0, speed, port)


def _simulated_span(hours: float) -> tuple[int, int]:
    """`hours` ending at the last full hour: a stream the intake accepts as recent."""
    end = int(time.time() * 1000) // HOUR_MS * HOUR_MS
    return end - round(hours * HOUR_MS), end


def _headless(directory: Path, district_dir: Path, seed: int, hours: float) -> None:
    from gridloop.bootstrap import bootstrap
    from gridloop.config import Settings
    from gridloop.entrypoints.demo_day import run_day
    from gridloop.entrypoints.progress import steps
    from gridloop.simulator.hotline import hotline_requests
    from gridloop.simulator.telemetry.stream import write_telemetry

    db = directory / "day.db"
    for old in directory.glob("day.db*"):
        old.unlink()  # every headless run is a fresh day
    app = bootstrap(Settings.from_env(str(db)))
    with steps("demo") as show:
        app.import_directory(district_dir, show)
        start, end = _simulated_span(hours)
        registry = app.registry()
        assert registry is not None
        stream = directory / f"day-{seed}-{hours:g}h.ndjson.gz"
        show("simulating telemetry")
        write_telemetry(
            registry.devices, hours=hours, seed=seed, start_ms=start, out=stream, progress=show
        )
        per_day = CALLS_PER_GRID_DAY * len(registry.grids)
        calls = hotline_requests(registry.buildings, start, hours, seed, per_day)
        result = run_day(app, stream, calls, (start, end), seed, progress=show)
    click.echo(
        f"{hours:g} simulated hours of {registry.district.name}: {result.messages:,} "
        f"messages, {result.alerts_opened:,} alerts, {result.hotline_requests:,} hotline "
        f"calls, {result.cases_opened:,} cases, {result.escalations:,} escalations, "
        f"in {result.seconds:.1f} s"
    )
    click.echo("\n" + result.briefing_zh + "\n")
    json.dump(result.as_json(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    click.echo(f"\ndatabase: {db}   (gridloop report --db {db} --by category)", err=True)
    if not result.history.intact:
        for problem in result.history.problems[:20]:
            click.echo(problem, err=True)
        sys.exit(1)


def _live(
    directory: Path, district_dir: Path, db: Path, seed: int, hours: float, speed: float, port: int
) -> None:
    from gridloop.bootstrap import bootstrap
    from gridloop.config import Settings
    from gridloop.entrypoints import demo_live
    from gridloop.entrypoints.demo_day import run_day
    from gridloop.entrypoints.progress import steps
    from gridloop.simulator.hotline import hotline_requests
    from gridloop.simulator.telemetry.stream import write_telemetry

    app = bootstrap(Settings.from_env(str(db)))
    registry = app.registry()
    assert registry is not None
    first_run = not app.case_store().counts_by_state()
    accounts = None
    with steps("demo") as show:
        if first_run:
            accounts = demo_live.create_accounts(app, registry)
            # ending now, not at the hour: a gap would leave every device silent long enough to
            # raise its offline alert when the live server's clock takes over
            end = int(time.time() * 1000)
            start = end - 2 * HOUR_MS
            past = directory / "past-2h.ndjson.gz"
            show("simulating the last two hours")
            write_telemetry(registry.devices, hours=2, seed=seed, start_ms=start, out=past)
            calls = hotline_requests(registry.buildings, start, 2, seed, _calls_per_day(registry))
            run_day(app, past, calls, (start, end), seed, progress=show)
        show(f"simulating {hours:g} h of sensors to play at {speed:g}×")
        now = int(time.time() * 1000)
        live = directory / f"live-{seed}.ndjson.gz"
        write_telemetry(registry.devices, hours=hours, seed=seed + 1, start_ms=now, out=live)
        calls = hotline_requests(registry.buildings, now, hours, seed + 1, _calls_per_day(registry))
    url = f"http://127.0.0.1:{port}"
    click.echo(f"\n指挥中心 dashboard: {url}/      网格员手机页 worker phone page: {url}/m/")
    if accounts is not None:
        click.echo("demo accounts (passwords shown only now):")
        for line in accounts.lines:
            click.echo(line)
    else:
        click.echo("accounts: as printed when this demo was set up (gridloop demo --fresh: anew)")
        accounts = demo_live.create_integration_keys(app)
    click.echo("Ctrl-C stops.\n")
    addresses = {b.code: b.address for b in registry.buildings}

    def driver(base: str) -> demo_live.LiveDriver:
        assert accounts is not None
        return demo_live.LiveDriver(app, base, accounts, live, calls, addresses, speed, seed)

    demo_live.serve_until_interrupted(app, port, driver)


def _calls_per_day(registry: object) -> float:
    grids = getattr(registry, "grids", ())
    return CALLS_PER_GRID_DAY * len(grids)
