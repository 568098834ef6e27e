"""Intake credentials on SQLite: issue (hash kept, token shown once), look up, revoke."""

from __future__ import annotations

import base64
import hashlib
import secrets
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from gridloop.adapters.sqlite.database import transaction
from gridloop.adapters.sqlite.revocations import INTAKE, bump

MOSQUITTO_ITERATIONS = 101  # mosquitto_passwd's default for its $7$ (PBKDF2-SHA512) format


@dataclass(frozen=True)
class Credential:
    """Who sent a request: one device, or a gateway covering a region's devices."""

    kind: str  # "device" or "gateway"
    device_id: str | None
    scope: str | None
    label: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def mosquitto_hash(password: str, salt: bytes | None = None) -> str:
    """The `$7$` password-file hash Mosquitto 2 checks (PBKDF2-HMAC-SHA512)."""
    salt = salt or secrets.token_bytes(12)
    digest = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, MOSQUITTO_ITERATIONS)
    b64 = base64.b64encode
    return f"$7${MOSQUITTO_ITERATIONS}${b64(salt).decode()}${b64(digest).decode()}"


class SqliteTokenStore:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def close(self) -> None:
        self._conn.close()

    def issue_device_tokens(self, device_ids: Sequence[str], now_ms: int) -> list[tuple[str, str]]:
        """A new token per device (older ones stay valid until revoked): [(device_id, token)]."""
        issued = [(d, secrets.token_urlsafe(24)) for d in device_ids]
        with transaction(self._conn):
            self._conn.executemany(
                "INSERT INTO intake_tokens (token_hash, kind, device_id, mqtt_hash, label,"
                " created_at) VALUES (?, 'device', ?, ?, ?, ?)",
                [(token_hash(t), d, mosquitto_hash(t), f"device {d}", now_ms) for d, t in issued],
            )
        return issued

    def issue_gateway_token(self, scope: str, label: str, now_ms: int) -> str:
        token = secrets.token_urlsafe(32)
        with transaction(self._conn):
            self._conn.execute(
                "INSERT INTO intake_tokens (token_hash, kind, scope, label, created_at)"
                " VALUES (?, 'gateway', ?, ?, ?)",
                (token_hash(token), scope, label, now_ms),
            )
        return token

    def lookup(self, token: str) -> Credential | None:
        row = self._conn.execute(
            "SELECT kind, device_id, scope, label FROM intake_tokens"
            " WHERE token_hash = ? AND revoked_at IS NULL",
            (token_hash(token),),
        ).fetchone()
        return Credential(*row) if row else None

    def revoke_device(self, device_id: str, now_ms: int) -> int:
        with transaction(self._conn):
            cur = self._conn.execute(
                "UPDATE intake_tokens SET revoked_at = ?"
                " WHERE device_id = ? AND revoked_at IS NULL",
                (now_ms, device_id),
            )
            bump(self._conn, INTAKE)
        return cur.rowcount

    def mosquitto_entries(self) -> list[tuple[str, str]]:
        """(device_id, $7$ hash) of every live device token, newest per device."""
        rows = self._conn.execute(
            "SELECT device_id, mqtt_hash FROM intake_tokens WHERE kind = 'device'"
            " AND revoked_at IS NULL AND mqtt_hash IS NOT NULL ORDER BY device_id, id"
        ).fetchall()
        return list(dict(rows).items())
