"""What a telemetry POST may be: its Content-Type and Content-Encoding, and its body read with
the size cap counted on the decompressed bytes.

A gzip body is inflated as it streams in, never more than the cap (plus one chunk) at a time
asked of zlib: a 1 MB bomb of a gigabyte of zeros stops at the cap with 413, its memory that of
the cap, however far it would have inflated.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator

from fastapi import HTTPException

# what the doors' own clients send (demo_live: x-ndjson; bench: json), what NDJSON tools name
# it (jsonl), and what curl --data-binary says without -H (no type, or text/plain)
ACCEPTED_TYPES = ("application/x-ndjson", "application/json", "application/jsonl", "text/plain")
ACCEPTED_ENCODINGS = ("gzip", "identity")
_GZIP = 16 + zlib.MAX_WBITS  # a gzip header and trailer around the deflate stream


def check_headers(content_type: str | None, content_encoding: str | None) -> bool:
    """Whether the body is gzip; HTTPException 415 naming what is accepted otherwise."""
    if content_type:  # a missing one is taken as before: the body says what it is
        media = content_type.split(";", 1)[0].strip().lower()
        if media not in ACCEPTED_TYPES:
            raise HTTPException(
                415,
                f"Content-Type {media or content_type!r} is not accepted for telemetry; "
                f"send one of {', '.join(ACCEPTED_TYPES)}",
            )
    coding = (content_encoding or "identity").strip().lower()
    if coding in ("gzip", "x-gzip"):
        return True
    if coding != "identity":
        raise HTTPException(
            415,
            f"Content-Encoding {coding!r} is not accepted for telemetry; "
            f"send one of {', '.join(ACCEPTED_ENCODINGS)}",
        )
    return False


async def read_body(chunks: AsyncIterator[bytes], gzipped: bool, cap: int) -> bytes:
    """The body (inflated if gzipped), HTTPException 413 once over `cap` bytes, 400 if the gzip
    stream is broken."""
    out = bytearray()
    inflater = zlib.decompressobj(_GZIP) if gzipped else None
    fed = False  # the current gzip member has begun
    async for chunk in chunks:
        if inflater is None:
            out += chunk
            _within(out, cap)
            continue
        pending = chunk
        while pending:
            fed = True
            try:
                out += inflater.decompress(pending, cap + 1 - len(out))
            except zlib.error as e:
                raise HTTPException(400, f"body is not valid gzip: {e}") from e
            _within(out, cap)
            if inflater.eof:  # a gzip file may hold several members, one after another
                pending, fed = inflater.unused_data, False
                inflater = zlib.decompressobj(_GZIP)
            else:
                pending = inflater.unconsumed_tail
    if fed and inflater is not None and not inflater.eof:
        raise HTTPException(400, "body is not valid gzip: the stream ends early")
    return bytes(out)


def _within(body: bytearray, cap: int) -> None:
    if len(body) > cap:
        raise HTTPException(413, f"body over {cap} bytes (counted after decompression)")
