"""Free-text addresses matched against the registry: right building, or the manual queue —
never a wrong grid. Tiny from the imported database; chengxi (4,820 buildings) from its files."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import pytest
from address_variants import variant
from casework_support import district_app

from gridloop.domain.buildings import Building
from gridloop.service_layer.addresses import AddressIndex

THRESHOLD = 0.75  # the default of [open311] match_threshold


def index_of_database(tmp_path: Path, district: Path) -> tuple[AddressIndex, str]:
    uow = district_app(tmp_path, district).unit_of_work()
    with uow:
        registry = uow.registry.load()
    uow.close()
    assert registry is not None
    return AddressIndex(registry.buildings, [registry.district.name]), registry.district.name


def outcomes(index: AddressIndex, district: str, n: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    counts = {"right": 0, "same_grid": 0, "wrong_grid": 0, "queued": 0}
    for _ in range(n):
        b = rng.choice(index.buildings)
        found = index.match(variant(rng, b.address, district))
        if found is None or found.confidence < THRESHOLD:
            counts["queued"] += 1
        elif found.building_code == b.code:
            counts["right"] += 1
        else:
            counts["same_grid" if found.grid_code == b.grid_code else "wrong_grid"] += 1
    return counts


def test_tiny_addresses_find_their_building(tmp_path: Path, tiny_dir: Path) -> None:
    index, district = index_of_database(tmp_path, tiny_dir)
    counts = outcomes(index, district, 200, seed=1)
    assert counts["wrong_grid"] == 0
    assert counts["right"] >= 196, counts


def test_chengxi_addresses_find_their_building(tmp_path: Path) -> None:
    from gridloop.simulator.district import write_district

    out = tmp_path / "chengxi"
    write_district("chengxi", 1, out)
    name = json.loads((out / "district.json").read_text(encoding="utf-8"))["name"]
    with (out / "buildings.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    buildings = [  # the simulator numbers a building under its grid's 15-digit code
        Building(r["code"], r["name"], float(r["lon"]), float(r["lat"]), r["address"],
                 int(r["households"]), r["compound"], r["code"][:15])
        for r in rows
    ]  # fmt: skip
    counts = outcomes(AddressIndex(buildings, [name]), name, 300, seed=2)
    assert counts["wrong_grid"] == 0
    assert counts["right"] >= 291, counts


@pytest.mark.parametrize(
    "text", ["asdfgh", "我家门口很吵", "那边路口往北走一点的地方", "1号楼", ""]
)
def test_what_names_no_building_is_not_confident(tmp_path: Path, tiny_dir: Path, text: str) -> None:
    index, _ = index_of_database(tmp_path, tiny_dir)
    found = index.match(text)
    assert found is None or found.confidence < THRESHOLD
