"""Bad input: each defect is named by file, line and field, and nothing at all is imported."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from registry_io import run_import, stored_stats

from gridloop.bootstrap import App
from gridloop.domain.problems import InvalidInput


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def _write_rows(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def _edit_cell(file: str, column: str, value: str, row: int = 1) -> Callable[[Path], None]:
    def edit(d: Path) -> None:
        rows = _rows(d / file)
        rows[row][rows[0].index(column)] = value
        _write_rows(d / file, rows)

    return edit


def _drop_column(file: str, column: str) -> Callable[[Path], None]:
    def edit(d: Path) -> None:
        rows = _rows(d / file)
        i = rows[0].index(column)
        _write_rows(d / file, [r[:i] + r[i + 1 :] for r in rows])

    return edit


def _add_column(file: str, column: str) -> Callable[[Path], None]:
    def edit(d: Path) -> None:
        _write_rows(
            d / file, [[*r, column if n == 0 else "x"] for n, r in enumerate(_rows(d / file))]
        )

    return edit


def _duplicate_row(file: str) -> Callable[[Path], None]:
    def edit(d: Path) -> None:
        rows = _rows(d / file)
        _write_rows(d / file, [*rows, rows[1]])

    return edit


def _edit_grid(
    change: Callable[[dict[str, object]], None], index: int = 1
) -> Callable[[Path], None]:
    def edit(d: Path) -> None:
        path = d / "grids.geojson"
        doc = json.loads(path.read_text(encoding="utf-8"))
        change(doc["features"][index])
        lines = ['{"type": "FeatureCollection", "features": [']
        lines += [json.dumps(f, ensure_ascii=False) + "," for f in doc["features"]]
        lines[-1] = lines[-1].rstrip(",")
        path.write_text("\n".join([*lines, "]}"]) + "\n", encoding="utf-8")

    return edit


def _grid_code(code: Callable[[str], str]) -> Callable[[dict[str, object]], None]:
    def change(feature: dict[str, object]) -> None:
        props = feature["properties"]
        assert isinstance(props, dict)
        props["code"] = code(props["code"])

    return change


def _bow_tie(feature: dict[str, object]) -> None:
    (x0, y0, x1, y1) = (101.0, 36.0, 101.001, 36.001)
    feature["geometry"] = {
        "type": "Polygon",
        "coordinates": [[[x0, y0], [x1, y1], [x1, y0], [x0, y1], [x0, y0]]],
    }


def _broken_utf8(d: Path) -> None:
    path = d / "residents.csv"
    data = path.read_bytes().split(b"\n")
    data[3] = data[3] + b"\xff\xfe"
    path.write_bytes(b"\n".join(data))


CASES: dict[str, tuple[Callable[[Path], None], str, int, str, str]] = {
    # case: (corruption, file, line, field, words the message holds)
    "missing column": (_drop_column("workers.csv", "phone"), "workers.csv", 1, "phone", "missing"),
    "extra column": (
        _add_column("buildings.csv", "floors"),
        "buildings.csv",
        1,
        "floors",
        "unexpected",
    ),
    "bad coordinate": (
        _edit_cell("buildings.csv", "lat", "北纬36"),
        "buildings.csv",
        2,
        "lat",
        "not a number",
    ),
    "coordinate out of range": (
        _edit_cell("buildings.csv", "lon", "191.5"),
        "buildings.csv",
        2,
        "lon/lat",
        "outside [-180, 180]",
    ),
    "unknown device kind": (
        _edit_cell("devices.csv", "kind", "toaster"),
        "devices.csv",
        2,
        "kind",
        "unknown device kind",
    ),
    "device in unknown building": (
        _edit_cell("devices.csv", "building_code", "999"),
        "devices.csv",
        2,
        "building_code",
        "unknown building",
    ),
    "duplicate id": (_duplicate_row("workers.csv"), "workers.csv", 0, "id", "duplicate id"),
    "grid code of the wrong length": (
        _edit_grid(_grid_code(lambda c: c + "7")),
        "grids.geojson",
        0,
        "code",
        "16 digits, expected 15",
    ),
    "grid code outside its community": (
        _edit_grid(_grid_code(lambda c: c[:9] + "999" + c[12:])),
        "grids.geojson",
        0,
        "code",
        "does not start with",
    ),
    "self-intersecting polygon": (
        _edit_grid(_bow_tie),
        "grids.geojson",
        0,
        "geometry",
        "Self-intersection",
    ),
    "broken UTF-8": (_broken_utf8, "residents.csv", 4, "", "broken UTF-8"),
    "bad employment": (
        _edit_cell("workers.csv", "employment", "volunteer"),
        "workers.csv",
        2,
        "employment",
        "full_time",
    ),
    "unknown resident tag": (
        _edit_cell("residents.csv", "tags", "vip"),
        "residents.csv",
        2,
        "tags",
        "unknown tag",
    ),
    "bad device attrs": (
        _edit_cell("devices.csv", "attrs", "{rated_a: 32}"),
        "devices.csv",
        2,
        "attrs",
        "invalid JSON",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_defect_is_located_and_nothing_is_imported(app: App, tiny_dir: Path, case: str) -> None:
    corrupt, file, line, field, words = CASES[case]
    corrupt(tiny_dir)
    with pytest.raises(InvalidInput) as refused:
        run_import(app, tiny_dir)
    matches = [p for p in refused.value.problems if p.file == file and p.field == field]
    assert matches, f"no problem for {file} [{field}] in {refused.value.problems}"
    assert any(words in p.message for p in matches), matches
    if line:
        assert any(p.line == line for p in matches), matches
    else:
        assert all(p.line > 0 for p in matches), "a problem must name its line"
    assert stored_stats(app).grids == 0


def test_every_problem_is_listed_at_once(app: App, tiny_dir: Path) -> None:
    _edit_cell("devices.csv", "kind", "toaster")(tiny_dir)
    _edit_cell("buildings.csv", "lat", "x", row=2)(tiny_dir)
    _drop_column("workers.csv", "phone")(tiny_dir)
    with pytest.raises(InvalidInput) as refused:
        run_import(app, tiny_dir)
    files = {p.file for p in refused.value.problems}
    assert {"devices.csv", "buildings.csv", "workers.csv"} <= files


def test_a_building_outside_every_grid_is_reported(app: App, tiny_dir: Path) -> None:
    _edit_cell("buildings.csv", "lon", "100.0")(tiny_dir)
    with pytest.raises(InvalidInput) as refused:
        run_import(app, tiny_dir)
    assert any("outside every grid" in p.message and p.line == 2 for p in refused.value.problems)


def test_overlapping_grids_are_refused(app: App, tiny_dir: Path) -> None:
    def copy_geometry_of_first(feature: dict[str, object]) -> None:
        doc = json.loads((tiny_dir / "grids.geojson").read_text(encoding="utf-8"))
        feature["geometry"] = doc["features"][0]["geometry"]

    _edit_grid(copy_geometry_of_first)(tiny_dir)
    with pytest.raises(InvalidInput) as refused:
        run_import(app, tiny_dir)
    assert any("overlaps" in p.message for p in refused.value.problems)


def test_a_file_with_a_byte_order_mark_imports(app: App, tiny_dir: Path) -> None:
    path = tiny_dir / "buildings.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    run_import(app, tiny_dir)
    assert stored_stats(app).buildings > 0


def test_a_community_code_outside_its_street_names_its_line_in_district_json(
    app: App, tiny_dir: Path
) -> None:
    path = tiny_dir / "district.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    community = doc["streets"][1]["communities"][0]["code"]
    wrong = doc["streets"][0]["code"] + "077"  # belongs to the first street, listed in the second
    text = path.read_text(encoding="utf-8").replace(f'"{community}"', f'"{wrong}"')
    path.write_text(text, encoding="utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if wrong in t)
    with pytest.raises(InvalidInput) as refused:
        run_import(app, tiny_dir)
    assert any(
        p.file == "district.json" and p.line == line and "does not start with" in p.message
        for p in refused.value.problems
    ), refused.value.problems
