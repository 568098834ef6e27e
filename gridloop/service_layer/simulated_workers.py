"""Simulated people working the loop: grid workers sign and handle, community admins verify,
dispatchers re-dispatch returns, the hotline follows up — and sometimes they run late, return a
case, ask for more time or get rework. Used by the demo and the end-to-end tests.

Every decision is drawn from a hash of (seed, case, seq), so a run is reproducible and a restart
picks up where it stopped: the next action of a case depends only on its stored history.
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from dataclasses import dataclass

from gridloop.domain.cases.actor import Actor
from gridloop.domain.cases.errors import CaseNotFound, TransitionRefused
from gridloop.domain.cases.events import Action, Role
from gridloop.domain.cases.summary import CaseSummary
from gridloop.service_layer.casework import CaseService
from gridloop.service_layer.ports import CaseFilter

A = Action
MINUTE = 60_000
DAY = 24 * 60 * MINUTE
_URGENCY = {"critical": 0.1, "major": 0.4, "minor": 1.0}


@dataclass(frozen=True)
class Behaviour:
    """How often people deviate from the happy path (fractions of the decisions concerned)."""

    late: float = 0.12  # a step finished after its deadline
    returns: float = 0.03  # a worker says the case is not theirs (only a case's first dispatch)
    extension: float = 0.05  # a worker asks for more time (minor cases)
    rework: float = 0.06  # verification fails
    rated: float = 0.7  # closures followed up and rated
    unsatisfied: float = 0.04  # of those rated
    basically: float = 0.12  # of those rated
    handler_at_fault: float = 0.5  # unsatisfied ratings that reopen the case (re-handling)


@dataclass(frozen=True)
class _Plan:
    at: int
    action: Action
    actor: Actor
    payload: dict[str, object]


class SimulatedWorkers:
    def __init__(
        self,
        cases: CaseService,
        seed: int = 1,
        behaviour: Behaviour | None = None,
        pace: float = 1.0,
    ):
        """`pace` > 1 (a live demo) makes people that much quicker on the steps they finish in
        time; a late step still waits until after its real deadline."""
        self.cases, self.seed, self.pace = cases, seed, pace
        self.behaviour = behaviour or Behaviour()
        self.done: Counter[str] = Counter()
        self.refused = 0
        self._last_closed_scan = 0

    def step(self, now_ms: int, rounds: int = 20) -> int:
        """Take every action due by now, a case's next action once its previous one is taken;
        returns how many were taken."""
        taken = total = 0
        for _ in range(rounds):
            taken = self._round(now_ms)
            total += taken
            if not taken:
                break
        return total

    def _round(self, now_ms: int) -> int:
        taken = 0
        for s in self.cases.store.find(CaseFilter(open_only=True)):
            plan = self._paced(s, self._plan(s))
            if plan is not None and plan.at <= now_ms:
                taken += self._take(s, plan)
        closed = CaseFilter(states=("closed",), reported_from=now_ms - 3 * DAY)
        for s in self.cases.store.find(closed):
            plan = self._paced(s, self._follow_up(s) if s.rating is None else self._reopen(s))
            if plan is not None and plan.at <= now_ms:
                taken += self._take(s, plan)
        return taken

    def _paced(self, s: CaseSummary, plan: _Plan | None) -> _Plan | None:
        """The plan at `pace`: its delay shrunk, but a step planned past its deadline stays
        past it (by the shrunk overshoot), so lateness and escalation remain real."""
        if plan is None or self.pace == 1:
            return plan
        base = s.closed_at if s.state == "closed" and s.closed_at is not None else s.updated_at
        due = {"dispatched": s.sign_due, "signed": s.handle_due}.get(s.state)
        if due is not None and plan.at > due > base:
            at = due + max(1, round((plan.at - due) / self.pace))
        else:
            at = base + max(1, round((plan.at - base) / self.pace))
        return _Plan(at, plan.action, plan.actor, plan.payload)

    def _take(self, s: CaseSummary, plan: _Plan) -> int:
        try:
            self.cases.act(s.case_id, plan.action, plan.actor, plan.at, plan.payload)
        except (TransitionRefused, CaseNotFound):
            self.refused += 1  # e.g. a deadline moved meanwhile; the next step plans again
            return 0
        self.done[plan.action.value] += 1
        return 1

    def _rng(self, s: CaseSummary) -> random.Random:
        digest = hashlib.sha256(f"{self.seed}|{s.case_id}|{s.seq}".encode()).digest()
        return random.Random(int.from_bytes(digest[:8], "big"))

    @staticmethod
    def _quick(s: CaseSummary, rng: random.Random, low: int, high: int) -> int:
        """A short step (feedback, verification): emergencies move within minutes."""
        scale = _URGENCY.get(s.severity, 1.0)
        return max(MINUTE, round(rng.uniform(low, high) * scale * MINUTE))

    def _fraction(self, rng: random.Random) -> float:
        """Share of the time limit used: mostly well within it, sometimes past it."""
        if rng.random() < self.behaviour.late:
            return rng.uniform(1.05, 1.8)
        return rng.uniform(0.1, 0.9)

    def _plan(self, s: CaseSummary) -> _Plan | None:
        rng, last = self._rng(s), s.updated_at
        b = self.behaviour
        holder = self._holder(s)
        if s.extension_until is not None and s.community_code:
            admin = self._admin(s.community_code)
            at = last + rng.randint(10, 60) * MINUTE
            return _Plan(at, A.GRANT_EXTENSION, admin, {"handle_due": s.extension_until})
        if s.state == "dispatched" and holder is not None and s.sign_due is not None:
            at = last + int(max(s.sign_due - last, MINUTE) * self._fraction(rng)) + MINUTE
            if rng.random() < b.returns and A.RETURN not in self._seen(s):
                return _Plan(at, A.RETURN, holder, {"reason": "不属于本网格"})
            return _Plan(at, A.SIGN, holder, {})
        if s.state == "signed" and holder is not None and s.handle_due is not None:
            span = max(s.handle_due - last, 10 * MINUTE)
            at = last + int(span * self._fraction(rng)) + MINUTE
            minor = s.severity == "minor"
            if minor and rng.random() < b.extension and at < s.handle_due:
                until = s.handle_due + span // 2
                return _Plan(
                    last + round(span * rng.uniform(0.05, 0.25)),
                    A.REQUEST_EXTENSION,
                    holder,
                    {"until": until, "reason": "需协调物业与相关部门"},
                )
            return _Plan(at, A.HANDLE, holder, {"note": "已到现场处置"})
        if s.state == "handled" and holder is not None:
            return _Plan(
                last + self._quick(s, rng, 5, 20),
                A.FEEDBACK,
                holder,
                {"note": "处置完毕,已拍照反馈"},
            )
        if s.state == "awaiting_verification" and s.community_code:
            admin = self._admin(s.community_code)
            at = last + self._quick(s, rng, 10, 90)
            if rng.random() < b.rework:
                return _Plan(at, A.VERIFY_FAIL, admin, {"note": "现场核查未整改到位"})
            return _Plan(at, A.VERIFY_PASS, admin, {"note": "核查属实,已整改"})
        if s.state == "returned" and s.street_code:
            dispatcher = Actor(
                f"dispatcher@{s.street_code}", Role.STREET_DISPATCHER, region=s.street_code
            )
            return _Plan(last + rng.randint(5, 30) * MINUTE, A.DISPATCH, dispatcher, {})
        return None

    def _follow_up(self, s: CaseSummary) -> _Plan | None:
        rng = self._rng(s)
        b = self.behaviour
        if s.closed_at is None or rng.random() >= b.rated:
            return None
        roll = rng.random()
        rating = (
            "unsatisfied"
            if roll < b.unsatisfied
            else "basically_satisfied"
            if roll < b.unsatisfied + b.basically
            else "satisfied"
        )
        hotline = Actor("12345-followup", Role.SYSTEM)
        return _Plan(
            s.closed_at + rng.randint(30, 240) * MINUTE, A.RATE, hotline, {"rating": rating}
        )

    def _reopen(self, s: CaseSummary) -> _Plan | None:
        if s.rating != "unsatisfied" or not s.street_code:
            return None
        if self._rng(s).random() >= self.behaviour.handler_at_fault:
            return None  # not the handler's doing (e.g. policy): the rating stands
        dispatcher = Actor(
            f"dispatcher@{s.street_code}", Role.STREET_DISPATCHER, region=s.street_code
        )
        return _Plan(
            s.updated_at + 30 * MINUTE, A.REOPEN, dispatcher, {"reason": "群众不满意,责任在处置方"}
        )

    @staticmethod
    def _admin(community: str) -> Actor:
        return Actor(f"admin@{community}", Role.COMMUNITY_ADMIN, region=community)

    def _holder(self, s: CaseSummary) -> Actor | None:
        """Who acts for the assignee: the worker, or the community's admin."""
        if s.assignee is None:
            return None
        if s.assignee_kind == "worker":
            grids = self.cases.directory.grids_of_worker.get(s.assignee, ())
            return Actor(s.assignee, Role.GRID_WORKER, grids=frozenset(grids)) if grids else None
        if s.assignee_kind == "community":
            return self._admin(s.assignee)
        return None

    def _seen(self, s: CaseSummary) -> set[Action]:
        return {e.action for e in self.cases.store.history(s.case_id)}
