"""`gridloop demo` live: the server comes up with the demo's accounts, the driver plays the
district through the real doors (telemetry over HTTP, Open311), and Ctrl-C stops it cleanly."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from http_server import free_port


def test_the_live_demo_serves_plays_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    port = free_port()
    command = [sys.executable, "-m", "gridloop", "demo", "--dir", "demo", "--preset", "tiny"]
    process = subprocess.Popen(
        [*command, "--port", str(port), "--hours", "1", "--speed", "600"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        started = time.monotonic()
        while time.monotonic() - started < 120:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    assert json.load(r)["status"] == "ok"
                    break
            except OSError:
                time.sleep(0.5)
        time.sleep(12)  # a few of the driver's rounds
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert f"http://127.0.0.1:{port}/" in out
    assert "admin" in out and "worker" in out and "passwords shown only now" in out
    db = sqlite3.connect(tmp_path / "demo" / "gridloop.db")
    try:
        accepted = dict(db.execute("SELECT reason, n FROM intake_counters").fetchall())
        channels = dict(db.execute("SELECT channel, COUNT(*) FROM cases GROUP BY channel"))
    finally:
        db.close()
    assert accepted.get("accepted", 0) > 0 and accepted.get("duplicate", 0) == 0
    assert channels.get("sensor", 0) + channels.get("camera", 0) > 0
