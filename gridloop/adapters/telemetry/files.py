"""NDJSON files (plain or gzip) read as batches of lines, with their line numbers."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


def open_ndjson(path: Path) -> BinaryIO:
    if path.suffix == ".gz":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def line_batches(path: Path, size: int) -> Iterator[tuple[int, list[bytes]]]:
    """(first line number, lines without their line ends), `size` lines at a time."""
    pending: list[bytes] = []
    first = 1
    for lines in _lines_in_chunks(path):
        pending += lines
        while len(pending) >= size:
            yield first, pending[:size]
            pending = pending[size:]
            first += size
    if pending:
        yield first, pending


def _lines_in_chunks(path: Path, chunk: int = 8 << 20) -> Iterator[list[bytes]]:
    # Reading megabytes and splitting them is several times faster than iterating lines.
    rest = b""
    with open_ndjson(path) as f:
        while block := f.read(chunk):
            lines = (rest + block).split(b"\n")
            rest = lines.pop()
            yield [line.removesuffix(b"\r") for line in lines]
    if rest:
        yield [rest.removesuffix(b"\r")]
