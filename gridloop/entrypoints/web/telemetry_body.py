"""A telemetry POST body as NDJSON lines or JSON values, counted before it is split or parsed.

A body of millions of tiny lines (4 MB of `{}`) would become millions of Python objects before
any cap could look at them, so the count comes first, from the bytes: a newline ends each line,
and a top-level comma separates each array element (so commas bound the elements from above).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import orjson
from fastapi import HTTPException

from gridloop.service_layer.intake_bounds import TooManyMessages


@dataclass(frozen=True)
class TelemetryBody:
    form: str  # "lines" (NDJSON) or "objects" (a JSON array, or one object)
    items: list[bytes] | list[object]


def split_body(body: bytes, max_messages: int) -> TelemetryBody:
    """The body's lines or values; HTTPException 400 (not JSON) or 413 (over the cap)."""
    stripped = body.strip()
    if stripped.startswith(b"["):
        if stripped.count(b",") >= max_messages:  # could hold more elements than the cap
            _count_elements(stripped, max_messages)
        try:
            values = orjson.loads(stripped)
        except orjson.JSONDecodeError as e:
            raise HTTPException(400, f"body is not a JSON array: {e}") from e
        if not isinstance(values, list):
            raise HTTPException(400, "body is not a JSON array")
        return TelemetryBody("objects", values)
    if stripped.startswith(b"{") and b"\n" not in stripped:
        try:
            return TelemetryBody("objects", [orjson.loads(stripped)])
        except orjson.JSONDecodeError as e:
            raise HTTPException(400, f"body is not JSON: {e}") from e
    lines = stripped.count(b"\n") + 1 if stripped else 0
    if lines > max_messages:
        raise _too_many(TooManyMessages(lines, max_messages))
    return TelemetryBody("lines", stripped.splitlines())


def _count_elements(array: bytes, cap: int) -> None:
    """413 once the array is seen to hold more than `cap` elements (each parsed and dropped:
    memory stays that of one element); 400 where it stops being JSON."""
    try:
        text = array.decode("utf-8")
    except UnicodeDecodeError as e:
        raise HTTPException(400, f"body is not UTF-8 JSON: {e}") from e
    scan, at, count = json.JSONDecoder().raw_decode, 1, 0
    end = len(text)
    while True:
        at = _skip_space(text, at)
        if at < end and text[at] == "]":
            return
        try:
            _, at = scan(text, at)
        except (json.JSONDecodeError, RecursionError) as e:
            raise HTTPException(400, f"body is not a JSON array: {e}") from e
        count += 1
        if count > cap:
            raise _too_many(TooManyMessages(count, cap, more=True))
        at = _skip_space(text, at)
        if at < end and text[at] == ",":
            at += 1
        elif at < end and text[at] == "]":
            return
        else:
            raise HTTPException(400, f"body is not a JSON array: ',' or ']' expected at {at}")


def _skip_space(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t\r\n":
        at += 1
    return at


def _too_many(e: TooManyMessages) -> HTTPException:
    return HTTPException(413, str(e))
