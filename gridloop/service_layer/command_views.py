"""What a dispatcher works through on the command center: one grid at a glance, and the
queues of cases waiting for them (to place, to re-dispatch, to verify, to decide on an
extension)."""

from __future__ import annotations

from dataclasses import dataclass

from gridloop.domain.cases.actor import Actor
from gridloop.domain.cases.states import CaseState
from gridloop.domain.cases.summary import CaseSummary
from gridloop.domain.cases.workflow import DISPATCHERS
from gridloop.domain.reach import reaches_grid
from gridloop.domain.regions import Grid
from gridloop.service_layer.casework import CaseService
from gridloop.service_layer.device_status import DeviceStatus, DeviceStatusService
from gridloop.service_layer.ports import CaseFilter

PAGE = 500
QUEUE_LIMIT = 100


class GridOutOfReach(Exception):
    """A grid that does not exist or lies outside the actor's region (the same to callers)."""


@dataclass(frozen=True)
class GridPanel:
    grid: Grid
    community_name: str
    street_name: str
    workers: list[tuple[str, str]]  # (id, name)
    cases: list[CaseSummary]  # open ones
    devices: list[DeviceStatus]


@dataclass(frozen=True)
class Queues:
    unlocated: list[CaseSummary] | None  # None: the actor's role does not place requests
    returned: list[CaseSummary]
    awaiting_verification: list[CaseSummary]
    extensions: list[CaseSummary]


class CommandViews:
    def __init__(self, cases: CaseService, devices: DeviceStatusService, grids: list[Grid]) -> None:
        self.cases, self.devices = cases, devices
        self.grids = {g.code: g for g in grids}

    def grid_panel(self, actor: Actor, code: str, now: int) -> GridPanel:
        grid = self.grids.get(code)
        if grid is None or not reaches_grid(actor, code):
            raise GridOutOfReach(code)
        names = self.cases.directory.names
        workers = self.cases.directory.workers_of_grid.get(code, ())
        cases = self.cases.find(CaseFilter(grids=(code,), open_only=True), actor)
        devices: list[DeviceStatus] = []
        cursor: str | None = None
        while True:
            page, cursor = self.devices.page(lambda d: d.grid_code == code, now, cursor, PAGE)
            devices.extend(page)
            if cursor is None:
                break
        return GridPanel(
            grid,
            names.get(grid.community_code, grid.community_code),
            names.get(grid.street_code, grid.street_code),
            [(w, names.get(w, w)) for w in workers],
            cases,
            devices,
        )

    def queues(self, actor: Actor) -> Queues:
        def state(s: CaseState) -> list[CaseSummary]:
            return self.cases.find(CaseFilter(states=(s.value,), limit=QUEUE_LIMIT), actor)

        extendable = CaseFilter(states=(CaseState.SIGNED.value, CaseState.HANDLED.value))
        asked = [s for s in self.cases.find(extendable, actor) if s.extension_until is not None]
        unlocated = (
            self.cases.find(CaseFilter(unlocated=True, limit=QUEUE_LIMIT), actor)
            if actor.role in DISPATCHERS
            else None
        )
        return Queues(
            unlocated,
            state(CaseState.RETURNED),
            state(CaseState.AWAITING_VERIFICATION),
            asked[:QUEUE_LIMIT],
        )
