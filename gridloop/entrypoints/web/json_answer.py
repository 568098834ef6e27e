"""JSON answers built by orjson and handed to the server as they are.

A route that returns a dict has FastAPI validate it against the return annotation (on a worker
thread, for a sync route) and serialize it with pydantic; for documents the route built itself
that is pure cost. The route keeps `response_model=` for the OpenAPI schema and returns this.
"""

from __future__ import annotations

import orjson
from fastapi.responses import Response
from pydantic import TypeAdapter

_DOCUMENT: TypeAdapter[dict[str, object]] = TypeAdapter(dict[str, object])


def json_answer(doc: dict[str, object], status_code: int = 200) -> Response:
    """`doc` as application/json, the same bytes FastAPI's own serialization gives."""
    try:
        body = orjson.dumps(doc)
    except TypeError:  # what orjson refuses (an int past 64 bits, a set): pydantic's way
        body = _DOCUMENT.dump_json(doc)
    return Response(body, status_code=status_code, media_type="application/json")
