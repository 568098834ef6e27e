"""`gridloop outbox`: what waits for delivery, what was parked after failing every attempt, and
redelivery once the cause is removed (handlers are idempotent, so a redelivered alert opens no
second case)."""

from __future__ import annotations

import json
import sys
from contextlib import closing
from typing import TYPE_CHECKING

import click

from gridloop.entrypoints.timefmt import iso

if TYPE_CHECKING:
    from gridloop.bootstrap import App

TEXTS = {
    "zh": {
        "pending": "待投递 {n} 条",
        "oldest": "，最早的事件时间 {at}",
        "parked": "已搁置 {n} 条（每次投递均失败，需人工处理）",
        "row": "  #{id} {topic}：{error}",
        "more": "  ……另有 {n} 条未列出（--limit）",
        "requeued": "已重新排队 {n} 条",
        "none": "没有可重新排队的已搁置条目",
        "delivered": "已投递 {n} 条",
        "later": "运行中的 gridloop serve 会在一秒内投递；若没有服务在运行，加 --deliver 立即投递",
    },
    "en": {
        "pending": "{n} pending",
        "oldest": ", oldest event at {at}",
        "parked": "{n} parked (failed every delivery attempt; an operator must look)",
        "row": "  #{id} {topic}: {error}",
        "more": "  ... {n} more not listed (--limit)",
        "requeued": "{n} requeued",
        "none": "no parked entry to requeue",
        "delivered": "{n} delivered",
        "later": "a running gridloop serve delivers them within a second; with no server"
        " running, add --deliver to deliver them now",
    },
}

db_option = click.option("--db", metavar="PATH", envvar="GRIDLOOP_DB", default=None)
lang_option = click.option("--lang", type=click.Choice(["zh", "en"]), default="zh")


def _app(db: str | None) -> App:
    from gridloop.bootstrap import bootstrap
    from gridloop.config import ConfigError, Settings

    settings = Settings.from_env(db)
    if not settings.db_path.exists():
        raise ConfigError(f"--db {settings.db_path}: no such database")
    return bootstrap(settings)


@click.group()
def outbox() -> None:
    """The outbox: events committed with their cause, waiting for their handlers."""


@outbox.command()
@db_option
@lang_option
@click.option("--limit", type=click.IntRange(0, 10_000), default=20, help="Parked rows listed.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def status(db: str | None, lang: str, limit: int, fmt: str) -> None:
    """What is pending and what is parked (with each row's last error); exit 1 if any is
    parked."""
    with closing(_app(db).outbox()) as box:
        backlog, parked = box.backlog(), box.parked(limit)
    if fmt == "json":
        rows = [{"id": i, "topic": t, "error": e} for i, t, e in parked]
        doc = {
            "pending": backlog.pending,
            "oldest_pending_at": iso(backlog.oldest_pending_at),
            "parked": backlog.parked,
            "parked_rows": rows,
        }
        click.echo(json.dumps(doc, ensure_ascii=False))
    else:
        text = TEXTS[lang]
        line = text["pending"].format(n=backlog.pending)
        if backlog.oldest_pending_at is not None:
            line += text["oldest"].format(at=iso(backlog.oldest_pending_at))
        click.echo(line)
        click.echo(text["parked"].format(n=backlog.parked))
        for i, t, e in parked:
            click.echo(text["row"].format(id=i, topic=t, error=e))
        if backlog.parked > len(parked):
            click.echo(text["more"].format(n=backlog.parked - len(parked)))
    sys.exit(1 if backlog.parked else 0)


@outbox.command()
@db_option
@lang_option
@click.argument("ids", nargs=-1, type=click.IntRange(1, 2**63 - 1))
@click.option("--all", "every", is_flag=True, help="Every parked row.")
@click.option("--deliver", is_flag=True, help="Deliver now (when no server is running).")
def redeliver(db: str | None, lang: str, ids: tuple[int, ...], every: bool, deliver: bool) -> None:
    """Requeue parked rows (IDS, or --all) once their cause is removed."""
    if bool(ids) == every:
        raise click.UsageError("name the parked rows' ids, or --all (not both)")
    app = _app(db)
    text = TEXTS[lang]
    with closing(app.outbox()) as box:
        requeued = box.requeue(None if every else list(ids))
    click.echo(text["requeued"].format(n=requeued) if requeued else text["none"])
    if not requeued:
        sys.exit(1)
    if not deliver:
        click.echo(text["later"])
        return
    loop = app.case_loop()
    try:
        delivered = loop.dispatcher.run()
    finally:
        loop.close()
    click.echo(text["delivered"].format(n=len(delivered)))
    with closing(app.outbox()) as box:
        backlog = box.backlog()
    click.echo(text["parked"].format(n=backlog.parked))
    sys.exit(1 if backlog.parked else 0)
