"""Opaque list cursors: base64url (unpadded) of a short JSON list, decoded strictly.

A cursor this API could not have given out answers 422 `cursor: <why>` before any of it
reaches a query: SQLite binds integers as 64-bit and fails in the driver (a 500) on a larger
one, and a value of the wrong type would compare as nothing or as everything.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Collection, Sequence

from fastapi import HTTPException

SQLITE_MIN = -(2**63)  # SQLite INTEGER: a signed 64-bit number
SQLITE_MAX = 2**63 - 1
MAX_TEXT = 200  # characters of a string inside a cursor
MAX_CURSOR = 400  # characters of an encoded cursor (the routes' Query(max_length=...))
CURSOR_PATTERN = "^[A-Za-z0-9_-]*$"  # base64url: the routes' Query(pattern=...)
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")
Value = int | str | None


def refused(why: str, field: str = "cursor") -> HTTPException:
    return HTTPException(422, f"{field}: {why}")


def encode(values: Sequence[Value]) -> str:
    raw = json.dumps(list(values), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str, length: int, field: str = "cursor") -> list[object]:
    """The JSON list of `length` items inside a cursor; 422 when it is not base64url of one."""
    if len(cursor) > MAX_CURSOR:
        raise refused(f"longer than {MAX_CURSOR} characters", field)
    if not _BASE64URL.fullmatch(cursor) or len(cursor) % 4 == 1:
        raise refused("not base64url", field)
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    except (binascii.Error, ValueError):
        raise refused("not base64url", field) from None
    try:
        found = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise refused("not JSON", field) from None
    if not isinstance(found, list):
        raise refused(f"not a list of {length} values", field)
    if len(found) != length:
        raise refused(f"{len(found)} values where {length} were expected", field)
    return found


def integer(
    value: object, what: str, *, nullable: bool = False, field: str = "cursor"
) -> int | None:
    """An integer SQLite can bind (or null where `nullable`)."""
    if value is None and nullable:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise refused(f"{what} is not an integer", field)
    if not SQLITE_MIN <= value <= SQLITE_MAX:
        raise refused(f"{what} is out of range ({SQLITE_MIN}..{SQLITE_MAX})", field)
    return value


def text(value: object, what: str, *, max_length: int = MAX_TEXT, field: str = "cursor") -> str:
    if not isinstance(value, str):
        raise refused(f"{what} is not a string", field)
    if len(value) > max_length:
        raise refused(f"{what} is longer than {max_length} characters", field)
    return value


def one_of(value: object, allowed: Collection[str], what: str, field: str = "cursor") -> str:
    if not isinstance(value, str) or value not in allowed:
        raise refused(f"{what} is not one of {', '.join(sorted(allowed))}", field)
    return value


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not a JSON value")
