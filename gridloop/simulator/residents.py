"""The residents each grid keeps on file (重点人群台账), with realistic shares of each tag."""

from __future__ import annotations

import numpy as np

from gridloop.domain.people import Resident, ResidentTag
from gridloop.simulator.housing import Housing, SimBuilding
from gridloop.simulator.names import Generation, NameBank
from gridloop.simulator.presets import Preset

T = ResidentTag
# The first tag a resident is on file for; None: kept on file without a vulnerable-group tag.
PRIMARY: tuple[tuple[ResidentTag | None, float], ...] = (
    (T.ELDERLY_ALONE, 0.20),
    (T.ELDERLY, 0.25),
    (T.DISABLED, 0.05),
    (T.HARDSHIP, 0.045),
    (T.PARTY_MEMBER, 0.075),
    (T.CHILD_LEFT_BEHIND, 0.03),
    (T.VETERAN, 0.03),
    (None, 0.32),
)
# A second tag, for SECOND_SHARE of the adults: an elderly party member, a disabled veteran...
SECOND: tuple[tuple[ResidentTag, float], ...] = (
    (T.DISABLED, 0.25),
    (T.HARDSHIP, 0.35),
    (T.PARTY_MEMBER, 0.25),
    (T.VETERAN, 0.15),
)
SECOND_SHARE = 0.15
LANDLINE_SHARE = 0.15  # elderly people living alone often give the flat's landline (0971: Xining)
OLD = (T.ELDERLY_ALONE, T.ELDERLY)


def build_residents(housing: Housing, preset: Preset, rng: np.random.Generator) -> list[Resident]:
    """Residents of every residential grid, about one per `households_per_resident` households."""
    homes = _homes(housing, preset, rng)
    n = len(homes)
    names = NameBank(rng)
    tags = _tags(n, rng)
    generations = [
        Generation.OLD
        if t and t[0] in OLD
        else Generation.CHILD
        if t and t[0] is T.CHILD_LEFT_BEHIND
        else Generation.ADULT
        for t in tags
    ]
    people = names.people(generations)
    contacts = [f"{r} {p}" for r, p in zip(names.relatives(people), names.mobiles(n), strict=True)]
    phones = names.mobiles(n)
    landline = (rng.random(n) < LANDLINE_SHARE).tolist()
    landline_tails = rng.integers(5_000_000, 8_999_999, size=n).tolist()
    rooms = _rooms(homes, rng)
    residents: list[Resident] = []
    for i, home in enumerate(homes):
        tag = tags[i]
        if generations[i] is Generation.CHILD:
            phone = ""  # a child has no phone of its own; the contact is the guardian
        elif tag and tag[0] is T.ELDERLY_ALONE and landline[i]:
            phone = f"0971-{landline_tails[i]}"
        else:
            phone = phones[i]
        residents.append(
            Resident(
                id=f"R{i + 1:07d}",
                name=people[i],
                building_code=home.building.code,
                room=rooms[i],
                phone=phone,
                tags=tag,
                emergency_contact=contacts[i],
            )
        )
    return residents


def _homes(housing: Housing, preset: Preset, rng: np.random.Generator) -> list[SimBuilding]:
    """One building per resident, grid by grid, larger buildings more often."""
    by_grid: dict[str, list[SimBuilding]] = {}
    for b in housing.buildings:
        if b.building.households > 0:
            by_grid.setdefault(b.building.grid_code, []).append(b)
    homes: list[SimBuilding] = []
    for code in sorted(by_grid):
        buildings = by_grid[code]
        sizes = np.array([b.building.households for b in buildings], dtype=np.float64)
        n = round(sizes.sum() / preset.households_per_resident * rng.uniform(0.9, 1.1))
        picks = np.sort(rng.choice(len(buildings), size=n, p=sizes / sizes.sum()))
        homes += [buildings[i] for i in picks.tolist()]
    return homes


def _tags(n: int, rng: np.random.Generator) -> list[tuple[ResidentTag, ...]]:
    first_tags = [t for t, _ in PRIMARY]
    first = rng.choice(len(PRIMARY), size=n, p=[w for _, w in PRIMARY]).tolist()
    second = rng.choice(len(SECOND), size=n, p=[w for _, w in SECOND]).tolist()
    add = (rng.random(n) < SECOND_SHARE).tolist()
    order = list(ResidentTag)
    out: list[tuple[ResidentTag, ...]] = []
    for f, s, a in zip(first, second, add, strict=True):
        tag = first_tags[f]
        if tag is None:
            out.append(())
            continue
        extra = SECOND[s][0]
        if a and extra is not tag and tag is not T.CHILD_LEFT_BEHIND:
            out.append((tag, extra) if order.index(tag) < order.index(extra) else (extra, tag))
        else:
            out.append((tag,))
    return out


def _rooms(homes: list[SimBuilding], rng: np.random.Generator) -> list[str]:
    """Rooms such as 2单元301: stairwell, floor, flat on the floor."""
    n = len(homes)
    u = rng.random(n).tolist()
    f = rng.random(n).tolist()
    flat = rng.integers(1, 3, size=n).tolist()
    return [
        f"{int(u[i] * h.units) + 1}单元{int(f[i] * h.floors) + 1}{flat[i]:02d}"
        for i, h in enumerate(homes)
    ]
