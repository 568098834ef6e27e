"""`gridloop doctor`: every problem of a database and its configuration, each with its fix.

The checks read and never write: a database whose schema is behind is reported, not migrated,
and its contents are then left unchecked (reading them would migrate it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum

from gridloop.domain.cases.routing import RoutingTable
from gridloop.domain.registry import DistrictRegistry
from gridloop.service_layer.case_policy import CasePolicy


class FindingKind(Enum):
    """What is wrong; `config` marks a configuration error (exit code 2)."""

    NO_DATABASE = "no_database", False
    UNREADABLE_DATABASE = "unreadable_database", False
    SCHEMA_BEHIND = "schema_behind", False
    SCHEMA_AHEAD = "schema_ahead", False
    NO_DISTRICT = "no_district", False
    CONFIG_ERROR = "config_error", True
    RULES_ERROR = "rules_error", True
    UNKNOWN_DEPARTMENT = "unknown_department", True
    UNCOVERED_FUNCTION = "uncovered_function", False
    GRIDS_WITHOUT_WORKER = "grids_without_worker", False
    WORKERS_WITHOUT_GRID = "workers_without_grid", False
    PARKED_OUTBOX = "parked_outbox", False

    def __init__(self, code: str, config: bool) -> None:
        self.code, self.config = code, config


@dataclass(frozen=True)
class Finding:
    kind: FindingKind
    subject: str = ""  # the one thing concerned: a function, a path, a count
    items: tuple[str, ...] = ()  # the many: grid codes, categories; (found, latest) versions
    detail: str = ""  # the checker's own words (a parser's message)


@dataclass(frozen=True)
class SchemaStatus:
    """What a database file is, read without changing it."""

    exists: bool
    version: int = 0
    latest: int = 0
    parked_outbox: int = 0  # outbox entries that failed every delivery attempt
    unreadable: str = ""  # why the file cannot be read as a gridloop database


@dataclass(frozen=True)
class DoctorChecks:
    """How the doctor reaches what it checks (wired by the caller; each may raise)."""

    db_path: str
    config_path: str  # where [routing] was read from ("" without a settings file)
    schema: Callable[[], SchemaStatus]
    registry: Callable[[], DistrictRegistry | None]
    settings_document: Callable[[], object]  # ValueError: the settings file will not parse
    policy: Callable[[], CasePolicy]  # ValueError: a bad [cases]/[sla]/[routing] value
    rules: Callable[[], object]  # ValueError: a bad rule parameter


def diagnose(checks: DoctorChecks) -> list[Finding]:
    """Every finding, configuration first, then the database and what it holds."""
    found: list[Finding] = []
    policy = _policy(checks, found)
    try:
        checks.rules()
    except ValueError as e:
        found.append(Finding(FindingKind.RULES_ERROR, detail=str(e)))
    registry = _registry(checks, found)
    if registry is None:
        return found
    if policy is not None:
        found += routing_findings(policy.routing, registry, checks.config_path)
    found += staffing_findings(registry)
    return found


def routing_findings(
    routing: RoutingTable, registry: DistrictRegistry, where: str = ""
) -> list[Finding]:
    """Department codes the table (read from `where`) names that the district lacks;
    functions nobody has."""
    known = {d.code for d in registry.departments}
    found = [
        Finding(FindingKind.UNKNOWN_DEPARTMENT, code, detail=where)
        for code in routing.unknown_departments(known)
    ]
    bound = routing.bind(registry.departments)
    for function in bound.uncovered_functions():
        categories = tuple(sorted(c for c, ts in routing.routes.items() if function in ts))
        found.append(Finding(FindingKind.UNCOVERED_FUNCTION, function, categories))
    return found


def staffing_findings(registry: DistrictRegistry) -> list[Finding]:
    """Grids no worker serves (their cases go to the community), workers of no known grid."""
    grids = {g.code for g in registry.grids}
    served = {g for w in registry.workers for g in w.grid_codes}
    found: list[Finding] = []
    idle = tuple(sorted(grids - served))
    if idle:
        found.append(Finding(FindingKind.GRIDS_WITHOUT_WORKER, str(len(idle)), idle))
    lost = tuple(sorted(w.id for w in registry.workers if not set(w.grid_codes) & grids))
    if lost:
        found.append(Finding(FindingKind.WORKERS_WITHOUT_GRID, str(len(lost)), lost))
    return found


def exit_code(findings: Sequence[Finding]) -> int:
    """0 all fine, 2 a configuration error, 1 any other problem."""
    if any(f.kind.config for f in findings):
        return 2
    return 1 if findings else 0


def _policy(checks: DoctorChecks, found: list[Finding]) -> CasePolicy | None:
    try:
        checks.settings_document()
        return checks.policy()
    except ValueError as e:
        found.append(Finding(FindingKind.CONFIG_ERROR, detail=str(e)))
        return None


def _registry(checks: DoctorChecks, found: list[Finding]) -> DistrictRegistry | None:
    schema = checks.schema()
    if not schema.exists:
        found.append(Finding(FindingKind.NO_DATABASE, checks.db_path))
        return None
    if schema.unreadable:
        found.append(
            Finding(FindingKind.UNREADABLE_DATABASE, checks.db_path, (), schema.unreadable)
        )
        return None
    versions = (str(schema.version), str(schema.latest))
    if schema.version > schema.latest:
        found.append(Finding(FindingKind.SCHEMA_AHEAD, checks.db_path, versions))
        return None
    if schema.parked_outbox:
        found.append(Finding(FindingKind.PARKED_OUTBOX, str(schema.parked_outbox)))
    if schema.version < schema.latest:
        found.append(Finding(FindingKind.SCHEMA_BEHIND, checks.db_path, versions))
        return None
    registry = checks.registry()
    if registry is None:
        found.append(Finding(FindingKind.NO_DISTRICT, checks.db_path))
    return registry
