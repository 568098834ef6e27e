"""The HTTP door bounds what one request may ask of intake, against uvicorn on loopback: a body
over the message cap is 413, a mostly broken one 400 (both decided before the intake lock, so
another device's alarm goes in meanwhile), a tiny-value flood is counted before it is parsed, and
a store that fails answers 503 with Retry-After and nothing of the batch counted as seen."""

from __future__ import annotations

import random
import sqlite3
import threading
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

import httpx
import orjson
import pytest
from http_server import running_server
from registry_io_e2e import import_tiny

from gridloop.bootstrap import App
from gridloop.domain.devices.device import Device

URL = "/api/v1/telemetry"


def now_ms() -> int:
    return int(time.time() * 1000)


def alarm(smoke: Device, seq: int) -> bytes:
    return orjson.dumps(
        {"device_id": smoke.id, "ts": now_ms() - 1000, "seq": seq, "event": "smoke_alarm"}
    )


def junk_lines(total_bytes: int, line_bytes: int) -> bytes:
    rng = random.Random(12)
    alphabet = b"abcdefghijklmnopqrstuvwxyz{}[]:,0123456789 "
    line = bytes(rng.choice(alphabet) for _ in range(line_bytes - 1)) + b"\n"
    return line * (total_bytes // line_bytes)


@pytest.fixture
def door(app: App, tiny_dir: Path):  # type: ignore[no-untyped-def]
    devices = import_tiny(app, tiny_dir)
    smoke = next(d for d in devices if d.kind == "smoke_detector")
    tokens = app.token_store()
    ((_, smoke_token),) = tokens.issue_device_tokens([smoke.id], 0)
    gateway = tokens.issue_gateway_token("", "district gateway", 0)
    with running_server(app.settings) as url:
        yield (
            url,
            smoke,
            {"Authorization": f"Bearer {smoke_token}"},
            {"Authorization": f"Bearer {gateway}"},
        )


def active_alerts(app: App, device: Device) -> list[str]:
    return [
        a.rule
        for a in app.telemetry_store().alerts("active", None, None)
        if a.device_id == device.id
    ]


def post_alongside(
    url: str, junk: bytes, auth: dict[str, str], alarm_body: bytes, smoke_auth: dict[str, str]
):  # type: ignore[no-untyped-def]
    """POST `junk` and, while it is in flight, the alarm; the answers and the alarm's time."""
    answers: dict[str, httpx.Response] = {}

    def send_junk() -> None:
        answers["junk"] = httpx.post(f"{url}{URL}", content=junk, headers=auth, timeout=120)

    thread = threading.Thread(target=send_junk)
    thread.start()
    time.sleep(0.05)  # the junk body is on its way
    started = time.monotonic()
    answers["alarm"] = httpx.post(
        f"{url}{URL}", content=alarm_body, headers=smoke_auth, timeout=120
    )
    took = time.monotonic() - started
    thread.join()
    return answers["junk"], answers["alarm"], took


def test_16_mb_of_short_junk_lines_is_413_and_an_alarm_goes_in_meanwhile(door, app: App) -> None:  # type: ignore[no-untyped-def]
    url, smoke, smoke_auth, gateway = door
    junk = junk_lines(16 * 1024 * 1024 - 1024, 200)
    refused, accepted, took = post_alongside(url, junk, gateway, alarm(smoke, 1), smoke_auth)
    assert refused.status_code == 413, refused.text[:300]
    assert "max_messages_per_request" in refused.json()["detail"]
    assert accepted.status_code == 200 and accepted.json()["accepted"] == 1
    assert took < 1, f"the alarm waited {took:.1f} s behind a junk body"  # was 30 s
    assert "smoke_detector.smoke_alarm" in active_alerts(app, smoke)


def test_a_body_of_mostly_broken_lines_is_cut_short_with_400_and_counted(door, app: App) -> None:  # type: ignore[no-untyped-def]
    url, smoke, smoke_auth, gateway = door
    junk = junk_lines(15 * 1024 * 1024, 4096)  # 3,840 lines of 4 KB: under the cap, all broken
    refused, accepted, took = post_alongside(url, junk, gateway, alarm(smoke, 1), smoke_auth)
    assert refused.status_code == 400, refused.text[:300]
    detail = refused.json()["detail"]
    assert "malformed" in detail and "line 1" in detail and "Nothing of this request" in detail
    assert accepted.status_code == 200 and accepted.json()["accepted"] == 1
    assert took < 1
    counters = app.telemetry_store().counters()
    assert 100 <= counters["malformed"] <= 3840  # what was looked at, not the rest


def test_a_few_broken_lines_among_good_ones_are_rejected_alone(door, app: App) -> None:  # type: ignore[no-untyped-def]
    url, smoke, _smoke_auth, gateway = door
    body = b"\n".join([b"not json", alarm(smoke, 1), b"{}", alarm(smoke, 2)])
    r = httpx.post(f"{url}{URL}", content=body, headers=gateway)
    assert r.status_code == 200, r.text
    assert r.json()["accepted"] == 2


def test_a_gateway_batch_with_a_seq_past_64_bits_stores_the_alarm_beside_it(door, app: App) -> None:  # type: ignore[no-untyped-def]
    """The issue's case: this batch answered 500 (OverflowError), stored nothing and yet recorded
    the seqs, so the alarm's redelivery was refused as a duplicate."""
    url, smoke, _smoke_auth, gateway = door
    devices = app.registry().devices  # type: ignore[union-attr]
    other = next(d.id for d in devices if d.kind == "smoke_detector" and d.id != smoke.id)
    huge = orjson.dumps({"device_id": other, "ts": now_ms() - 1000, "seq": 2**63, "values": {}})
    r = httpx.post(f"{url}{URL}", content=alarm(smoke, 1) + b"\n" + huge, headers=gateway)
    assert r.status_code == 200, r.text
    answer = r.json()
    assert answer["accepted"] == 1
    (rejection,) = answer["rejections"]
    assert (rejection["position"], rejection["device_id"]) == (2, other)  # line 2
    assert (rejection["reason"], "seq" in rejection["detail"]) == ("out_of_range", True)
    assert "smoke_detector.smoke_alarm" in active_alerts(app, smoke)
    again = httpx.post(f"{url}{URL}", content=alarm(smoke, 1), headers=gateway).json()
    assert again["accepted"] == 0  # stored the first time: the redelivery is the duplicate


@pytest.mark.parametrize("form", ["lines", "array"])
def test_4_mb_of_empty_objects_is_refused_before_it_becomes_millions_of_objects(
    door, form: str
) -> None:  # type: ignore[no-untyped-def]
    url, _smoke, _smoke_auth, gateway = door
    n = 4 * 1024 * 1024 // 3
    body = b"{}\n" * n if form == "lines" else b"[" + b",".join([b"{}"] * n) + b"]"
    tracemalloc.start()
    try:
        r = httpx.post(f"{url}{URL}", content=body, headers=gateway, timeout=60)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert r.status_code == 413, r.text[:300]
    # the body itself and httpx's copy of it are a few times 4 MB; a parse would be 150 MB
    assert peak < 48 * 1024 * 1024, f"peak {peak / 2**20:.0f} MiB while refusing 4 MB"


def test_the_message_cap_is_configurable(app: App, tiny_dir: Path) -> None:
    devices = import_tiny(app, tiny_dir)
    smoke = next(d for d in devices if d.kind == "smoke_detector")
    gateway = app.token_store().issue_gateway_token("", "district gateway", 0)
    auth = {"Authorization": f"Bearer {gateway}"}
    settings = replace(app.settings, max_messages_per_request=3)
    with running_server(settings) as url:
        four = b"\n".join(alarm(smoke, seq) for seq in range(1, 5))
        r = httpx.post(f"{url}{URL}", content=four, headers=auth)
        assert r.status_code == 413 and "at most 3 per request" in r.json()["detail"]
        array = b"[" + b",".join(alarm(smoke, seq) for seq in range(1, 5)) + b"]"
        assert httpx.post(f"{url}{URL}", content=array, headers=auth).status_code == 413
        three = b"\n".join(alarm(smoke, seq) for seq in range(1, 4))
        r = httpx.post(f"{url}{URL}", content=three, headers=auth)
        assert r.status_code == 200 and r.json()["accepted"] == 3


def test_a_failing_store_answers_503_and_the_resend_is_taken_whole(door, app: App) -> None:  # type: ignore[no-untyped-def]
    url, smoke, smoke_auth, _gateway = door
    db = sqlite3.connect(app.settings.db_path)
    db.execute(
        "CREATE TRIGGER full_disk BEFORE INSERT ON readings "
        "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
    )
    db.commit()
    body = alarm(smoke, 7)
    r = httpx.post(f"{url}{URL}", content=body, headers=smoke_auth)
    assert r.status_code == 503, r.text
    assert r.headers["retry-after"].isdigit() and "disk is full" in r.json()["detail"]
    db.execute("DROP TRIGGER full_disk")
    db.commit()
    db.close()
    r = httpx.post(f"{url}{URL}", content=body, headers=smoke_auth)
    assert r.status_code == 200 and r.json()["accepted"] == 1, r.text  # not a duplicate
    assert "smoke_detector.smoke_alarm" in active_alerts(app, smoke)


def test_a_bad_cap_in_the_environment_is_one_clear_line(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from gridloop.config import ConfigError, Settings

    monkeypatch.setenv("GRIDLOOP_MAX_MESSAGES_PER_REQUEST", "0")
    with pytest.raises(
        ConfigError, match="GRIDLOOP_MAX_MESSAGES_PER_REQUEST: 0 must be at least 1"
    ):
        Settings.from_env(str(tmp_path / "x.db"))
