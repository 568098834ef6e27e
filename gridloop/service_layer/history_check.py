"""`verify-history`: every case's hash chain, checked from the stored events."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from gridloop.domain.cases.events import CaseEvent, chain_problems


@dataclass
class HistoryCheck:
    cases: int = 0
    events: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


def verify_histories(histories: Iterable[Sequence[CaseEvent]]) -> HistoryCheck:
    check = HistoryCheck()
    for events in histories:
        check.cases += 1
        check.events += len(events)
        check.problems += chain_problems(list(events))
    return check
