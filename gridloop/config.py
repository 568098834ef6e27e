"""Settings from the environment (and command-line flags, which win)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DB = "gridloop.db"


@dataclass(frozen=True)
class Settings:
    db_path: Path

    @classmethod
    def from_env(cls, db: str | None = None) -> Settings:
        return cls(db_path=Path(db or os.environ.get("GRIDLOOP_DB") or DEFAULT_DB))
