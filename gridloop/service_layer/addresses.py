"""Finding the building a free-text Chinese address names, with a confidence (0–1).

Every building is indexed once under four normalised spellings (the full address, the address
without street and community, the door plate (road and number), the building's name); a query
is compared with all of them by `fuzz.ratio` (character edits: right for Chinese, which has no
word boundaries), then the numbers that tell neighbours apart (road number, building number)
must agree. A near-tie between buildings of different grids costs confidence: guessing between
two grids is not locating.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from gridloop.domain.addresses import (
    AddressNumbers,
    normalise,
    numbers,
    up_to_road_number,
    without_street_and_community,
)
from gridloop.domain.buildings import Building

CANDIDATES = 200  # spellings compared closely after the first pass
CONFLICT_FACTOR = 0.6  # a score when one number differs (squared when both do)
MISSING_BUILDING_FACTOR = 0.9  # the query names no building where the candidate has one
RIVAL_MARGIN = 0.1  # a rival in another grid closer than this takes confidence away


@dataclass(frozen=True)
class AddressMatch:
    building_code: str
    grid_code: str
    address: str
    confidence: float  # 0–1


@dataclass(frozen=True)
class _Entry:
    building: int  # index into the buildings
    numbers: AddressNumbers


class AddressIndex:
    """The district's buildings, normalised once (per server start), matched many times."""

    def __init__(self, buildings: Sequence[Building], district_names: Sequence[str] = ()) -> None:
        self.buildings = tuple(buildings)
        self.prefixes = _prefixes(district_names)
        self._choices: list[str] = []
        self._entries: list[_Entry] = []
        for i, b in enumerate(self.buildings):
            full = normalise(b.address, self.prefixes)
            spellings = {
                full,
                without_street_and_community(full),
                up_to_road_number(full),
                normalise(b.name, self.prefixes),
            }
            for spelling in sorted(s for s in spellings if s):
                self._choices.append(spelling)
                self._entries.append(_Entry(i, numbers(full)))
        self.by_code = {b.code: b for b in self.buildings}

    def match(self, text: str) -> AddressMatch | None:
        """The best building for `text` and how sure the match is; None when nothing is close."""
        query = normalise(text, self.prefixes)
        if not query:
            return None
        wanted = numbers(query)
        found = process.extract(
            query, self._choices, scorer=fuzz.ratio, limit=CANDIDATES, score_cutoff=30
        )
        best: dict[int, float] = {}
        for _spelling, score, index in found:
            entry = self._entries[index]
            value = score / 100 * _agreement(wanted, entry.numbers)
            if value > best.get(entry.building, 0.0):
                best[entry.building] = value
        if not best:
            return None
        ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))
        winner, score = ranked[0]
        grid = self.buildings[winner].grid_code
        rival = next((s for i, s in ranked[1:] if self.buildings[i].grid_code != grid), 0.0)
        # a tie with another grid halves the score; a lead of RIVAL_MARGIN or more keeps it
        confidence = score * min(1.0, (1 + (score - rival) / RIVAL_MARGIN) / 2)
        b = self.buildings[winner]
        return AddressMatch(b.code, b.grid_code, b.address, round(confidence, 3))


def _agreement(query: AddressNumbers, candidate: AddressNumbers) -> float:
    factor = CONFLICT_FACTOR ** query.conflicts(candidate)
    if query.building is None and candidate.building is not None:
        factor *= MISSING_BUILDING_FACTOR
    return factor


def _prefixes(names: Iterable[str]) -> tuple[str, ...]:
    """The district's names as citizens write them: 城西区, and 城西 without the 区."""
    out: list[str] = []
    for name in names:
        if not name:
            continue
        out.append(name)
        if len(name) > 2 and name[-1] in "区县市":
            out.append(name[:-1])
    return tuple(out)
