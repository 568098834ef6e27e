"""`gridloop mqtt` (the MQTT door) and `gridloop mqtt-acl` (the broker's credential files)."""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from pathlib import Path
from types import FrameType

import click

db_option = click.option("--db", metavar="PATH", envvar="GRIDLOOP_DB", default=None)


def parse_broker(text: str) -> tuple[str, int]:
    """HOST:PORT (an IPv6 host in brackets) → (host, port); the port defaults to 1883."""
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port = rest.removeprefix(":") if rest else "1883"
    elif text.count(":") == 1:
        host, port = text.split(":")
    else:
        host, port = text, "1883"  # a name, or a bare IPv6 address
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise click.BadParameter(f"{text!r} is not HOST:PORT", param_hint="--broker")
    return host, int(port)


def _password(username: str | None, password_file: Path | None) -> str | None:
    if password_file is not None:
        return password_file.read_text(encoding="utf-8").splitlines()[0].strip()
    password = os.environ.get("GRIDLOOP_MQTT_PASSWORD")
    if username is not None and not password:
        # A broker with a password file refuses a user without one: say so now, not in a loop.
        raise click.UsageError("--username needs --password-file or $GRIDLOOP_MQTT_PASSWORD")
    return password or None


@click.command("mqtt")
@db_option
@click.option("--broker", default="127.0.0.1:1883", show_default=True, metavar="HOST:PORT")
@click.option("--username", default=None, help="Service user (none: anonymous).")
@click.option(
    "--password-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="File whose first line is the password (else $GRIDLOOP_MQTT_PASSWORD).",
)
@click.option("--batch", type=int, default=1000, show_default=True, help="Messages per batch.")
@click.option("--topic", default="devices/+/telemetry", show_default=True)
@click.option("--client-id", default="gridloop-door", show_default=True)
@click.option(
    "--session-expiry",
    type=int,
    default=3600,
    show_default=True,
    help="Seconds the broker keeps messages for the door while it is away (0: none).",
)
def mqtt(
    db: str | None,
    broker: str,
    username: str | None,
    password_file: Path | None,
    batch: int,
    topic: str,
    client_id: str,
    session_expiry: int,
) -> None:
    """Take telemetry from an MQTT broker until Ctrl-C or SIGTERM."""
    from gridloop.adapters.telemetry.mqtt_door import MqttDoor, MqttSettings
    from gridloop.bootstrap import bootstrap
    from gridloop.config import Settings

    host, port = parse_broker(broker)
    password = _password(username, password_file)
    if not 1 <= batch <= 100_000:
        raise click.BadParameter("must be 1 to 100000", param_hint="--batch")
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    app = bootstrap(Settings.from_env(db))
    pipeline = app.pipeline(clock=lambda: int(time.time() * 1000))
    settings = MqttSettings(
        host=host,
        port=port,
        username=username,
        password=password,
        client_id=client_id,
        topic=topic,
        batch=batch,
        session_expiry_s=session_expiry,
        max_payload=app.intake_limits().max_bytes,
    )
    try:
        door = MqttDoor(pipeline, settings)
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--topic") from e
    stopping = threading.Event()

    def on_sigterm(_signum: int, _frame: FrameType | None) -> None:
        stopping.set()

    previous = signal.signal(signal.SIGTERM, on_sigterm)
    started = time.monotonic()
    door.start()
    click.echo(f"gridloop mqtt: {topic} on {host}:{port} (Ctrl-C to stop)", err=True)
    try:
        while not stopping.wait(1.0):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        door.stop()
    doc = pipeline.report.as_json()
    click.echo(
        f"received {door.received:,} messages in {door.batches:,} batches over "
        f"{time.monotonic() - started:.0f} s: accepted {doc['accepted']:,}, "
        f"rejected {doc['rejected']:,}; alerts opened {doc['alerts_opened']:,}, "
        f"cleared {doc['alerts_cleared']:,}"
    )
    for reason, n in pipeline.report.rejected.most_common():
        click.echo(f"  rejected {reason}: {n:,}")
    if door.errors:
        click.echo(f"  {door.errors} batch(es) failed: see the log", err=True)


@click.command("mqtt-acl")
@db_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option("--service-user", default="gridloop", show_default=True)
@click.option("--port", type=int, default=1883, show_default=True, help="Listener port.")
@click.option("--bind", default=None, help="Listener address (default: every interface).")
@click.option(
    "--rotate-service-password",
    is_flag=True,
    help="Make a new service password even if OUT/service-password exists.",
)
@click.option(
    "--owner",
    default=None,
    metavar="USER",
    help="Give OUT, passwd and acl to this user (the broker's, e.g. mosquitto; needs root).",
)
def mqtt_acl(
    db: str | None,
    out: Path,
    service_user: str,
    port: int,
    bind: str | None,
    rotate_service_password: bool,
    owner: str | None,
) -> None:
    """Write Mosquitto passwd, acl and mosquitto.conf for the devices' live tokens."""
    from gridloop.adapters.telemetry.mosquitto_files import (
        new_service_password,
        write_broker_files,
    )
    from gridloop.bootstrap import bootstrap
    from gridloop.config import Settings

    tokens = bootstrap(Settings.from_env(db)).token_store()
    try:
        entries = tokens.mosquitto_entries()
    finally:
        tokens.close()
    kept = out / "service-password"
    # Kept by default: refreshing the device list must not lock a running door out.
    password = ""
    if kept.exists() and not rotate_service_password:
        password = kept.read_text(encoding="utf-8").strip()
    password = password or new_service_password()
    try:
        files = write_broker_files(out, entries, service_user, password, port, bind, owner)
    except (ValueError, LookupError, PermissionError) as e:
        raise click.ClickException(str(e)) from e
    click.echo(
        f"wrote {files.passwd} ({len(entries)} device(s) + service user {service_user}), "
        f"{files.acl}, {files.conf}, {files.service_password}"
    )
    if not entries:
        click.echo("no device has a token yet: run `gridloop token device --all`", err=True)
