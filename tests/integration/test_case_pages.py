"""Paging through cases in real SQLite: a keyset cursor on any sort (deadlines may be NULL),
a department's cases filtered after the store, and the cases naming an attachment."""

from __future__ import annotations

from pathlib import Path

import pytest
from casework_support import (
    BUILDING,
    HOUR,
    OTHER_BUILDING,
    OUTSIDE,
    beijing,
    district_app,
    hotline,
    worker,
)

from gridloop.domain.cases.actor import Actor
from gridloop.domain.cases.events import Action, Role
from gridloop.domain.cases.summary import CaseSummary
from gridloop.service_layer.casework import CaseService, NewReport
from gridloop.service_layer.ports import CaseFilter

BOSS = Actor("boss", Role.DISTRICT_ADMIN)
T0 = beijing("2026-11-20T10:00")


@pytest.fixture
def service(tmp_path: Path, tiny_dir: Path) -> CaseService:
    service = district_app(tmp_path, tiny_dir).case_service()
    # reported out of allocation order, some in a department's remit, one without a place
    for n, hours in enumerate((5, 1, 3, 0, 4, 2)):
        category = "gas_detector.gas_leak" if n % 3 == 0 else f"litter_{n}"
        building = BUILDING if n % 2 else OTHER_BUILDING
        hotline(service, T0 + hours * HOUR, building, category)
    lon, lat = OUTSIDE
    unlocated = NewReport("hotline", "litter", lon=lon, lat=lat, queue_unlocated=True)
    service.report(unlocated, BOSS, T0 + 6 * HOUR)
    return service


def walk(service: CaseService, f: CaseFilter, actor: Actor, size: int) -> list[CaseSummary]:
    seen: list[CaseSummary] = []
    while True:
        page, more = service.page(f, actor, size)
        seen += page
        if not more:
            return seen
        last = page[-1]
        f = CaseFilter(
            sort=f.sort, descending=f.descending, after=(getattr(last, f.sort), last.case_id)
        )


@pytest.mark.parametrize("sort", ["reported_at", "updated_at", "handle_due", "sign_due", "case_id"])
@pytest.mark.parametrize("descending", [False, True])
def test_pages_follow_the_whole_lists_order_on_every_sort(
    service: CaseService, sort: str, descending: bool
) -> None:
    first = service.store.find(CaseFilter(case_ids=("C00000001",)))[0]
    service.act(first.case_id, Action.SIGN, worker(service, first.assignee or ""), T0 + 9 * HOUR)
    f = CaseFilter(sort=sort, descending=descending)
    whole = [s.case_id for s in service.find(f, BOSS)]
    assert len(whole) == 7
    for size in (1, 2, 3, 7):
        assert [s.case_id for s in walk(service, f, BOSS, size)] == whole


def test_a_departments_pages_are_full_though_the_store_cannot_narrow_them(
    service: CaseService,
) -> None:
    gas = Actor("gas", Role.DEPARTMENT, region="D04")
    routed = [s.case_id for s in service.find(CaseFilter(), gas)]
    assert len(routed) == 2
    page, more = service.page(CaseFilter(), gas, 1)
    assert ([s.case_id for s in page], more) == (routed[:1], True)
    assert [s.case_id for s in walk(service, CaseFilter(), gas, 1)] == routed


def test_the_store_finds_the_cases_whose_handling_names_an_attachment(
    service: CaseService,
) -> None:
    sha = "ab" * 32
    case = service.store.find(CaseFilter(case_ids=("C00000002",)))[0]
    holder = worker(service, case.assignee or "")
    service.act(case.case_id, Action.SIGN, holder, T0 + 8 * HOUR)
    service.act(case.case_id, Action.HANDLE, holder, T0 + 9 * HOUR, {"attachments": [sha]})
    assert service.store.cases_with_attachment(sha) == [case.case_id]
    assert service.store.cases_with_attachment("cd" * 32) == []
