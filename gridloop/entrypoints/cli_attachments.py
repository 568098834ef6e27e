"""`gridloop attachments prune`: remove the uploaded photos no action named within a day (a
running server does the same every hour; this is for a stopped one, or to see what would go)."""

from __future__ import annotations

import json
import time
from contextlib import closing

import click

db_option = click.option("--db", metavar="PATH", envvar="GRIDLOOP_DB", default=None)


@click.group()
def attachments() -> None:
    """Photos uploaded for case actions."""


@attachments.command()
@db_option
@click.option("--dry-run", is_flag=True, help="List what would be removed; remove nothing.")
@click.option("--now", metavar="ISO", default=None, help="The time to judge ages by (default now).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def prune(db: str | None, dry_run: bool, now: str | None, fmt: str) -> None:
    """Remove photos uploaded over 24 h ago that no committed case action names."""
    from gridloop.bootstrap import bootstrap
    from gridloop.config import ConfigError, Settings
    from gridloop.entrypoints.timefmt import parse_iso

    settings = Settings.from_env(db)
    if not settings.db_path.exists():
        raise ConfigError(f"--db {settings.db_path}: no such database")
    try:
        now_ms = parse_iso(now) if now is not None else int(time.time() * 1000)
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--now") from None
    app = bootstrap(settings)
    service, ledger = app.attachment_service(app.case_service())
    with closing(ledger), closing(service.cases.store):
        pruned = service.prune(now_ms, dry_run=dry_run)
    if fmt == "json":
        click.echo(json.dumps({"dry_run": dry_run, "removed": pruned.removed}))
        return
    verb = "would remove" if dry_run else "removed"
    click.echo(f"{verb} {len(pruned.removed)} unreferenced attachment(s)")
    for sha in pruned.removed:
        click.echo(f"  {sha}")
