"""The chengxi preset at full size: 城西区 with 480 grids."""

from __future__ import annotations

from collections import Counter

import pytest
from sim_checks import assert_well_formed

from gridloop.domain.devices.catalog import default_catalog
from gridloop.domain.people import Employment, ResidentTag
from gridloop.simulator.district import generate_district

pytestmark = pytest.mark.slow


def test_chengxi_has_the_size_and_mix_of_a_real_district() -> None:
    registry = generate_district("chengxi", 1)
    assert_well_formed(registry, "chengxi")
    assert (registry.district.code, registry.district.name) == ("630104", "城西区")
    assert len(registry.district.streets) == 7
    assert len(registry.district.communities()) == 48
    assert len(registry.grids) == 480
    per_community = Counter(g.community_code for g in registry.grids)
    assert min(per_community.values()) >= 8 and max(per_community.values()) <= 12

    specials = [g for g in registry.grids if g.households == 0]
    assert len(specials) == 3
    residential = [g for g in registry.grids if g.households]
    assert all(300 <= (g.households or 0) <= 500 for g in residential)
    assert any(g.area.multi for g in registry.grids)
    holed = [g for g in registry.grids if any(len(p) > 1 for p in g.area.polygons)]
    assert len(holed) == 3

    assert len(registry.workers) >= 2_000
    full_time = [w for w in registry.workers if w.employment is Employment.FULL_TIME]
    assert len(full_time) == 480
    assert any(len(w.grid_codes) == 2 for w in registry.workers)

    assert len(registry.devices) >= 5_000
    assert {d.kind for d in registry.devices} == set(default_catalog().codes())

    households = sum(g.households or 0 for g in registry.grids)
    assert 3.5 <= households / len(registry.residents) <= 4.5
    tags = Counter(t for r in registry.residents for t in r.tags)
    assert 0.15 <= tags[ResidentTag.ELDERLY_ALONE] / len(registry.residents) <= 0.25
    assert 0.05 <= tags[ResidentTag.DISABLED] / len(registry.residents) <= 0.11
    assert any(len(r.tags) == 2 for r in registry.residents)
    assert any(not r.tags for r in registry.residents)
    assert 6 <= len(registry.buildings) / len(residential) <= 14
