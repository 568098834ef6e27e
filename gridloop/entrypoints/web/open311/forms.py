"""Reading Open311 input: the POST form (and query string), the GET filters. 400s say why."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from fastapi import HTTPException

from gridloop.entrypoints.timefmt import parse_iso
from gridloop.service_layer.citizen_requests import Submission

MAX_DESCRIPTION = 4000
MAX_FIELD = 500
DAY_MS = 86_400_000
MAX_SPAN_MS = 90 * DAY_MS
CONTACT_FIELDS = ("email", "device_id", "account_id", "first_name", "last_name", "phone")
_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def bad(description: str) -> HTTPException:
    return HTTPException(400, description)


def submission(items: Iterable[tuple[str, str]]) -> Submission:
    """The request from form fields (the query string's fill what the form leaves out)."""
    fields: dict[str, str] = {}
    attributes: dict[str, list[str]] = {}
    for name, value in items:
        found = _ATTRIBUTE.match(name)
        if found:
            attributes.setdefault(found.group(1), []).append(value.strip())
        elif name not in fields:
            fields[name] = value.strip()
    code = fields.get("service_code", "")
    if not code:
        raise bad("service_code was not provided")
    description = _CONTROL.sub("", fields.get("description", ""))
    if len(description) > MAX_DESCRIPTION:
        raise bad(f"description is longer than {MAX_DESCRIPTION} characters")
    if _TAG.search(description):
        raise bad("description must be plain text, not HTML")
    lat, lon = _number(fields, "lat"), _number(fields, "long")
    if (lat is None) != (lon is None):
        raise bad("lat and long must be given together")
    media_url = fields.get("media_url", "")
    if media_url and (urlsplit(media_url).scheme not in ("http", "https") or len(media_url) > 2000):
        raise bad("media_url must be an http(s) URL")
    for name in ("address_string", "address_id", *CONTACT_FIELDS):
        if len(fields.get(name, "")) > MAX_FIELD:
            raise bad(f"{name} is longer than {MAX_FIELD} characters")
    return Submission(
        service_code=code,
        description=description,
        lat=lat,
        lon=lon,
        address_string=_CONTROL.sub("", fields.get("address_string", "")),
        address_id=fields.get("address_id", ""),
        media_url=media_url,
        attributes=attributes,
        contact={k: fields[k] for k in CONTACT_FIELDS if fields.get(k)},
    )


def _number(fields: dict[str, str], name: str) -> float | None:
    text = fields.get(name, "")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise bad(f"{name} is not a number: {text!r}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise bad(f"{name} is not a number: {text!r}")
    return value


def date_range(start: str | None, end: str | None, now_ms: int) -> tuple[int, int]:
    """start_date / end_date as epoch ms: at most 90 days apart, the last 90 days by default."""
    start_ms, end_ms = _date(start, "start_date"), _date(end, "end_date")
    if end_ms is None:
        end_ms = start_ms + MAX_SPAN_MS if start_ms is not None else now_ms
    if start_ms is None:
        start_ms = end_ms - MAX_SPAN_MS
    if start_ms > end_ms:
        raise bad("start_date is after end_date")
    if end_ms - start_ms > MAX_SPAN_MS:
        raise bad("start_date and end_date may not span more than 90 days")
    return start_ms, end_ms


def _date(text: str | None, name: str) -> int | None:
    if not text:
        return None
    try:
        return parse_iso(text.replace(" ", "+"))  # an unescaped + arrives as a space
    except ValueError:
        raise bad(f"{name} is not an ISO 8601 date-time: {text!r}") from None


def codes(text: str | None) -> tuple[str, ...]:
    """A comma-separated list, without blanks or repeats."""
    return tuple(dict.fromkeys(c.strip() for c in (text or "").split(",") if c.strip()))


def statuses(text: str | None) -> tuple[str, ...]:
    found = codes(text)
    unknown = [s for s in found if s not in ("open", "closed")]
    if unknown:
        raise bad(f"status must be open or closed, not {unknown[0]!r}")
    return found
