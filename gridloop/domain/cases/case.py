"""The case aggregate: its state is a fold over its history, and every action appends one event."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from gridloop.domain.cases.effects import CHANGES, PendingExtension
from gridloop.domain.cases.errors import (
    BrokenHistory,
    ConditionFailed,
    NotAllowedInState,
    RoleNotAllowed,
)
from gridloop.domain.cases.events import GENESIS, Action, CaseEvent, Role, chain_problems
from gridloop.domain.cases.request import Request
from gridloop.domain.cases.rules import first_refusal
from gridloop.domain.cases.states import AssigneeKind, CaseState, EscalationLevel, Rating
from gridloop.domain.cases.workflow import allowed_actions, transition

A = Action
_TWO_CASE_ACTIONS = frozenset({A.MERGE, A.ABSORB})


@dataclass
class Case:
    """One case of the closed loop; build it with `open_case` or `Case.from_history`."""

    case_id: str
    state: CaseState = CaseState.REPORTED
    channel: str = ""
    category: str = ""
    severity: str = ""
    description: str = ""
    lon: float | None = None
    lat: float | None = None
    building_code: str | None = None
    grid_code: str | None = None
    community_code: str | None = None
    street_code: str | None = None
    assignee: str | None = None
    assignee_kind: AssigneeKind | None = None
    departments: list[str] = field(default_factory=list)
    sign_due: int | None = None
    handle_due: int | None = None
    pending_extension: PendingExtension | None = None
    deferred_from: CaseState | None = None
    reporters: list[str] = field(default_factory=list)
    alert_ids: list[str] = field(default_factory=list)
    cleared_alert_ids: list[str] = field(default_factory=list)
    escalation_level: EscalationLevel | None = None
    rating: Rating | None = None  # of the current closure; a reopening clears it
    reworks: int = 0  # verification failures plus reopenings
    merged_into: str | None = None
    history: list[CaseEvent] = field(default_factory=list)

    @classmethod
    def from_history(cls, events: Sequence[CaseEvent], *, verify: bool = True) -> Case:
        """The case as its events left it; with `verify`, a broken hash chain is refused."""
        if not events:
            raise BrokenHistory("?", ["no events"])
        case = cls(events[0].case_id)
        if verify and (problems := chain_problems(list(events))):
            raise BrokenHistory(case.case_id, problems)
        for event in events:
            if event.case_id != case.case_id:
                raise BrokenHistory(case.case_id, [f"event {event.seq} is of {event.case_id}"])
            case._apply(event)
        return case

    def act(
        self,
        action: Action,
        actor: str,
        role: Role,
        at_ms: int,
        payload: Mapping[str, object] | None = None,
    ) -> CaseEvent:
        """Take `action`, or raise a TransitionRefused saying why not; repeats are harmless.

        When the last event is this very request (same action, actor, role and payload, e.g. a
        double-tapped sign), that event is returned and nothing is appended.
        """
        request = Request(action, actor, role, at_ms, _frozen(payload or {}))
        if (repeated := self._repeat_of(request)) is not None:
            return repeated
        if action in _TWO_CASE_ACTIONS:
            why = "a merge changes two cases; use merge_cases(source, target, ...)"
            raise ConditionFailed(self.case_id, action, why)
        self._check(request)
        return self._append(request)

    def _source(self) -> CaseState | None:
        return self.state if self.history else None

    def _repeat_of(self, request: Request) -> CaseEvent | None:
        if not self.history:
            return None
        last = self.history[-1]
        same = (last.action, last.actor, last.role) == (request.action, request.actor, request.role)
        return last if same and _canonical(last.payload) == _canonical(request.payload) else None

    def _check(self, request: Request) -> None:
        source = self._source()
        row = transition(source, request.action)
        state = source.value if source else "not reported yet"
        if row is None:
            allowed = allowed_actions(source)
            raise NotAllowedInState(self.case_id, request.action, state, allowed)
        if request.role not in row.roles:
            raise RoleNotAllowed(self.case_id, request.action, request.role, state, row.roles)
        if (refused := first_refusal(self, request)) is not None:
            raise refused

    def _append(self, request: Request) -> CaseEvent:
        previous = self.history[-1].hash if self.history else GENESIS
        event = CaseEvent(
            self.case_id,
            len(self.history) + 1,
            request.action,
            request.actor,
            request.role,
            request.at,
            request.payload,
            previous,
        ).sealed()
        self._apply(event)
        return event

    def _apply(self, event: CaseEvent) -> None:
        source = self._source()
        row = transition(source, event.action)
        if row is None:
            state = source.value if source else "not reported yet"
            why = f"event {event.seq} ({event.action.value}) cannot happen to a {state} case"
            raise BrokenHistory(self.case_id, [why])
        target = row.target or self.deferred_from or CaseState.REGISTERED
        if (change := CHANGES.get(event.action)) is not None:
            change(self, event)
        self.state = target
        self.history.append(event)


def open_case(
    case_id: str, report_payload: Mapping[str, object], actor: str, role: Role, at_ms: int
) -> Case:
    """A new case holding its REPORT event."""
    case = Case(case_id)
    case.act(A.REPORT, actor, role, at_ms, report_payload)
    return case


def merge_cases(
    source: Case, target: Case, actor: str, role: Role, at_ms: int
) -> tuple[CaseEvent, CaseEvent]:
    """Merge `source` into `target`: MERGE on the source, ABSORB (keeping reporters) on the target.

    Both cases are checked before either changes, so a refusal leaves both as they were.
    """
    merge = Request(A.MERGE, actor, role, at_ms, _frozen({"into": target.case_id}))
    absorb = Request(
        A.ABSORB,
        actor,
        role,
        at_ms,
        _frozen(
            {
                "from": source.case_id,
                "reporter": source.reporters[0] if source.reporters else actor,
                "reporters": source.reporters,
                "alert_ids": source.alert_ids,
            }
        ),
    )
    if (done := source._repeat_of(merge)) is not None:
        absorbed = [
            e
            for e in target.history
            if e.action is A.ABSORB and e.payload["from"] == source.case_id
        ]
        if absorbed:
            return done, absorbed[-1]
    if not target.history or not target.state.is_open:
        state = target.state.value if target.history else "not reported yet"
        why = f"case {target.case_id} is {state}; cases merge only into an open case"
        raise ConditionFailed(source.case_id, A.MERGE, why)
    source._check(merge)
    target._check(absorb)
    return source._append(merge), target._append(absorb)


def _canonical(payload: Mapping[str, object]) -> str:
    # As the hash sees it: a tuple and a list of the same items are the same request.
    return json.dumps(dict(payload), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _frozen(payload: Mapping[str, object]) -> Mapping[str, object]:
    """A private copy in the shape a stored event reloads as, so later edits cannot break a hash."""
    copy: dict[str, object] = json.loads(_canonical(payload))
    return MappingProxyType(copy)
