"""The closed loop's service: reports become cases, actions move them, clocks escalate them.

Every operation is one transaction on the case store: histories are read and appended under the
write lock, summaries replaced with them, and the notices stored in the same transaction (the
in-app feed, and the outbox for delivery elsewhere).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from gridloop.domain.cases.actor import SYSTEM, Actor, Place
from gridloop.domain.cases.assignment import Assignment, NowhereToDispatch, choose_assignee
from gridloop.domain.cases.case import Case, merge_cases, open_case
from gridloop.domain.cases.errors import CaseNotFound, ConditionFailed, ReportRefused
from gridloop.domain.cases.events import Action, CaseEvent, Role
from gridloop.domain.cases.merging import Candidate, same_problem
from gridloop.domain.cases.notices import notices_for
from gridloop.domain.cases.sla import Escalation, deadlines, due_escalations
from gridloop.domain.cases.states import AssigneeKind, CaseState
from gridloop.domain.cases.summary import CaseSummary, summarize
from gridloop.domain.devices.rules import Severity
from gridloop.domain.notifications import Notice, NoticeKind
from gridloop.service_layer.case_directory import CaseDirectory, Location
from gridloop.service_layer.case_policy import CasePolicy
from gridloop.service_layer.ports import CaseFilter, CaseStore

A = Action
SEVERITIES = {s.label: s for s in Severity}
_ASSIGNEE_ACTIONS = frozenset({A.SIGN, A.HANDLE, A.FEEDBACK, A.RETURN, A.REQUEST_EXTENSION})


@dataclass(frozen=True)
class NewReport:
    """A report as a channel delivers it; the place may be a building, a point or a grid."""

    channel: str
    category: str
    severity: str = "minor"
    description: str = ""
    lon: float | None = None
    lat: float | None = None
    building_code: str | None = None
    grid_code: str | None = None
    reporter: str | None = None  # defaults to the acting user
    alert_ids: tuple[str, ...] = ()
    device_id: str | None = None
    rule: str | None = None
    extra: Mapping[str, object] = field(default_factory=dict)
    # a citizen request whose place cannot be resolved waits for a dispatcher instead of being
    # refused (or going to a wrong grid)
    queue_unlocated: bool = False


@dataclass(frozen=True)
class ReportOutcome:
    case_id: str
    merged_into: str | None = None  # the open case this report joined
    assignee: str | None = None
    departments: tuple[str, ...] = ()


class CaseWork:
    """The cases one transaction touches, and what it will write and send."""

    def __init__(self, store: CaseStore) -> None:
        self.store = store
        self.cases: dict[str, Case] = {}
        self.events: list[CaseEvent] = []
        self.notices: list[Notice] = []  # beyond those the events imply
        self.dispatched: Counter[str] = Counter()  # not yet in the store's open load
        self._stored: dict[str, int] = {}  # case id → events already in the store

    def case(self, case_id: str) -> Case:
        if case_id not in self.cases:
            history = self.store.history(case_id)
            if not history:
                raise CaseNotFound(case_id)
            self.cases[case_id] = Case.from_history(history)
            self._stored[case_id] = len(history)
        return self.cases[case_id]

    def add(self, case: Case, *events: CaseEvent) -> None:
        self.cases[case.case_id] = case
        known = self._stored.setdefault(case.case_id, 0)
        for e in events:
            # an idempotent repeat returns the event already recorded: write it once
            if e.seq > known:
                self.events.append(e)
                known = self._stored[case.case_id] = e.seq


class CaseService:
    def __init__(
        self,
        store: CaseStore,
        directory: CaseDirectory,
        policy: CasePolicy,
        label: Callable[[str], str] = str,
        committed: Callable[[], None] = lambda: None,
    ) -> None:
        self.store, self.directory, self.policy = store, directory, policy
        self.label = label
        # told after a commit that left notices in the outbox (wakes its dispatcher)
        self._committed = committed

    def close(self) -> None:
        self.store.close()

    # -- reading ---------------------------------------------------------------------------

    def case(self, case_id: str, actor: Actor) -> tuple[CaseSummary, list[CaseEvent]]:
        """A case and its history, if the actor may see it (CaseNotFound otherwise)."""
        return self.summary(case_id, actor), self.store.history(case_id)

    def summary(self, case_id: str, actor: Actor) -> CaseSummary:
        """A case's summary without its history, if the actor may see it (else CaseNotFound)."""
        summary = self.store.summary(case_id)
        if summary is None or not actor.covers(_place(summary)):
            raise CaseNotFound(case_id)
        return summary

    def find(self, f: CaseFilter, actor: Actor) -> list[CaseSummary]:
        """Cases matching `f` within the actor's region."""
        return [s for s in self.store.find(scoped(f, actor)) if actor.covers(_place(s))]

    def page(self, f: CaseFilter, actor: Actor, size: int) -> tuple[list[CaseSummary], bool]:
        """Up to `size` cases of `find`, in `f`'s order after its `after` cursor, and whether
        more follow. What the store cannot narrow (a department's cases) is filtered here,
        reading on until the page is full."""
        narrowed = replace(scoped(f, actor), limit=size + 1)
        found: list[CaseSummary] = []
        while True:
            batch = self.store.find(narrowed)
            found += [s for s in batch if actor.covers(_place(s))]
            if len(found) > size or len(batch) <= size:
                return found[:size], len(found) > size
            last = batch[-1]
            narrowed = replace(narrowed, after=(getattr(last, narrowed.sort), last.case_id))

    # -- writing ---------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[CaseWork]:
        """One unit of work: the cases it touches are saved, with their notices, on leaving."""
        work = CaseWork(self.store)
        with self.store.atomic():
            yield work
            touched = list(dict.fromkeys(e.case_id for e in work.events))
            summaries = [summarize(work.cases[c]) for c in touched]
            by_id = {s.case_id: s for s in summaries}
            notices: list[Notice] = list(work.notices)
            for event in work.events:
                notices += notices_for(event, by_id[event.case_id], self.label)
            self.store.save(work.events, summaries, notices)
        if notices:
            self._committed()

    def report(self, report: NewReport, actor: Actor, at_ms: int) -> ReportOutcome:
        """Open a case for a report: locate it, merge it into the same open problem nearby, or
        register and dispatch it when its channel is automatic. ReportRefused says why not."""
        with self.transaction() as work:
            return self.report_in(work, report, actor, at_ms)

    def report_in(
        self, work: CaseWork, report: NewReport, actor: Actor, at_ms: int
    ) -> ReportOutcome:
        if report.severity not in SEVERITIES:
            raise ReportRefused("severity", f"{report.severity!r} is not one of {list(SEVERITIES)}")
        if not report.channel or not report.category:
            raise ReportRefused("category" if report.channel else "channel", "required")
        try:
            where: Location | None = self.directory.locate(
                report.lon, report.lat, report.building_code, report.grid_code
            )
        except ReportRefused as refused:
            if not report.queue_unlocated:
                raise
            where, unlocated_why = None, refused.why
        if (
            where is not None
            and actor.role is Role.GRID_WORKER
            and where.grid_code not in actor.grids
        ):
            raise ReportRefused("location", f"grid {where.grid_code} is not one of your grids")
        payload: dict[str, object] = {
            **dict(report.extra),
            "channel": report.channel,
            "category": report.category,
            "severity": report.severity,
            "description": report.description,
            **(where.payload() if where else {"unlocated": unlocated_why}),
            "reporter": report.reporter or actor.id,
            "alert_ids": list(report.alert_ids),
        }
        if report.device_id and report.rule:
            payload |= {"device_id": report.device_id, "rule": report.rule}
        case = open_case(self.store.new_case_id(at_ms), payload, actor.id, actor.role, at_ms)
        work.add(case, *case.history)
        if where is None:  # the manual-location queue: a dispatcher places it (`locate`)
            work.notices.append(self._locate_notice(case, at_ms))
            return ReportOutcome(case.case_id)
        prefer = actor.id if actor.role is Role.GRID_WORKER else None
        return self._route(work, case, at_ms, prefer)

    def locate(
        self,
        case_id: str,
        actor: Actor,
        at_ms: int,
        building_code: str | None = None,
        lon: float | None = None,
        lat: float | None = None,
        grid_code: str | None = None,
    ) -> ReportOutcome:
        """Place a case from the manual-location queue, then register and dispatch it as its
        channel would have been. ReportRefused when the place is not usable either."""
        with self.transaction() as work:
            case = work.case(case_id)
            if not actor.covers(_place(summarize(case))):
                raise CaseNotFound(case_id)
            where = self.directory.locate(lon, lat, building_code, grid_code)
            work.add(case, case.act(A.LOCATE, actor.id, actor.role, at_ms, where.payload()))
            return self._route(work, case, at_ms, None)

    def _locate_notice(self, case: Case, at_ms: int) -> Notice:
        why = str(case.history[0].payload.get("unlocated", ""))
        title = f"待人工定位:{case.case_id} {self.label(case.category)}({why})"
        recipient = f"district:{self.directory.district_code}"
        return Notice(recipient, NoticeKind.LOCATE, case.case_id, at_ms, title, {"why": why})

    def _route(self, work: CaseWork, case: Case, at_ms: int, prefer: str | None) -> ReportOutcome:
        """A located report: merge into the same open problem, or register and dispatch it."""
        if case.channel not in self.policy.auto_dispatch:
            return ReportOutcome(case.case_id)
        target = self._same_problem(work, case, at_ms)
        if target is not None:
            merged, absorbed = merge_cases(case, target, SYSTEM.id, Role.SYSTEM, at_ms)
            work.add(case, merged)
            work.add(target, absorbed)
            return ReportOutcome(case.case_id, merged_into=target.case_id)
        work.add(case, case.act(A.REGISTER, SYSTEM.id, Role.SYSTEM, at_ms))
        assignment = self._dispatch(work, case, SYSTEM, at_ms, prefer)
        return ReportOutcome(case.case_id, None, assignment.assignee, assignment.departments)

    def _same_problem(self, work: CaseWork, case: Case, at_ms: int) -> Case | None:
        if case.lon is None or case.lat is None:
            return None
        merge = self.policy.merge
        stored = self.store.merge_candidates(
            case.category, merge.box(case.lon, case.lat), at_ms - merge.window_ms
        )
        # Cases this transaction opened or changed are not in the store's summaries yet: a batch
        # of alerts must merge as the same alerts would one at a time.
        candidates = [c for c in stored if c.case_id not in work.cases] + [
            Candidate(c.case_id, c.category, c.lon, c.lat, c.history[0].at)
            for c in work.cases.values()
            if c is not case
            and c.state.is_open
            and c.state is not CaseState.REPORTED
            and c.lon is not None
            and c.lat is not None
        ]
        found = same_problem(merge, case.category, case.lon, case.lat, at_ms, candidates)
        return work.case(found.case_id) if found is not None else None

    def _dispatch(
        self, work: CaseWork, case: Case, actor: Actor, at_ms: int, prefer: str | None = None
    ) -> Assignment:
        grid = case.grid_code or ""
        workers = self.directory.workers_of_grid.get(grid, ())
        try:
            assignment = choose_assignee(
                workers,
                Counter(self.store.open_load(workers)) + work.dispatched,
                case.community_code,
                self.policy.routing.departments_for(case.category),
                prefer,
            )
        except NowhereToDispatch as e:
            raise ConditionFailed(case.case_id, A.DISPATCH, str(e)) from None
        sign_due, handle_due = self._deadlines(case, at_ms)
        event = case.act(
            A.DISPATCH, actor.id, actor.role, at_ms, assignment.payload(sign_due, handle_due)
        )
        work.add(case, event)
        work.dispatched[assignment.assignee] += 1
        return assignment

    def _deadlines(self, case: Case, at_ms: int) -> tuple[int, int]:
        severity = SEVERITIES.get(case.severity, Severity.MINOR)
        return deadlines(self.policy.sla, self.policy.calendar, severity, case.category, at_ms)

    def act(
        self,
        case_id: str,
        action: Action,
        actor: Actor,
        at_ms: int,
        payload: Mapping[str, object] | None = None,
    ) -> CaseEvent:
        """Take an action as `actor`; refusals are TransitionRefused (or CaseNotFound outside
        the actor's region). Missing deadlines are computed (dispatch, grant, resume)."""
        with self.transaction() as work:
            case = work.case(case_id)
            if not actor.covers(_place(summarize(case))):
                raise CaseNotFound(case_id)
            given = dict(payload or {})
            if action is A.DISPATCH and "assignee" not in given:
                self._dispatch(work, case, actor, at_ms)
                return case.history[-1]
            given = self._completed(case, action, actor, at_ms, given)
            event = case.act(action, actor.id, actor.role, at_ms, given)
            work.add(case, event)
            if action is A.VERIFY_PASS and self.policy.auto_close:
                work.add(case, case.act(A.CLOSE, SYSTEM.id, Role.SYSTEM, at_ms))
            return event

    def _completed(
        self, case: Case, action: Action, actor: Actor, at_ms: int, given: dict[str, object]
    ) -> dict[str, object]:
        """The payload with what the service knows filled in: deadlines and the acting unit."""
        if action is A.DISPATCH and "sign_due" not in given:
            given["sign_due"], given["handle_due"] = self._deadlines(case, at_ms)
            given.setdefault("assignee_kind", AssigneeKind.WORKER.value)
        pending = case.pending_extension
        if action is A.GRANT_EXTENSION and "handle_due" not in given and pending is not None:
            given["handle_due"] = pending.until
        if action is A.RESUME and "handle_due" not in given and case.assignee is not None:
            given["sign_due"], given["handle_due"] = self._deadlines(case, at_ms)
            if case.deferred_from is not CaseState.DISPATCHED:
                given.pop("sign_due")
        acts_for_unit = actor.role in (Role.COMMUNITY_ADMIN, Role.DEPARTMENT) and actor.region
        if acts_for_unit and "unit" not in given and action in _ASSIGNEE_ACTIONS:
            given["unit"] = actor.region
        return given

    # -- alerts and clocks -----------------------------------------------------------------

    def run_clocks(self, now_ms: int) -> int:
        """Escalate every case whose sign or handle deadline has passed; returns how many."""
        if not self._due_escalations(now_ms):
            return 0
        # Found again inside the transaction: another thread's clocks may have been first.
        with self.transaction() as work:
            due = self._due_escalations(now_ms)
            for e in due:
                case = work.case(e.case_id)
                payload = {"level": e.level, "step": e.step.value, "due_at": e.at}
                # recorded when it fell due: a replay's clock runs in steps, not continuously
                at = max(e.at, case.history[-1].at)
                work.add(case, case.act(A.ESCALATE, SYSTEM.id, Role.SYSTEM, at, payload))
        return len(due)

    def _due_escalations(self, now_ms: int) -> list[Escalation]:
        top = self.policy.escalation.levels[-1]  # a case raised to the top has nowhere to go
        overdue = self.store.find(CaseFilter(overdue_at=now_ms, below_level=top))
        views = []
        for s in overdue:
            severity = SEVERITIES.get(s.severity, Severity.MINOR)
            view = s.escalation_view(self.policy.sla.limit_for(severity, s.category))
            if view is not None:
                views.append(view)
        return due_escalations(views, now_ms, self.policy.escalation, self.policy.calendar)


def _place(s: CaseSummary) -> Place:
    return Place(s.grid_code, s.community_code, s.street_code, s.assignee, s.departments)


def scoped(f: CaseFilter, actor: Actor) -> CaseFilter:
    """The filter narrowed to the actor's region, so the store does the work."""
    role = actor.role
    if role is Role.GRID_WORKER:
        grids = tuple(g for g in actor.grids if not f.grids or g in f.grids) or ("-",)
        return replace(f, grids=grids)
    if role is Role.COMMUNITY_ADMIN and not f.communities:
        return replace(f, communities=(actor.region,))
    if role is Role.STREET_DISPATCHER and not f.streets:
        return replace(f, streets=(actor.region,))
    return f
