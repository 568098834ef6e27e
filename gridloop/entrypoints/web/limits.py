"""Request limits as ASGI middleware: body size, and a token bucket per caller (429 + Retry-After).

The caller is whom a live token (Bearer or session cookie) belongs to, as `identify` says;
anything else, a made-up token included, counts against the client address, which is the
peer of the connection (scope["client"]; behind a reverse proxy, what the server was told to
trust), never a header the client wrote. The buckets live in memory, which is right for one
server process (several processes each keep their own).
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from starlette.exceptions import HTTPException

# (scope, token, may_look_up) → a key for the principal of a live token, else None
Identify = Callable[[MutableMapping[str, Any], str, bool], Awaitable[str | None]]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


@dataclass(frozen=True)
class Limits:
    rate_per_s: float = 20.0  # sustained requests per second per caller
    burst: int = 60  # what a caller may send at once
    max_body: int = 16 * 1024 * 1024  # telemetry batches and photos stay under this
    exempt_prefixes: tuple[str, ...] = ("/healthz", "/metrics", "/static")


class _Buckets:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._tokens: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def has_room(self, key: str, now: float) -> bool:
        """Whether `take` would let a request go now (nothing is taken)."""
        rate, burst = self.limits.rate_per_s, float(self.limits.burst)
        with self._lock:
            level, since = self._tokens.get(key, (burst, now))
        return min(burst, level + (now - since) * rate) >= 1

    def take(self, key: str, now: float) -> float:
        """0 when the request may go, else the seconds until it could."""
        rate, burst = self.limits.rate_per_s, float(self.limits.burst)
        with self._lock:
            level, since = self._tokens.get(key, (burst, now))
            level = min(burst, level + (now - since) * rate)
            if level >= 1:
                self._tokens[key] = (level - 1, now)
                return 0.0
            self._tokens[key] = (level, now)
            if len(self._tokens) > 200_000:  # forget idle callers rather than grow forever
                self._tokens.clear()
            return (1 - level) / rate


class LimitsMiddleware:
    def __init__(
        self, app: ASGIApp, limits: Limits | None = None, identify: Identify | None = None
    ) -> None:
        self.app = app
        self.limits = limits or Limits()
        self._buckets = _Buckets(self.limits)
        self._identify = identify

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(self.limits.exempt_prefixes):
            await self.app(scope, receive, send)
            return
        headers = _wanted(scope["headers"])
        wait = self._buckets.take(await self._caller(scope, headers), time.monotonic())
        if wait > 0:
            retry = str(max(1, math.ceil(wait)))
            detail = f"too many requests; retry after {retry} s"
            await _refuse(send, 429, detail, {"retry-after": retry})
            return
        length = headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > self.limits.max_body:
            await _refuse(send, 413, f"body over {self.limits.max_body} bytes", {})
            return
        await self.app(scope, self._bounded(receive), send)

    async def _caller(self, scope: Scope, headers: dict[str, str]) -> str:
        client = scope.get("client")
        address = "a:" + (client[0] if client else "?")
        token = _token(headers)
        # a token is looked up only while its address has room: made-up tokens sent past
        # the address's burst cost no lookup at all
        if not token or self._identify is None:
            return address
        may_look_up = self._buckets.has_room(address, time.monotonic())
        principal = await self._identify(scope, token, may_look_up)
        return "p:" + principal if principal is not None else address

    def _bounded(self, receive: Receive) -> Receive:
        seen = 0
        limit = self.limits.max_body

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        return counted


class BodyTooLarge(HTTPException):
    """Raised while the body streams in; an HTTPException so that FastAPI's body parsing
    passes it on as 413 rather than wrapping it as a malformed body."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"body over {limit} bytes")


_WANTED = frozenset({b"authorization", b"cookie", b"content-length"})


def _wanted(raw: list[tuple[bytes, bytes]]) -> dict[str, str]:
    """The headers these limits read (the last of a repeated one), decoded; every request
    passes here, so the others are left alone."""
    found: dict[str, str] = {}
    for name, value in raw:
        name = name.lower()
        if name in _WANTED:
            found[name.decode("latin-1")] = value.decode("latin-1")
    return found


def _token(headers: dict[str, str]) -> str:
    auth = headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip()
    for part in headers.get("cookie", "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == "gridloop_session" and value:
            return value
    return ""


async def _refuse(send: Send, status: int, detail: str, extra: dict[str, str]) -> None:
    title = {413: "Content Too Large", 429: "Too Many Requests"}[status]
    body = json.dumps({"type": "about:blank", "title": title, "status": status, "detail": detail})
    headers = [(b"content-type", b"application/problem+json")]
    headers += [(k.encode(), v.encode()) for k, v in extra.items()]
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body.encode()})


def api_limits(settings: object) -> Limits:
    """`[api] rate_per_s, burst, max_body_bytes` from the settings file, else the defaults."""
    document = getattr(settings, "document", None)
    doc = document() if callable(document) else {}
    api = doc.get("api", {}) if isinstance(doc, dict) else {}
    base = Limits()
    if not isinstance(api, dict):
        raise ValueError(f"[api] must be a table, got {api!r}")
    return Limits(
        rate_per_s=float(api.get("rate_per_s", base.rate_per_s)),
        burst=int(api.get("burst", base.burst)),
        max_body=int(api.get("max_body_bytes", base.max_body)),
    )
