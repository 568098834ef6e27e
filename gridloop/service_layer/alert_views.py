"""Which alerts a signed-in actor may list: those of grids in their reach (a department: those
of the cases routed to it)."""

from __future__ import annotations

from collections.abc import Sequence

from gridloop.domain.cases.actor import Actor
from gridloop.domain.cases.events import Role
from gridloop.domain.reach import reaches_grid
from gridloop.service_layer.casework import CaseService
from gridloop.service_layer.ports import AlertRow, CaseFilter


def visible_alerts(
    rows: Sequence[AlertRow], actor: Actor, cases: CaseService | None
) -> list[AlertRow]:
    if actor.role is not Role.DEPARTMENT:
        return [a for a in rows if reaches_grid(actor, a.grid_code)]
    linked = tuple(sorted({a.case_id for a in rows if a.case_id}))
    if cases is None or not linked:
        return []
    theirs = {s.case_id for s in cases.find(CaseFilter(case_ids=linked), actor)}
    return [a for a in rows if a.case_id in theirs]
