"""Event-time helpers: epoch milliseconds, local (UTC+8) hours and ISO-8601 text."""

from __future__ import annotations

import time

import numpy as np
import numpy.typing as npt

MINUTE = 60_000
HOUR = 3_600_000
DAY = 86_400_000
OFFSET_MS = 8 * HOUR  # Asia/Shanghai, no daylight saving

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]


def iso(ms: int) -> str:
    """ISO-8601 with +08:00; milliseconds only when the instant has some."""
    sec, milli = divmod(ms + OFFSET_MS, 1000)
    t = time.gmtime(sec)
    text = (
        f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}"
        f"T{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}"
    )
    return f"{text}.{milli:03d}+08:00" if milli else f"{text}+08:00"


def local_hour(ts: Ints) -> Floats:
    """Hour of the local day, 0 ≤ h < 24, of each epoch-ms instant."""
    return np.asarray(((ts + OFFSET_MS) % DAY) / HOUR, dtype=np.float64)


def local_day_start(ms: int) -> int:
    """Epoch ms of the local midnight at or before `ms`."""
    return ms - (ms + OFFSET_MS) % DAY


def day_of_year(ms: int) -> float:
    """Day of the (local) year, 0-based, for the seasonal temperature curve."""
    return float(time.gmtime((ms + OFFSET_MS) // 1000).tm_yday - 1)


def ceil_div(a: Ints | int, b: Ints | int) -> Ints:
    """Integer ceiling of a / b for positive b."""
    return np.asarray(-((-np.asarray(a)) // b), dtype=np.int64)
