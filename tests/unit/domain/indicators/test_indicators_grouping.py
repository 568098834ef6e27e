"""Scopes select cases by where they were reported or who holds them; `by` splits them into rows."""

from __future__ import annotations

import pytest
from indicators_fixture import CASES
from indicators_support import at

from gridloop.domain.cases.indicators import JSON_KEYS, Dimension, Scope, compute

# street S2 holds reworked, returned and extended; all others are in S1. Latest assignee: w1 holds
# on_time, late, deferred, open; w2 holds reworked, returned (re-dispatched from w1) and extended;
# refused and merged were never dispatched.


def test_a_street_scope_keeps_the_cases_reported_in_that_street() -> None:
    result = compute(CASES.values(), None, Scope.parse("street:S2"))
    assert (result.reported, result.registered, result.closed, result.dispatches) == (3, 3, 3, 4)
    assert compute(CASES.values(), None, Scope.parse("grid:G2")) == result
    assert compute(CASES.values(), None, Scope.parse("community:C2")) == result


def test_a_worker_scope_keeps_the_cases_whose_latest_dispatch_is_theirs() -> None:
    w1 = compute(CASES.values(), None, Scope.parse("worker:w1"))
    w2 = compute(CASES.values(), None, Scope.parse("worker:w2"))
    assert (w1.registered, w1.due_for_closure, w1.closed) == (4, 3, 2)
    assert (w2.registered, w2.closed_on_time, w2.returns) == (3, 3, 1)


def test_the_district_scope_keeps_everything() -> None:
    assert compute(CASES.values(), None, Scope.parse("district")) == compute(CASES.values(), None)


@pytest.mark.parametrize("text", ["street", "street:", "county:X", "district:X", ""])
def test_a_malformed_scope_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="scope"):
        Scope.parse(text)


def test_grouping_by_worker_gives_sorted_rows_that_add_up_to_the_total() -> None:
    result = compute(CASES.values(), None, by=Dimension.WORKER)
    assert result.rows is not None
    assert [key for key, _ in result.rows] == ["-", "w1", "w2"]
    assert [row.registered for _, row in result.rows] == [0, 4, 3]
    assert sum(row.closed for _, row in result.rows) == result.closed == 5


def test_grouped_json_has_one_row_per_key_with_the_same_keys() -> None:
    doc = compute(CASES.values(), None, by=Dimension.CHANNEL).as_json()
    rows = doc["rows"]
    assert isinstance(rows, list)
    assert [row["key"] for row in rows] == ["hotline", "sensor"]
    assert all(list(row) == ["key", *JSON_KEYS] for row in rows)
    sensor = rows[1]
    assert (sensor["registered"], sensor["warnings"], sensor["warnings_closed"]) == (2, 3, 2)


def test_an_ungrouped_report_has_no_rows_key() -> None:
    assert "rows" not in compute(CASES.values(), None).as_json()


def test_grouping_applies_within_scope_and_period() -> None:
    result = compute(CASES.values(), (at(0), at(45)), Scope.parse("street:S2"), Dimension.WORKER)
    assert result.rows is not None
    # by minute 45 only returned (closed at 40) is closed; extended and reworked are still open
    assert [(key, row.registered, row.closed) for key, row in result.rows] == [("w2", 3, 1)]
