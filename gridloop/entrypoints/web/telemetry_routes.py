"""POST /api/v1/telemetry (device tokens) and GET /api/v1/alerts (signed-in users, by region)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse

from gridloop.adapters.sqlite.token_store import Credential
from gridloop.entrypoints.alert_view import alert_json
from gridloop.entrypoints.timefmt import parse_api_time
from gridloop.entrypoints.web.auth import Caller
from gridloop.entrypoints.web.openapi_doc import answers, time_query
from gridloop.entrypoints.web.state import RETRY_AFTER_S, WebState
from gridloop.entrypoints.web.telemetry_body import split_body
from gridloop.entrypoints.web.telemetry_encoding import check_headers, read_body
from gridloop.service_layer.alert_views import visible_alerts

MAX_BODY = 16 * 1024 * 1024
router = APIRouter(prefix="/api/v1")


def _state(request: Request) -> WebState:
    state: WebState = request.app.state.gridloop
    return state


@router.post("/telemetry", responses=answers(400, 401, 503))
async def post_telemetry(request: Request) -> JSONResponse:
    """A JSON array (or one object) or NDJSON body of messages, with a device or gateway token;
    Content-Type x-ndjson, json, jsonl or text/plain (or none), gzip or no Content-Encoding."""
    state = _state(request)
    auth = request.headers.get("authorization", "")
    token = auth.removeprefix("Bearer ").strip() if auth.startswith("Bearer ") else ""
    # refuse a wrong token before reading its body (the ingesting process checks passed ones)
    credential = _credential(state, token) if state.leader is None else None
    headers = request.headers
    gzipped = check_headers(headers.get("content-type"), headers.get("content-encoding"))
    length = int(headers.get("content-length") or 0)
    if length > MAX_BODY:
        raise HTTPException(413, f"body over {MAX_BODY} bytes")
    # the cap counts the bytes the body stands for: a gzip body's after inflating
    body = await read_body(request.stream(), gzipped, MAX_BODY)
    if credential is None:  # another process ingests: it answers
        assert state.leader is not None
        status, answer = await state.leader.ingest(token, body)
        if status != 200:
            retry = {"Retry-After": RETRY_AFTER_S} if status == 503 else None
            raise HTTPException(status, str(answer.get("detail", "")), headers=retry)
        return JSONResponse(answer)
    return JSONResponse(await ingest_body(state, credential, body))


async def intake(state: WebState, token: str, body: bytes) -> tuple[int, dict[str, object]]:
    """A telemetry POST another server process passed on (see leader_link)."""
    try:
        return 200, await ingest_body(state, _credential(state, token), body)
    except HTTPException as e:
        return e.status_code, {"detail": e.detail}


def _credential(state: WebState, token: str) -> Credential:
    credential = state.authenticate(token) if token else None
    if credential is None:
        state.count_unauthorized()
        raise HTTPException(401, "a valid device or gateway token is required (Bearer)")
    return credential


async def ingest_body(state: WebState, credential: Credential, body: bytes) -> dict[str, object]:
    return await state.ingest(split_body(body, state.bounds.max_messages), credential)


@router.get("/alerts")
def get_alerts(
    request: Request,
    caller: Caller,
    status: str = Query("all", pattern="^(active|cleared|all)$"),
    rule: str | None = None,
    since: Annotated[str | None, time_query()] = None,
) -> list[dict[str, object]]:
    """Alerts in the caller's grids (a department: those of the cases routed to it)."""
    try:
        since_ms = parse_api_time(since) if since else None
    except ValueError as e:
        raise HTTPException(422, f"since: {e}") from e
    state = _state(request)
    rows = state.store.alerts(None if status == "all" else status, rule, since_ms)
    return [alert_json(a) for a in visible_alerts(rows, caller.actor, state.cases)]
