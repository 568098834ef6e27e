"""Micro-benchmark of GridIndex.locate_many over a synthetic tiling of grids."""

from __future__ import annotations

import math
import time

import numpy as np

from gridloop.adapters.spatial_index import GridIndex
from gridloop.domain.geometry import Area
from gridloop.domain.regions import Grid

# A ~30 km square near Xining; each cell is a few hundred metres across, like a real grid.
ORIGIN = (101.60, 36.50)
EXTENT_DEG = 0.30


def synthetic_grids(n_grids: int, seed: int) -> list[Grid]:
    """About n_grids quadrilaterals tiling a square: a lattice with jittered inner corners."""
    side = max(1, math.ceil(math.sqrt(n_grids)))
    rng = np.random.default_rng(seed)
    step = EXTENT_DEG / side
    xs, ys = np.meshgrid(np.arange(side + 1) * step, np.arange(side + 1) * step, indexing="ij")
    # Jitter only inner corners so neighbours still share edges and the outline stays square.
    jitter = rng.uniform(-0.3 * step, 0.3 * step, size=(2, side - 1, side - 1))
    xs[1:-1, 1:-1] += jitter[0]
    ys[1:-1, 1:-1] += jitter[1]
    xs += ORIGIN[0]
    ys += ORIGIN[1]
    grids: list[Grid] = []
    for n in range(n_grids):
        i, j = divmod(n, side)
        corners = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1), (i, j)]
        ring = tuple((float(xs[a, b]), float(ys[a, b])) for a, b in corners)
        code = f"630104{n:09d}"
        grids.append(
            Grid(
                code=code,
                name=f"grid {n}",
                community_code=code[:12],
                area=Area(((ring,),)),
            )
        )
    return grids


def bench_lookups(n_points: int, n_grids: int, seed: int) -> dict[str, float | int]:
    """Time locate_many for n_points random points over n_grids grids (index build excluded)."""
    grids = synthetic_grids(n_grids, seed)
    started = time.perf_counter()
    index = GridIndex.build(grids)
    build_seconds = time.perf_counter() - started
    rng = np.random.default_rng(seed + 1)
    # Slightly wider than the tiling so some points fall outside every grid, as in real feeds.
    margin = 0.01 * EXTENT_DEG
    lons = rng.uniform(ORIGIN[0] - margin, ORIGIN[0] + EXTENT_DEG + margin, n_points)
    lats = rng.uniform(ORIGIN[1] - margin, ORIGIN[1] + EXTENT_DEG + margin, n_points)
    started = time.perf_counter()
    codes = index.locate_many(lons, lats)
    seconds = time.perf_counter() - started
    return {
        "points": n_points,
        "grids": n_grids,
        "seconds": seconds,
        "lookups_per_s": n_points / seconds if seconds > 0 else float("inf"),
        "build_seconds": build_seconds,
        "outside": sum(code is None for code in codes),
    }


if __name__ == "__main__":
    print(bench_lookups(1_000_000, 10_000, seed=1))
