"""Photos of a case's handling: checked (type by content, size, the uploader's daily quota),
stored once by content hash, readable by whoever may see a case that references them, and
pruned when no action named them within a day."""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from gridloop.domain.attachments import (
    ACCEPTED_TYPES,
    CLAIMABLE_MS,
    DAY_MS,
    MAX_ATTACHMENT_BYTES,
    UNREFERENCED_KEPT_MS,
    AttachmentQuota,
    is_content_hash,
    sniff_image,
)
from gridloop.domain.cases.actor import Actor
from gridloop.domain.cases.errors import CaseNotFound
from gridloop.service_layer.casework import CaseService


class BlobStore(Protocol):
    def has(self, sha256: str) -> bool: ...
    def put(self, sha256: str, data: bytes) -> None: ...
    def get(self, sha256: str) -> bytes | None: ...
    def delete(self, sha256: str) -> None: ...
    def stored_before(self, cutoff_ms: int) -> Iterator[str]: ...


class AttachmentLedger(Protocol):
    def admit(
        self,
        sha256: str,
        uploader: str,
        size: int,
        at: int,
        since: int,
        refuse: Callable[[int, int, int | None], str | None],
    ) -> str | None: ...
    def claimable(self, sha256: str, since: int) -> bool: ...
    def unreferenced_before(self, cutoff: int) -> list[str]: ...
    def unknown(self, hashes: Iterable[str]) -> list[str]: ...
    def forget(self, sha256: str, cutoff: int, remove: Callable[[], None]) -> bool: ...


class AttachmentRefused(ValueError):
    """An upload or a reference that cannot be accepted; `status` is the HTTP answer."""

    status = 422


class UnsupportedType(AttachmentRefused):
    status = 415


class TooLarge(AttachmentRefused):
    status = 413


class OverQuota(AttachmentRefused):
    # 429, not 413 (this file is fine) nor 507 (the server is not full): the user has used up
    # a rolling day's budget, which frees itself as their oldest uploads age; Retry-After says when
    status = 429

    def __init__(self, reason: str, retry_after_s: int) -> None:
        super().__init__(reason)
        self.retry_after_s = retry_after_s


class AttachmentNotFound(LookupError):
    """No such attachment, or none on a case the caller may see."""


@dataclass(frozen=True)
class StoredAttachment:
    sha256: str
    size: int
    type: str

    def as_json(self) -> dict[str, object]:
        return {"sha256": self.sha256, "size": self.size, "type": self.type}


@dataclass(frozen=True)
class Pruned:
    removed: list[str]  # the photos removed (or, in a dry run, that would be)
    dry_run: bool


def _wall_ms() -> int:
    return int(time.time() * 1000)


class AttachmentService:
    def __init__(
        self,
        blobs: BlobStore,
        cases: CaseService,
        ledger: AttachmentLedger,
        quota: AttachmentQuota | None = None,
        clock: Callable[[], int] = _wall_ms,
        max_bytes: int = MAX_ATTACHMENT_BYTES,
    ) -> None:
        self.blobs, self.cases, self.ledger = blobs, cases, ledger
        self.quota, self.clock, self.max_bytes = quota or AttachmentQuota(), clock, max_bytes

    def add(
        self, case_id: str, actor: Actor, data: bytes, declared: str | None
    ) -> StoredAttachment:
        """Store a photo for a case the actor may see (CaseNotFound otherwise)."""
        self.cases.case(case_id, actor)
        if len(data) > self.max_bytes:
            raise TooLarge(f"the file is over {self.max_bytes} bytes")
        kind = sniff_image(data[:16])
        if kind is None:
            raise UnsupportedType(f"the file is not one of {', '.join(ACCEPTED_TYPES)}")
        if declared and declared not in (kind, "application/octet-stream"):
            raise UnsupportedType(f"declared {declared} but the content is {kind}")
        sha = hashlib.sha256(data).hexdigest()
        self._admit(sha, actor.id, len(data))
        self.blobs.put(sha, data)
        return StoredAttachment(sha, len(data), kind)

    def _admit(self, sha: str, uploader: str, size: int) -> None:
        """Record the upload against the uploader's rolling day (OverQuota past it)."""
        now = self.clock()
        oldest_seen: list[int | None] = []

        def refuse(files: int, used: int, oldest: int | None) -> str | None:
            oldest_seen.append(oldest)
            return self.quota.exceeded(files, used, size)

        reason = self.ledger.admit(sha, uploader, size, now, now - DAY_MS, refuse)
        if reason is not None:
            oldest = oldest_seen[-1] if oldest_seen else None
            wait_ms = (oldest + DAY_MS - now) if oldest is not None else DAY_MS
            raise OverQuota(reason, max(1, -(-wait_ms // 1000)))

    def require_stored(self, hashes: Iterable[object]) -> list[str]:
        """The hashes an action names, each an uploaded attachment (AttachmentRefused if not)."""
        checked = []
        for sha in hashes:
            if not isinstance(sha, str) or not is_content_hash(sha):
                raise AttachmentRefused(f"attachments: {sha!r} is not a sha256 (64 hex digits)")
            if not self.blobs.has(sha):
                raise AttachmentRefused(f"attachments: {sha} was not uploaded")
            if not self.ledger.claimable(sha, self.clock() - CLAIMABLE_MS):
                raise AttachmentRefused(
                    f"attachments: {sha} was uploaded over {CLAIMABLE_MS // 3_600_000} h ago "
                    "and no action named it: it is about to be removed, upload it again"
                )
            checked.append(sha)
        return checked

    def prune(self, now: int, dry_run: bool = False) -> Pruned:
        """Remove the photos no committed action names, uploaded over a day before `now` (and
        the files stored before uploads were recorded, by their age on disk); never a
        referenced one: each is checked again as its records go."""
        cutoff = now - UNREFERENCED_KEPT_MS
        candidates = self.ledger.unreferenced_before(cutoff)
        candidates += self.ledger.unknown(self.blobs.stored_before(cutoff))
        if dry_run:
            return Pruned(sorted(candidates), True)
        removed = []
        for sha in candidates:
            if self.ledger.forget(sha, cutoff, functools.partial(self.blobs.delete, sha)):
                removed.append(sha)
        return Pruned(sorted(removed), False)

    def read(self, sha256: str, actor: Actor) -> tuple[bytes, str]:
        """The photo and its type, if a case the actor may see references it."""
        if not is_content_hash(sha256):
            raise AttachmentNotFound(sha256)
        for case_id in self.cases.store.cases_with_attachment(sha256):
            try:
                self.cases.case(case_id, actor)
            except CaseNotFound:
                continue
            data = self.blobs.get(sha256)
            if data is not None:
                return data, sniff_image(data[:16]) or "application/octet-stream"
        raise AttachmentNotFound(sha256)
