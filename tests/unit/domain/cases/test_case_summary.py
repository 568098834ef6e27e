"""The read-side summary of a case: flags and times derived from its history alone."""

from __future__ import annotations

from case_support import COMMUNITY, DAY, MINUTE, T0, A, S, reach, report_payload, step

from gridloop.domain.cases.case import Case, merge_cases, open_case
from gridloop.domain.cases.events import Role
from gridloop.domain.cases.sla import Duration, Limit, Unit
from gridloop.domain.cases.summary import source_key, summarize

LIMIT = Limit(Duration(30, Unit.MINUTES), Duration(4, Unit.WORKING_HOURS))


def flags(case: Case) -> tuple[str, bool, bool]:
    s = summarize(case)
    return s.state, s.signed, s.handled


def test_a_dispatched_case_is_neither_signed_nor_handled() -> None:
    assert flags(reach(S.DISPATCHED)) == ("dispatched", False, False)


def test_signing_and_handling_set_their_flags_and_they_stay_set_to_the_close() -> None:
    assert flags(reach(S.SIGNED)) == ("signed", True, False)
    assert flags(reach(S.HANDLED)) == ("handled", True, True)
    assert flags(reach(S.AWAITING_VERIFICATION)) == ("awaiting_verification", True, True)
    assert flags(reach(S.CLOSED)) == ("closed", True, True)


def test_a_failed_verification_leaves_the_case_signed_but_no_longer_handled() -> None:
    case = reach(S.AWAITING_VERIFICATION)
    step(case, A.VERIFY_FAIL, note="not done")

    assert flags(case) == ("signed", True, False)


def test_a_case_deferred_after_signing_keeps_its_signed_flag() -> None:
    case = reach(S.SIGNED)
    step(case, A.DEFER, reason="waiting for funds")

    assert flags(case) == ("deferred", True, False)
    view = summarize(case).escalation_view(LIMIT)
    assert view is not None and view.deferred


def test_a_case_deferred_before_dispatch_is_not_signed_and_runs_no_clock() -> None:
    case = reach(S.DEFERRED)

    assert flags(case) == ("deferred", False, False)
    assert summarize(case).escalation_view(LIMIT) is None


def test_closed_at_is_the_close_even_after_a_later_rating() -> None:
    case = reach(S.CLOSED)
    closed_at = case.history[-1].at
    step(case, A.RATE, rating="basically_satisfied")

    s = summarize(case)
    assert (s.closed_at, s.rating) == (closed_at, "basically_satisfied")
    assert s.updated_at == case.history[-1].at > closed_at
    assert summarize(reach(S.VERIFIED)).closed_at is None


def test_a_reopened_case_has_no_closure_and_no_rating() -> None:
    case = reach(S.CLOSED)
    step(case, A.RATE, rating="unsatisfied")
    step(case, A.REOPEN, reason="handler at fault")

    s = summarize(case)
    assert (s.state, s.closed_at, s.rating, s.handled) == ("signed", None, None, False)


def test_the_last_escalation_counts_from_the_deadline_it_records() -> None:
    case = reach(S.DISPATCHED)
    assert summarize(case).last_escalated_at is None
    due = case.history[-1].at + 30 * MINUTE
    step(case, A.ESCALATE, level="community", step="sign", due_at=due)
    step(case, A.ESCALATE, level="street", step="sign", due_at=due + 30 * MINUTE)

    s = summarize(case)
    assert (s.escalation_level, s.last_escalated_at) == ("street", due + 30 * MINUTE)
    assert s.last_escalated_at != case.history[-1].at


def test_an_escalation_without_due_at_counts_from_when_it_was_recorded() -> None:
    case = reach(S.SIGNED)
    step(case, A.ESCALATE, level="community")

    assert summarize(case).last_escalated_at == case.history[-1].at


def test_a_pending_extension_shows_the_deadline_asked_for_until_decided() -> None:
    case = reach(S.SIGNED)
    assert case.handle_due is not None
    until = case.handle_due + DAY
    step(case, A.REQUEST_EXTENSION, until=until, reason="needs the property manager")
    assert summarize(case).extension_until == until

    step(case, A.GRANT_EXTENSION, handle_due=until)
    s = summarize(case)
    assert (s.extension_until, s.handle_due) == (None, until)


def test_a_case_knows_its_places_reporters_alerts_and_length() -> None:
    survivor = reach(S.DISPATCHED)
    duplicate = open_case(
        "c2", report_payload(reporter="r2", alert_ids=["a2"]), "r2", Role.RESIDENT, T0
    )
    merge_cases(duplicate, survivor, "sys", Role.SYSTEM, survivor.history[-1].at + MINUTE)

    s = summarize(survivor)
    assert (s.grid_code, s.community_code, s.street_code) == (
        COMMUNITY + "003",
        COMMUNITY,
        COMMUNITY[:9],
    )
    assert (s.reporters, s.alert_ids, s.seq) == (("r1", "r2"), ("a1", "a2"), len(survivor.history))
    assert (s.assignee, s.assignee_kind, s.departments) == ("w1", "worker", ())
    assert summarize(duplicate).merged_into == survivor.case_id


def test_an_alert_case_is_found_by_its_device_and_rule() -> None:
    payload = report_payload(device_id="GAS-000001", rule="gas_detector.gas_leak")
    alert_case = open_case("c3", payload, "sys", Role.SYSTEM, T0)

    assert summarize(alert_case).source_key == source_key("GAS-000001", "gas_detector.gas_leak")
    assert summarize(reach(S.REPORTED)).source_key is None


def test_the_escalation_view_carries_the_deadlines_and_flags() -> None:
    case = reach(S.SIGNED)
    step(case, A.ESCALATE, level="community", due_at=case.history[-1].at)

    view = summarize(case).escalation_view(LIMIT)
    assert view is not None
    assert (view.sign_due, view.handle_due) == (case.sign_due, case.handle_due)
    assert (view.signed, view.handled, view.deferred) == (True, False, False)
    assert (view.escalation_level, view.limit) == ("community", LIMIT)
