"""Photos attached to a case: which kinds are accepted, recognised by their first bytes."""

from __future__ import annotations

import re

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
