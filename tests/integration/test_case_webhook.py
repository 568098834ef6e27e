"""A webhook named in the settings file hears of dispatches, as an SMS gateway would."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from casework_support import BUILDING, HOTLINE, beijing, district_app
from test_webhook_notifier import Receiver

from gridloop.service_layer.casework import NewReport


def test_a_dispatch_is_posted_to_the_configured_webhook(tiny_dir: Path, tmp_path: Path) -> None:
    receiver = Receiver()
    thread = threading.Thread(target=receiver.server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        app = district_app(tmp_path, tiny_dir, f'[notify]\nwebhook = "{receiver.url}"\n')
        loop = app.case_loop()
        report = NewReport("hotline", "noise", building_code=BUILDING, reporter="caller-1")
        outcome = loop.service.report(report, HOTLINE, beijing("2026-11-20T10:00"))
        loop.close()  # delivers the outbox's notices, then drains the webhook's queue

        deadline = time.monotonic() + 5
        while not receiver.bodies and time.monotonic() < deadline:
            time.sleep(0.01)
        notices = [n for body in receiver.bodies for n in body["notices"]]  # type: ignore[attr-defined]
        assigned = [n for n in notices if n["kind"] == "assigned"]
        assert [n["recipient"] for n in assigned] == [f"worker:{outcome.assignee}"]
        assert assigned[0]["case_id"] == outcome.case_id
        assert "新派单" in assigned[0]["title"]
        keys = [n["key"] for n in notices]  # a receiver deduplicates on them
        assert len(set(keys)) == len(keys) and all(len(k) == 32 for k in keys)
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()
