"""Reports for a signed-in actor: the scope asked for, if within their region, else theirs."""

from __future__ import annotations

from gridloop.domain.cases.actor import Actor
from gridloop.domain.cases.indicators import Dimension, Report, Scope
from gridloop.domain.reach import checked_scope
from gridloop.service_layer.casework import CaseService
from gridloop.service_layer.reporting import Period, build_report


def report_for(
    actor: Actor,
    cases: CaseService,
    period: Period,
    asked: Scope | None,
    by: Dimension | None,
) -> tuple[Scope, Report]:
    """The indicators of `asked` (default: the actor's own region); ScopeNotAllowed when the
    scope lies outside it."""
    grids = cases.directory.grids_of_worker
    scope = checked_scope(actor, asked, lambda worker: grids.get(worker, ()))
    return scope, build_report(cases.store.histories(), period, scope, by)
