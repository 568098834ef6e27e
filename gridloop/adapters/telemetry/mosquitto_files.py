"""Mosquitto password, ACL and config files: devices log in with their token, one topic each."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from gridloop.adapters.sqlite.token_store import mosquitto_hash

SERVICE_READ = "devices/+/telemetry"
DEVICE_WRITE = "devices/%u/telemetry"
QUEUED_FOR_DOOR = 100_000
# ':' ends the name in the password file; MQTT wildcards and '/' in a name would let `%u`
# reach other topics (Mosquitto refuses such names in patterns anyway); spaces split ACL lines.
_NAME = re.compile(r"^[^\s:+#/]+$")


@dataclass(frozen=True)
class BrokerFiles:
    """Where the files were written."""

    passwd: Path
    acl: Path
    conf: Path
    service_password: Path


def check_name(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"{name!r} cannot be a Mosquitto user name (space, ':', '+', '#', '/')")
    return name


def password_lines(
    entries: Sequence[tuple[str, str]], service_user: str, service_hash: str
) -> list[str]:
    """`user:$7$...` lines: every device (its token's hash), then the service user."""
    devices = [check_name(d) for d, _hash in entries]
    if check_name(service_user) in devices:
        raise ValueError(f"service user {service_user!r} is also a device id")
    return [f"{d}:{h}" for d, h in entries] + [f"{service_user}:{service_hash}"]


def acl_text(service_user: str) -> str:
    """The service user reads every device's topic; a device may only write its own."""
    return (
        "# gridloop: written by `gridloop mqtt-acl`; anything not granted here is denied.\n"
        f"user {check_name(service_user)}\n"
        f"topic read {SERVICE_READ}\n"
        "\n"
        "# Every authenticated client (each device) may publish to its own topic, nothing else.\n"
        f"pattern write {DEVICE_WRITE}\n"
    )


def conf_text(passwd: Path, acl: Path, port: int, bind: str | None) -> str:
    """A mosquitto.conf snippet: a listener that only lets known devices in."""
    listener = f"listener {port}" + (f" {bind}" if bind else "")
    return (
        "# gridloop MQTT intake: include it (e.g. as /etc/mosquitto/conf.d/gridloop.conf) or run\n"
        "# `mosquitto -c` on it. Re-run `gridloop mqtt-acl` after issuing or revoking tokens,\n"
        "# then reload the broker (kill -HUP) to read the files again. A broker started as root\n"
        "# reads them as its own user: write them with `--owner mosquitto`.\n"
        f"{listener}\n"
        "allow_anonymous false\n"
        "# The door is the one subscriber: when it falls behind (a burst, a restart), hold this\n"
        "# many messages for it (default 1000; beyond that the newest are dropped).\n"
        f"max_queued_messages {QUEUED_FOR_DOOR}\n"
        f"password_file {passwd.resolve()}\n"
        f"acl_file {acl.resolve()}\n"
    )


def write_private(path: Path, text: str) -> None:
    """Write `text` with mode 0600, replacing the file at once (a reloading broker sees no half)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # created 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def new_service_password() -> str:
    return secrets.token_urlsafe(32)


def write_broker_files(
    out: Path,
    entries: Sequence[tuple[str, str]],
    service_user: str,
    service_password: str,
    port: int = 1883,
    bind: str | None = None,
    owner: str | None = None,
) -> BrokerFiles:
    """passwd, acl, mosquitto.conf and service-password in `out` (created 0700), all 0600."""
    out.mkdir(mode=0o700, parents=True, exist_ok=True)
    files = BrokerFiles(
        out / "passwd", out / "acl", out / "mosquitto.conf", out / "service-password"
    )
    lines = password_lines(entries, service_user, mosquitto_hash(service_password))
    write_private(files.service_password, service_password + "\n")
    write_private(files.passwd, "\n".join(lines) + "\n")
    write_private(files.acl, acl_text(service_user))
    write_private(files.conf, conf_text(files.passwd, files.acl, port, bind))
    if owner is not None:
        # A broker started as root reads these after dropping to its own user (`mosquitto`);
        # the service password stays the door's.
        for path in (out, files.passwd, files.acl):
            shutil.chown(path, user=owner)
    return files
