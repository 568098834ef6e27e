"""`gridloop case list|show|act|tick`: the closed loop for operators and scripts."""

from __future__ import annotations

import json
import sys
import time

import click

from gridloop.entrypoints.timefmt import parse_iso

ROLES = [
    "grid_worker",
    "community_admin",
    "street_dispatcher",
    "district_admin",
    "department",
    "resident",
    "auditor",
]


def _now(at: str | None) -> int:
    return parse_iso(at) if at else int(time.time() * 1000)


def _service(db: str | None):  # type: ignore[no-untyped-def]
    from gridloop.bootstrap import bootstrap
    from gridloop.config import Settings

    return bootstrap(Settings.from_env(db)).case_service()  # ConfigError: the group's exit 2


def _actor(service, who: str, role: str, region: str | None):  # type: ignore[no-untyped-def]
    """The acting user: a worker's grids come from the registry; other roles name a region."""
    from gridloop.domain.cases.actor import Actor
    from gridloop.domain.cases.events import Role

    r = Role(role)
    try:
        if r is Role.GRID_WORKER:
            grids = service.directory.grids_of_worker.get(who)
            if not grids:
                raise click.BadParameter(
                    f"no grid worker {who!r} in the registry", param_hint="--as"
                )
            return Actor(who, r, grids=frozenset(grids))
        return Actor(who, r, region=region or "")
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--region") from None


db_option = click.option("--db", metavar="PATH", envvar="GRIDLOOP_DB", default=None)
as_option = click.option("--as", "who", metavar="ID", default="operator", show_default=True)
role_option = click.option(
    "--role", type=click.Choice(ROLES), default="district_admin", show_default=True
)
region_option = click.option(
    "--region", metavar="CODE", default=None, help="Community, street or department code."
)


@click.group()
def case() -> None:
    """Cases of the closed loop: list, show, act, run the SLA clocks."""


@case.command("list")
@db_option
@as_option
@role_option
@region_option
@click.option("--state", "states", multiple=True, help="e.g. dispatched (repeatable).")
@click.option("--grid", "grids", multiple=True)
@click.option("--assignee", "assignees", multiple=True)
@click.option("--category", "categories", multiple=True)
@click.option("--open", "open_only", is_flag=True, help="Only cases not closed/refused/merged.")
@click.option("--overdue", is_flag=True, help="Only cases with a step past its deadline now.")
@click.option("--at", metavar="ISO", default=None, help="Judge overdue at this time.")
@click.option("--limit", type=int, default=200, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def list_cases(
    db: str | None,
    who: str,
    role: str,
    region: str | None,
    states: tuple[str, ...],
    grids: tuple[str, ...],
    assignees: tuple[str, ...],
    categories: tuple[str, ...],
    open_only: bool,
    overdue: bool,
    at: str | None,
    limit: int,
    fmt: str,
) -> None:
    """List the cases the acting user may see, oldest first."""
    from gridloop.entrypoints.case_view import case_json, case_line
    from gridloop.service_layer.ports import CaseFilter

    service = _service(db)
    now = _now(at)
    f = CaseFilter(
        states=states,
        grids=grids,
        assignees=assignees,
        categories=categories,
        open_only=open_only,
        overdue_at=now if overdue else None,
        limit=limit,
    )
    found = service.find(f, _actor(service, who, role, region))
    if fmt == "json":
        json.dump([case_json(s, now) for s in found], sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    for s in found:
        click.echo(case_line(s, service.label, now))
    click.echo(f"{len(found)} case(s)")


@case.command("show")
@click.argument("case_id")
@db_option
@as_option
@role_option
@region_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def show(case_id: str, db: str | None, who: str, role: str, region: str | None, fmt: str) -> None:
    """One case with its whole history."""
    from gridloop.domain.cases.errors import CaseNotFound
    from gridloop.entrypoints.case_view import case_json, event_json, history_lines

    service = _service(db)
    try:
        summary, history = service.case(case_id, _actor(service, who, role, region))
    except CaseNotFound as e:
        raise click.ClickException(str(e)) from None
    now = _now(None)
    if fmt == "json":
        doc = {**case_json(summary, now), "history": [event_json(e) for e in history]}
        click.echo(json.dumps(doc, ensure_ascii=False))
        return
    doc = case_json(summary, now)
    click.echo(f"{case_id} {doc['state_zh']} ({summary.state})  {service.label(summary.category)}")
    for key in (
        "channel",
        "severity",
        "grid_code",
        "assignee",
        "departments",
        "sign_due",
        "handle_due",
        "escalation_level",
        "reporters",
        "alert_ids",
        "description",
    ):
        if doc.get(key) not in (None, "", []):
            click.echo(f"  {key}: {doc[key]}")
    click.echo("history:")
    for line in history_lines(history):
        click.echo(line)


@case.command("act")
@click.argument("case_id")
@click.argument("action")
@db_option
@click.option("--as", "who", metavar="ID", required=True, help="The acting user.")
@click.option("--role", type=click.Choice(ROLES), required=True)
@region_option
@click.option("--note", default=None)
@click.option("--reason", default=None)
@click.option("--until", metavar="ISO", default=None, help="request_extension: the new deadline.")
@click.option("--rating", type=click.Choice(["satisfied", "basically_satisfied", "unsatisfied"]))
@click.option("--payload", metavar="JSON", default=None, help="Further payload fields.")
@click.option("--at", metavar="ISO", default=None, help="When (default: now).")
def act(
    case_id: str,
    action: str,
    db: str | None,
    who: str,
    role: str,
    region: str | None,
    note: str | None,
    reason: str | None,
    until: str | None,
    rating: str | None,
    payload: str | None,
    at: str | None,
) -> None:
    """Take ACTION (sign, handle, feedback, verify_pass, return, ...) on a case as a user."""
    from gridloop.domain.cases.errors import CaseNotFound, TransitionRefused
    from gridloop.domain.cases.events import Action

    try:
        chosen = Action(action)
    except ValueError:
        known = ", ".join(a.value for a in Action)
        raise click.BadParameter(f"unknown action {action!r} (known: {known})") from None
    body: dict[str, object] = {}
    if payload:
        try:
            loaded = json.loads(payload)
        except json.JSONDecodeError as e:
            raise click.BadParameter(f"not JSON: {e}", param_hint="--payload") from None
        if not isinstance(loaded, dict):
            raise click.BadParameter("must be a JSON object", param_hint="--payload")
        body.update(loaded)
    for key, value in (("note", note), ("reason", reason), ("rating", rating)):
        if value is not None:
            body[key] = value
    if until is not None:
        body["until"] = parse_iso(until)
    service = _service(db)
    actor = _actor(service, who, role, region)
    try:
        event = service.act(case_id, chosen, actor, _now(at), body)
    except (CaseNotFound, TransitionRefused) as e:
        raise click.ClickException(str(e)) from None
    summary = service.store.summary(case_id)
    state = summary.state if summary else "?"
    click.echo(f"{case_id}: {event.action.value} by {who} (event {event.seq}); now {state}")


@case.command("tick")
@db_option
@click.option("--at", metavar="ISO", default=None, help="Run the clocks at this time.")
def tick(db: str | None, at: str | None) -> None:
    """Run the SLA clocks once: escalate overdue cases (cron or a service timer runs this)."""
    service = _service(db)
    click.echo(f"escalated {service.run_clocks(_now(at))} case step(s)")
