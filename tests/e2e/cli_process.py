"""`gridloop` as a user runs it: a process of its own, its output captured."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "gridloop", *args]


def gridloop(
    *args: str, cwd: Path, timeout: float = 300, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command(*args),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **env},
    )


def ok(*args: str, cwd: Path, timeout: float = 300) -> str:
    """Its standard output; an assertion error with both outputs unless it exits 0."""
    done = gridloop(*args, cwd=cwd, timeout=timeout)
    assert done.returncode == 0, f"gridloop {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout
