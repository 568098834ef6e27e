"""Case histories for `gridloop report`, built through the workflow and stored in real SQLite.

The small district (one case per situation) has hand-computed indicators:
registered 6 (h2 refused), due for closure 5 (h3 deferred), due for handling 4 (h4 never
dispatched); closed s1 s3 h1, on time s1 h1; handled s1 s3 h1, all on time; rework h1; extension
s2; dispatches 5 with one return; signed on time s1 s3 h1; rated s1 (satisfied) h1 (unsatisfied);
warnings a1..a4, closed a1 (s1) and a4 (s3).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from gridloop.adapters.sqlite.case_events import SqliteCaseEvents
from gridloop.adapters.sqlite.database import connect
from gridloop.domain.cases.case import Case, open_case
from gridloop.domain.cases.events import Action, CaseEvent, Role

T0 = 1_795_795_200_000  # 2026-11-28T00:00:00+08:00
MINUTE = 60_000
DAY = 24 * 60 * MINUTE
A = Action
FALL = "elderly_care.fall"
SMOKE = "smoke_detector.smoke_alarm"
GAS = "gas_detector.gas_leak"


def at(minutes: float) -> int:
    return T0 + round(minutes * MINUTE)


class Story:
    """One case told step by step through the domain's workflow, on a minute clock from T0."""

    def __init__(
        self, case_id: str, channel: str, category: str, grid: str, *alerts: str, reported: int = 0
    ) -> None:
        payload: dict[str, object] = {
            "channel": channel,
            "category": category,
            "severity": "critical" if channel == "sensor" else "minor",
            "street_code": "S1",
            "community_code": "C1",
            "grid_code": grid,
            "alert_ids": list(alerts),
        }
        self.case: Case = open_case(case_id, payload, "rule", Role.SYSTEM, at(reported))

    def system(self, minutes: float, action: Action, **payload: object) -> Story:
        self.case.act(action, "system", Role.SYSTEM, at(minutes), payload)
        return self

    def dispatch(self, minutes: float, worker: str, sign_by: float, handle_by: float) -> Story:
        deadlines = {"sign_due": at(sign_by), "handle_due": at(handle_by)}
        return self.system(
            minutes, A.DISPATCH, assignee=worker, assignee_kind="worker", **deadlines
        )

    def worker(self, minutes: float, action: Action, **payload: object) -> Story:
        actor = self.case.assignee or "?"
        self.case.act(action, actor, Role.GRID_WORKER, at(minutes), payload)
        return self

    def admin(self, minutes: float, action: Action, **payload: object) -> Story:
        self.case.act(action, "admin", Role.COMMUNITY_ADMIN, at(minutes), payload)
        return self

    def dispatcher(self, minutes: float, action: Action, **payload: object) -> Story:
        self.case.act(action, "dispatcher", Role.STREET_DISPATCHER, at(minutes), payload)
        return self

    def handled_and_closed(self, handle: float, close: float) -> Story:
        self.worker(handle, A.HANDLE, note="处置完毕")
        self.worker(handle + 1, A.FEEDBACK, note="已反馈")
        self.admin(handle + 2, A.VERIFY_PASS, note="现场核实")
        return self.system(close, A.CLOSE)

    @property
    def history(self) -> list[CaseEvent]:
        return self.case.history


def small_district() -> Iterator[list[CaseEvent]]:
    # s1: closed on time and rated satisfied
    s1 = Story("s1", "sensor", FALL, "G1", "a1").system(0, A.REGISTER)
    s1.dispatch(1, "w1", sign_by=5, handle_by=30).worker(2, A.SIGN).handled_and_closed(20, 25)
    yield s1.system(60, A.RATE, rating="satisfied").history
    # s2: a re-fired alert links a3; signed late, an extension granted, still open
    s2 = Story("s2", "sensor", SMOKE, "G1", "a2").system(0, A.REGISTER)
    s2.dispatch(1, "w1", sign_by=5, handle_by=30).system(3, A.LINK_ALERT, alert_id="a3")
    s2.worker(10, A.SIGN).worker(12, A.REQUEST_EXTENSION, until=at(90), reason="等配件")
    yield s2.admin(13, A.GRANT_EXTENSION, handle_due=at(90)).history
    # s3: returned by w2, re-dispatched to w3, handled on time but closed after the deadline
    s3 = Story("s3", "sensor", FALL, "G2", "a4").system(0, A.REGISTER)
    s3.dispatch(1, "w2", sign_by=5, handle_by=30).worker(2, A.RETURN, reason="not_in_remit")
    s3.dispatch(3, "w3", sign_by=10, handle_by=35).worker(8, A.SIGN)
    yield s3.handled_and_closed(20, 50).history
    # h1: hotline complaint, verification failed once, closed on time, rated unsatisfied
    h1 = Story("h1", "hotline", "complaint", "G2").dispatcher(0, A.REGISTER)
    h1.dispatch(1, "w3", sign_by=60, handle_by=600).worker(5, A.SIGN)
    h1.worker(30, A.HANDLE, note="清理").worker(31, A.FEEDBACK, note="已清理")
    h1.admin(40, A.VERIFY_FAIL, note="仍有残留").handled_and_closed(100, 110)
    yield h1.system(200, A.RATE, rating="unsatisfied").history
    # h2: refused, never registered
    yield Story("h2", "hotline", "enquiry", "G1").dispatcher(5, A.REFUSE, reason="重复").history
    # h3: registered, then deferred
    h3 = Story("h3", "hotline", "enquiry", "G1").dispatcher(0, A.REGISTER)
    yield h3.admin(10, A.DEFER, reason="等待资金").history
    # h4: reported two days later (outside 2026-11-28..29), registered, not yet dispatched
    later = 2 * DAY // MINUTE
    h4 = Story("h4", "hotline", "complaint", "G1", reported=later)
    yield h4.dispatcher(later + 1, A.REGISTER).history


def store(db: Path, histories: Iterable[list[CaseEvent]]) -> Path:
    """The histories appended in one transaction."""
    conn = connect(db)
    try:
        SqliteCaseEvents(conn).append([event for history in histories for event in history])
    finally:
        conn.close()
    return db


def published_sensing(count: int = 4807, closed: int = 4473) -> Iterator[list[CaseEvent]]:
    """The published sensing figure: `count` warnings, the first `closed` closed through the loop.

    Falls rank first and smoke alarms second, so the briefing names those two.
    """
    categories = [FALL] * 5 + [SMOKE] * 4 + [GAS]
    for i in range(count):
        story = Story(f"p{i:05d}", "sensor", categories[i % 10], "G1", f"alert-{i}")
        story.system(0, A.REGISTER).dispatch(1, "w1", sign_by=5, handle_by=30)
        if i < closed:
            story.worker(2, A.SIGN).handled_and_closed(20, 25)
        yield story.history
