"""`gridloop demo` (live): the server with the simulated district working in front of you.

The last hours are replayed first (so the dashboard has a history), then the server starts and
a driver plays the district live through the server's real doors: telemetry over HTTP with a
gateway token, citizens' requests through Open311 with an API key (located by address), and
simulated workers, admins and dispatchers acting on the cases. Time runs `speed`× faster for the
sensors: a simulated minute of readings arrives each real second, stamped with the real time
(value rules fire as they would; silence timers still count real minutes).
"""

from __future__ import annotations

import itertools
import signal
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

from gridloop.adapters.telemetry.files import line_batches
from gridloop.bootstrap import App
from gridloop.domain.cases.events import Role
from gridloop.domain.registry import DistrictRegistry
from gridloop.entrypoints.timefmt import iso
from gridloop.service_layer.simulated_workers import SimulatedWorkers
from gridloop.simulator.hotline import HotlineRequest

HOUR_MS = 3_600_000
SERVICE_OF = {"noise": "001", "exposed_garbage": "002", "illegal_parking": "003"}
SERVICE_OF |= {"public_facility": "004", "help_request": "007", "enquiry": "008"}


@dataclass(frozen=True)
class DemoAccounts:
    lines: list[str]  # printed once: name, role, password
    hotline_key: str
    gateway_token: str


def create_accounts(app: App, registry: DistrictRegistry) -> DemoAccounts:
    """The demo's people: a district admin, a street dispatcher, a community admin and one
    grid worker (each with a fresh one-time password), plus the integrations' keys."""
    accounts = app.account_service()
    now = int(time.time() * 1000)
    street = registry.district.streets[0]
    community = street.communities[0]
    grid = next(g for g in registry.grids if g.community_code == community.code)
    worker = next(w for w in registry.workers if grid.code in w.grid_codes)
    people = [
        ("admin", Role.DISTRICT_ADMIN, None, "区指挥中心 / district command center"),
        ("dispatcher", Role.STREET_DISPATCHER, f"street:{street.code}", street.name),
        ("community", Role.COMMUNITY_ADMIN, f"community:{community.code}", community.name),
        ("worker", Role.GRID_WORKER, f"worker:{worker.id}", f"{worker.name} · {grid.name}"),
    ]
    lines = []
    for name, role, scope, what in people:
        _account, password = accounts.add_user(name, role, scope, now)
        lines.append(f"  {name:<11} {password:<20} {role.value:<18} {what}")
    _hotline, key = accounts.add_user("hotline", Role.DISTRICT_ADMIN, None, now, api_only=True)
    gateway = app.token_store().issue_gateway_token("", "demo gateway", now)
    accounts.close()
    return DemoAccounts(lines, key, gateway)


def create_integration_keys(app: App) -> DemoAccounts:
    """Fresh keys for the driver on a rerun (the people's accounts stay as they were)."""
    accounts = app.account_service()
    now = int(time.time() * 1000)
    name = f"hotline-{now}"
    _hotline, key = accounts.add_user(name, Role.DISTRICT_ADMIN, None, now, api_only=True)
    gateway = app.token_store().issue_gateway_token("", "demo gateway", now)
    accounts.close()
    return DemoAccounts([], key, gateway)


class LiveDriver:
    """Plays the district against a running server until stopped."""

    def __init__(
        self,
        app: App,
        base_url: str,
        accounts: DemoAccounts,
        stream: Path,
        calls: list[HotlineRequest],
        addresses: dict[str, str],
        speed: float,
        seed: int,
    ) -> None:
        self.app, self.base, self.accounts = app, base_url, accounts
        self.stream, self.calls, self.addresses = stream, calls, addresses
        self.speed, self.seed = speed, seed
        self.stop = threading.Event()
        self.messages = self.calls_made = 0

    def run(self) -> None:
        cases = self.app.case_service()
        # people keep the sensors' pace: on-time steps shrink by `speed`, late ones still wait
        # past their real deadline, so escalations happen while you watch
        workers = SimulatedWorkers(cases, self.seed, pace=self.speed)
        started_real = time.time()
        # the simulator numbers each device's messages from 1: continue above whatever the
        # devices sent before (the replayed hours, an earlier run), or they would be redeliveries
        seq_base = int(started_real)
        lines = self._lines()
        first = next(lines, None)
        if first is None:
            return
        sim_start = orjson.loads(first[1])["ts"]
        sim_zero = _ms(sim_start)
        pending = [first]
        calls = iter(self.calls)
        call = next(calls, None)
        last_people = 0.0
        while not self.stop.is_set():
            now_real = time.time()
            sim_now = sim_zero + int((now_real - started_real) * 1000 * self.speed)
            batch: list[bytes] = []
            for ts, raw in itertools.chain(pending, lines):
                if ts > sim_now:
                    pending = [(ts, raw)]
                    break
                doc = orjson.loads(raw)
                doc["ts"] = iso(int(now_real * 1000))
                doc["seq"] = seq_base + int(doc.get("seq", 0))
                batch.append(orjson.dumps(doc))
            else:
                pending = []
            if batch:
                self._post_telemetry(batch)
            while call is not None and call.at <= sim_now:
                self._post_request(call)
                call = next(calls, None)
            if now_real - last_people >= 5:
                workers.step(int(now_real * 1000))
                last_people = now_real
            self.stop.wait(1.0)
        cases.close()

    def _lines(self) -> Iterator[tuple[int, bytes]]:
        for _first, chunk in line_batches(self.stream, 5_000):
            for raw in chunk:
                yield _ms(orjson.loads(raw)["ts"]), raw

    def _post_telemetry(self, batch: list[bytes]) -> None:
        request = urllib.request.Request(
            f"{self.base}/api/v1/telemetry",
            data=b"\n".join(batch),
            headers={
                "authorization": f"Bearer {self.accounts.gateway_token}",
                "content-type": "application/x-ndjson",
            },
        )
        with urllib.request.urlopen(request, timeout=30):
            self.messages += len(batch)

    def _post_request(self, call: HotlineRequest) -> None:
        form = {
            "service_code": SERVICE_OF.get(call.category, "007"),
            "address_string": self.addresses.get(call.building_code, ""),
            "description": call.description,
            "jurisdiction_id": "",
            "attribute[person]": "本人",
        }
        query = urllib.parse.urlencode({"api_key": self.accounts.hotline_key})
        request = urllib.request.Request(
            f"{self.base}/open311/v2/requests.json?{query}",
            data=urllib.parse.urlencode(form).encode(),
        )
        try:
            with urllib.request.urlopen(request, timeout=30):
                self.calls_made += 1
        except OSError:
            pass  # a refused request is the platform's to retry; the demo goes on


def summary_line(app: App, driver: LiveDriver) -> str:
    store = app.case_store()
    try:
        states = store.counts_by_state()
        alerts = store.connection.execute("SELECT COUNT(*) FROM alerts").fetchone()[0]
    finally:
        store.close()
    closed = states.get("closed", 0)
    final = closed + states.get("merged", 0) + states.get("refused", 0)
    open_cases = sum(states.values()) - final
    rate = closed / (closed + open_cases) if closed + open_cases else 0.0
    return (
        f"消息 {driver.messages:,} · 预警 {alerts:,} · 在办 {open_cases:,} · 结案 {closed:,}"
        f" · 结案率 {rate:.2%} · 热线 {driver.calls_made}"
    )


def _ms(ts: object) -> int:
    """A message's ts: ISO 8601 text or epoch ms, as devices send either."""
    from gridloop.entrypoints.timefmt import parse_iso

    return ts if isinstance(ts, int) else parse_iso(str(ts))


def serve_until_interrupted(app: App, port: int, driver_factory: object) -> None:
    """Run the server in this process; Ctrl-C stops driver and server cleanly."""
    from gridloop.entrypoints.web.serving import running_server

    with running_server(app.settings, port) as url:
        driver: LiveDriver = driver_factory(url)  # type: ignore[operator]
        runner = threading.Thread(target=driver.run, daemon=True)
        runner.start()
        stop = threading.Event()
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            while not stop.wait(5):
                print("\r" + summary_line(app, driver) + " " * 8, end="", flush=True)
        finally:
            print("\nstopping…", flush=True)
            driver.stop.set()
            runner.join(timeout=10)
