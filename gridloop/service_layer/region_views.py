"""The district's regions and grids as a signed-in actor sees them, with their open cases."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from gridloop.domain.cases.actor import Actor
from gridloop.domain.reach import reaches_grid, reaches_region
from gridloop.domain.regions import District, Grid
from gridloop.service_layer.casework import CaseService
from gridloop.service_layer.ports import CaseFilter


@dataclass(frozen=True)
class GridLoad:
    grid: Grid
    open_cases: int
    overdue_cases: int


class RegionViews:
    def __init__(self, district: District, grids: Sequence[Grid]) -> None:
        self.district = district
        self.grids = sorted(grids, key=lambda g: g.code)

    def tree(self, actor: Actor) -> dict[str, object]:
        """district → streets → communities → grid codes, pruned to what the actor reaches."""
        streets = []
        for street in self.district.streets:
            if not reaches_region(actor, street.code):
                continue
            communities = []
            for c in street.communities:
                if not reaches_region(actor, c.code):
                    continue
                grids = [
                    {"code": g.code, "name": g.name}
                    for g in self.grids
                    if g.community_code == c.code and reaches_grid(actor, g.code)
                ]
                communities.append({"code": c.code, "name": c.name, "grids": grids})
            streets.append({"code": street.code, "name": street.name, "communities": communities})
        d = self.district
        return {"code": d.code, "name": d.name, "streets": streets}

    def grid_loads(self, actor: Actor, cases: CaseService, now_ms: int) -> list[GridLoad]:
        """The grids in reach with the counts of their open and overdue cases (those the actor
        may see)."""
        chosen = [g for g in self.grids if reaches_grid(actor, g.code)]
        if not chosen:
            return []
        open_ = Counter(s.grid_code for s in cases.find(CaseFilter(open_only=True), actor))
        late = Counter(s.grid_code for s in cases.find(CaseFilter(overdue_at=now_ms), actor))
        return [GridLoad(g, open_[g.code], late[g.code]) for g in chosen]
