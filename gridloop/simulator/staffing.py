"""Grid workers, staffed "1+3+N": one full-time worker per grid and several part-timers."""

from __future__ import annotations

import numpy as np
import shapely

from gridloop.domain.people import Employment, GridWorker
from gridloop.simulator.geography import GridPlan, Tiling
from gridloop.simulator.names import Generation, NameBank
from gridloop.simulator.presets import Preset

SHARED_SHARE = 0.3  # of neighbouring pairs in a community, how many share a part-timer


def build_workers(tiling: Tiling, preset: Preset, rng: np.random.Generator) -> list[GridWorker]:
    """Workers in grid code order: each grid's full-timer, then its part-timers."""
    grids = tiling.grids()
    low, high = preset.part_timers_per_grid
    slots = rng.integers(low, high + 1, size=len(grids)).tolist()
    shared = _shared_pairs(grids, slots, rng)
    teams: list[tuple[tuple[str, ...], Employment]] = []
    for i, grid in enumerate(grids):
        teams.append(((grid.code,), Employment.FULL_TIME))
        teams += [((grid.code, grids[j].code), Employment.PART_TIME) for j in shared.get(i, [])]
        teams += [((grid.code,), Employment.PART_TIME)] * slots[i]
    names = NameBank(rng).people([Generation.ADULT] * len(teams))
    phones = NameBank(rng).mobiles(len(teams))
    return [
        GridWorker(f"W{n:06d}", name, phone, codes, employment)
        for n, ((codes, employment), name, phone) in enumerate(
            zip(teams, names, phones, strict=True), start=1
        )
    ]


def _shared_pairs(
    grids: list[GridPlan], slots: list[int], rng: np.random.Generator
) -> dict[int, list[int]]:
    """Lower grid index → partners sharing one part-timer; each shared slot is taken from both."""
    geoms = np.asarray([g.geom for g in grids], dtype=object)
    left, right = shapely.STRtree(geoms).query(geoms, predicate="touches")
    same = [
        (a, b)
        for a, b in zip(left.tolist(), right.tolist(), strict=True)
        if a < b and grids[a].code[:12] == grids[b].code[:12]
    ]
    same.sort()
    shared: dict[int, list[int]] = {}
    taken = [False] * len(grids)
    for k in rng.permutation(len(same)).tolist():
        a, b = same[k]
        if taken[a] or taken[b] or rng.random() >= SHARED_SHARE:
            continue
        taken[a] = taken[b] = True
        slots[a] -= 1
        slots[b] -= 1
        shared.setdefault(a, []).append(b)
    return shared
