"""The grid worker's phone page (/m/) in Chromium at 375×667: the closed loop by touch and
keyboard, the English switch, and a patrol report from the phone's location."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import httpx
import pytest
from browser_support import PHONE, chromium, screenshot
from e2e.http_server import running_server
from phone_support import (
    HERE,
    District,
    camera_png,
    district_with_a_case,
    sign_in,
)
from playwright.sync_api import Page, expect

from gridloop.entrypoints.timefmt import SHANGHAI

__all__ = ["chromium"]  # the fixture, used by name


@pytest.fixture
def district(tmp_path: Path, tiny_dir: Path) -> District:
    return district_with_a_case(tmp_path, tiny_dir)


def phone(browser: object, **options: object) -> Page:
    """A phone in California that knows where it is: the page must still speak Beijing time."""
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        timezone_id="America/Los_Angeles",
        **options,
    )
    context.set_default_timeout(10_000)
    return context.new_page()  # type: ignore[no-any-return]


def snap(page: Page, name: str) -> None:
    """The whole page as a phone shows it: a viewport as tall as the page, so the sticky bars
    sit at its ends rather than where the last scroll left them."""
    page.evaluate("document.getElementById('toast').hidden = true")
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": PHONE["width"], "height": max(PHONE["height"], height)})
    screenshot(page, name)
    page.set_viewport_size(PHONE)


def tab_to(page: Page, element_id: str, presses: int = 40) -> None:
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"Tab never reached #{element_id}")


def verify(base: str, case_id: str, password: str) -> None:
    """The community admin checks the work and passes it (over the API)."""
    with httpx.Client(base_url=base, timeout=10) as client:
        r = client.post("/api/v1/auth/login", json={"name": "admin", "password": password})
        token = {"Authorization": f"Bearer {r.json()['token']}"}
        client.cookies.clear()
        body = {"action": "verify_pass", "note": "现场核实"}
        r = client.post(f"/api/v1/cases/{case_id}/actions", json=body, headers=token)
        assert r.status_code == 200, r.text


def test_a_worker_signs_handles_with_a_photo_and_sees_the_case_closed(
    chromium: object, district: District
) -> None:
    case_id = district.case_id
    summary = district.core.case_store().summary(case_id)
    assert summary is not None
    reported = datetime.fromtimestamp(summary.reported_at / 1000, SHANGHAI)
    with running_server(district.core.settings) as base:
        page = phone(chromium, geolocation=HERE, permissions=["geolocation"])
        sign_in(page, base, "wang", district.worker_password)
        card = page.locator(f'.card[data-case="{case_id}"]')
        expect(card).to_contain_text("暴露垃圾")
        expect(card.locator(".due")).to_contain_text("签收剩余")
        snap(page, "phone-1-list")

        card.click()
        expect(page.locator("#case-h")).to_have_text("暴露垃圾")
        expect(page.locator(".facts")).to_contain_text(reported.strftime("%Y-%m-%d %H:%M"))
        expect(page.locator("#map path.leaflet-interactive")).to_have_count(2)  # grid and point
        snap(page, "phone-2-detail")
        tab_to(page, "act-sign")  # the keyboard reaches the action, and takes it
        page.keyboard.press("Enter")
        expect(page.locator("#case-state")).to_have_text("已签收")
        expect(page.locator(".due-line")).to_contain_text("处置剩余")

        page.fill("#note-handle", "已联系物业清运完毕")
        photo = camera_png()
        taken = {"name": "IMG_0001.png", "mimeType": "image/png", "buffer": photo}
        page.set_input_files("#photo-handle", files=[taken])
        expect(page.locator("#photo-handle-status")).to_contain_text("照片已上传", timeout=20_000)
        page.click("#act-handle")
        expect(page.locator("#case-state")).to_have_text("已处置")
        expect(page.locator(".history .thumbs img")).to_have_js_property("complete", True)
        snap(page, "phone-3-after-handle")
        page.fill("#note-feedback", "已处置,请核查")
        page.click("#act-feedback")
        expect(page.locator("#case-state")).to_have_text("待核查")

        verify(base, case_id, district.admin_password)
        page.click("nav.tabs a[data-view='']")
        done = page.locator(f'#done-h ~ ul .card[data-case="{case_id}"]')
        expect(done).to_contain_text("已结案")
        page.click("nav.tabs a[data-view='stats']")
        expect(page.locator(".tile").first).to_have_text("结案数1")
        snap(page, "phone-6-stats")
        page.context.close()

    history = district.core.case_store().history(case_id)
    assert [e.action.value for e in history][-5:] == [
        "sign", "handle", "feedback", "verify_pass", "close",
    ]  # fmt: skip
    (sha,) = history[-4].payload["attachments"]  # type: ignore[misc]
    stored = (district.core.settings.db_path.parent / "attachments" / sha[:2] / sha).read_bytes()
    assert stored[:3] == b"\xff\xd8\xff"  # the camera's photo went up shrunk, as JPEG
    assert len(stored) < len(photo)


def test_english_patrol_from_the_phones_location_and_large_targets(
    chromium: object, district: District
) -> None:
    with running_server(district.core.settings) as base:
        page = phone(chromium, geolocation=HERE, permissions=["geolocation"])
        sign_in(page, base, "wang", district.worker_password)
        expect(page.locator(".card")).to_have_count(1)
        for selector in ("#lang", "#logout", "nav.tabs a", ".card", "#refresh"):
            for box in (el.bounding_box() for el in page.locator(selector).all()):
                assert box and box["height"] >= 44 and box["width"] >= 44, (selector, box)

        page.click("#lang")
        expect(page.locator("#todo-h")).to_contain_text("To do")
        page.reload()  # the choice persists
        expect(page.locator("nav.tabs")).to_contain_text("My cases")
        expect(page.locator(".card")).to_contain_text("Exposed garbage")
        expect(page.locator(".card .due")).to_contain_text("left")
        assert page.evaluate("document.documentElement.lang") == "en"
        snap(page, "phone-4-english")

        page.context.set_offline(True)  # the network drops: the last list stays, marked stale
        page.click("#refresh")
        expect(page.locator("#net")).to_contain_text("Offline: showing data saved at")
        expect(page.locator(".card")).to_contain_text("Exposed garbage")
        page.context.set_offline(False)

        page.click("nav.tabs a[data-view='patrol']")
        expect(page.locator("#p-where")).to_contain_text("Located: 36.62800, 101.75120")
        page.select_option("#p-category", "illegal_parking")
        page.fill("#p-description", "Car blocking the fire lane at building 2")
        for selector in ("#p-locate", "#p-centre", "#p-submit", "#p-category"):
            box = page.locator(selector).bounding_box()
            assert box and box["height"] >= 44, (selector, box)
        small = {"name": "found.png", "mimeType": "image/png", "buffer": camera_png(800, 600)}
        page.set_input_files("#photo-patrol", files=[small])
        expect(page.locator("#photo-patrol-status")).to_contain_text("Photo")
        snap(page, "phone-5-patrol")
        page.click("#p-submit")
        page.wait_for_url("**/m/#/case/*")
        patrol_id = page.url.rsplit("/", 1)[-1]
        expect(page.locator("#case-h")).to_have_text("Illegal parking")
        expect(page.locator("#case-state")).to_have_text("Signed")  # the photo came with sign-for
        photo = page.locator(".history .thumbs img")
        expect(photo).to_have_js_property("complete", True)
        assert photo.evaluate("img => img.naturalWidth") == 800
        storage = page.context.storage_state()
        page.context.close()

        # refused location: the grid's centre stands in
        page = phone(chromium, storage_state=storage)
        page.goto(f"{base}/m/#/patrol")
        expect(page.locator("#p-where")).to_contain_text("refused the permission")
        page.click("#p-centre")
        expect(page.locator("#p-where")).to_contain_text("Grid centre")
        page.select_option("#p-category", "noise")
        page.fill("#p-description", "Loud night works")
        page.click("#p-submit")
        page.wait_for_url("**/m/#/case/*")
        centre_id = page.url.rsplit("/", 1)[-1]
        page.click("nav.tabs a[data-view='stats']")
        expect(page.locator(".tiles")).to_contain_text("On-time handling rate")
        page.context.close()

    store = district.core.case_store()
    for case_id, category, state in (
        (patrol_id, "illegal_parking", "signed"),
        (centre_id, "noise", "dispatched"),
    ):
        summary = store.summary(case_id)
        assert summary is not None
        assert (summary.channel, summary.category) == ("patrol", category)
        assert (summary.assignee, summary.state) == (district.worker, state)
    placed = store.summary(patrol_id)
    assert placed is not None and (placed.lon, placed.lat) == (HERE["longitude"], HERE["latitude"])
