"""Open311 answers in the format the path asks (.xml or .json), errors included.

Errors follow the spec: `<errors><error><code/><description/></error></errors>` or a JSON array
of `{code, description}`; 404 not found, 403 missing or bad api_key, 400 anything else.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from fastapi import HTTPException, Request
from fastapi.responses import Response

from gridloop.entrypoints.web.open311 import xml

FORMATS = ("xml", "json")
XML_TYPE = "text/xml; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"
CLASSIC_CLIENT = "Python-urllib/"  # the classic `open311` client speaks through urllib


def checked_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise HTTPException(404, f"format {fmt!r} not supported (xml, json)")
    return fmt


def listing(
    request: Request,
    fmt: str,
    root: str,
    item: str,
    items: Sequence[Mapping[str, object]],
    status: int = 200,
) -> Response:
    """A list answer: a JSON array, or `<root><item/>…</root>`."""
    if fmt == "json":
        return _json(list(items), status)
    if not items and request.headers.get("user-agent", "").startswith(CLASSIC_CLIENT):
        # The classic client reads `doc[root][item]` and crashes on an empty root (which
        # ElementTree parses to None however it is spelled): one empty item reads as None.
        return Response(xml.document(root, item, [{}]), status, media_type=XML_TYPE)
    return Response(xml.document(root, item, items), status, media_type=XML_TYPE)


def one(fmt: str, root: str, fields: Mapping[str, object]) -> Response:
    """A single object: JSON object, or `<root>` holding the fields."""
    if fmt == "json":
        return _json(dict(fields), 200)
    return Response(xml.single(root, fields), 200, media_type=XML_TYPE)


def error_answer(request: Request, status: int, detail: str) -> Response:
    """Every error under /open311/ (registered in `problems.FORMATTERS`)."""
    code = 400 if status == 422 else status
    fmt = "json" if request.url.path.endswith(".json") else "xml"
    body = [{"code": code, "description": detail}]
    if fmt == "json":
        return _json(body, code)
    return Response(xml.document("errors", "error", body), code, media_type=XML_TYPE)


def _json(body: object, status: int) -> Response:
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return Response(text, status, media_type=JSON_TYPE)
