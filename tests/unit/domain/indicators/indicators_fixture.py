"""The hand-computed fixture: one case per situation the indicator formulas must count."""

from __future__ import annotations

from indicators_support import at, dispatch, history, report, step

from gridloop.domain.cases.events import Action, CaseEvent

A = Action

CASES: dict[str, list[CaseEvent]] = {
    # sensor, closed on time; a re-fired alert links a second alert id
    "on_time": history(
        "on_time",
        report(channel="sensor", category="smoke", alerts=("a1",)),
        step(0, A.REGISTER),
        dispatch(1, "w1", sign_by=6, handle_by=61),
        step(2, A.LINK_ALERT, alert_id="a2"),
        step(3, A.SIGN),
        step(30, A.HANDLE, note="done"),
        step(40, A.VERIFY_PASS),
        step(50, A.CLOSE),
        step(60, A.RATE, rating="satisfied"),
    ),
    # signed, handled and closed after the deadlines
    "late": history(
        "late",
        report(),
        step(0, A.REGISTER),
        dispatch(1, "w1", sign_by=6, handle_by=61),
        step(10, A.SIGN),
        step(70, A.HANDLE),
        step(80, A.CLOSE),
        step(90, A.RATE, rating="basically_satisfied"),
    ),
    # verification failed once; the second handling is still within the deadline
    "reworked": history(
        "reworked",
        report(street="S2", community="C2", grid="G2"),
        step(0, A.REGISTER),
        dispatch(1, "w2", sign_by=6, handle_by=61),
        step(2, A.SIGN),
        step(20, A.HANDLE),
        step(25, A.VERIFY_FAIL, note="still there"),
        step(40, A.HANDLE),
        step(45, A.VERIFY_PASS),
        step(50, A.CLOSE),
        step(60, A.RATE, rating="unsatisfied"),
    ),
    # w1 returns it; w2 signs at 8, late for the first dispatch (6) but on time for its own (10)
    "returned": history(
        "returned",
        report(street="S2", community="C2", grid="G2"),
        step(0, A.REGISTER),
        dispatch(1, "w1", sign_by=6, handle_by=61),
        step(3, A.RETURN, reason="not_in_remit"),
        dispatch(5, "w2", sign_by=10, handle_by=65),
        step(8, A.SIGN),
        step(30, A.HANDLE),
        step(40, A.CLOSE),
    ),
    # handled at 100 and closed at 110: late for 61, on time for the extended 121
    "extended": history(
        "extended",
        report(street="S2", community="C2", grid="G2"),
        step(0, A.REGISTER),
        dispatch(1, "w2", sign_by=6, handle_by=61),
        step(4, A.SIGN),
        step(50, A.REQUEST_EXTENSION, reason="parts"),
        step(55, A.GRANT_EXTENSION, handle_due=at(121)),
        step(100, A.HANDLE),
        step(110, A.CLOSE),
    ),
    # deferred: registered, but out of every due count
    "deferred": history(
        "deferred",
        report(),
        step(0, A.REGISTER),
        dispatch(1, "w1", sign_by=6, handle_by=61),
        step(3, A.SIGN),
        step(20, A.DEFER, reason="season"),
    ),
    "refused": history(
        "refused",
        report(channel="sensor", category="smoke", alerts=("a4",)),
        step(1, A.REFUSE, reason="false_alarm"),
    ),
    "merged": history(
        "merged",
        report(),
        step(0, A.REGISTER),
        step(2, A.MERGE, into="on_time"),
    ),
    # sensor, dispatched, nobody has signed yet
    "open": history(
        "open",
        report(channel="sensor", category="smoke", alerts=("a3",)),
        step(0, A.REGISTER),
        dispatch(1, "w1", sign_by=6, handle_by=61),
    ),
}
