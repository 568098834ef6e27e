"""Photos are recognised by their first bytes, not by what a client says they are."""

from __future__ import annotations

import pytest

from gridloop.domain.attachments import is_content_hash, sniff_image


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", None),  # a RIFF that is sound
        (b"GIF89a", None),
        (b"<svg xmlns=", None),
        (b"", None),
    ],
)
def test_the_type_comes_from_the_magic_bytes(head: bytes, kind: str | None) -> None:
    assert sniff_image(head) == kind


def test_attachments_are_named_by_a_lowercase_sha256() -> None:
    assert is_content_hash("ab" * 32)
    assert not is_content_hash("AB" * 32)
    assert not is_content_hash("../../etc/passwd")
    assert not is_content_hash("ab" * 31)
