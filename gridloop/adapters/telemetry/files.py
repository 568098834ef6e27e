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
    with open_ndjson(path) as f:
        batch: list[bytes] = []
        first = 1
        for number, line in enumerate(f, 1):
            batch.append(line.rstrip(b"\r\n"))
            if len(batch) == size:
                yield first, batch
                batch, first = [], number + 1
        if batch:
            yield first, batch
