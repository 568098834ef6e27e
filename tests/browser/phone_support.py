"""The phone page's test district: the tiny district with a hotline case for a grid worker,
that worker's and the community admin's passwords, a camera photo, and signing in."""

from __future__ import annotations

import struct
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

from gridloop.bootstrap import App, bootstrap
from gridloop.config import Settings
from gridloop.domain.cases.actor import Actor
from gridloop.domain.cases.events import Role
from gridloop.service_layer.casework import NewReport

COMMUNITY = "630199001001"
BUILDING = "630199001001001001"  # in grid 630199001001001
HOTLINE = Actor("12345-op1", Role.DISTRICT_ADMIN)
HERE = {"longitude": 101.7512, "latitude": 36.628, "accuracy": 12}  # inside that grid
# generous limits: one browser makes many requests with one session
CONFIG = "[api]\nrate_per_s = 1000\nburst = 1000\n"


def now_ms() -> int:
    return int(time.time() * 1000)


@dataclass(frozen=True)
class District:
    core: App
    case_id: str
    worker: str  # the assignee's id, e.g. W000001
    worker_password: str
    admin_password: str


def district_with_a_case(tmp_path: Path, tiny_dir: Path) -> District:
    """A hotline request at a building (exposed garbage), dispatched to one of the grid's workers,
    with accounts `wang` (that worker) and `admin` (the community)."""
    config = tmp_path / "gridloop.toml"
    config.write_text(CONFIG, encoding="utf-8")
    core = bootstrap(Settings(db_path=tmp_path / "gridloop.db", config_path=config))
    core.import_directory(tiny_dir)
    cases = core.case_service()
    report = NewReport(
        "hotline",
        "exposed_garbage",
        description="3号楼东侧垃圾堆放两天未清运",
        building_code=BUILDING,
        reporter="13800000001",
    )
    case_id = cases.report(report, HOTLINE, now_ms()).case_id
    summary = cases.store.summary(case_id)
    assert summary is not None and summary.assignee is not None
    accounts = core.account_service()
    _w, worker_password = accounts.add_user(
        "wang", Role.GRID_WORKER, f"worker:{summary.assignee}", now_ms()
    )
    _a, admin_password = accounts.add_user(
        "admin", Role.COMMUNITY_ADMIN, f"community:{COMMUNITY}", now_ms()
    )
    return District(core, case_id, summary.assignee, worker_password, admin_password)


def camera_png(width: int = 2400, height: int = 1800) -> bytes:
    """A real PNG the size of a phone camera's photo (a colour gradient, row by row)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(
        b"\x00" + bytes((40 + y * 160 // height, 120, 200 - y * 120 // height)) * width
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 6))
        + chunk(b"IEND", b"")
    )


def sign_in(page: object, base: str, name: str, password: str) -> None:
    """Sign in through /login as a person would; grid workers land on /m/."""
    page.goto(f"{base}/login")  # type: ignore[attr-defined]
    page.fill("#name", name)  # type: ignore[attr-defined]
    page.fill("#password", password)  # type: ignore[attr-defined]
    page.click("button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_url(f"{base}/m/**")  # type: ignore[attr-defined]
