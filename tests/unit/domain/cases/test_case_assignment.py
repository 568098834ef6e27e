"""Whom a case goes to: the least-loaded worker of its grid, else its community."""

from __future__ import annotations

import pytest

from gridloop.domain.cases.assignment import Assignment, NowhereToDispatch, choose_assignee
from gridloop.domain.cases.states import AssigneeKind

COMMUNITY = "630199001001"
WORKERS = ("W000001", "W000002", "W000003")


def test_the_worker_with_the_fewest_open_cases_gets_it() -> None:
    chosen = choose_assignee(WORKERS, {"W000001": 3, "W000002": 1, "W000003": 2}, COMMUNITY)

    assert chosen == Assignment("W000002", AssigneeKind.WORKER)


def test_a_worker_missing_from_the_load_has_no_open_case() -> None:
    chosen = choose_assignee(WORKERS, {"W000001": 1, "W000002": 1}, COMMUNITY)

    assert chosen.assignee == "W000003"


def test_a_tie_goes_to_the_smallest_id_whatever_the_order_given() -> None:
    load = {"W000001": 2, "W000002": 1, "W000003": 1}

    assert choose_assignee(("W000003", "W000002", "W000001"), load, COMMUNITY).assignee == "W000002"
    assert choose_assignee(WORKERS, {}, COMMUNITY).assignee == "W000001"


def test_a_worker_of_the_grid_who_reported_it_keeps_it_even_when_busier() -> None:
    chosen = choose_assignee(WORKERS, {"W000003": 9}, COMMUNITY, prefer="W000003")

    assert chosen == Assignment("W000003", AssigneeKind.WORKER)


def test_a_preferred_worker_of_another_grid_is_ignored() -> None:
    chosen = choose_assignee(WORKERS, {}, COMMUNITY, prefer="W000099")

    assert chosen.assignee == "W000001"


def test_a_grid_without_workers_sends_the_case_to_its_community() -> None:
    chosen = choose_assignee((), {}, COMMUNITY, departments=("D04",), prefer="W000001")

    assert chosen == Assignment(COMMUNITY, AssigneeKind.COMMUNITY, ("D04",))


def test_routed_departments_join_the_assignee_once_each_in_order() -> None:
    chosen = choose_assignee(WORKERS, {}, COMMUNITY, departments=("D03", "D02", "D03"))

    assert chosen.departments == ("D03", "D02")
    assert chosen.kind is AssigneeKind.WORKER


@pytest.mark.parametrize("community", [None, ""])
def test_no_worker_and_no_community_is_nowhere_to_dispatch(community: str | None) -> None:
    with pytest.raises(NowhereToDispatch, match="no worker and no community"):
        choose_assignee((), {"W000001": 0}, community)


def test_the_dispatch_payload_carries_the_assignment_and_its_deadlines() -> None:
    assignment = Assignment(COMMUNITY, AssigneeKind.COMMUNITY, ("D04",))

    assert assignment.payload(100, 200) == {
        "assignee": COMMUNITY,
        "assignee_kind": "community",
        "departments": ["D04"],
        "sign_due": 100,
        "handle_due": 200,
    }
