"""Recognising redelivered messages by (device_id, seq) with a bounded memory per device."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gridloop.domain.telemetry import Message

WINDOW = 256
"""How many seqs below a device's highest seq are remembered exactly (4 h at one a minute)."""

_FULL = (1 << WINDOW) - 1


@dataclass(slots=True)
class SeqWindow:
    """The highest seq seen and a bitmap of the WINDOW seqs below it (bit i: highest - i seen)."""

    highest: int
    seen: int
    last_ts: int

    def accept(self, seq: int, ts: int) -> bool:
        """Record (seq, ts); False when it is a redelivery of a message already accepted."""
        delta = seq - self.highest
        if delta > 0:
            self.seen = ((self.seen << delta) | 1) & _FULL if delta < WINDOW else 1
            self.highest = seq
        elif -delta < WINDOW:
            bit = 1 << -delta
            if self.seen & bit:
                return False
            self.seen |= bit
        elif ts > self.last_ts:
            # Far below the window yet newer: the device restarted its counter.
            self.highest, self.seen = seq, 1
        else:
            return False
        if ts > self.last_ts:
            self.last_ts = ts
        return True


class SeqWindows:
    """Every device's window; snapshot() and restore() keep it across restarts."""

    def __init__(self) -> None:
        self._windows: dict[str, SeqWindow] = {}

    def accept(self, device_id: str, seq: int, ts: int) -> bool:
        window = self._windows.get(device_id)
        if window is None:
            self._windows[device_id] = SeqWindow(seq, 1, ts)
            return True
        return window.accept(seq, ts)

    def accept_all(self, messages: Sequence[Message]) -> list[bool]:
        """accept() for a batch, in order; the common case (the next seq) stays inline."""
        windows = self._windows
        verdicts: list[bool] = []
        for m in messages:
            window = windows.get(m.device_id)
            if window is None:
                windows[m.device_id] = SeqWindow(m.seq, 1, m.ts)
                verdicts.append(True)
                continue
            delta = m.seq - window.highest
            if 0 < delta < WINDOW:
                window.seen = ((window.seen << delta) | 1) & _FULL
                window.highest = m.seq
                if m.ts > window.last_ts:
                    window.last_ts = m.ts
                verdicts.append(True)
            else:
                verdicts.append(window.accept(m.seq, m.ts))
        return verdicts

    def snapshot(self) -> dict[str, list[object]]:
        # The bitmap is wider than JSON numbers allow: keep it as hex text.
        return {d: [w.highest, format(w.seen, "x"), w.last_ts] for d, w in self._windows.items()}

    @classmethod
    def restore(cls, snapshot: dict[str, list[object]]) -> SeqWindows:
        windows = cls()
        windows._windows = {
            d: SeqWindow(int(str(h)), int(str(s), 16), int(str(t)))
            for d, (h, s, t) in snapshot.items()
        }
        return windows
