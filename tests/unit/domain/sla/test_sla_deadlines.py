"""Deadlines from the SLA policy: wall-clock emergencies, working-time limits, overrides, config."""

from __future__ import annotations

import pytest
from sla_support import CN_2026, at, shown

from gridloop.domain.calendar import WorkCalendar
from gridloop.domain.cases.sla import DEFAULT_POLICY, Duration, Override, SlaPolicy, Unit, deadlines
from gridloop.domain.devices.rules import Severity


def due(severity: Severity, category: str | None, dispatched_at: int) -> tuple[str, str]:
    sign, handle = deadlines(DEFAULT_POLICY, CN_2026, severity, category, dispatched_at)
    return shown(sign), shown(handle)


def test_a_critical_alert_runs_on_the_wall_clock_even_at_3am_on_a_sunday() -> None:
    sunday_3am = at(2026, 3, 8, 3)
    assert due(Severity.CRITICAL, None, sunday_3am) == (
        shown(at(2026, 3, 8, 3, 5)),
        shown(at(2026, 3, 8, 3, 30)),
    )


def test_a_critical_alert_on_a_public_holiday_is_still_due_in_minutes() -> None:
    national_day = at(2026, 10, 1, 22, 50)
    assert due(Severity.CRITICAL, None, national_day) == (
        shown(at(2026, 10, 1, 22, 55)),
        shown(at(2026, 10, 1, 23, 20)),
    )


def test_a_major_alert_is_signed_within_30_minutes_and_handled_within_4_hours() -> None:
    assert due(Severity.MAJOR, None, at(2026, 3, 7, 22)) == (
        shown(at(2026, 3, 7, 22, 30)),
        shown(at(2026, 3, 8, 2)),
    )


def test_a_minor_case_from_a_friday_afternoon_before_qingming_gets_3_working_days() -> None:
    # Friday 3 April 15:00; 4–6 April are off, so the three days are Fri (rest), Tue, Wed, Thu.
    assert due(Severity.MINOR, None, at(2026, 4, 3, 15)) == (
        shown(at(2026, 4, 3, 19)),  # signing is 4 wall-clock hours
        shown(at(2026, 4, 9, 15)),
    )


def test_a_minor_case_before_spring_festival_counts_the_make_up_saturday() -> None:
    # Friday 13 February 15:00; Saturday 14 works, 15–23 February are off.
    _, handle = due(Severity.MINOR, None, at(2026, 2, 13, 15))
    assert handle == shown(at(2026, 2, 25, 15))


def test_a_category_limit_beats_the_severity_limit() -> None:
    # A complaint keeps its severity's signing time but has 10 working days to be handled.
    assert due(Severity.CRITICAL, "complaint", at(2026, 3, 2, 10)) == (
        shown(at(2026, 3, 2, 10, 5)),
        shown(at(2026, 3, 16, 10)),
    )
    # An enquiry overrides both steps: 1 working hour to sign, 3 working days to answer.
    assert due(Severity.MINOR, "enquiry", at(2026, 3, 6, 17, 30)) == (
        shown(at(2026, 3, 9, 9, 30)),
        shown(at(2026, 3, 11, 17, 30)),
    )


def test_exposed_garbage_reported_late_on_friday_is_due_by_monday_noon() -> None:
    _, handle = due(Severity.MINOR, "exposed_garbage", at(2026, 3, 6, 17))
    assert handle == shown(at(2026, 3, 9, 12))


def test_an_unknown_category_falls_back_to_the_severity() -> None:
    assert DEFAULT_POLICY.limit_for(Severity.MAJOR, "not_configured") == DEFAULT_POLICY.limit_for(
        Severity.MAJOR
    )


def test_signing_is_never_due_after_handling() -> None:
    quick = SlaPolicy(category={"blocked_exit": Override(handle=Duration(20, Unit.MINUTES))})
    sign, handle = deadlines(quick, CN_2026, Severity.MINOR, "blocked_exit", at(2026, 3, 2, 10))
    assert sign == handle == at(2026, 3, 2, 10, 20)


def test_configuration_adds_categories_and_changes_single_steps() -> None:
    policy = DEFAULT_POLICY.merged(
        {
            "severity": {"minor": {"handle": "5 working_days"}},
            "category": {
                "complaint": {"handle": "13 working_days"},
                "noise": {"sign": "2 working_hours"},
            },
        }
    )
    minor = policy.limit_for(Severity.MINOR)
    assert minor.sign == Duration(240, Unit.MINUTES)  # untouched
    assert minor.handle == Duration(5, Unit.WORKING_DAYS)
    assert policy.limit_for(Severity.MINOR, "complaint").handle == Duration(13, Unit.WORKING_DAYS)
    assert policy.limit_for(Severity.MINOR, "noise").sign == Duration(2, Unit.WORKING_HOURS)
    assert DEFAULT_POLICY.limit_for(Severity.MINOR).handle == Duration(3, Unit.WORKING_DAYS)


@pytest.mark.parametrize(
    ("config", "names"),
    [
        (
            {"category": {"complaint": {"handle": "10 days"}}},
            ["sla.category.complaint.handle", "'10 days'"],
        ),
        ({"category": {"complaint": {"handle": 10}}}, ["sla.category.complaint.handle", "10"]),
        ({"category": {"complaint": {"fix": "1 working_days"}}}, ["sla.category.complaint.fix"]),
        ({"severity": {"urgent": {"sign": "5 minutes"}}}, ["sla.severity.urgent", "'urgent'"]),
        ({"severity": {"major": {"sign": "0 minutes"}}}, ["sla.severity.major.sign", "positive"]),
        (
            {"severity": {"minor": {"handle": "1.5 working_days"}}},
            ["sla.severity.minor.handle", "1.5"],
        ),
        ({"severities": {}}, ["sla.severities"]),
    ],
    ids=[
        "bad-unit",
        "not-text",
        "unknown-step",
        "unknown-severity",
        "zero",
        "half-day",
        "misspelt",
    ],
)
def test_bad_configuration_is_refused_naming_the_key_and_value(
    config: dict[str, object], names: list[str]
) -> None:
    with pytest.raises(ValueError) as caught:
        DEFAULT_POLICY.merged(config)
    for name in names:
        assert name in str(caught.value)


def test_a_policy_must_cover_every_severity() -> None:
    with pytest.raises(ValueError, match="critical"):
        SlaPolicy(severity={Severity.MINOR: DEFAULT_POLICY.limit_for(Severity.MINOR)})


def test_working_time_limits_need_a_calendar_but_minutes_do_not() -> None:
    assert Duration(5, Unit.MINUTES).after(at(2026, 3, 2, 10), None) == at(2026, 3, 2, 10, 5)
    with pytest.raises(ValueError, match="calendar"):
        Duration(1, Unit.WORKING_DAYS).after(at(2026, 3, 2, 10), None)


def test_durations_read_from_text() -> None:
    assert Duration.parse("4 working_hours") == Duration(4, Unit.WORKING_HOURS)
    assert str(Duration.parse("30 minutes")) == "30 minutes"
    assert Duration(2, Unit.WORKING_DAYS).after(at(2026, 3, 6, 10), WorkCalendar()) == at(
        2026, 3, 10, 10
    )
