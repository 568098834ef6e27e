"""A real browser for the page tests: Playwright driving Debian's Chromium.

`make test` installs Chromium when the machine lacks it; where it still cannot be found the
tests skip and say why. Screenshots go to test-artifacts/ (kept by CI as artifacts).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("GRIDLOOP_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 375, "height": 667}


def screenshot(page: object, name: str) -> Path:
    """Save a full-page screenshot as test-artifacts/<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path


# Test modules import the fixture by name, so each module holds its own session fixture; they
# must share one Playwright (a second sync_playwright() in the same thread refuses to start).
_shared: dict[str, Any] = {}


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (make test installs Debian's chromium package)")
    if not _shared:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        _shared.update(playwright=playwright, browser=browser, users=0)
    _shared["users"] += 1
    try:
        yield _shared["browser"]
    finally:
        _shared["users"] -= 1
        if _shared["users"] == 0:
            _shared["browser"].close()
            _shared["playwright"].stop()
            _shared.clear()
