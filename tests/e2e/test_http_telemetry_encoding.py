"""What a telemetry POST may declare, against uvicorn on loopback (issue 13 #12): the accepted
Content-Types, gzip inflated with the body cap counted after inflating, and 415 for the rest."""

from __future__ import annotations

import gzip
import time
import tracemalloc
import zlib
from pathlib import Path

import httpx
import orjson
import pytest
from http_server import running_server
from registry_io_e2e import import_tiny

from gridloop.bootstrap import App
from gridloop.entrypoints.web.telemetry_routes import MAX_BODY

URL = "/api/v1/telemetry"
PROBLEM = "application/problem+json"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


@pytest.fixture
def door(app: App, tiny_dir: Path):  # type: ignore[no-untyped-def]
    devices = import_tiny(app, tiny_dir)
    smoke = next(d for d in devices if d.kind == "smoke_detector")
    gateway = app.token_store().issue_gateway_token("", "district gateway", 0)
    with running_server(app.settings) as url:
        yield url, smoke.id, {"Authorization": f"Bearer {gateway}"}


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    """A gigabyte of zeros, gzipped to about a megabyte: one member, as an attacker makes it."""
    squeeze, zeros = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS), bytes(2**20)
    return b"".join(squeeze.compress(zeros) for _ in range(1024)) + squeeze.flush()


def lines(device_id: str, count: int) -> bytes:
    ts = int(time.time() * 1000) - 60_000
    return b"\n".join(
        orjson.dumps({"device_id": device_id, "ts": ts + i, "seq": i + 1, "values": {}})
        for i in range(count)
    )


def test_the_types_clients_send_today_are_accepted(door) -> None:  # type: ignore[no-untyped-def]
    """issue 13 #12: demo_live's x-ndjson, the bench's json, jsonl, text/plain and none."""
    url, device, auth = door
    kinds = [
        "application/x-ndjson",
        "application/json",
        "application/json; charset=utf-8",
        "application/jsonl",
        "text/plain",
        None,
    ]
    for seq, kind in enumerate(kinds):
        headers = {**auth, **({"Content-Type": kind} if kind else {})}
        body = lines(device, 1).replace(b'"seq":1', f'"seq":{seq + 1}'.encode())
        r = httpx.post(f"{url}{URL}", content=body, headers=headers)
        assert (r.status_code, r.json()["accepted"]) == (200, 1), (kind, r.text)


def test_an_image_body_is_415_naming_the_accepted_types(door) -> None:  # type: ignore[no-untyped-def]
    """issue 13 #12: an image/png body was parsed as lines; now it is refused unread."""
    url, _device, auth = door
    r = httpx.post(f"{url}{URL}", content=PNG, headers={**auth, "Content-Type": "image/png"})
    assert (r.status_code, r.headers["content-type"]) == (415, PROBLEM), r.text
    detail = r.json()["detail"]
    assert "image/png" in detail and "application/x-ndjson" in detail and "text/plain" in detail
    form = {**auth, "Content-Type": "multipart/form-data; boundary=x"}
    assert httpx.post(f"{url}{URL}", content=b"--x--", headers=form).status_code == 415


def test_a_gzip_body_of_ndjson_is_inflated_and_stored(door, app: App) -> None:  # type: ignore[no-untyped-def]
    """issue 13 #12: a gzip body used to be read as malformed lines."""
    url, device, auth = door
    headers = {**auth, "Content-Type": "application/x-ndjson", "Content-Encoding": "gzip"}
    r = httpx.post(f"{url}{URL}", content=gzip.compress(lines(device, 3)), headers=headers)
    assert r.status_code == 200, r.text
    assert (r.json()["accepted"], r.json()["rejections"]) == (3, [])
    broken = gzip.compress(lines(device, 3))[:-12]  # cut inside the stream
    r = httpx.post(f"{url}{URL}", content=broken, headers=headers)
    assert (r.status_code, r.headers["content-type"]) == (400, PROBLEM), r.text
    assert "gzip" in r.json()["detail"]


def test_other_encodings_are_415(door) -> None:  # type: ignore[no-untyped-def]
    """issue 13 #12: `br` (or deflate, or anything unknown) is refused, naming gzip."""
    url, device, auth = door
    for coding in ("br", "deflate", "gzip, br"):
        r = httpx.post(
            f"{url}{URL}", content=lines(device, 1), headers={**auth, "Content-Encoding": coding}
        )
        assert (r.status_code, r.headers["content-type"]) == (415, PROBLEM), (coding, r.text)
        assert "gzip" in r.json()["detail"]


def test_a_gzip_bomb_stops_at_the_body_cap_in_bounded_memory(door, gzip_bomb: bytes) -> None:  # type: ignore[no-untyped-def]
    """issue 13 #12: a megabyte inflating to a gigabyte is 413 at the cap, never held whole."""
    url, _device, auth = door
    assert len(gzip_bomb) < 2 * 2**20
    headers = {**auth, "Content-Type": "application/x-ndjson", "Content-Encoding": "gzip"}
    tracemalloc.start()  # the server runs in this process: its allocations are counted too
    try:
        r = httpx.post(f"{url}{URL}", content=gzip_bomb, headers=headers, timeout=60)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (r.status_code, r.headers["content-type"]) == (413, PROBLEM), r.text[:300]
    assert "after decompression" in r.json()["detail"]
    # the cap (16 MiB) and the compressed body with its copies; inflating whole would be 1 GiB
    assert peak < MAX_BODY + 32 * 2**20, f"peak {peak / 2**20:.0f} MiB for a 1 GiB bomb"
