"""Photos attached to a case: which kinds are accepted, recognised by their first bytes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

MAX_ATTACHMENT_BYTES = 8 * 1024 * 1024
ACCEPTED_TYPES = ("image/jpeg", "image/png", "image/webp")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def sniff_image(head: bytes) -> str | None:
    """The media type the bytes really are (JPEG, PNG, WebP), whatever a client declared."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def is_content_hash(text: str) -> bool:
    """A lowercase hex SHA-256, as attachments are named."""
    return bool(_SHA256.match(text))


DAY_MS = 24 * 3600 * 1000
# an upload no action named within a day is pruned; an action may name it for an hour less, so
# that one checked just before a prune cannot commit a reference to a photo the prune removed
UNREFERENCED_KEPT_MS = DAY_MS
CLAIMABLE_MS = DAY_MS - 3600 * 1000


@dataclass(frozen=True)
class AttachmentQuota:
    """What one user may upload in a rolling day: 20 phones' worth of daily photos, far below
    the 8 MiB × 20/s a token could write without it."""

    files_per_day: int = 200
    bytes_per_day: int = 512 * 1024 * 1024

    @classmethod
    def from_config(cls, doc: Mapping[str, object]) -> AttachmentQuota:
        """`[attachments] files_per_day, bytes_per_day`; ValueError names the key that is wrong."""
        table = doc.get("attachments", {})
        if not isinstance(table, Mapping):
            raise ValueError("[attachments] must be a table")
        values: dict[str, int] = {}
        for key in ("files_per_day", "bytes_per_day"):
            value = table.get(key, getattr(cls, key))
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"[attachments] {key} must be a whole number of at least 1")
            values[key] = value
        unknown = sorted(set(table) - set(values))
        if unknown:
            raise ValueError(
                f"[attachments] unknown key {unknown[0]!r} (known: {', '.join(values)})"
            )
        return cls(**values)

    def exceeded(self, used_files: int, used_bytes: int, size: int) -> str | None:
        """Which quota one more upload of `size` bytes would go over (None: it fits)."""
        if used_files + 1 > self.files_per_day:
            return (
                f"attachment quota: at most {self.files_per_day} uploads per user in 24 h "
                f"([attachments] files_per_day); {used_files} already"
            )
        if used_bytes + size > self.bytes_per_day:
            return (
                f"attachment quota: at most {self.bytes_per_day} bytes per user in 24 h "
                f"([attachments] bytes_per_day); {used_bytes} already, this file {size}"
            )
        return None
