"""Deadlines in a heap with lazy deletion: at most one live entry per (device, timer rule).

A timer's real deadline (`RuleState.due`) may move later without touching the heap: its entry
(`queued` ≤ `due`) pops early and is pushed again at the real deadline. Entries whose key is not
the timer's `queued` are stale and dropped when popped. Entries sort by (deadline, device id,
rule code), which is the firing order of docs/rules.md.
"""

from __future__ import annotations

from heapq import heappush

from gridloop.domain.alerting.state import RuleState

Entry = tuple[int, str, str]  # (deadline ms, device id, local rule code)


class TimerHeap:
    __slots__ = ("entries",)

    def __init__(self) -> None:
        self.entries: list[Entry] = []

    def __len__(self) -> int:
        return len(self.entries)

    def due_before(self, bound: int) -> bool:
        entries = self.entries
        return bool(entries) and entries[0][0] < bound

    def schedule(self, timer: RuleState, device_id: str, code: str, due: int) -> None:
        """Set the timer's deadline; push only when no live entry is at or before it."""
        timer.due = due
        queued = timer.queued
        if queued is None or queued > due:
            heappush(self.entries, (due, device_id, code))
            timer.queued = due

    def take(self, timer: RuleState, device_id: str, code: str, key: int) -> int | None:
        """Handle the popped entry `key` of `timer`: its deadline when it is due, else None."""
        if timer.queued != key:
            return None  # stale: a later schedule pushed an earlier entry for this timer
        timer.queued = None
        due = timer.due
        if due is None:
            return None  # fired or cancelled since
        if due > key:
            heappush(self.entries, (due, device_id, code))  # the deadline moved later
            timer.queued = due
            return None
        timer.due = None
        return due
