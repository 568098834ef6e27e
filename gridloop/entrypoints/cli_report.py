"""`gridloop report`: the closed-loop indicators as a briefing, JSON, CSV or an XLSX workbook."""

from __future__ import annotations

import json
from pathlib import Path

import click

from gridloop.domain.cases.indicators import Dimension, Scope
from gridloop.domain.cases.labels import Lang
from gridloop.entrypoints.timefmt import parse_iso

FORMATS = ("text", "json", "csv", "xlsx")
SCOPE_HELP = "district, street:CODE, community:CODE, grid:CODE or worker:ID"


def _instant(_ctx: click.Context, _param: click.Parameter, value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return parse_iso(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO-8601 time") from None


def _scope(_ctx: click.Context, _param: click.Parameter, value: str) -> Scope:
    try:
        return Scope.parse(value)
    except ValueError as e:
        raise click.BadParameter(f"{e}; use {SCOPE_HELP}") from None


@click.command()
@click.option("--from", "start", metavar="ISO", callback=_instant, help="Reported at or after.")
@click.option("--to", "end", metavar="ISO", callback=_instant, help="Reported before (exclusive).")
@click.option(
    "--scope",
    default="district",
    show_default=True,
    callback=_scope,
    help=f"{SCOPE_HELP}.",
)
@click.option(
    "--by", type=click.Choice([d.value for d in Dimension]), default=None, help="A row per group."
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option(
    "--out",
    metavar="PATH",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write here (required for xlsx; stdout otherwise).",
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", help="Language of text.")
@click.option("--db", metavar="PATH", envvar="GRIDLOOP_DB", default=None)
def report(
    start: int | None,
    end: int | None,
    scope: Scope,
    by: str | None,
    fmt: str,
    out: Path | None,
    lang: str,
    db: str | None,
) -> None:
    """Closed-loop indicators (结案率, 闭环处置率...) from the case histories."""
    from gridloop.adapters.formats import report_files
    from gridloop.bootstrap import bootstrap
    from gridloop.config import Settings
    from gridloop.entrypoints.report_view import report_json
    from gridloop.service_layer import reporting

    if fmt == "xlsx" and out is None:
        raise click.UsageError("--format xlsx needs --out PATH")
    if start is not None and end is not None and start >= end:
        raise click.BadParameter("must be before --to", param_hint="'--from'")
    app = bootstrap(Settings.from_env(db))
    store = app.case_store()
    try:
        histories = list(store.histories())
    finally:
        store.close()
    language: Lang = "en" if lang == "en" else "zh"
    period = reporting.Period(start, end)
    dimension = Dimension(by) if by else None
    result = reporting.build_report(histories, period, scope, dimension)
    label = reporting.group_labeller(dimension, app.kinds, language)

    def briefing(lang: Lang) -> str:
        labels = reporting.category_labeller(app.kinds, lang)
        return reporting.briefing(histories, period, scope, lang, labels)

    if fmt == "xlsx":
        assert out is not None
        report_files.write_xlsx(result, out, dimension, label, briefing("zh"))
        click.echo(f"wrote {out}", err=True)
        return
    if fmt == "json":
        doc = report_json(result, start, end, scope, by, label)
        text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    elif fmt == "csv":
        text = report_files.csv_text(result, dimension, label)
    else:
        text = briefing(language) + "\n"
        if dimension is not None:
            text += "\n" + report_files.text_table(result, dimension, label, language) + "\n"
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8", newline="")
