"""The attachment ledger on real SQLite and files, time moved by hand (issue 13 #10): what an
action commits is recorded as a reference, an upload may be named for 23 h only, and the prune
also removes old files stored before uploads were recorded, never a referenced one."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest
from casework_support import HOTLINE, HOUR, district_app, hotline, worker

from gridloop.domain.cases.events import Action
from gridloop.service_layer.attachments import AttachmentRefused
from gridloop.service_layer.casework import CaseService

T0 = 1_790_000_000_000  # a fixed now; the photo clock moves from here


def jpeg(n: int) -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + n.to_bytes(4, "big") + bytes(60)


def handle_with(cases: CaseService, case_id: str, at: int, photos: list[str]) -> None:
    """The assignee signs and handles the case, naming the photos."""
    summary = cases.store.summary(case_id)
    assert summary is not None and summary.assignee is not None
    holder = worker(cases, summary.assignee)
    cases.act(case_id, Action.SIGN, holder, at, {})
    cases.act(case_id, Action.HANDLE, holder, at + 1, {"note": "done", "attachments": photos})


def test_a_committed_reference_is_recorded_and_an_old_unnamed_upload_cannot_be_named(
    tmp_path: Path, tiny_dir: Path
) -> None:
    """issue 13 #10: "referenced" is a row written with the event, not a scan of the chain."""
    app = district_app(tmp_path, tiny_dir)
    cases = app.case_service()
    case_id = hotline(cases, T0)
    now = [T0]
    service, ledger = app.attachment_service(cases, clock=lambda: now[0])
    named = service.add(case_id, HOTLINE, jpeg(1), "image/jpeg").sha256
    late = service.add(case_id, HOTLINE, jpeg(2), "image/jpeg").sha256
    now[0] = T0 + 22 * HOUR
    checked = service.require_stored([named])
    handle_with(cases, case_id, now[0], checked)
    with sqlite3.connect(app.settings.db_path) as db:
        refs = {sha for (sha,) in db.execute("SELECT sha256 FROM attachment_refs")}
    assert refs == {named}
    now[0] = T0 + 23 * HOUR + 1
    with pytest.raises(AttachmentRefused, match="upload it again"):
        service.require_stored([late])  # a prune may take it any moment now
    assert service.require_stored([named]) == [named]  # named once, named again at any age
    assert service.prune(T0 + 25 * HOUR).removed == [late]
    ledger.close()


def test_files_from_before_the_ledger_are_pruned_by_age_unless_referenced(
    tmp_path: Path, tiny_dir: Path
) -> None:
    """issue 13 #10: blobs uploaded before the upgrade were never cleaned up either."""
    app = district_app(tmp_path, tiny_dir)
    cases = app.case_service()
    case_id = hotline(cases, T0)
    blobs = app.blob_store()
    service, ledger = app.attachment_service(cases, clock=lambda: T0)
    old, kept, fresh = (hashlib.sha256(jpeg(n)).hexdigest() for n in (3, 4, 5))
    for sha, n in ((old, 3), (kept, 4), (fresh, 5)):
        blobs.put(sha, jpeg(n))  # as an upload before migration 0011 left them: no record
    for sha in (old, kept):
        path = tmp_path / "attachments" / sha[:2] / sha
        os.utime(path, ((T0 - 48 * HOUR) / 1000, (T0 - 48 * HOUR) / 1000))
    for sha in (fresh,):
        path = tmp_path / "attachments" / sha[:2] / sha
        os.utime(path, ((T0 - HOUR) / 1000, (T0 - HOUR) / 1000))
    handle_with(cases, case_id, T0, [kept])
    assert service.prune(T0, dry_run=True).removed == [old]
    assert blobs.has(old)
    assert service.prune(T0).removed == [old]
    assert not blobs.has(old) and blobs.has(kept) and blobs.has(fresh)
    ledger.close()
