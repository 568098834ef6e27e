"""`gridloop serve` and `gridloop token`: the HTTP door and its credentials."""

from __future__ import annotations

import csv
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from gridloop.bootstrap import App

db_option = click.option("--db", metavar="PATH", envvar="GRIDLOOP_DB", default=None)
loop_option = click.option(
    "--loop",
    type=click.Choice(["auto", "asyncio", "uvloop"]),
    default="auto",
    show_default=True,
    help="The server's event loop (auto: uvloop when installed).",
)


@click.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8080, show_default=True)
@click.option("--access-log/--no-access-log", default=True, show_default=True)
@loop_option
@click.option(
    "--processes",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Server processes on the port: one ingests telemetry and runs the clocks, the others "
    "answer the API and pass telemetry to it (several use several cores).",
)
@click.option(
    "--now",
    metavar="ISO",
    default=None,
    help="Replay: judge timestamps against this time and run the clocks on the stream's event "
    "time, as gridloop ingest does (one process).",
)
def serve(
    db: str | None,
    host: str,
    port: int,
    access_log: bool,
    loop: str,
    processes: int,
    now: str | None,
) -> None:
    """Run the HTTP server (telemetry intake, alerts, /metrics)."""
    import uvicorn

    from gridloop.config import Settings
    from gridloop.entrypoints.cli_doctor import check_configuration
    from gridloop.entrypoints.web.app import create_app

    check_configuration(_app(db))  # a configuration error: one line and exit 2, as elsewhere
    now_ms = None
    if now is not None:
        from gridloop.entrypoints.timefmt import parse_iso

        if processes > 1:
            raise click.UsageError("--now (a replay) runs in one process: drop --processes")
        try:
            now_ms = parse_iso(now)
        except ValueError as e:
            raise click.BadParameter(str(e), param_hint="--now") from None
    if processes > 1:
        from gridloop.entrypoints.server_processes import run_processes

        # each process builds its app from the environment
        if db is not None:
            os.environ["GRIDLOOP_DB"] = db
        os.environ["GRIDLOOP_PROCESSES"] = str(processes)
        sys.exit(run_processes(processes, host, port, loop, access_log))
    uvicorn.run(
        create_app(Settings.from_env(db), now_ms=now_ms),
        host=host,
        port=port,
        log_level="info",
        access_log=access_log,
        loop=loop,
    )


def _app(db: str | None) -> App:
    from gridloop.bootstrap import bootstrap
    from gridloop.config import Settings

    return bootstrap(Settings.from_env(db))


@click.group()
def token() -> None:
    """Issue intake credentials for devices and gateways (each token is shown once)."""


@token.command("device")
@click.argument("device_ids", nargs=-1)
@click.option("--all", "all_devices", is_flag=True, help="Every device of the registry.")
@click.option("--out", type=click.Path(path_type=Path), help="Write device_id,token CSV here.")
@db_option
def token_device(
    device_ids: tuple[str, ...], all_devices: bool, out: Path | None, db: str | None
) -> None:
    """New tokens for devices (HTTP bearer token and MQTT password)."""
    app = _app(db)
    uow = app.unit_of_work()
    with uow:
        known = {d.id for d in uow.registry.devices()}
    uow.close()
    wanted = sorted(known) if all_devices else list(device_ids)
    unknown = [d for d in wanted if d not in known]
    if unknown or not wanted:
        raise click.ClickException(
            f"unknown device(s): {', '.join(unknown)}" if unknown else "name devices or --all"
        )
    issued = app.token_store().issue_device_tokens(wanted, int(time.time() * 1000))
    if out is None:
        writer = csv.writer(sys.stdout)
    else:
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # secrets: owner only
        writer = csv.writer(os.fdopen(fd, "w", newline=""))
    writer.writerow(["device_id", "token"])
    writer.writerows(issued)
    if out is not None:
        click.echo(f"{len(issued)} device token(s) written to {out}", err=True)


@token.command("gateway")
@click.option("--scope", default="", help="Region code prefix the gateway covers ('' = district).")
@click.option("--label", required=True)
@db_option
def token_gateway(scope: str, label: str, db: str | None) -> None:
    """A new gateway token covering every device of a region."""
    store = _app(db).token_store()
    click.echo(store.issue_gateway_token(scope, label, int(time.time() * 1000)))


@token.command("revoke")
@click.argument("device_ids", nargs=-1, required=True)
@db_option
def token_revoke(device_ids: tuple[str, ...], db: str | None) -> None:
    """Revoke every live token of these devices (then rerun `gridloop mqtt-acl`)."""
    store = _app(db).token_store()
    now = int(time.time() * 1000)
    for device_id in device_ids:
        click.echo(f"{device_id}: {store.revoke_device(device_id, now)} token(s) revoked")
