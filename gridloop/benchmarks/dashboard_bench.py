"""`gridloop bench dashboard`: the command center's time to interactive on the chengxi district.

The server runs in this process (uvicorn in a thread) on a fresh import of the district, with
hotline cases filed over the last days (or on a database given with `--db`); Chromium, driven
by Playwright, opens `/` signed in. Time to interactive is navigation start → the page setting
`window.gridloopReady` (all grids drawn, today's figures shown). Cold loads use a new browser
context each (empty cache); warm loads reload in one context. Medians of `loads` each.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from gridloop.bootstrap import App, bootstrap
from gridloop.config import Settings
from gridloop.domain.cases.actor import Actor
from gridloop.domain.cases.errors import ReportRefused
from gridloop.domain.cases.events import Role
from gridloop.entrypoints.web.serving import running_server
from gridloop.service_layer.casework import NewReport

DAY_MS = 86_400_000
HOTLINE = Actor("12345-platform", Role.SYSTEM)
USER = "bench-dashboard"


def bench_dashboard(
    seed: int,
    cases: int,
    days: int,
    loads: int,
    db: Path | None,
    progress: Callable[[str], None] = lambda _s: None,
) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="gridloop-bench-") as tmp:
        if db is None:
            db = Path(tmp) / "gridloop.db"
            app = _fresh_district(Path(tmp), db, seed, cases, days, progress)
        else:
            app = bootstrap(Settings(db_path=db))
        now = int(time.time() * 1000)
        _account, password = app.account_service().add_user(
            f"{USER}-{now}", Role.DISTRICT_ADMIN, None, now
        )
        progress("starting the server")
        with running_server(app.settings) as url:
            login = httpx.post(
                f"{url}/api/v1/auth/login", json={"name": f"{USER}-{now}", "password": password}
            )
            login.raise_for_status()
            token = login.json()["token"]
            api_ms = _api_ms(url, token)
            progress("loading the page in Chromium")
            cold, warm = _page_loads(url, token, loads)
            figures = _figures(url, token)
    return {
        "benchmark": "dashboard",
        "preset": "chengxi",
        "db": str(db) if db is not None and not str(db).startswith(tmp) else None,
        **figures,
        "loads": loads,
        "tti_cold_ms": round(statistics.median(cold)),
        "tti_warm_ms": round(statistics.median(warm)),
        "tti_cold_all_ms": [round(x) for x in cold],
        "tti_warm_all_ms": [round(x) for x in warm],
        "api_ms": api_ms,
    }


def _fresh_district(
    tmp: Path, db: Path, seed: int, cases: int, days: int, progress: Callable[[str], None]
) -> App:
    from gridloop.simulator.district import write_district
    from gridloop.simulator.hotline import hotline_requests

    progress("writing and importing the chengxi district")
    write_district("chengxi", seed, tmp / "district")
    app = bootstrap(Settings(db_path=db))
    app.import_directory(tmp / "district")
    registry = app.registry()
    assert registry is not None
    end = int(time.time() * 1000) - 60_000
    start = end - days * DAY_MS
    calls = hotline_requests(registry.buildings, start, days * 24, seed, cases / days)
    service = app.case_service()
    try:
        for i, r in enumerate(calls[:cases]):
            report = NewReport(
                "hotline",
                r.category,
                r.severity,
                r.description,
                building_code=r.building_code,
                reporter=r.caller,
            )
            try:
                service.report(report, HOTLINE, r.at)
            except ReportRefused:
                continue
            if i % 500 == 0:
                progress(f"filing hotline cases: {i:,}")
    finally:
        service.close()
    return app


def _api_ms(url: str, token: str) -> dict[str, int]:
    """Server time of the page's first requests (each asked twice, the second one kept)."""
    headers = {"Authorization": f"Bearer {token}"}
    found = {}
    for path in ("/api/v1/grids", "/api/v1/dashboard", "/api/v1/dashboard/queues"):
        for _ in range(2):
            started = time.perf_counter()
            httpx.get(url + path, headers=headers, timeout=60).raise_for_status()
            found[path] = round((time.perf_counter() - started) * 1000)
    return found


def _figures(url: str, token: str) -> dict[str, object]:
    headers = {"Authorization": f"Bearer {token}"}
    grids = httpx.get(f"{url}/api/v1/grids", headers=headers, timeout=60).json()
    overview = httpx.get(f"{url}/api/v1/dashboard", headers=headers, timeout=60).json()
    opened = sum(d["opened"] for d in overview["trend"])
    devices = sum(d["online"] + d["offline"] for d in overview["devices"])
    return {"grids": len(grids["features"]), "devices": devices, "cases_30d": opened}


def _page_loads(url: str, token: str, loads: int) -> tuple[list[float], list[float]]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as e:  # a dev dependency
        raise RuntimeError(
            "the dashboard benchmark needs Playwright: pip install -e '.[dev]'"
        ) from e
    chromium = os.environ.get("GRIDLOOP_CHROMIUM", "/usr/bin/chromium")
    if not Path(chromium).exists():
        raise RuntimeError(f"no Chromium at {chromium} (apt-get install chromium)")
    cookie: Any = {"name": "gridloop_session", "value": token, "url": url}  # a TypedDict
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            size: Any = {"width": 1440, "height": 1000}
            cold = []
            for _ in range(loads):
                context = browser.new_context(viewport=size)
                context.add_cookies([cookie])
                cold.append(_load(context.new_page(), url))
                context.close()
            context = browser.new_context(viewport=size)
            context.add_cookies([cookie])
            page = context.new_page()
            _load(page, url)  # fills the cache
            warm = [_load(page, url) for _ in range(loads)]
            context.close()
        finally:
            browser.close()
    return cold, warm


def _load(page: object, url: str) -> float:
    page.goto(f"{url}/")  # type: ignore[attr-defined]
    page.wait_for_function("window.gridloopReady !== undefined", timeout=60_000)  # type: ignore[attr-defined]
    drawn = page.get_attribute("#map", "data-grids-drawn")  # type: ignore[attr-defined]
    if drawn != "480":
        raise RuntimeError(f"the page drew {drawn} grids, not chengxi's 480")
    ready: float = page.evaluate("window.gridloopReady")  # type: ignore[attr-defined]
    return ready
