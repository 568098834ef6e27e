"""`gridloop user add|list|disable|unlock|token`: accounts of the people and systems."""

from __future__ import annotations

import time

import click

from gridloop.domain.accounts import SIGN_IN_ROLES

ROLE_NAMES = [r.value for r in SIGN_IN_ROLES]
db_option = click.option("--db", metavar="PATH", envvar="GRIDLOOP_DB", default=None)


def _accounts(db: str | None):  # type: ignore[no-untyped-def]
    from gridloop.bootstrap import bootstrap
    from gridloop.config import Settings

    return bootstrap(Settings.from_env(db)).account_service()


def _now() -> int:
    return int(time.time() * 1000)


@click.group()
def user() -> None:
    """Accounts: a role and the region it covers; passwords argon2-hashed, tokens SHA-256."""


@user.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLE_NAMES), required=True)
@click.option(
    "--scope",
    metavar="KIND:CODE",
    default=None,
    help="worker:ID, community:CODE, street:CODE or department:CODE (district roles: none).",
)
@click.option("--api-token", is_flag=True, help="An integration: an API token, no password.")
@db_option
def add(name: str, role: str, scope: str | None, api_token: bool, db: str | None) -> None:
    """Create an account and print its one-time password (or API token), shown only now."""
    from gridloop.domain.cases.events import Role
    from gridloop.service_layer.accounts import AccountRefused

    try:
        account, secret = _accounts(db).add_user(name, Role(role), scope, _now(), api_token)
    except AccountRefused as e:
        raise click.ClickException(str(e)) from None
    what = "api token" if api_token else "password"
    click.echo(f"user {account.name} ({account.role.value}, {account.scope})")
    click.echo(f"{what}: {secret}")
    click.echo("shown once; it is stored only as a hash", err=True)


@user.command("list")
@db_option
def list_users(db: str | None) -> None:
    """Every account with its role and scope."""
    for account, disabled in _accounts(db).store.users():
        flag = "  (disabled)" if disabled else ""
        click.echo(f"{account.name:<24} {account.role.value:<18} {account.scope}{flag}")


@user.command("disable")
@click.argument("name")
@db_option
def disable(name: str, db: str | None) -> None:
    """Disable an account and revoke its tokens."""
    if not _accounts(db).disable(name, _now()):
        raise click.ClickException(f"no active user named {name!r}")
    click.echo(f"disabled {name}; its tokens are revoked")


@user.command("unlock")
@click.argument("name")
@click.option("--address", default=None, help="Also lift the back-off or lock of this address.")
@db_option
def unlock(name: str, address: str | None, db: str | None) -> None:
    """Lift the sign-in lock and back-off of a name after repeated failed passwords."""
    cleared = _accounts(db).unlock(name, _now(), address)
    where = f" and address {address}" if address else ""
    if cleared:
        click.echo(f"unlocked {name}{where}: its failed sign-ins are forgotten")
    else:
        click.echo(f"{name}{where}: no failed sign-ins to forget")


@user.command("token")
@click.argument("name")
@click.option("--label", default="", help="What the token is for, e.g. the hotline platform.")
@db_option
def token(name: str, label: str, db: str | None) -> None:
    """Issue another API token for an account (shown once)."""
    from gridloop.service_layer.accounts import AccountRefused

    try:
        secret = _accounts(db).issue_api_token(name, label, _now())
    except AccountRefused as e:
        raise click.ClickException(str(e)) from None
    click.echo(f"api token: {secret}")
