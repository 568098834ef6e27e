"""Photos of a case's handling: checked (type by content, size), stored once by content hash,
and readable by whoever may see a case that references them."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from gridloop.domain.attachments import (
    ACCEPTED_TYPES,
    MAX_ATTACHMENT_BYTES,
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


class AttachmentRefused(ValueError):
    """An upload or a reference that cannot be accepted; `status` is the HTTP answer."""

    status = 422


class UnsupportedType(AttachmentRefused):
    status = 415


class TooLarge(AttachmentRefused):
    status = 413


class AttachmentNotFound(LookupError):
    """No such attachment, or none on a case the caller may see."""


@dataclass(frozen=True)
class StoredAttachment:
    sha256: str
    size: int
    type: str

    def as_json(self) -> dict[str, object]:
        return {"sha256": self.sha256, "size": self.size, "type": self.type}


class AttachmentService:
    def __init__(
        self, blobs: BlobStore, cases: CaseService, max_bytes: int = MAX_ATTACHMENT_BYTES
    ) -> None:
        self.blobs, self.cases, self.max_bytes = blobs, cases, max_bytes

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
        self.blobs.put(sha, data)
        return StoredAttachment(sha, len(data), kind)

    def require_stored(self, hashes: Iterable[object]) -> list[str]:
        """The hashes an action names, each an uploaded attachment (AttachmentRefused if not)."""
        checked = []
        for sha in hashes:
            if not isinstance(sha, str) or not is_content_hash(sha):
                raise AttachmentRefused(f"attachments: {sha!r} is not a sha256 (64 hex digits)")
            if not self.blobs.has(sha):
                raise AttachmentRefused(f"attachments: {sha} was not uploaded")
            checked.append(sha)
        return checked

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
