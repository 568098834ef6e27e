"""The `gridloop` command."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from gridloop import __version__
from gridloop.entrypoints.cli_attachments import attachments
from gridloop.entrypoints.cli_bench import bench
from gridloop.entrypoints.cli_cases import case
from gridloop.entrypoints.cli_demo import demo
from gridloop.entrypoints.cli_doctor import doctor
from gridloop.entrypoints.cli_mqtt import mqtt, mqtt_acl
from gridloop.entrypoints.cli_outbox import outbox
from gridloop.entrypoints.cli_report import report
from gridloop.entrypoints.cli_server import serve, token
from gridloop.entrypoints.cli_telemetry import alerts, ingest
from gridloop.entrypoints.cli_users import user
from gridloop.entrypoints.progress import steps

if TYPE_CHECKING:
    from gridloop.bootstrap import App

db_option = click.option(
    "--db",
    "db",
    metavar="PATH",
    envvar="GRIDLOOP_DB",
    default=None,
    help="SQLite database (default ./gridloop.db or $GRIDLOOP_DB).",
)


def _app(db: str | None) -> App:
    # Imported here: `gridloop --help` stays fast, and nothing heavy runs at import time.
    from gridloop.bootstrap import bootstrap
    from gridloop.config import Settings

    return bootstrap(Settings.from_env(db))


class _Commands(click.Group):
    """Every command: a configuration error is one line on stderr and exit code 2; a store
    that refuses telemetry one line and exit code 1."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except ValueError as e:
            if not _is_config_error(e):
                raise
            click.echo(f"配置错误：{e}", err=True)
            _stop_helpers()
            ctx.exit(2)
        except RuntimeError as e:
            from gridloop.adapters.sqlite.writer_process import WriterFailed
            from gridloop.service_layer.ingest import IntakeUnavailable

            if not isinstance(e, IntakeUnavailable | WriterFailed):
                raise
            # nothing of the failed batch counted as seen: running again resumes exactly
            click.echo(f"写入失败：{e}；修复后重新运行即可续传（已存的消息计为重复）", err=True)
            _stop_helpers()
            ctx.exit(1)


def _stop_helpers() -> None:
    """Stop the processes the command had started (a replay's writer) before they notice
    their parent leaving and say so on stderr."""
    import multiprocessing

    for child in multiprocessing.active_children():
        child.terminate()
        child.join(5)


def _is_config_error(e: ValueError) -> bool:
    # Imported only on an error: `gridloop --help` stays fast.
    from gridloop.config import ConfigError
    from gridloop.service_layer.telemetry_setup import RuleConfigError

    return isinstance(e, ConfigError | RuleConfigError)


@click.group(cls=_Commands)
@click.version_option(__version__, prog_name="gridloop")
def main() -> None:
    """gridloop: grid-based community governance (网格化社会治理)."""


for command in (ingest, alerts, serve, token, mqtt, mqtt_acl, bench, doctor):
    main.add_command(command)
main.add_command(report)
main.add_command(case)
main.add_command(demo)
main.add_command(user)
main.add_command(outbox)
main.add_command(attachments)


@main.command()
@db_option
def init(db: str | None) -> None:
    """Create the database (or bring its schema up to date)."""
    app = _app(db)
    click.echo(f"{app.settings.db_path}: schema version {app.schema_version()}")


@main.command("import")
@click.argument("directory", type=click.Path(path_type=Path))
@db_option
def import_(directory: Path, db: str | None) -> None:
    """Import a district directory (docs/formats.md): all of it, or nothing."""
    from gridloop.domain.problems import InvalidInput

    app = _app(db)
    started = time.perf_counter()
    try:
        with steps(f"import {directory}") as show:
            summary = app.import_directory(directory, show)
    except InvalidInput as e:
        for problem in e.problems:
            click.echo(str(problem), err=True)
        click.echo(f"nothing imported: {len(e.problems)} problem(s) in {directory}", err=True)
        sys.exit(1)
    seconds = time.perf_counter() - started
    parts = ", ".join(
        f"{n} {table} ({summary.new[table]} new)" for table, n in summary.written.items()
    )
    click.echo(f"imported {directory} into {app.settings.db_path} in {seconds:.1f} s: {parts}")
    kept = {t: n for t, n in summary.kept.items() if n}
    if kept:
        click.echo("kept records not named in the directory: " + json.dumps(kept))


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@db_option
def export(directory: Path, db: str | None) -> None:
    """Export the registry as a district directory (the import format)."""
    from gridloop.adapters.formats.writer import write_registry
    from gridloop.service_layer.registry_export import EmptyDatabase, export_registry

    app = _app(db)
    uow = app.unit_of_work()
    try:
        registry = export_registry(uow, directory, write_registry)
    except EmptyDatabase as e:
        raise click.ClickException(str(e)) from e
    finally:
        uow.close()
    click.echo(
        f"exported {registry.district.name} ({registry.district.code}) to {directory}: "
        f"{len(registry.grids)} grids, {len(registry.devices)} devices"
    )


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@db_option
def stats(fmt: str, db: str | None) -> None:
    """Counts of the registry: regions, grids, buildings, workers, devices by kind, residents."""
    app = _app(db)
    uow = app.unit_of_work()
    try:
        with uow:
            district = uow.registry.district()
            counts = uow.registry.stats(app.kinds.codes())
    finally:
        uow.close()
    if fmt == "json":
        doc = {"district": district.code if district else None, **counts.as_json()}
        click.echo(json.dumps(doc, ensure_ascii=False))
        return
    if district is None:
        click.echo("empty database: run `gridloop import DIR`")
        return
    click.echo(f"{district.name} ({district.code})")
    rows = [
        ("街道 streets", counts.streets),
        ("社区 communities", counts.communities),
        ("网格 grids", counts.grids),
        ("小区 compounds", counts.compounds),
        ("楼栋 buildings", counts.buildings),
        ("户 households", counts.households),
        ("网格员 workers", f"{counts.workers} ({counts.full_time_workers} full-time)"),
        ("设备 devices", counts.devices),
        ("居民 residents on file", counts.residents),
        ("职能部门 departments", counts.departments),
    ]
    for label, value in rows:
        click.echo(f"  {label:<24} {value}")
    for kind in app.kinds:
        click.echo(
            f"    {kind.label_zh} {kind.code:<18} {counts.devices_by_kind.get(kind.code, 0)}"
        )


@main.command("verify-history")
@db_option
def verify_history(db: str | None) -> None:
    """Check every case's hash chain, and that the case list agrees with the histories; exit 1
    and list what is broken if anything is."""
    from gridloop.service_layer.history_check import verify_histories
    from gridloop.service_layer.ports import CaseFilter

    store = _app(db).case_store()
    try:
        summaries = {s.case_id: s for s in store.find(CaseFilter())}
        check = verify_histories(store.histories(), summaries)
    finally:
        store.close()
    for problem in check.problems:
        click.echo(problem, err=True)
    verdict = "every chain intact" if check.intact else f"{len(check.problems)} problem(s)"
    click.echo(f"{check.cases} cases, {check.events} events: {verdict}")
    if not check.intact:
        sys.exit(1)


@main.group()
def sim() -> None:
    """Simulators: districts (and, later, telemetry and hotline requests)."""


@sim.command("district")
@click.option("--preset", type=click.Choice(["tiny", "chengxi", "city"]), default="chengxi")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--out", "out", type=click.Path(path_type=Path), required=True)
def sim_district(preset: str, seed: int, out: Path) -> None:
    """Write a realistic district directory; the same seed gives byte-identical files."""
    from gridloop.simulator.district import write_district

    started = time.perf_counter()
    with steps(f"sim district {preset}") as show:
        registry = write_district(preset, seed, out, progress=show)
    click.echo(
        f"wrote {registry.district.name} ({preset}, seed {seed}) to {out} in "
        f"{time.perf_counter() - started:.1f} s: {len(registry.grids)} grids, "
        f"{len(registry.buildings)} buildings, {len(registry.workers)} workers, "
        f"{len(registry.devices)} devices, {len(registry.residents)} residents"
    )


@sim.command("telemetry")
@click.option(
    "--district", "district_dir", type=click.Path(exists=True, path_type=Path), required=True
)
@click.option("--hours", type=float, default=24, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option(
    "--out", type=click.Path(path_type=Path), required=True, help="NDJSON (.gz to compress)."
)
@click.option(
    "--start", metavar="ISO", default=None, help="Stream start (default: HOURS before now)."
)
def sim_telemetry(
    district_dir: Path, hours: float, seed: int, out: Path, start: str | None
) -> None:
    """Write a realistic telemetry stream with incidents, and FILE.truth.json of its alerts."""
    import math
    import time as clock

    from gridloop.adapters.formats.reader import read_directory
    from gridloop.entrypoints.timefmt import parse_iso
    from gridloop.simulator.telemetry import write_telemetry

    parsed = read_directory(district_dir)
    if parsed.problems:
        raise click.ClickException(f"{district_dir}: {parsed.problems[0]}")
    hour = 3_600_000
    now_hour = int(clock.time() * 1000) // hour
    start_ms = parse_iso(start) if start else (now_hour - math.ceil(hours)) * hour
    started = clock.perf_counter()
    with steps("sim telemetry") as show:
        summary = write_telemetry(
            [d.value for d in parsed.devices],
            hours=hours,
            seed=seed,
            start_ms=start_ms,
            out=out,
            progress=show,
        )
    click.echo(
        f"wrote {out} in {clock.perf_counter() - started:.1f} s: {summary.messages:,} messages "
        f"from {summary.devices:,} devices, {summary.incidents} incidents, "
        f"{summary.expected_alerts} expected alerts ({summary.truth})"
    )
