"""The command center in a real browser, on the chengxi district: sign in, the map with all
480 grids, a live alert without a reload, a grid's panel, a confirmed dispatcher action, the
English switch (kept after a reload, reachable by keyboard). Screenshots go to test-artifacts/."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import orjson
import pytest
from browser_support import chromium, screenshot

from gridloop.bootstrap import App, bootstrap
from gridloop.config import Settings
from gridloop.domain.cases.actor import Actor
from gridloop.domain.cases.events import Action, Role
from gridloop.domain.devices.device import Device
from gridloop.service_layer.casework import NewReport

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
from http_server import running_server

__all__ = ["chromium"]  # the fixture, imported to be found
HOTLINE = Actor("12345-platform", Role.SYSTEM)
READY = "window.gridloopReady !== undefined"


@dataclass
class Served:
    url: str
    app: App
    passwords: dict[str, str]
    smoke: Device
    smoke_token: str
    returned_case: str


def _now() -> int:
    return int(time.time() * 1000)


def _seed_cases(app: App, devices: list[Device]) -> str:
    """A request nobody could place, and a case its worker returned: work for the desk."""
    service = app.case_service()
    try:
        now = _now()
        lost = NewReport(
            "hotline", "public_facility", description="路面塌陷，地址不详", queue_unlocated=True
        )
        service.report(lost, HOTLINE, now - 60_000)
        building = next(d.building_code for d in devices if d.building_code)
        outcome = service.report(
            NewReport("hotline", "exposed_garbage", description="垃圾堆放", building_code=building),
            HOTLINE,
            now - 50_000,
        )
        summary, _ = service.case(outcome.case_id, HOTLINE)
        assert summary.assignee and summary.grid_code
        worker = Actor(summary.assignee, Role.GRID_WORKER, grids=frozenset({summary.grid_code}))
        service.act(outcome.case_id, Action.RETURN, worker, now - 40_000, {"reason": "不属本网格"})
        return outcome.case_id
    finally:
        service.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    from gridloop.simulator.district import write_district

    folder = tmp_path_factory.mktemp("chengxi")
    write_district("chengxi", 1, folder / "district")
    app = bootstrap(Settings(db_path=folder / "gridloop.db"))
    app.import_directory(folder / "district")
    uow = app.unit_of_work()
    with uow:
        devices = uow.registry.devices()
    uow.close()
    accounts = app.account_service()
    passwords = {
        "command": accounts.add_user("command", Role.DISTRICT_ADMIN, None, _now())[1],
    }
    smoke = next(d for d in devices if d.kind == "smoke_detector")
    ((_, token),) = app.token_store().issue_device_tokens([smoke.id], _now())
    returned = _seed_cases(app, devices)
    with running_server(app.settings) as url:
        yield Served(url, app, passwords, smoke, token, returned)


@pytest.fixture
def page(chromium, served: Served) -> Iterator[object]:  # type: ignore[no-untyped-def]
    context = chromium.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{served.url}/login")
    page.fill("#name", "command")
    page.fill("#password", served.passwords["command"])
    page.click("button[type=submit]")
    page.wait_for_url(f"{served.url}/")
    page.wait_for_function(READY, timeout=30_000)
    yield page
    context.close()
    assert errors == []


def test_the_dashboard_draws_every_grid_of_chengxi(page, served: Served) -> None:  # type: ignore[no-untyped-def]
    assert page.get_attribute("#map", "data-grids-drawn") == "480"
    # the canvas renderer draws every polygon into one <canvas>
    assert page.evaluate("document.querySelectorAll('#map canvas').length") >= 1
    assert page.text_content("#district") == "城西区"
    assert page.text_content("h1") and "指挥中心" in page.text_content("h1")
    page.wait_for_selector("body[data-complete=true]")
    assert page.locator("#trend canvas").count() == 1
    assert page.locator("#ranking tbody tr").count() >= 1
    screenshot(page, "dashboard-zh")


def test_an_alert_posted_through_telemetry_appears_without_a_reload(page, served: Served) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_selector("#live-dot:not([hidden])")
    before = int(page.text_content('#tiles [data-key="warnings"] dd') or "0")
    page.evaluate("window.notReloaded = true")
    message = {"device_id": served.smoke.id, "ts": _now(), "seq": 1, "event": "smoke_alarm"}
    r = httpx.post(
        f"{served.url}/api/v1/telemetry",
        content=orjson.dumps([message]),
        headers={"Authorization": f"Bearer {served.smoke_token}"},
    )
    assert r.status_code == 200 and r.json()["accepted"] == 1, r.text
    page.wait_for_selector("#map[data-alert-markers='1']", timeout=10_000)
    item = page.locator("#alerts li[data-alert-id]").first
    assert "烟雾报警" in (item.text_content() or "")
    after = int(page.text_content('#tiles [data-key="warnings"] dd') or "0")
    assert after == before + 1
    assert page.evaluate("window.notReloaded") is True
    screenshot(page, "dashboard-live-alert")


def test_clicking_a_grid_shows_its_cases_devices_and_workers(page, served: Served) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_selector("body[data-complete=true]")
    box = page.locator("#map").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector("#grid-name")
    panel = page.text_content("#grid-panel") or ""
    assert "网格员" in panel and "设备" in panel and "在办案件" in panel
    screenshot(page, "dashboard-grid-panel")


def test_a_dispatcher_redispatches_a_returned_case_after_confirming(page, served: Served) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_selector("body[data-complete=true]")
    page.click("#tab-returned")
    button = page.get_by_role("button", name=f"重新派遣 {served.returned_case}")
    button.click()
    page.wait_for_selector("dialog#confirm[open]")
    assert served.returned_case in (page.text_content("#confirm-text") or "")
    screenshot(page, "dashboard-confirm")
    page.keyboard.press("Escape")  # cancelling does nothing
    page.wait_for_selector("dialog#confirm", state="hidden")
    assert _state(served) == "returned"
    button.click()
    page.click("#confirm-ok")
    page.wait_for_selector(f"#done:has-text('{served.returned_case}')")
    assert _state(served) == "dispatched"
    assert page.get_by_role("button", name=f"重新派遣 {served.returned_case}").count() == 0


def _state(served: Served) -> str:
    service = served.app.case_service()
    try:
        summary, _ = service.case(served.returned_case, HOTLINE)
        return summary.state
    finally:
        service.close()


def test_the_english_switch_by_keyboard_and_it_stays_after_a_reload(page, served: Served) -> None:  # type: ignore[no-untyped-def]
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.className") == "skip"
    for _ in range(5):
        if page.evaluate("document.activeElement.id") == "lang":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "lang"
    page.keyboard.press("Enter")
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert page.text_content('#tiles [data-key="warnings"] dt') == "Warnings today"
    assert page.text_content("#lang") == "中文"
    page.reload()
    page.wait_for_function(READY)
    assert page.text_content("#dispatch-h") == "Dispatcher desk"
    page.wait_for_selector("body[data-complete=true]")
    screenshot(page, "dashboard-en")
    page.click("#lang")  # back to Chinese for whoever comes next
    page.wait_for_function("document.documentElement.lang === 'zh-CN'")
