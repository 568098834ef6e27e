"""Attachments on disk, named by their content hash: `<root>/<sha256[:2]>/<sha256>`, once."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

_NAME = re.compile(r"^[0-9a-f]{64}$")


class FileBlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self._path(sha256).is_file()

    def put(self, sha256: str, data: bytes) -> None:
        """Store the bytes under their hash; the same content twice is stored once."""
        path = self._path(sha256)
        if path.is_file():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        # written aside then renamed: a reader never sees half a photo
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get(self, sha256: str) -> bytes | None:
        try:
            return self._path(sha256).read_bytes()
        except FileNotFoundError:
            return None

    def delete(self, sha256: str) -> None:
        self._path(sha256).unlink(missing_ok=True)

    def stored_before(self, cutoff_ms: int) -> Iterator[str]:
        """The photos whose file was written before `cutoff_ms` (epoch ms)."""
        if not self.root.is_dir():
            return
        for folder in self.root.iterdir():
            if not folder.is_dir():
                continue
            for entry in os.scandir(folder):
                if not _NAME.match(entry.name):
                    continue  # e.g. an upload being written aside
                try:
                    written = entry.stat().st_mtime * 1000
                except FileNotFoundError:  # removed meanwhile (a prune from the CLI, say)
                    continue
                if written < cutoff_ms:
                    yield entry.name
