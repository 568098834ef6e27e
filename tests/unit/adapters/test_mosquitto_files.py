"""Mosquitto files: line formats, owner-only modes, and $7$ hashes that verify."""

from __future__ import annotations

import base64
import hashlib
import stat
from pathlib import Path

import pytest

from gridloop.adapters.sqlite.token_store import mosquitto_hash
from gridloop.adapters.telemetry.mosquitto_files import (
    acl_text,
    password_lines,
    write_broker_files,
)

TOKENS = {"DEV-000001": "token-one", "DEV-000002": "token-two"}


def verifies(stored: str, password: str) -> bool:
    """Check a `$7$iterations$salt$hash` entry the way Mosquitto does: PBKDF2-HMAC-SHA512."""
    empty, seven, iterations, salt, digest = stored.split("$")
    assert (empty, seven) == ("", "7")
    again = hashlib.pbkdf2_hmac(
        "sha512", password.encode(), base64.b64decode(salt), int(iterations)
    )
    return again == base64.b64decode(digest)


def write(tmp_path: Path) -> Path:
    entries = [(d, mosquitto_hash(t)) for d, t in TOKENS.items()]
    write_broker_files(tmp_path / "mqtt", entries, "gridloop", "service-secret", 18830, "127.0.0.1")
    return tmp_path / "mqtt"


def test_passwd_has_one_verifiable_line_per_device_then_the_service_user(tmp_path: Path) -> None:
    out = write(tmp_path)
    lines = (out / "passwd").read_text().splitlines()
    users = [line.split(":", 1)[0] for line in lines]
    assert users == ["DEV-000001", "DEV-000002", "gridloop"]
    passwords = {**TOKENS, "gridloop": "service-secret"}
    for line in lines:
        user, stored = line.split(":", 1)
        assert stored.startswith("$7$101$")
        assert verifies(stored, passwords[user])
        assert not verifies(stored, "wrong")
    assert (out / "service-password").read_text() == "service-secret\n"


def test_every_file_is_owner_only(tmp_path: Path) -> None:
    out = write(tmp_path)
    for name in ("passwd", "acl", "mosquitto.conf", "service-password"):
        assert stat.S_IMODE((out / name).stat().st_mode) == 0o600, name
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []  # no temp files left


def test_acl_lets_the_service_read_and_each_device_write_only_its_topic() -> None:
    rules = [ln for ln in acl_text("gridloop").splitlines() if ln and not ln.startswith("#")]
    assert rules == [
        "user gridloop",
        "topic read devices/+/telemetry",
        "pattern write devices/%u/telemetry",
    ]


def test_conf_names_the_listener_and_the_files_by_absolute_path(tmp_path: Path) -> None:
    out = write(tmp_path)
    rules = [
        ln for ln in (out / "mosquitto.conf").read_text().splitlines() if not ln.startswith("#")
    ]
    assert rules == [
        "listener 18830 127.0.0.1",
        "allow_anonymous false",
        "max_queued_messages 100000",
        f"password_file {(out / 'passwd').resolve()}",
        f"acl_file {(out / 'acl').resolve()}",
    ]


def test_rewriting_replaces_the_files(tmp_path: Path) -> None:
    out = write(tmp_path)
    write_broker_files(out, [], "gridloop", "other", 1883, None)
    assert [ln.split(":")[0] for ln in (out / "passwd").read_text().splitlines()] == ["gridloop"]
    assert "listener 1883\n" in (out / "mosquitto.conf").read_text()


@pytest.mark.parametrize("name", ["a:b", "a b", "a/b", "a+", "#", ""])
def test_names_that_would_break_the_files_or_the_acl_are_refused(name: str) -> None:
    with pytest.raises(ValueError):
        password_lines([(name, "$7$x")], "gridloop", "$7$y")


def test_the_service_user_cannot_be_a_device() -> None:
    with pytest.raises(ValueError, match="also a device"):
        password_lines([("gridloop", "$7$x")], "gridloop", "$7$y")
