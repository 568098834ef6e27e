"""The webhook notifier against a real HTTP server that answers as scripted."""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from gridloop.adapters.notify.webhook import WebhookNotifier
from gridloop.domain.notifications import Notice, NoticeKind

T0 = 1_764_300_000_000


class Receiver:
    """A webhook receiver: answers each POST with the next scripted (status, headers)."""

    def __init__(self) -> None:
        self.answers: list[tuple[int, dict[str, str]]] = []
        self.bodies: list[dict[str, object]] = []
        self.content_types: list[str] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver._lock:
                    receiver.bodies.append(json.loads(body.decode("utf-8")))
                    receiver.content_types.append(self.headers["Content-Type"])
                    status, headers = receiver.answers.pop(0) if receiver.answers else (200, {})
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def answer(self, *answers: int | tuple[int, dict[str, str]]) -> None:
        self.answers.extend(a if isinstance(a, tuple) else (a, {}) for a in answers)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    thread = threading.Thread(target=r.server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield r
    r.server.shutdown()
    r.server.server_close()


class Sleeps(list[float]):
    """Records the backoff instead of waiting it out."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def notices(n: int, recipient: str = "worker:W0001") -> list[Notice]:
    return [
        Notice(recipient, NoticeKind.ASSIGNED, f"C{i:08d}", T0, "新工单：漏电报警", {"楼": i})
        for i in range(1, n + 1)
    ]


def wait_until(condition: Callable[[], bool], timeout_s: float = 2.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def test_posts_each_batch_as_utf8_json(receiver: Receiver) -> None:
    first, second = notices(2), notices(1, "community:630104001001")
    webhook = WebhookNotifier(receiver.url, sleep=Sleeps())

    webhook.notify(first)
    webhook.notify(second)
    webhook.close()

    assert receiver.bodies == [
        {"notices": [{"key": n.key(), **n.as_json()} for n in first]},
        {"notices": [{"key": n.key(), **n.as_json()} for n in second]},
    ]
    assert receiver.content_types == ["application/json; charset=utf-8"] * 2
    assert webhook.stats == {"sent": 3, "retries": 0, "failed": 0, "dropped": 0}


def test_retries_a_server_error_after_backing_off(receiver: Receiver) -> None:
    receiver.answer(500)
    sleeps = Sleeps()
    webhook = WebhookNotifier(receiver.url, backoff_s=0.5, sleep=sleeps)

    webhook.notify(notices(2))
    webhook.close()

    assert len(receiver.bodies) == 2 and receiver.bodies[0] == receiver.bodies[1]
    assert sleeps == [0.5]
    assert webhook.stats == {"sent": 2, "retries": 1, "failed": 0, "dropped": 0}


def test_waits_as_long_as_retry_after_asks_on_429(receiver: Receiver) -> None:
    receiver.answer((429, {"Retry-After": "7"}), (503, {"Retry-After": "120"}))
    sleeps = Sleeps()
    webhook = WebhookNotifier(receiver.url, backoff_s=0.5, max_backoff_s=30.0, sleep=sleeps)

    webhook.notify(notices(1))
    # Not closing yet: close() would give up rather than wait past its own timeout.
    wait_until(lambda: webhook.stats["sent"] == 1)
    webhook.close()

    assert sleeps == [7.0, 30.0]  # never longer than max_backoff_s


def test_does_not_retry_a_client_error(receiver: Receiver) -> None:
    receiver.answer(400)
    sleeps = Sleeps()
    webhook = WebhookNotifier(receiver.url, sleep=sleeps)

    webhook.notify(notices(3))
    webhook.close()

    assert len(receiver.bodies) == 1 and sleeps == []
    assert webhook.stats == {"sent": 0, "retries": 0, "failed": 3, "dropped": 0}


def test_gives_up_after_max_attempts_and_says_so(
    receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    receiver.answer(*[503] * 5)
    sleeps = Sleeps()
    url = receiver.url + "?token=s3cret"
    webhook = WebhookNotifier(url, max_attempts=5, backoff_s=1.0, max_backoff_s=3.0, sleep=sleeps)

    with caplog.at_level(logging.WARNING, logger="gridloop.adapters.notify.webhook"):
        webhook.notify(notices(2))
        webhook.close()

    assert len(receiver.bodies) == 5
    assert sleeps == [1.0, 2.0, 3.0, 3.0]
    assert webhook.stats == {"sent": 0, "retries": 4, "failed": 2, "dropped": 0}
    [warning] = [r.getMessage() for r in caplog.records]
    assert receiver.url in warning and "HTTP 503" in warning and "2 notice(s)" in warning
    assert "s3cret" not in warning


def test_retries_when_nobody_listens() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again before use: connections are refused
    sleeps = Sleeps()
    webhook = WebhookNotifier(f"http://127.0.0.1:{port}/hook", max_attempts=3, sleep=sleeps)

    webhook.notify(notices(1))
    webhook.close()

    assert webhook.stats == {"sent": 0, "retries": 2, "failed": 1, "dropped": 0}


def test_drops_what_a_full_queue_cannot_hold_without_blocking(receiver: Receiver) -> None:
    receiver.answer(500)
    in_backoff, release = threading.Event(), threading.Event()

    def held_sleep(seconds: float) -> None:
        in_backoff.set()
        release.wait(5)

    webhook = WebhookNotifier(receiver.url, queue_limit=3, sleep=held_sleep)
    webhook.notify(notices(2))  # taken by the thread, which now backs off
    assert in_backoff.wait(2)

    started = time.monotonic()
    webhook.notify(notices(2))  # queued: 2 of 3
    webhook.notify(notices(2))  # would make 4: dropped
    assert time.monotonic() - started < 0.5
    release.set()
    webhook.close()
    webhook.notify(notices(1))  # closed: dropped too

    assert webhook.stats == {"sent": 4, "retries": 1, "failed": 0, "dropped": 3}


def test_close_drains_the_queue(receiver: Receiver) -> None:
    webhook = WebhookNotifier(receiver.url, sleep=Sleeps())

    for _ in range(20):
        webhook.notify(notices(3))
    webhook.close()

    assert len(receiver.bodies) == 20
    assert webhook.stats["sent"] == 60


def test_close_gives_up_on_what_it_cannot_deliver_in_time(receiver: Receiver) -> None:
    receiver.answer(*[500] * 1000)
    webhook = WebhookNotifier(receiver.url, max_attempts=1000, backoff_s=0.02, max_backoff_s=0.02)
    for _ in range(3):
        webhook.notify(notices(2))

    started = time.monotonic()
    webhook.close(timeout_s=0.2)

    assert time.monotonic() - started < 1.0
    wait_until(lambda: webhook.stats["failed"] == 6)
    assert webhook.stats["sent"] == 0


def test_an_empty_batch_sends_nothing(receiver: Receiver) -> None:
    webhook = WebhookNotifier(receiver.url)

    webhook.notify([])
    webhook.close()

    assert receiver.bodies == []
    assert webhook.stats == {"sent": 0, "retries": 0, "failed": 0, "dropped": 0}


def test_refuses_a_url_that_is_not_http() -> None:
    with pytest.raises(ValueError, match="http"):
        WebhookNotifier("file:///etc/passwd")
