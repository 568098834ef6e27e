"""`gridloop bench api`: simulated grid workers listing, reading and signing their cases over
HTTP against a real server process, measured from a separate load process on loopback.

Each simulated worker has an API token of their own (the per-token rate limit applies as in
production). With `wrk` installed (Debian's package; C, so the load costs the server little of
the second core) four runs are made: list my open cases, read one of them, sign a dispatched
one (each sign a different case, a real write), and the three mixed 70/20/10. Without wrk, a
Python (httpx) generator makes the mixed run only, and says so: it saturates before the server.
"""

from __future__ import annotations

import asyncio
import random
import shutil
import subprocess
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

from gridloop.benchmarks.figures import percentiles
from gridloop.benchmarks.server_process import served
from gridloop.bootstrap import bootstrap
from gridloop.config import Settings
from gridloop.domain.cases.actor import Actor
from gridloop.domain.cases.events import Role
from gridloop.service_layer.casework import NewReport
from gridloop.service_layer.ports import CaseFilter
from gridloop.simulator.district import write_district

CASES_PER_WORKER = 6
PACED_RATE = 1000  # requests/s the paced run asks of all workers together (the target's rate)
MIX = (("list", 0.7), ("read", 0.2), ("sign", 0.1))


def bench_api(
    preset: str,
    workers: int,
    seconds: float,
    concurrency: int,
    seed: int,
    progress: Callable[[str], None] = lambda _s: None,
    loop: str = "auto",
    processes: int = 1,
) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="gridloop-bench-api-") as tmp:
        work = Path(tmp)
        progress(f"building the {preset} district")
        write_district(preset, seed, work / "district")
        db = work / "gridloop.db"
        app = bootstrap(Settings(db_path=db))
        app.import_directory(work / "district")
        tokens, cases = _seed(app, workers, seed, progress)
        with served(db, progress, loop, processes) as server:
            port = server.port
            progress(f"{len(tokens)} workers, {concurrency} in flight, {seconds:g} s a run")
            if shutil.which("wrk"):
                load = _wrk_runs(work, port, tokens, cases, seconds, concurrency, seed, progress)
            else:
                load = {"load": "httpx (wrk not installed)"}
                load |= asyncio.run(_load(port, tokens, cases, seconds, concurrency, seed))
    return {
        "benchmark": "api",
        "preset": preset,
        "workers": len(tokens),
        "concurrency": concurrency,
        "seconds": seconds,
        "server_loop": loop,
        "server_processes": processes,
        **load,
    }


def _wrk_runs(
    work: Path,
    port: int,
    tokens: dict[str, str],
    cases: dict[str, list[str]],
    seconds: float,
    concurrency: int,
    seed: int,
    progress: Callable[[str], None],
) -> dict[str, object]:
    rng = random.Random(seed)
    owned = [(w, c) for w, ids in cases.items() for c in ids]
    rng.shuffle(owned)
    third = len(owned) // 3  # the sign, mixed and paced runs each sign cases of their own
    lists = [("GET", "/api/v1/cases?open=true&limit=20", t, "") for t in tokens.values()]
    reads = [("GET", f"/api/v1/cases/{c}", tokens[w], "") for w, c in owned]
    sign = '{"action":"sign"}'
    signs = [("POST", f"/api/v1/cases/{c}/actions", tokens[w], sign) for w, c in owned[:third]]

    def mix(to_sign: list[tuple[str, str]]) -> list[tuple[str, str, str, str]]:
        """70 % lists, 20 % reads, 10 % signs (each of a different case while they last)."""
        planned, fresh = [], iter(to_sign)
        for _ in range(len(owned) * 4):
            roll = rng.random()
            if roll < 0.1 and (nxt := next(fresh, None)) is not None:
                planned.append(("POST", f"/api/v1/cases/{nxt[1]}/actions", tokens[nxt[0]], sign))
            elif roll < 0.3:
                planned.append(rng.choice(reads))
            else:
                planned.append(rng.choice(lists))
        return planned

    mixed, paced = mix(owned[third : 2 * third]), mix(owned[2 * third :])
    rng.shuffle(lists)
    rng.shuffle(reads)
    runs: dict[str, object] = {"load": "wrk"}
    for name, requests in (("list", lists), ("read", reads), ("sign", signs), ("mixed", mixed)):
        progress(f"wrk: {name}, {concurrency} requests in flight")
        # a sign run stops before it could sign a case twice (a repeat is a no-op, not a write)
        budget = seconds if name != "sign" else min(seconds, len(signs) / 1200)
        runs[name] = _wrk(work, port, name, requests, budget, concurrency)
    # the workers as people use it: each a connection of its own, a request every few seconds
    think_ms = 1000 * len(tokens) / PACED_RATE
    progress(f"wrk: {len(tokens)} workers, one request each every {think_ms / 1000:g} s")
    runs["paced"] = {
        "workers": len(tokens),
        "mean_think_ms": round(think_ms),
        **_wrk(work, port, "paced", paced, seconds, len(tokens), think_ms),
    }
    return runs


def _wrk(
    work: Path,
    port: int,
    name: str,
    requests: list[tuple[str, str, str, str]],
    seconds: float,
    concurrency: int,
    think_ms: float = 0.0,
) -> dict[str, object]:
    plan = work / f"{name}.requests"
    plan.write_text("".join("\t".join(r) + "\n" for r in requests), encoding="utf-8")
    script = Path(__file__).with_name("wrk_paced.lua" if think_ms else "wrk_load.lua")
    command = ["wrk", "-t1", f"-c{concurrency}", f"-d{max(1, round(seconds))}s", "--latency"]
    command += ["-s", str(script), f"http://127.0.0.1:{port}", "--", str(plan), str(think_ms)]
    out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60).stdout
    found = _parse_wrk(out)
    requests_done, refused = found.get("requests"), found.get("non_2xx")
    if isinstance(requests_done, int) and isinstance(refused, int):
        # what the server answered with 2xx: a 429 or an error is not a served request
        found["ok_per_s"] = round((requests_done - refused) / max(1, round(seconds)), 1)
    return found


def _parse_wrk(out: str) -> dict[str, object]:
    """Requests/sec, the latency percentiles and non-2xx count from wrk's report."""
    found: dict[str, object] = {"non_2xx": 0}
    for line in out.splitlines():
        words = line.split()
        if line.startswith("Requests/sec:"):
            found["requests_per_s"] = float(words[1])
        elif len(words) == 2 and words[0] in ("50%", "90%", "99%"):
            found[f"p{words[0][:-1]}_ms"] = _ms(words[1])
        elif "requests in" in line:
            found["requests"] = int(words[0])
        elif line.strip().startswith("Non-2xx"):
            found["non_2xx"] = int(words[-1])
    return found


def _ms(text: str) -> float:
    for suffix, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if text.endswith(suffix):
            return round(float(text[: -len(suffix)]) * factor, 2)
    return float(text)


def _seed(
    app: object, workers: int, seed: int, progress: Callable[[str], None]
) -> tuple[dict[str, str], dict[str, list[str]]]:
    """API tokens for the first `workers` grid workers, and cases dispatched to them."""
    from gridloop.bootstrap import App

    assert isinstance(app, App)
    accounts = app.account_service()
    service = app.case_service()
    now = int(time.time() * 1000)
    chosen = sorted(service.directory.grids_of_worker)[:workers]
    progress(f"issuing {len(chosen)} API tokens")
    tokens = {
        w: accounts.add_user(f"bench-{w}", Role.GRID_WORKER, f"worker:{w}", now, api_only=True)[1]
        for w in chosen
    }
    rng = random.Random(seed)
    buildings_of: dict[str, list[str]] = defaultdict(list)
    for code, (_lon, _lat, grid) in service.directory.buildings.items():
        buildings_of[grid].append(code)
    hotline = Actor("bench-hotline", Role.DISTRICT_ADMIN)
    progress("filing hotline cases for them")
    at = now - 3_600_000
    for w in chosen:
        grid = service.directory.grids_of_worker[w][0]
        for _ in range(CASES_PER_WORKER):
            if not buildings_of[grid]:
                break
            at += 1
            report = NewReport(
                "hotline",
                rng.choice(["noise", "exposed_garbage", "illegal_parking"]),
                building_code=rng.choice(buildings_of[grid]),
                description=f"bench {at}",
                reporter=f"bench-caller-{at}",
            )
            service.report(report, hotline, at)
    cases: dict[str, list[str]] = defaultdict(list)
    for s in service.store.find(CaseFilter(states=("dispatched",))):
        if s.assignee in tokens:
            cases[s.assignee].append(s.case_id)
    service.close()
    accounts.close()
    return tokens, dict(cases)


async def _load(
    port: int,
    tokens: dict[str, str],
    cases: dict[str, list[str]],
    seconds: float,
    concurrency: int,
    seed: int,
) -> dict[str, object]:
    import httpx

    rng = random.Random(seed)
    names = list(tokens)
    to_sign = {w: list(ids) for w, ids in cases.items()}
    latencies: dict[str, list[float]] = defaultdict(list)
    statuses: Counter[str] = Counter()
    base = f"http://127.0.0.1:{port}"
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        deadline = time.perf_counter() + seconds

        async def one_client() -> None:
            while time.perf_counter() < deadline:
                worker = rng.choice(names)
                headers = {"authorization": f"Bearer {tokens[worker]}"}
                op = _pick(rng)
                mine = cases.get(worker) or []
                if op == "sign" and to_sign.get(worker):
                    case_id = to_sign[worker].pop()
                    request = client.post(
                        f"/api/v1/cases/{case_id}/actions", json={"action": "sign"}, headers=headers
                    )
                elif op == "read" and mine:
                    op, request = (
                        "read",
                        client.get(f"/api/v1/cases/{rng.choice(mine)}", headers=headers),
                    )
                else:
                    op = "list"
                    request = client.get(
                        "/api/v1/cases", params={"open": "true", "limit": "20"}, headers=headers
                    )
                started = time.perf_counter()
                response = await request
                latencies[op].append((time.perf_counter() - started) * 1000)
                statuses[f"{op}:{response.status_code}"] += 1

        started = time.perf_counter()
        await asyncio.gather(*(one_client() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    every = [ms for values in latencies.values() for ms in values]
    return {
        "requests": len(every),
        "requests_per_s": round(len(every) / elapsed, 1),
        **percentiles(every),
        "by_operation": {
            op: {"requests": len(v), "per_s": round(len(v) / elapsed, 1), **percentiles(v)}
            for op, v in sorted(latencies.items())
        },
        "statuses": dict(sorted(statuses.items())),
    }


def _pick(rng: random.Random) -> str:
    roll = rng.random()
    for op, share in MIX:
        if roll < share:
            return op
        roll -= share
    return "list"
