"""How the MQTT door reads what arrives: the topic's device id, and which lines speak for it."""

from __future__ import annotations

import json

import orjson


def topic_level(topic_filter: str) -> int:
    """Index of the single `+` level of a subscription filter (the device id's level)."""
    levels = topic_filter.split("/")
    if levels.count("+") != 1 or any(lv != "+" and ("+" in lv or "#" in lv) for lv in levels):
        raise ValueError(f"topic {topic_filter!r} must have exactly one '+' level and no '#'")
    return levels.index("+")


def claimed_device(line: bytes) -> str | None:
    """The device_id a single JSON message claims, or None when that cannot be told."""
    try:
        obj = orjson.loads(line)
    except orjson.JSONDecodeError:
        try:
            # The decoder also falls back to the standard library (NaN, Infinity): agree with it.
            obj = json.loads(line)
        except (ValueError, UnicodeDecodeError):
            return None
    if isinstance(obj, dict):
        device_id = obj.get("device_id")
        return device_id if isinstance(device_id, str) else None
    return None


# NDJSON lines one payload may hold (a device sending its backlog). Without it, 64 KiB of `{}`
# lines would be 20,000 lines from one publish, a thousand times that in one batch.
MAX_LINES_PER_PAYLOAD = 500


def sort_lines(
    items: list[tuple[str, bytes]], max_payload: int
) -> tuple[list[bytes], set[str], list[bytes]]:
    """(lines speaking for their own topic's device, those devices, all other lines)."""
    # A payload is one JSON message or NDJSON lines; one over `max_payload` stays whole for the
    # pipeline to reject. A line whose claim cannot be read goes with the others, where nothing
    # is accepted: a parser disagreement can never let a device speak for another one.
    own: list[bytes] = []
    owners: set[str] = set()
    others: list[bytes] = []  # nothing here is accepted
    for device_id, payload in items:
        if not payload.strip():
            continue  # an empty payload clears a retained message: nothing to count
        if len(payload) > max_payload:
            others.append(payload)
            continue
        if payload.count(b"\n") >= MAX_LINES_PER_PAYLOAD:
            others.append(payload)  # a backlog too long for one payload: rejected whole
            continue
        claim = claimed_device(payload)
        if claim is None and b"\n" in payload:
            lines = [ln.rstrip(b"\r") for ln in payload.split(b"\n") if ln.strip()]
            claims = [claimed_device(ln) for ln in lines]
        else:
            lines, claims = [payload], [claim]
        for line, line_claim in zip(lines, claims, strict=True):
            (own if line_claim == device_id else others).append(line)
            if line_claim == device_id:
                owners.add(device_id)
    return own, owners, others
