"""Errors as RFC 9457 problem details (application/problem+json), never a stack trace.

Routers with their own error format (Open311's `<errors>`) register a formatter for their path
prefix in `FORMATTERS`; every other path answers problem+json.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from gridloop.domain.cases.errors import (
    CaseNotFound,
    NotTheAssignee,
    ReportRefused,
    RoleNotAllowed,
    TransitionRefused,
)
from gridloop.entrypoints.web.limits import BodyTooLarge
from gridloop.service_layer.accounts import AccountRefused, LoginFailed, LoginThrottled

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("gridloop.web")

Formatter = Callable[[Request, int, str], Response]
FORMATTERS: dict[str, Formatter] = {}


def problem(
    status: int,
    detail: str,
    title: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: object,
) -> JSONResponse:
    body: dict[str, object] = {
        "type": "about:blank",
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        **extra,
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _answer(request: Request, status: int, detail: str, **extra: object) -> Response:
    for prefix, formatter in FORMATTERS.items():
        if request.url.path.startswith(prefix):
            return formatter(request, status, detail)
    headers = extra.pop("headers", None)
    return problem(status, detail, headers=headers, **extra)  # type: ignore[arg-type]


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {"field": ".".join(str(p) for p in e.get("loc", ())), "message": str(e.get("msg"))}
            for e in exc.errors()
        ]
        first = errors[0] if errors else {"field": "?", "message": "invalid"}
        detail = f"{first['field']}: {first['message']}"
        return _answer(request, 422, detail, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        headers = dict(exc.headers) if exc.headers else None
        return _answer(request, exc.status_code, str(exc.detail), headers=headers)

    @app.exception_handler(CaseNotFound)
    async def not_found(request: Request, exc: CaseNotFound) -> Response:
        return _answer(request, 404, str(exc))

    @app.exception_handler(RoleNotAllowed)
    @app.exception_handler(NotTheAssignee)
    async def forbidden(request: Request, exc: TransitionRefused) -> Response:
        # the caller may not do this, whatever the case's state: 403, not 409
        return _answer(request, 403, str(exc), action=exc.action.value, why=exc.why)

    @app.exception_handler(TransitionRefused)
    async def refused(request: Request, exc: TransitionRefused) -> Response:
        return _answer(request, 409, str(exc), action=exc.action.value, why=exc.why)

    @app.exception_handler(ReportRefused)
    async def bad_report(request: Request, exc: ReportRefused) -> Response:
        return _answer(request, 422, str(exc), field=exc.field)

    @app.exception_handler(AccountRefused)
    async def bad_account(request: Request, exc: AccountRefused) -> Response:
        return _answer(request, 422, str(exc))

    @app.exception_handler(LoginFailed)
    async def login_failed(request: Request, exc: LoginFailed) -> Response:
        return _answer(request, 401, str(exc))

    @app.exception_handler(LoginThrottled)
    async def login_throttled(request: Request, exc: LoginThrottled) -> Response:
        headers = {"Retry-After": str(exc.retry_after_s)}
        return _answer(request, 429, str(exc), headers=headers)

    @app.exception_handler(BodyTooLarge)
    async def too_large(request: Request, exc: BodyTooLarge) -> Response:
        return _answer(request, 413, str(exc))

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return _answer(request, 500, "internal error; the server log has the details")
