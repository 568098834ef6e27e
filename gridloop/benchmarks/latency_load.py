"""The two load processes of `gridloop bench latency`, each apart from the server.

`send`: gateways (one thread and one keep-alive connection each, a token each) post batches of
readings at a steady total rate, the timestamps the moment of sending; the incident events ride
in the batches like any reading, and the moment each one's batch left is recorded.

`listen`: the workers' phones, one server-sent event stream per worker, recording when each
`assigned` notice arrives. Both use time.monotonic(), which is one clock for every process
on the machine.
"""

from __future__ import annotations

import asyncio
import http.client
import itertools
import json
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Event

import orjson

Template = tuple[str, dict[str, float]]  # device_id, values
Incident = tuple[str, str, dict[str, object]]  # device_id, event, attrs


@dataclass
class GatewayPlan:
    token: str
    templates: list[Template]
    incidents: list[tuple[float, Incident]] = field(default_factory=list)  # (offset s, event)


@dataclass
class GatewayTally:
    sent: int = 0
    accepted: int = 0
    posts: int = 0
    failed_posts: int = 0
    most_behind_s: float = 0.0
    sent_at: dict[str, float] = field(default_factory=dict)  # incident device → monotonic
    errors: list[str] = field(default_factory=list)


def send(
    port: int,
    plans: Sequence[GatewayPlan],
    rate: float,
    seconds: float,
    batch: int,
    start_at: float,
    out: Connection,
) -> None:
    """Run every gateway from `start_at` (monotonic) for `seconds`; send the tallies on `out`."""
    tallies = [GatewayTally() for _ in plans]
    per_gateway = rate / len(plans)
    threads = [
        threading.Thread(
            target=_gateway, args=(port, plan, tally, per_gateway, seconds, batch, start_at)
        )
        for plan, tally in zip(plans, tallies, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.send(tallies)
    out.close()


def _gateway(
    port: int,
    plan: GatewayPlan,
    tally: GatewayTally,
    rate: float,
    seconds: float,
    batch: int,
    start_at: float,
) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Bearer {plan.token}", "Content-Type": "application/json"}
    readings = itertools.cycle(plan.templates)
    seqs: dict[str, int] = {}
    pending = sorted(plan.incidents, key=lambda p: p[0])
    interval = batch / rate
    due, end = start_at, start_at + seconds
    time.sleep(max(0.0, start_at - time.monotonic()))
    while (now := time.monotonic()) < end:
        if now < due:
            time.sleep(due - now)
        tally.most_behind_s = max(tally.most_behind_s, time.monotonic() - due)
        ts = int(time.time() * 1000)
        messages: list[dict[str, object]] = []
        for device_id, values in itertools.islice(readings, batch):
            seq = seqs[device_id] = seqs.get(device_id, 0) + 1
            messages.append({"device_id": device_id, "ts": ts, "seq": seq, "values": values})
        riding = []
        while pending and start_at + pending[0][0] <= time.monotonic():
            device_id, event, attrs = pending.pop(0)[1]
            seq = seqs[device_id] = seqs.get(device_id, 0) + 1
            messages.append(
                {"device_id": device_id, "ts": ts, "seq": seq, "event": event, "attrs": attrs}
            )
            riding.append(device_id)
        body = orjson.dumps(messages)
        left = time.monotonic()
        try:
            conn.request("POST", "/api/v1/telemetry", body, headers)
            response = conn.getresponse()
            answer = response.read()
        except OSError as e:
            tally.failed_posts += 1
            tally.errors.append(f"{type(e).__name__}: {e}"[:200])
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            due += interval
            continue
        tally.posts += 1
        tally.sent += len(messages)
        if response.status == 200:
            tally.accepted += int(json.loads(answer).get("accepted", 0))
            for device_id in riding:
                tally.sent_at[device_id] = left
        else:
            tally.failed_posts += 1
            tally.errors.append(f"HTTP {response.status}: {answer[:200]!r}")
        due += interval
    conn.close()


def listen(port: int, tokens: dict[str, str], ready: Event, stop: Event, out: Connection) -> None:
    """One feed stream per worker until `stop`; sends [(worker, case_id, monotonic)] on `out`."""
    received: list[tuple[str, str, float]] = []
    failures: list[str] = []
    asyncio.run(_listen(port, tokens, ready, stop, received, failures))
    out.send((received, failures))
    out.close()


async def _listen(
    port: int,
    tokens: dict[str, str],
    ready: Event,
    stop: Event,
    received: list[tuple[str, str, float]],
    failures: list[str],
) -> None:
    import httpx

    limits = httpx.Limits(max_connections=len(tokens) + 1)
    timeout = httpx.Timeout(30, read=None)
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=timeout
    ) as client:
        listening = [0]

        async def phone(worker: str, token: str) -> None:
            headers = {"Authorization": f"Bearer {token}"}
            try:
                async with client.stream("GET", "/api/v1/feed", headers=headers) as r:
                    if r.status_code != 200:
                        failures.append(f"{worker}: HTTP {r.status_code}")
                        return
                    event: dict[str, str] = {}
                    async for line in r.aiter_lines():
                        if line.startswith(": listening"):
                            listening[0] += 1
                        elif not line:
                            if event.get("event") == "assigned":
                                arrived = time.monotonic()
                                case_id = json.loads(event["data"])["case_id"]
                                received.append((worker, case_id, arrived))
                            event = {}
                        elif not line.startswith(":"):
                            key, _, value = line.partition(": ")
                            event[key] = value
            except (httpx.HTTPError, asyncio.CancelledError) as e:
                if not isinstance(e, asyncio.CancelledError):
                    failures.append(f"{worker}: {type(e).__name__}")

        tasks = [asyncio.create_task(phone(w, t)) for w, t in tokens.items()]
        while listening[0] + len(failures) < len(tokens) and not stop.is_set():
            await asyncio.sleep(0.05)
        ready.set()
        while not stop.is_set():
            await asyncio.sleep(0.05)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
