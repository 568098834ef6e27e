"""`gridloop doctor`: check a database and its configuration, print each problem with its fix."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from gridloop.bootstrap import App


@click.command()
@click.option("--db", metavar="PATH", envvar="GRIDLOOP_DB", default=None)
@click.option(
    "--config",
    "config",
    metavar="PATH",
    type=click.Path(path_type=Path),
    default=None,
    help="Settings file (TOML) to check (default $GRIDLOOP_CONFIG).",
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", help="Language of text.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def doctor(db: str | None, config: Path | None, lang: str, fmt: str) -> None:
    """Check a database and configuration; exit 0 if all is well, 1 on problems, 2 on a
    configuration error."""
    from dataclasses import replace

    from gridloop.adapters.sqlite.schema_status import schema_status
    from gridloop.bootstrap import bootstrap, login_policies
    from gridloop.config import Settings
    from gridloop.entrypoints.doctor_view import finding_json, report_lines
    from gridloop.service_layer.doctor import DoctorChecks, diagnose, exit_code
    from gridloop.service_layer.telemetry_setup import checked_rule_config

    settings = Settings.from_env(db)
    if config is not None:
        settings = replace(settings, config_path=config)
    app = bootstrap(settings)

    def settings_document() -> object:  # the tables read at start-up checked with it
        document = settings.document()
        login_policies(document)
        return document

    findings = diagnose(
        DoctorChecks(
            db_path=str(settings.db_path),
            config_path=str(settings.config_path or ""),
            schema=lambda: schema_status(settings.db_path),
            registry=app.registry,
            settings_document=settings_document,
            policy=app.case_policy,
            rules=lambda: checked_rule_config(app.kinds, settings.rule_params()),
        )
    )
    if fmt == "json":
        doc = {"ok": not findings, "problems": [finding_json(f) for f in findings]}
        click.echo(json.dumps(doc, ensure_ascii=False))
    else:
        for line in report_lines(findings, lang):
            click.echo(line)
    sys.exit(exit_code(findings))


def check_configuration(app: App) -> None:
    """Raise the ConfigError a server would meet while starting, before it starts (where it
    would be a traceback in the server's log)."""
    from gridloop.bootstrap import login_policies
    from gridloop.config import ConfigError
    from gridloop.service_layer.department_routing import unknown_targets_problem
    from gridloop.service_layer.telemetry_setup import checked_rule_config

    policy = app.case_policy()
    app.attachment_quota()
    login_policies(app.settings.document())
    checked_rule_config(app.kinds, app.settings.rule_params())
    registry = app.registry()
    why = unknown_targets_problem(policy.routing, registry.departments) if registry else ""
    if why:
        raise ConfigError(f"{app.settings.config_path or 'settings'}: {why}")
