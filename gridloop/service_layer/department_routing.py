"""The routing table bound to the district's departments, checked once when the loop starts."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace

from gridloop.domain.cases.routing import FUNCTIONS, RoutingTable
from gridloop.domain.people import Department
from gridloop.service_layer.case_policy import CasePolicy

log = logging.getLogger("gridloop.cases")


def unknown_targets_problem(routing: RoutingTable, departments: Sequence[Department]) -> str:
    """Why the table cannot be used with these departments ("" when it can)."""
    unknown = routing.unknown_departments({d.code for d in departments})
    if not unknown:
        return ""
    return (
        f"routing names unknown departments {unknown}: neither a department function "
        f"({', '.join(sorted(FUNCTIONS))}) nor a department code of the registry"
    )


def routed_to(policy: CasePolicy, departments: Sequence[Department]) -> CasePolicy:
    """`policy` routing to `departments` by function; ValueError for a code the registry
    lacks. Functions no department has are logged once: their cases go to the grid only."""
    why = unknown_targets_problem(policy.routing, departments)
    if why:
        raise ValueError(why)
    routing = policy.routing.bind(departments)
    uncovered = routing.uncovered_functions()
    if uncovered:
        log.warning(
            "no department has the function(s) %s: their cases go to the grid only"
            " (give a department the function in departments.csv, column functions)",
            ", ".join(uncovered),
        )
    return replace(policy, routing=routing)
