"""Cases over HTTP: list (filters, cursor, sort), detail with history, workflow actions, patrol
reports, and the manual-location queue. Every read and action goes through the caller's actor,
so a case outside their region answers 404 like a missing one."""

from __future__ import annotations

import functools
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Response

from gridloop.domain.cases.errors import CaseNotFound
from gridloop.domain.cases.events import Action, Role
from gridloop.domain.cases.states import CaseState
from gridloop.domain.cases.summary import CaseSummary
from gridloop.domain.cases.workflow import TRANSITIONS, allowed_actions
from gridloop.entrypoints.case_view import case_json, event_json, is_overdue
from gridloop.entrypoints.timefmt import parse_api_time
from gridloop.entrypoints.web.api_context import Api
from gridloop.entrypoints.web.auth import Caller, Principal, require
from gridloop.entrypoints.web.case_schemas import (
    ActionIn,
    LocateIn,
    PatrolIn,
    Sort,
    decode_cursor,
    encode_cursor,
)
from gridloop.entrypoints.web.cursors import CURSOR_PATTERN, MAX_CURSOR
from gridloop.entrypoints.web.json_answer import json_answer
from gridloop.entrypoints.web.openapi_doc import answers, time_query
from gridloop.service_layer.attachments import AttachmentRefused
from gridloop.service_layer.casework import NewReport, ReportOutcome
from gridloop.service_layer.ports import CaseFilter

# The busy routes keep `response_model=` for OpenAPI and answer with `json_answer` (see there)
router = APIRouter(prefix="/api/v1", tags=["cases"])
CaseId = Annotated[str, Path(min_length=1, max_length=32)]
Codes = Annotated[list[str] | None, Query()]
GridWorker = Annotated[Principal, Depends(require(Role.GRID_WORKER))]
Dispatcher = Annotated[Principal, Depends(require(Role.STREET_DISPATCHER, Role.DISTRICT_ADMIN))]
CASE_DOCUMENTS_REMEMBERED = 16_384  # a few MB
# set by the service from the caller's own unit; a client naming another would act for it
_SERVICE_KEYS = frozenset({"unit"})


def _now() -> int:
    return int(time.time() * 1000)


def _codes(values: list[str] | None) -> tuple[str, ...]:
    """Repeated parameters and comma-separated lists alike: ?state=a&state=b or ?state=a,b."""
    return tuple(v for value in values or () for v in value.split(",") if v)


def _instant(name: str, text: str | None) -> int | None:
    try:
        return parse_api_time(text) if text else None
    except ValueError as e:
        raise HTTPException(422, f"{name}: {text!r} is not an ISO-8601 time") from e


@router.get("/cases", response_model=dict[str, object])
def list_cases(
    caller: Caller,
    api: Api,
    state: Codes = None,
    severity: Codes = None,
    channel: Codes = None,
    category: Codes = None,
    grid: Codes = None,
    community: Codes = None,
    street: Codes = None,
    assignee: Codes = None,
    open: bool = False,
    overdue: bool = False,
    reported_from: Annotated[str | None, time_query("from")] = None,
    reported_to: Annotated[str | None, time_query("to")] = None,
    sort: Sort = "reported_at",
    order: Literal["asc", "desc"] = "asc",
    cursor: Annotated[str | None, Query(max_length=MAX_CURSOR, pattern=CURSOR_PATTERN)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Response:
    """The cases the caller may see; `next_cursor` continues the list (null on its last page)."""
    now = _now()
    f = CaseFilter(
        states=_codes(state),
        severities=_codes(severity),
        channels=_codes(channel),
        categories=_codes(category),
        grids=_codes(grid),
        communities=_codes(community),
        streets=_codes(street),
        assignees=_codes(assignee),
        open_only=open,
        overdue_at=now if overdue else None,
        reported_from=_instant("from", reported_from),
        reported_to=_instant("to", reported_to),
        sort=sort,
        descending=order == "desc",
        after=decode_cursor(cursor, sort) if cursor else None,
    )
    items, more = api.case_service().page(f, caller.actor, limit)
    last = items[-1] if items else None
    next_cursor = encode_cursor(sort, getattr(last, sort), last.case_id) if more and last else None
    docs = [_case_document(s, now, api) for s in items]
    return json_answer({"items": docs, "next_cursor": next_cursor})


@router.get("/cases/{case_id}", response_model=dict[str, object])
def get_case(case_id: CaseId, caller: Caller, api: Api) -> Response:
    """One case with its whole history and the actions the caller's role may take now."""
    summary, history = api.case_service().case(case_id, caller.actor)
    doc = _case(summary, caller, api)
    return json_answer({**doc, "history": [event_json(e, masked=True) for e in history]})


@router.post(
    "/cases/{case_id}/actions", response_model=dict[str, object], responses=answers(403, 409)
)
def act(case_id: CaseId, body: ActionIn, caller: Caller, api: Api) -> Response:
    """Take a workflow action; 403 when the role (or person) may not, 409 when the case's
    state or a condition refuses it."""
    try:
        action = Action(body.action)
    except ValueError:
        known = ", ".join(a.value for a in Action)
        raise HTTPException(422, f"action: unknown {body.action!r} (known: {known})") from None
    if not any(caller.role in t.roles for t in TRANSITIONS.values() if t.action is action):
        raise HTTPException(403, f"role {caller.role.value} may not {action.value} any case")
    payload = {k: v for k, v in body.payload.items() if k not in _SERVICE_KEYS}
    for key, value in (("note", body.note), ("reason", body.reason), ("rating", body.rating)):
        if value is not None:
            payload[key] = value
    if body.until is not None:
        payload["until"] = _instant("until", body.until)
    service = api.case_service()
    with _refusals():
        if body.attachments or "attachments" in payload:
            named = [*body.attachments, *_listed(payload.get("attachments", []))]
            payload["attachments"] = api.attachment_service().require_stored(named)
    event = service.act(case_id, action, caller.actor, _now(), payload)
    try:
        summary = service.summary(case_id, caller.actor)
    except CaseNotFound:  # e.g. returned by a department: no longer theirs to see
        return json_answer({"event": event_json(event, masked=True), "case": None})
    return json_answer(
        {"event": event_json(event, masked=True), "case": _case(summary, caller, api)}
    )


@router.post("/cases", status_code=201)
def report_patrol(body: PatrolIn, caller: GridWorker, api: Api) -> dict[str, object]:
    """A grid worker's patrol finding in one of their grids: it is dispatched to them."""
    report = NewReport(
        "patrol",
        body.category,
        body.severity,
        body.description,
        lon=body.lon,
        lat=body.lat,
        building_code=body.building_code,
    )
    outcome = api.case_service().report(report, caller.actor, _now())
    return _outcome(outcome, caller, api)


@router.get("/queue/unlocated")
def unlocated(
    caller: Dispatcher, api: Api, limit: Annotated[int, Query(ge=1, le=200)] = 100
) -> dict[str, object]:
    """Requests waiting to be placed by a dispatcher, oldest first. They have no street yet, so
    the district's command centre sees them (a street dispatcher's queue stays empty)."""
    f = CaseFilter(unlocated=True, limit=limit)
    now = _now()
    return {
        "items": [case_json(s, now, masked=True) for s in api.case_service().find(f, caller.actor)]
    }


@router.post("/cases/{case_id}/locate")
def locate(case_id: CaseId, body: LocateIn, caller: Dispatcher, api: Api) -> dict[str, object]:
    """Place a queued request; it is then registered and dispatched like any other."""
    outcome = api.case_service().locate(
        case_id, caller.actor, _now(), body.building_code, body.lon, body.lat, body.grid_code
    )
    return _outcome(outcome, caller, api)


def _case(summary: CaseSummary, caller: Principal, api: Api) -> dict[str, object]:
    doc = _case_document(summary, _now(), api)
    doc["allowed_actions"] = sorted(
        a.value for a in allowed_actions(CaseState(summary.state), caller.role)
    )
    return doc


def _case_document(summary: CaseSummary, now: int, api: Api) -> dict[str, object]:
    """The case as the API shows it: masked, whether it is overdue now, and the category's
    names for people (a sensor rule's title, or the hotline category's)."""
    doc = {**_masked(summary), "overdue": is_overdue(summary, now)}
    doc["category_label"], doc["category_label_en"] = api.category_labels(summary.category)
    return doc


@functools.lru_cache(maxsize=CASE_DOCUMENTS_REMEMBERED)
def _masked(summary: CaseSummary) -> dict[str, object]:
    # The same summaries are listed again and again, and building their JSON (times, masks)
    # was the largest part of a list request. Shared: callers copy it and never change its
    # lists.
    return case_json(summary, masked=True)


def _outcome(outcome: ReportOutcome, caller: Principal, api: Api) -> dict[str, object]:
    summary = api.case_service().summary(outcome.case_id, caller.actor)
    return {"merged_into": outcome.merged_into, "case": _case(summary, caller, api)}


def _listed(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else [value]


@contextmanager
def _refusals() -> Iterator[None]:
    try:
        yield
    except AttachmentRefused as e:
        raise HTTPException(e.status, str(e)) from e
