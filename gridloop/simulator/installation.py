"""Devices installed as each kind's `Placement` declares, whatever kinds the catalog holds."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from gridloop.domain.devices.device import Device
from gridloop.domain.devices.kind import AttrSpec, DeviceKind, PlacedPer
from gridloop.domain.people import Resident, ResidentTag
from gridloop.simulator.geography import Tiling
from gridloop.simulator.housing import Housing, SimBuilding, points_in

POLE_SHARE = 0.5  # community devices standing on their own pole rather than on a roof


@dataclass(frozen=True)
class Site:
    """Where the devices of one placement unit go: one or more buildings, or a bare point."""

    buildings: tuple[SimBuilding, ...]
    point: tuple[float, float] | None = None
    grid: str = ""  # the grid of a bare point
    attrs: tuple[tuple[str, object], ...] = ()


def install(
    kinds: Iterable[DeviceKind],
    tiling: Tiling,
    housing: Housing,
    residents: list[Resident],
    rng: np.random.Generator,
) -> list[Device]:
    """Every kind's devices: `share` of its placement units, `count` devices each."""
    homes = [b for b in housing.buildings if b.building.households > 0]
    devices: list[Device] = []
    for kind in kinds:
        placement = kind.placement
        sites = _sites(placement.per, tiling, homes, residents, rng)
        # At least one of every kind, so even the tiny district exercises each kind's rules.
        wanted = max(1, round(placement.share * len(sites))) if placement.share > 0 else 0
        n = min(len(sites), wanted)
        chosen = np.sort(rng.choice(len(sites), size=n, replace=False)).tolist()
        serial = 0
        for s in chosen:
            site = sites[s]
            for k in range(placement.count):
                serial += 1
                devices.append(_device(kind, f"{kind.id_prefix}-{serial:06d}", site, k, rng))
    return devices


def _device(
    kind: DeviceKind, device_id: str, site: Site, k: int, rng: np.random.Generator
) -> Device:
    attrs: dict[str, object] = dict(site.attrs)
    choices = kind.placement.attr_choices
    for name in sorted(choices):
        options = choices[name]
        attrs[name] = options[int(rng.integers(len(options)))]
    for spec in kind.attrs:
        if spec.required and spec.name not in attrs:
            attrs[spec.name] = _fallback(spec)
    if site.point is not None:
        return Device(device_id, kind.code, "", site.point[0], site.point[1], attrs, site.grid)
    home = site.buildings[k % len(site.buildings)].building
    return Device(device_id, kind.code, home.code, home.lon, home.lat, attrs, home.grid_code)


def _fallback(spec: AttrSpec) -> object:
    """A value for a required attribute the kind offers no choices for."""
    if spec.type is bool:
        return False
    if spec.type is str:
        return ""
    low = spec.low if spec.low is not None else 0
    return int(low) if spec.type is int else float(low)


def _sites(
    per: PlacedPer,
    tiling: Tiling,
    homes: list[SimBuilding],
    residents: list[Resident],
    rng: np.random.Generator,
) -> list[Site]:
    """The placement units of `per`, in code order."""
    if per is PlacedPer.BUILDING:
        return [Site((b,)) for b in homes]
    if per is PlacedPer.COMPOUND:
        compounds: dict[tuple[str, str], list[SimBuilding]] = {}
        for b in homes:
            if b.building.compound:
                key = (b.building.grid_code, b.building.compound)
                compounds.setdefault(key, []).append(b)
        return [Site(tuple(compounds[key])) for key in sorted(compounds)]
    if per is PlacedPer.COMMUNITY:
        return _community_sites(tiling, homes, rng)
    if per is PlacedPer.ELDERLY_RESIDENT:
        by_code = {b.building.code: b for b in homes}
        return [
            Site((by_code[r.building_code],), attrs=(("resident_id", r.id),))
            for r in residents
            if ResidentTag.ELDERLY_ALONE in r.tags
        ]
    raise ValueError(f"the simulator cannot place devices per {per!r}")


def _community_sites(
    tiling: Tiling, homes: list[SimBuilding], rng: np.random.Generator
) -> list[Site]:
    """One site per community: a pole inside it, or the roof of one of its buildings."""
    by_community: dict[str, list[SimBuilding]] = {}
    for b in homes:
        by_community.setdefault(b.community_code, []).append(b)
    sites: list[Site] = []
    for community in tiling.communities():
        buildings = by_community.get(community.code, [])
        grids = [g for g in community.grids if g.facility is None]
        if rng.random() < POLE_SHARE or not buildings:
            grid = grids[int(rng.integers(len(grids)))]
            lon, lat = points_in(grid.geom, 1, rng)[0].tolist()
            sites.append(Site((), point=(lon, lat), grid=grid.code))
        else:
            sites.append(Site((buildings[int(rng.integers(len(buildings)))],)))
    return sites
