"""The OpenAPI document as the API really answers: every status code an operation can give, with
the body it gives (problem+json, or Open311's own errors), declared in one place.

Most codes follow from what a route is built of, so they are derived here rather than written on
every route: a signed-in dependency can answer 401, a role check 403, the district's services
503 (none imported yet), a path parameter 404 (an id is looked up), parameters 422 (400 for a
malformed body), and the request limits 413 and 429 on every path they guard. A code only one
route gives is declared on it: `responses=answers(409)`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Query
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from pydantic import BaseModel, ConfigDict, Field

from gridloop.entrypoints.timefmt import ISO_TIME, ISO_TIME_LENGTH
from gridloop.entrypoints.web.api_context import api_services
from gridloop.entrypoints.web.auth import principal
from gridloop.entrypoints.web.limits import Limits
from gridloop.entrypoints.web.problems import PROBLEM_JSON

OPEN311_PREFIX = "/open311/"
XML = "text/xml"


class FieldError(BaseModel):
    field: str
    message: str


class ProblemDetails(BaseModel):
    """RFC 9457 problem details, as `problems.problem` and the limits middleware write them."""

    model_config = ConfigDict(extra="allow")  # a refused action adds `action` and `why`

    type: str = "about:blank"
    title: str
    status: int = Field(ge=400, le=599)
    detail: str
    errors: list[FieldError] | None = Field(None, description="422: each invalid field")


class Open311Error(BaseModel):
    code: int
    description: str


def time_query(alias: str | None = None) -> Any:
    """A query parameter holding an ISO-8601 time (`Annotated[str | None, time_query()]`)."""
    # the route's `parse_api_time` enforces the pattern, with a message naming the field
    return Query(
        alias=alias,
        max_length=ISO_TIME_LENGTH,
        json_schema_extra={"pattern": ISO_TIME},
        description="ISO-8601 time, e.g. 2026-03-01T08:00:00+08:00 (no offset: Asia/Shanghai)",
    )


def answers(*codes: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for the codes a route gives beyond those derived from how it is built."""
    return {code: {"description": HTTPStatus(code).phrase} for code in codes}


def _is_role_check(call: Callable[..., Any] | None) -> bool:
    # `auth.require(...)` makes one closure per set of roles; each is this function
    return getattr(call, "__qualname__", "") == "require.<locals>.check"


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any] | None]:
    for sub in dependant.dependencies:
        yield sub.call
        yield from _calls(sub)


def derived_codes(route: APIRoute | RouteContext, limits: Limits) -> set[int]:
    """The error codes `route` can answer because of what it is built of."""
    dependant = route.dependant
    path = route.path_format or ""
    calls = list(_calls(dependant))
    codes: set[int] = set()
    if principal in calls:
        codes.add(401)
    if any(_is_role_check(c) for c in calls):
        codes.add(403)
    if api_services in calls:
        codes.add(503)
    if dependant.path_params:
        codes.add(404)
    if dependant.query_params or dependant.path_params or dependant.header_params:
        codes.add(422)
    if dependant.body_params:
        codes |= {400, 422}  # 400: a body that is not JSON at all
    if not path.startswith(limits.exempt_prefixes):
        codes |= {413, 429}
    if path.startswith(OPEN311_PREFIX) and 422 in codes:
        codes = (codes - {422}) | {400}  # Open311 answers an invalid field 400 (its spec)
    return codes


def _error_content(path: str) -> dict[str, Any]:
    if path.startswith(OPEN311_PREFIX):
        ref = {"$ref": "#/components/schemas/Open311Error"}
        return {
            "application/json": {"schema": {"type": "array", "items": ref}},
            XML: {"schema": {"type": "string"}},
        }
    return {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}}


def _not_null(parameter: dict[str, Any]) -> None:
    """`X | None` parameters: FastAPI writes anyOf [X, null], but a query or a header has no
    null to send (an absent one is the None); a client reading `null` would send "null"."""
    schema = parameter.get("schema", {})
    kept = [s for s in schema.get("anyOf", ()) if s != {"type": "null"}]
    if len(kept) == 1 and len(schema["anyOf"]) == 2:
        del schema["anyOf"]
        schema.update(kept[0])


def _declare(path: str, operation: dict[str, Any], codes: set[int]) -> None:
    for parameter in operation.get("parameters", ()):
        _not_null(parameter)
    responses = operation.setdefault("responses", {})
    if path.startswith(OPEN311_PREFIX):
        responses.pop("422", None)  # FastAPI's own, but Open311 answers an invalid field 400
    for code in codes:
        responses.setdefault(str(code), {"description": HTTPStatus(code).phrase})
    operation["responses"] = responses = dict(sorted(responses.items()))
    for code, response in responses.items():
        if code.isdigit() and int(code) >= 400:
            response["content"] = _error_content(path)
        elif path.startswith(OPEN311_PREFIX) and "content" in response:
            response["content"][XML] = {"schema": {"type": "string"}}  # `.xml` answers
    if 429 in codes:
        responses["429"]["headers"] = {
            "Retry-After": {"description": "seconds", "schema": {"type": "integer"}}
        }
    if 401 in codes:
        operation["security"] = [{"bearer": []}, {"session": []}]


def document(app: FastAPI, limits: Limits) -> dict[str, Any]:
    doc = get_openapi(title=app.title, version=app.version, routes=app.routes)
    components = doc.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for model in (ProblemDetails, FieldError, Open311Error):
        schemas[model.__name__] = model.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
    schemas.pop("HTTPValidationError", None)  # FastAPI's own 422 body: ours is ProblemDetails
    schemas.pop("ValidationError", None)
    components["securitySchemes"] = {
        "bearer": {"type": "http", "scheme": "bearer"},
        "session": {"type": "apiKey", "in": "cookie", "name": "gridloop_session"},
    }
    # routers are included as they are (FastAPI >= 0.160): their routes as get_openapi sees them
    for route in iter_route_contexts(app.routes):
        if not isinstance(route.original_route, APIRoute) or not route.include_in_schema:
            continue
        codes, path = derived_codes(route, limits), route.path_format or ""
        for method in route.methods or ():
            operation = doc["paths"].get(path, {}).get(method.lower())
            if operation is not None:
                _declare(path, operation, codes)
    return doc


def install(app: FastAPI, limits: Limits) -> None:
    """Serve `document` at /openapi.json (built on the first request, then kept)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document(app, limits)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
