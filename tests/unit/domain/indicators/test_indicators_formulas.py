"""The indicator formulas against counts worked out by hand from the fixture's nine cases."""

from __future__ import annotations

from indicators_fixture import CASES
from indicators_support import at, dispatch, history, report, step

from gridloop.domain.cases.events import Action as A
from gridloop.domain.cases.indicators import JSON_KEYS, compute

# registered: on_time, late, reworked, returned, extended, deferred, open = 7 (refused: refused;
# merged: merged away). due for closure: 7 - deferred = 6; all 6 dispatched, so due for handling 6.
EXPECTED = {
    "registered": 7,
    "closed": 5,  # on_time, late, reworked, returned, extended
    "closure_rate": 5 / 6,
    "closed_on_time": 4,  # late closed at 80 > 61
    "on_time_closure_rate": 4 / 6,
    "handled": 5,
    "handling_rate": 5 / 6,
    "on_time_handling_rate": 4 / 6,  # late handled at 70 > 61; reworked's last handling 40 <= 61
    "reworks": 1,  # reworked's VERIFY_FAIL
    "rework_rate": 1 / 6,
    "extensions": 1,
    "extension_rate": 1 / 6,
    "dispatches": 8,  # 7 registered cases, returned dispatched twice
    "returns": 1,
    "dispatch_accuracy": 7 / 8,
    "signed_on_time": 4,  # late signed at 10 > 6; open never signed
    "on_time_sign_rate": 4 / 6,
    "rated": 3,
    "satisfied": 2,  # satisfied + basically_satisfied
    "satisfaction_rate": 2 / 3,
    "warnings": 3,  # a1 and a2 (on_time), a3 (open); a4 was a false alarm
    "warnings_closed": 2,
    "warning_closure_rate": 2 / 3,
}


def test_every_json_key_matches_the_hand_computed_fixture() -> None:
    result = compute(CASES.values(), None)
    assert list(result.as_json()) == list(JSON_KEYS)
    assert result.as_json() == EXPECTED


def test_the_counts_behind_the_rates_are_kept_on_the_report() -> None:
    result = compute(CASES.values(), None)
    assert (result.reported, result.merged) == (9, 1)
    assert (result.due_for_closure, result.due_for_handling) == (6, 6)
    assert (result.handled_on_time, result.signed) == (4, 5)
    assert result.sign_rate == 5 / 6
    assert result.valid_report_rate == 8 / 9  # 7 registered + 1 merged of 9 reports


def test_rates_with_a_zero_denominator_are_none_not_zero() -> None:
    rates = [key for key in JSON_KEYS if key.endswith(("_rate", "accuracy"))]
    for selection in ([], [CASES["refused"]]):
        doc = compute(selection, None).as_json()
        assert [doc[key] for key in rates] == [None] * len(rates)
    # deferred: nothing due, but its dispatch still counts for the dispatcher
    deferred = compute([CASES["deferred"]], None)
    assert deferred.closure_rate is None
    assert deferred.handling_rate is None
    assert deferred.dispatch_accuracy == 1.0


def test_a_granted_extension_moves_the_deadline_handling_is_judged_against() -> None:
    without = [e for e in CASES["extended"] if e.action is not A.GRANT_EXTENSION]
    refused_extension = history(
        "x",
        report(),
        step(0, A.REGISTER),
        dispatch(1, "w2", sign_by=6, handle_by=61),
        step(4, A.SIGN),
        step(50, A.REQUEST_EXTENSION, until=at(121)),
        step(55, A.REFUSE_EXTENSION, reason="no"),
        step(100, A.HANDLE),
        step(110, A.CLOSE),
    )
    assert compute([CASES["extended"]], None).closed_on_time == 1
    assert compute([without], None).handled_on_time == 0
    late = compute([refused_extension], None)
    assert (late.handled_on_time, late.closed_on_time, late.extensions) == (0, 0, 0)


def test_a_returned_case_is_signed_on_time_against_its_new_dispatch() -> None:
    result = compute([CASES["returned"]], None)
    assert (result.signed_on_time, result.dispatch_accuracy) == (1, 0.5)


def test_a_redispatch_waits_for_the_new_assignee_to_sign() -> None:
    pending = history(
        "pending",
        report(),
        step(0, A.REGISTER),
        dispatch(1, "w1", sign_by=6, handle_by=61),
        step(2, A.SIGN),
        step(3, A.RETURN, reason="not_in_remit"),
        dispatch(5, "w2", sign_by=10, handle_by=65),
    )
    result = compute([pending], None)
    assert (result.signed, result.signed_on_time) == (0, 0)


def test_a_deferred_case_returns_to_the_due_counts_when_resumed() -> None:
    resumed = history(
        "resumed",
        report(),
        step(0, A.REGISTER),
        dispatch(1, "w1", sign_by=6, handle_by=61),
        step(20, A.DEFER, reason="funds"),
        step(600, A.RESUME, sign_due=at(605), handle_due=at(700)),
        step(602, A.SIGN),
        step(690, A.CLOSE),
    )
    assert compute([CASES["deferred"]], None).due_for_closure == 0
    result = compute([resumed], None)
    assert (result.due_for_closure, result.closed_on_time, result.signed_on_time) == (1, 1, 1)


def test_a_reopened_case_is_open_again_counts_a_rework_and_awaits_a_new_rating() -> None:
    steps = [
        report(),
        step(0, A.REGISTER),
        dispatch(1, "w1", sign_by=6, handle_by=61),
        step(2, A.SIGN),
        step(30, A.HANDLE),
        step(40, A.CLOSE),
        step(50, A.RATE, rating="unsatisfied"),
        step(55, A.REOPEN, reason="handler"),
    ]
    reopened = compute([history("r", *steps)], None)
    assert (reopened.closed, reopened.reworks, reopened.rated) == (0, 1, 0)
    # re-handled after the deadline (61), then closed and rated again
    steps += [step(70, A.HANDLE), step(80, A.CLOSE), step(90, A.RATE, rating="satisfied")]
    again = compute([history("r", *steps)], None)
    assert (again.closed, again.closed_on_time, again.handled_on_time) == (1, 0, 0)
    assert (again.reworks, again.rated, again.satisfied) == (1, 1, 1)


def test_the_period_selects_by_report_time_and_judges_at_its_end() -> None:
    # on_time closes at 50: a period ending at 45 sees it handled but not yet closed
    early = compute([CASES["on_time"]], (at(0), at(45)))
    assert (early.registered, early.handled, early.closed) == (1, 1, 0)
    assert compute([CASES["on_time"]], (at(0), at(60))).closed == 1
    # half-open: a case reported exactly at the end, or before the start, is outside
    assert compute([CASES["on_time"]], (at(-10), at(0))).reported == 0
    assert compute([CASES["on_time"]], (at(1), at(100))).reported == 0


def test_a_refired_alert_already_on_the_case_counts_once() -> None:
    events = history(
        "s",
        report(channel="sensor", alerts=("a9", "a9")),
        step(0, A.REGISTER),
        step(5, A.LINK_ALERT, alert_id="a9"),
        step(6, A.LINK_ALERT, alert_id="b1"),
    )
    assert compute([events], None).warnings == 2


def test_alerts_absorbed_from_a_merged_case_count_with_the_surviving_case() -> None:
    events = history(
        "s",
        report(channel="sensor", alerts=("a1",)),
        step(0, A.REGISTER),
        step(3, A.ABSORB, reporter="r2", alert_ids=["a7"], **{"from": "m"}),
        dispatch(4, "w1", sign_by=9, handle_by=60),
        step(20, A.CLOSE),
    )
    result = compute([events], None)
    assert (result.warnings, result.warnings_closed) == (2, 2)


def test_alerts_of_a_non_sensor_case_are_not_warnings() -> None:
    events = history("h", report(channel="hotline", alerts=("a1",)), step(0, A.REGISTER))
    assert compute([events], None).warnings == 0
