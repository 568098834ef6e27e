"""Accounts on SQLite: users, hashed session/API tokens, failed sign-ins, and the access log."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Mapping, Sequence

from gridloop.adapters.sqlite.database import transaction
from gridloop.adapters.sqlite.revocations import ACCOUNTS, bump
from gridloop.domain.accounts import Account
from gridloop.domain.cases.events import Role
from gridloop.domain.login_throttle import Failures


class SqliteAccountStore:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._lock = threading.Lock()  # one connection, many request threads

    def close(self) -> None:
        self._conn.close()

    def add_user(self, account: Account, password_hash: str | None, at_ms: int) -> None:
        with self._lock, transaction(self._conn) as conn:
            conn.execute(
                "INSERT INTO users (id, name, role, scope_kind, scope_code, password_hash,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    account.id,
                    account.name,
                    account.role.value,
                    account.scope_kind,
                    account.scope_code,
                    password_hash,
                    at_ms,
                ),
            )

    def set_password(self, user_id: str, password_hash: str) -> None:
        with self._lock, transaction(self._conn) as conn:
            conn.execute(
                "UPDATE users SET password_hash = ? WHERE id = ?", (password_hash, user_id)
            )

    def user_by_name(self, name: str) -> tuple[Account, str | None] | None:
        """The active account of this name and its password hash."""
        with self._lock:
            row = self._conn.execute(
                "SELECT id, name, role, scope_kind, scope_code, password_hash FROM users"
                " WHERE name = ? AND disabled_at IS NULL",
                (name,),
            ).fetchone()
        return (_account(row[:5]), row[5]) if row else None

    def users(self) -> list[tuple[Account, bool]]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT id, name, role, scope_kind, scope_code, disabled_at IS NOT NULL"
                " FROM users ORDER BY name"
            ).fetchall()
        return [(_account(r[:5]), bool(r[5])) for r in rows]

    def disable(self, name: str, at_ms: int) -> bool:
        with self._lock, transaction(self._conn) as conn:
            cur = conn.execute(
                "UPDATE users SET disabled_at = ? WHERE name = ? AND disabled_at IS NULL",
                (at_ms, name),
            )
            conn.execute(
                "UPDATE user_tokens SET revoked_at = ? WHERE revoked_at IS NULL AND user_id ="
                " (SELECT id FROM users WHERE name = ?)",
                (at_ms, name),
            )
            bump(conn, ACCOUNTS)
            return cur.rowcount > 0

    def add_token(
        self,
        token_hash: str,
        user_id: str,
        kind: str,
        at_ms: int,
        expires_at: int | None,
        label: str = "",
    ) -> None:
        with self._lock, transaction(self._conn) as conn:
            conn.execute(
                "INSERT INTO user_tokens (token_hash, user_id, kind, label, created_at,"
                " expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                (token_hash, user_id, kind, label, at_ms, expires_at),
            )

    def account_for_token(self, token_hash: str, now_ms: int) -> Account | None:
        """The account a live token (not expired, not revoked, user active) belongs to."""
        with self._lock:
            row = self._conn.execute(
                "SELECT u.id, u.name, u.role, u.scope_kind, u.scope_code FROM user_tokens t"
                " JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?"
                " AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?)"
                " AND u.disabled_at IS NULL",
                (token_hash, now_ms),
            ).fetchone()
        return _account(row) if row else None

    def revoke_token(self, token_hash: str, at_ms: int) -> bool:
        with self._lock, transaction(self._conn) as conn:
            cur = conn.execute(
                "UPDATE user_tokens SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL",
                (at_ms, token_hash),
            )
            bump(conn, ACCOUNTS)
            return cur.rowcount > 0

    def count_login_attempt(
        self,
        keys: Sequence[str],
        counted: Callable[[Mapping[str, Failures]], Mapping[str, Failures]],
    ) -> None:
        """In one transaction: the failures of these keys go to `counted`, and what it returns
        is stored; an exception from it stores nothing (several processes count one total)."""
        with self._lock, transaction(self._conn) as conn:
            marks = ",".join("?" * len(keys))
            rows = conn.execute(
                f"SELECT key, failures, last_failed_at FROM login_failures WHERE key IN ({marks})",
                tuple(keys),
            ).fetchall()
            found = {str(k): Failures(int(n), int(at)) for k, n, at in rows}
            _store_failures(conn, counted({k: found.get(k, Failures()) for k in keys}))

    def set_login_failures(self, failures: Mapping[str, Failures]) -> None:
        with self._lock, transaction(self._conn) as conn:
            _store_failures(conn, failures)

    def clear_login_failures(self, keys: Sequence[str]) -> int:
        with self._lock, transaction(self._conn) as conn:
            marks = ",".join("?" * len(keys))
            cur = conn.execute(f"DELETE FROM login_failures WHERE key IN ({marks})", tuple(keys))
            return cur.rowcount

    def log_access(
        self, at_ms: int, user_id: str, action: str, subject: str = "", detail: str = ""
    ) -> None:
        with self._lock, transaction(self._conn) as conn:
            conn.execute(
                "INSERT INTO access_log (at, user_id, action, subject, detail)"
                " VALUES (?, ?, ?, ?, ?)",
                (at_ms, user_id, action, subject, detail),
            )

    def access_log(
        self, since_ms: int | None = None, after_id: int = 0, limit: int = 200
    ) -> list[tuple[int, int, str, str, str, str]]:
        """(id, at, user_id, action, subject, detail), oldest first."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT id, at, user_id, action, subject, detail FROM access_log"
                " WHERE id > ? AND at >= ? ORDER BY id LIMIT ?",
                (after_id, since_ms or 0, limit),
            ).fetchall()
        return [(int(a), int(b), str(c), str(d), str(e), str(f)) for a, b, c, d, e, f in rows]


def _store_failures(conn: sqlite3.Connection, failures: Mapping[str, Failures]) -> None:
    conn.executemany(
        "DELETE FROM login_failures WHERE key = ?",
        [(k,) for k, f in failures.items() if not f.count],
    )
    conn.executemany(
        "INSERT INTO login_failures (key, failures, last_failed_at) VALUES (?, ?, ?)"
        " ON CONFLICT (key) DO UPDATE SET failures = excluded.failures,"
        " last_failed_at = excluded.last_failed_at",
        [(k, f.count, f.last_at) for k, f in failures.items() if f.count],
    )


def _account(row: tuple[object, ...]) -> Account:
    user_id, name, role, kind, code = row
    return Account(str(user_id), str(name), Role(str(role)), str(kind), str(code))
