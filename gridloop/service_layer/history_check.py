"""`verify-history`: every case's hash chain, checked from the stored events."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from gridloop.domain.cases.case import Case
from gridloop.domain.cases.errors import BrokenHistory
from gridloop.domain.cases.events import CaseEvent, chain_problems
from gridloop.domain.cases.summary import CaseSummary, summarize


@dataclass
class HistoryCheck:
    cases: int = 0
    events: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


def verify_histories(
    histories: Iterable[Sequence[CaseEvent]],
    summaries: Mapping[str, CaseSummary] | None = None,
) -> HistoryCheck:
    """Every chain intact; with `summaries` (the read side), each also equal to what its
    history folds into — lists and dispatch load then tell the same story as the indicators."""
    check = HistoryCheck()
    seen: set[str] = set()
    for events in histories:
        check.cases += 1
        check.events += len(events)
        problems = chain_problems(list(events))
        check.problems += problems
        if summaries is None or not events:
            continue
        case_id = events[0].case_id
        seen.add(case_id)
        if problems:
            continue  # a broken chain is reported once, not again as a stale summary
        try:
            derived = summarize(Case.from_history(events, verify=False))
        except BrokenHistory as e:
            check.problems.append(str(e))
            continue
        stored = summaries.get(case_id)
        if stored != derived:
            fields = _differences(stored, derived)
            check.problems.append(f"case {case_id}: summary differs from history ({fields})")
    for case_id in sorted(set(summaries or {}) - seen):
        check.problems.append(f"case {case_id}: summary without a history")
    return check


def _differences(stored: CaseSummary | None, derived: CaseSummary) -> str:
    if stored is None:
        return "no summary stored"
    names = [
        n for n in CaseSummary.__dataclass_fields__ if getattr(stored, n) != getattr(derived, n)
    ]
    return ", ".join(names)
