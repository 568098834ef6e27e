"""Open311 GeoReport v2 under /open311/v2: discovery, services, requests, tokens, updates.

Every resource answers `.xml` (namespace-free) or `.json`; every error, validation and crash
included, answers the spec's error body (`answers.error_answer`). The classic Python client's
habits are served: `/service/{code}` beside `/services/{code}`, an empty `jurisdiction_id=`,
api_key in the POST's query string, a non-empty list where it would crash on an empty one.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator, Iterator
from typing import Annotated

from anyio import to_thread
from fastapi import APIRouter, FastAPI, HTTPException, Query, Request
from fastapi.responses import Response

from gridloop.config import Settings
from gridloop.domain.cases.actor import Actor
from gridloop.domain.cases.events import Role
from gridloop.entrypoints.web import problems
from gridloop.entrypoints.web.open311 import answers, fields, forms
from gridloop.entrypoints.web.open311.context import Open311Context, context
from gridloop.entrypoints.web.state import WebState
from gridloop.service_layer.citizen_requests import InvalidRequest, UnknownService
from gridloop.service_layer.public_requests import RequestQuery

PREFIX = "/open311"
routes = APIRouter(prefix=f"{PREFIX}/v2", tags=["open311"])
Text = Annotated[str | None, Query(max_length=2000)]


def open311_router(settings: Settings) -> APIRouter:
    """The Open311 routes; their catalogue and address index are built when the app starts."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.open311 = await to_thread.run_sync(Open311Context.load, settings)
        yield

    problems.FORMATTERS[f"{PREFIX}/"] = answers.error_answer
    router = APIRouter(lifespan=lifespan)
    router.include_router(routes)
    router.add_api_route(f"{PREFIX}/discovery.{{fmt}}", discovery, methods=["GET"])
    return router


def _now() -> int:
    return int(time.time() * 1000)


@contextlib.contextmanager
def _refusals() -> Iterator[None]:
    try:
        yield
    except UnknownService as e:
        raise HTTPException(404, str(e)) from None
    except InvalidRequest as e:
        raise HTTPException(400, str(e)) from None


@routes.get("/discovery.{fmt}")
def discovery(request: Request, fmt: str) -> Response:
    ctx = context(request)
    url = str(request.base_url).rstrip("/") + f"{PREFIX}/v2"
    c = ctx.catalogue
    doc = fields.discovery(url, ctx.changeset, c.contact, c.key_service)
    return answers.one(answers.checked_format(fmt), "discovery", doc)


@routes.get("/services.{fmt}")
def services(request: Request, fmt: str, jurisdiction_id: Text = None) -> Response:
    fmt = answers.checked_format(fmt)
    ctx = context(request)
    ctx.check_jurisdiction(jurisdiction_id)
    desk = ctx.desk(request)
    listed = [fields.service(s, desk.handling_limit(s)) for s in ctx.catalogue.services.values()]
    return answers.listing(request, fmt, "services", "service", listed)


@routes.get("/services/{code}.{fmt}")
@routes.get("/service/{code}.{fmt}")  # the classic client's spelling
def service_definition(
    request: Request, code: str, fmt: str, jurisdiction_id: Text = None
) -> Response:
    fmt = answers.checked_format(fmt)
    ctx = context(request)
    ctx.check_jurisdiction(jurisdiction_id)
    with _refusals():
        found = ctx.desk(request).service(code)
    return answers.one(fmt, "service_definition", fields.definition(found))


@routes.post("/requests.{fmt}", status_code=201)
async def post_request(request: Request, fmt: str) -> Response:
    fmt = answers.checked_format(fmt)
    ctx = context(request)
    form = await request.form()
    items = [(k, v) for k, v in form.multi_items() if isinstance(v, str)]
    items += list(request.query_params.multi_items())  # the classic client's api_key is here
    given = dict(reversed(items))  # the first spelling of each field wins
    ctx.check_jurisdiction(given.get("jurisdiction_id"))
    state: WebState = request.app.state.gridloop
    api_key = given.get("api_key", "")
    account = state.accounts.authenticate(api_key, _now()) if state.accounts else None
    if account is None:
        why = "api_key was not provided" if not api_key else "api_key is invalid or revoked"
        raise HTTPException(403, why)
    submission = forms.submission(items)
    desk = ctx.desk(request)
    reporter = Actor(f"open311:{account.name}", Role.SYSTEM)
    with _refusals():
        filed = await to_thread.run_sync(desk.file, submission, reporter, _now())
    body = [fields.posted(filed, ctx.catalogue.match_threshold)]
    return answers.listing(request, fmt, "service_requests", "request", body, status=201)


@routes.get("/requests.{fmt}")
def get_requests(
    request: Request,
    fmt: str,
    jurisdiction_id: Text = None,
    service_request_id: Text = None,
    service_code: Text = None,
    start_date: Text = None,
    end_date: Text = None,
    status: Text = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=1000)] = 1000,
) -> Response:
    fmt = answers.checked_format(fmt)
    ctx = context(request)
    ctx.check_jurisdiction(jurisdiction_id)
    start, end = forms.date_range(start_date, end_date, _now())
    query = RequestQuery(
        case_ids=forms.codes(service_request_id),
        service_codes=forms.codes(service_code),
        start=start,
        end=end,
        statuses=forms.statuses(status),
        offset=(page - 1) * page_size,
        limit=page_size,
    )
    found = [fields.request(r) for r in ctx.reader(request).requests(query)]
    return answers.listing(request, fmt, "service_requests", "request", found)


@routes.get("/requests/{request_id}.{fmt}")
def get_request(
    request: Request, request_id: str, fmt: str, jurisdiction_id: Text = None
) -> Response:
    fmt = answers.checked_format(fmt)
    ctx = context(request)
    ctx.check_jurisdiction(jurisdiction_id)
    found = ctx.reader(request).request(request_id)  # CaseNotFound answers 404
    return answers.listing(request, fmt, "service_requests", "request", [fields.request(found)])


@routes.get("/tokens/{token}.{fmt}")
def get_token(request: Request, token: str, fmt: str, jurisdiction_id: Text = None) -> Response:
    """Requests are filed at once, so a token is the request's id."""
    fmt = answers.checked_format(fmt)
    ctx = context(request)
    ctx.check_jurisdiction(jurisdiction_id)
    found = ctx.reader(request).request(token)
    body = [fields.token(found.case_id)]
    return answers.listing(request, fmt, "service_requests", "request", body)


@routes.get("/servicerequestupdates.{fmt}")
def get_updates(
    request: Request,
    fmt: str,
    jurisdiction_id: Text = None,
    service_request_id: Text = None,
    start_date: Text = None,
    end_date: Text = None,
) -> Response:
    fmt = answers.checked_format(fmt)
    ctx = context(request)
    ctx.check_jurisdiction(jurisdiction_id)
    start, end = forms.date_range(start_date, end_date, _now())
    found = ctx.reader(request).updates(start, end, forms.codes(service_request_id))
    listed = [fields.update(u) for u in found]
    return answers.listing(request, fmt, "service_request_updates", "request_update", listed)
