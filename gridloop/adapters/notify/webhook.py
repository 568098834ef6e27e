"""Notices POSTed as JSON to a webhook, from a background thread, with retries.

The caller only enqueues: the case is already committed, so a slow or absent receiver must never
hold it up. Delivery is at least once per batch while the receiver answers within the attempts (each
notice carries a `key`, the same when it is delivered again: the receiver drops repeats);
what cannot be delivered is counted and logged, never raised.
"""

from __future__ import annotations

import http.client
import json
import logging
import threading
import time
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urlsplit, urlunsplit

from gridloop.domain.notifications import Notice

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Attempt:
    ok: bool
    retryable: bool = False
    detail: str = ""  # "HTTP 503", or the connection error
    retry_after_s: float | None = None


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # urllib would follow a 301/302 as a GET without the body and call that a success.
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class WebhookNotifier:
    def __init__(
        self,
        url: str,
        *,
        timeout_s: float = 5.0,
        max_attempts: int = 5,
        backoff_s: float = 0.5,
        max_backoff_s: float = 30.0,
        queue_limit: int = 10_000,
        headers: Mapping[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if urlsplit(url).scheme not in ("http", "https"):
            raise ValueError(f"webhook URL must be http or https: {_redact(url)!r}")
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.url = url
        self._timeout_s = timeout_s
        self._max_attempts = max_attempts
        self._backoff_s = backoff_s
        self._max_backoff_s = max_backoff_s
        self._queue_limit = queue_limit  # in notices, not batches
        self._headers = {**(headers or {}), "Content-Type": "application/json; charset=utf-8"}
        self._sleep = sleep
        self._opener = urllib.request.build_opener(_NoRedirects())

        self._cond = threading.Condition()
        self._batches: deque[list[Notice]] = deque()
        self._queued = 0  # notices waiting in _batches
        self._closing = False
        self._deadline: float | None = None  # monotonic time after which close() gives up
        self._dropping = False  # so a full queue logs once, not once per batch
        self._stats = {"sent": 0, "retries": 0, "failed": 0, "dropped": 0}
        self._thread = threading.Thread(target=self._run, name="webhook-notifier", daemon=True)
        self._thread.start()

    @property
    def stats(self) -> dict[str, int]:
        """Notices `sent`, `failed` (given up) and `dropped` (queue full or closed); `retries`."""
        with self._cond:
            return dict(self._stats)

    def notify(self, notices: Sequence[Notice]) -> None:
        if not notices:
            return
        batch = list(notices)
        with self._cond:
            if self._closing or self._queued + len(batch) > self._queue_limit:
                self._stats["dropped"] += len(batch)
                if not self._dropping:
                    self._dropping = True
                    why = "closed" if self._closing else f"queue full ({self._queued} notices)"
                    log.warning("webhook %s: %s, dropping notices", _redact(self.url), why)
                return
            self._dropping = False
            self._batches.append(batch)
            self._queued += len(batch)
            self._cond.notify()

    def close(self, timeout_s: float = 10.0) -> None:
        """Stop accepting, deliver what can be within `timeout_s`, give up on the rest."""
        with self._cond:
            if not self._closing:
                self._closing = True
                self._deadline = time.monotonic() + timeout_s
            deadline = self._deadline
            self._cond.notify()
        assert deadline is not None
        self._thread.join(max(0.0, deadline - time.monotonic()))
        with self._cond:
            # A batch still in flight is settled by the thread; only the unsent ones are ours.
            left = sum(len(b) for b in self._batches)
            self._batches.clear()
            self._queued = 0
            self._stats["failed"] += left
        if left:
            log.warning("webhook %s: closed with %d notice(s) undelivered", _redact(self.url), left)

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._batches and not self._closing:
                    self._cond.wait()
                if not self._batches or self._past_deadline(0.0):
                    return
                batch = self._batches.popleft()
                self._queued -= len(batch)
            try:
                self._deliver(batch)
            except Exception:  # the thread must outlive any one bad batch
                log.exception(
                    "webhook %s: batch of %d notice(s) failed", _redact(self.url), len(batch)
                )
                self._count("failed", len(batch))

    def _deliver(self, batch: list[Notice]) -> None:
        body = json.dumps(
            {"notices": [{"key": n.key(), **n.as_json()} for n in batch]}, ensure_ascii=False
        ).encode("utf-8")
        for attempt in range(1, self._max_attempts + 1):
            result = self._post(body)
            if result.ok:
                self._count("sent", len(batch))
                return
            if not result.retryable or attempt == self._max_attempts:
                break
            delay = min(
                self._backoff_s * 2 ** min(attempt - 1, 32)  # a huge power overflows a float
                if result.retry_after_s is None
                else result.retry_after_s,
                # A receiver asking for hours must not stall every later batch that long.
                self._max_backoff_s,
            )
            with self._cond:
                if self._past_deadline(delay):
                    break
            self._count("retries", 1)
            self._sleep(delay)
        self._count("failed", len(batch))
        log.warning(
            "webhook %s: gave up on %d notice(s) after %d attempt(s): %s",
            _redact(self.url),
            len(batch),
            attempt,
            result.detail,
        )

    def _post(self, body: bytes) -> _Attempt:
        request = urllib.request.Request(self.url, data=body, headers=self._headers, method="POST")
        try:
            with self._opener.open(request, timeout=self._timeout_s) as response:
                response.read()  # so the connection closes cleanly
            return _Attempt(ok=True)
        except urllib.error.HTTPError as error:
            status = error.code
            retry_after = _retry_after_s(error.headers)
            error.close()
            return _Attempt(False, status == 429 or status >= 500, f"HTTP {status}", retry_after)
        except (OSError, http.client.HTTPException) as error:  # refused, reset, timed out
            reason = getattr(error, "reason", error)
            return _Attempt(False, True, f"{type(error).__name__}: {reason}")

    def _past_deadline(self, wait_s: float) -> bool:
        # Called with the lock held.
        return self._deadline is not None and time.monotonic() + wait_s >= self._deadline

    def _count(self, name: str, n: int) -> None:
        with self._cond:
            self._stats[name] += n


def _retry_after_s(headers: Message | None) -> float | None:
    """Retry-After in seconds; the HTTP-date form is rare from webhooks and ignored."""
    value = headers.get("Retry-After") if headers is not None else None
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


def _redact(url: str) -> str:
    # Webhook URLs often carry a token in the query or the userinfo: keep them out of logs.
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path, "", ""))
