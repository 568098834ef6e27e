"""`gridloop ingest`, `gridloop alerts` and `gridloop sim telemetry`."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from gridloop.entrypoints.progress import steps
from gridloop.entrypoints.timefmt import parse_iso

if TYPE_CHECKING:
    from gridloop.service_layer.ports import OutboxBacklog


def _wall_ms() -> int:
    return int(time.time() * 1000)


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--db", metavar="PATH", envvar="GRIDLOOP_DB", default=None)
@click.option("--batch", type=int, default=10_000, show_default=True, help="Lines per batch.")
@click.option(
    "--now",
    metavar="ISO",
    default=None,
    help="Judge timestamps against this time instead of the clock (replaying old files).",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option(
    "--cases/--no-cases",
    default=True,
    show_default=True,
    help="Turn alerts into cases and run the SLA clocks on the stream's event time.",
)
@click.option(
    "--simulate-workers",
    "sim_seed",
    type=int,
    default=None,
    metavar="SEED",
    help="Simulated grid workers, admins and dispatchers work the cases (demo, tests).",
)
def ingest(
    files: tuple[Path, ...],
    db: str | None,
    batch: int,
    now: str | None,
    fmt: str,
    cases: bool,
    sim_seed: int | None,
) -> None:
    """Replay NDJSON telemetry files (plain or .gz) through the pipeline."""
    from gridloop.adapters.telemetry.files import line_batches
    from gridloop.bootstrap import bootstrap
    from gridloop.config import Settings

    app = bootstrap(Settings.from_env(db))
    fixed = parse_iso(now) if now else None
    pipeline = app.pipeline(
        clock=(lambda: fixed) if fixed is not None else _wall_ms, background_writes=True
    )
    loop, case_loop = None, None
    if cases:
        from gridloop.service_layer.closed_loop import ClosedLoop
        from gridloop.service_layer.simulated_workers import SimulatedWorkers

        case_loop = app.case_loop()
        service = case_loop.service
        workers = SimulatedWorkers(service, sim_seed) if sim_seed is not None else None
        loop = ClosedLoop(pipeline, service, case_loop.dispatcher, workers)
        loop.dispatch()  # what an earlier run committed and could not deliver
    started = time.perf_counter()
    examples: list[str] = []
    with steps("ingest") as show:
        for path in files:
            for first, lines in line_batches(path, batch):
                show(f"{path.name}: line {first:,}")
                before = {r: len(v) for r, v in pipeline.report.examples.items()}
                pipeline.ingest_lines(lines, first)
                if loop is not None:
                    loop.advance()
                for reason, kept in pipeline.report.examples.items():
                    examples += [f"{path}:{r}" for r in kept[before.get(reason, 0) :]]
        show("writing the last batches")
        pipeline.drain()
        if loop is not None:
            loop.advance(force=True)  # the last alerts were committed by drain()
            pipeline.drain()
            loop.dispatch()
        pipeline.finish()
    seconds = time.perf_counter() - started
    doc = {**pipeline.report.as_json(), "seconds": round(seconds, 3)}
    undelivered = None
    if loop is not None and case_loop is not None:
        doc["cases"] = loop.cases.store.counts_by_state()
        doc["cases_opened"] = case_loop.alert_cases.opened
        doc["escalations"] = loop.escalations
        backlog = case_loop.dispatcher.outbox.backlog()
        doc["outbox"] = {"pending": backlog.pending, "parked": backlog.parked}
        if backlog.pending or backlog.parked:
            undelivered = backlog
    if fmt == "json":
        click.echo(json.dumps(doc))
        _stop_if_undelivered(undelivered)
        return
    click.echo(
        f"accepted {doc['accepted']:,} messages in {seconds:.1f} s; "
        f"rejected {doc['rejected']:,}; alerts opened {doc['alerts_opened']:,}, "
        f"cleared {doc['alerts_cleared']:,}"
    )
    if loop is not None and case_loop is not None:
        by_state = loop.cases.store.counts_by_state()
        states = ", ".join(f"{s} {n:,}" for s, n in sorted(by_state.items()))
        opened = case_loop.alert_cases.opened
        click.echo(f"cases opened {opened:,}; escalations {loop.escalations:,}; {states}")
    for reason, n in pipeline.report.rejected.most_common():
        click.echo(f"  rejected {reason}: {n:,}")
    for line in examples[:20]:
        click.echo(f"    {line}", err=True)
    _stop_if_undelivered(undelivered)


def _stop_if_undelivered(backlog: OutboxBacklog | None) -> None:
    """Alerts whose case could not be opened (or notices not sent) are said, never silent: the
    readings and alerts are stored; `gridloop outbox` shows why and redelivers."""
    if backlog is None:
        return
    click.echo(
        f"未能投递：已搁置 {backlog.parked:,} 条，待重试 {backlog.pending:,} 条"
        "（告警已保存；gridloop outbox status 查看原因，排除后 gridloop outbox redeliver）",
        err=True,
    )
    sys.exit(1)


@click.command()
@click.option("--db", metavar="PATH", envvar="GRIDLOOP_DB", default=None)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--status", type=click.Choice(["active", "cleared", "all"]), default="all")
@click.option(
    "--rule", metavar="CODE", default=None, help="Full rule code, e.g. gas_detector.gas_leak."
)
@click.option("--since", metavar="ISO", default=None, help="Alerts started at or after this time.")
def alerts(db: str | None, fmt: str, status: str, rule: str | None, since: str | None) -> None:
    """List alerts (JSON: id, device_id, kind, rule, severity, status, started_at, ...)."""
    from gridloop.bootstrap import bootstrap
    from gridloop.config import Settings
    from gridloop.entrypoints.alert_view import alert_json

    app = bootstrap(Settings.from_env(db))
    rows = app.telemetry_store().alerts(
        None if status == "all" else status, rule, parse_iso(since) if since else None
    )
    docs = [alert_json(a) for a in rows]
    if fmt == "json":
        json.dump(docs, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    for d in docs:
        cleared = f" → {d['cleared_at']}" if d["cleared_at"] else ""
        click.echo(
            f"{d['id']:>6} {d['started_at']}{cleared} {d['severity']:<8} {d['rule']:<42} "
            f"{d['device_id']} ×{d['occurrences']} grid {d['grid_code']}"
        )
    click.echo(f"{len(docs)} alert(s)")
