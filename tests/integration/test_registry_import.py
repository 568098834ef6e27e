"""Import on real SQLite: transactional, idempotent, an identity through export."""

from __future__ import annotations

import csv
import filecmp
import json
import re
from pathlib import Path

import pytest
from registry_io import run_import, stored_stats

from gridloop.adapters.formats.writer import write_registry
from gridloop.bootstrap import App, bootstrap
from gridloop.config import Settings
from gridloop.domain.problems import InvalidInput
from gridloop.service_layer.registry_export import export_registry


def _export(app: App, out: Path) -> None:
    uow = app.unit_of_work()
    try:
        export_registry(uow, out, write_registry)
    finally:
        uow.close()


def _same_files(a: Path, b: Path) -> list[str]:
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    _, mismatch, errors = filecmp.cmpfiles(a, b, names, shallow=False)
    return mismatch + errors


def test_import_stores_every_record_of_the_directory(app: App, tiny_dir: Path) -> None:
    summary = run_import(app, tiny_dir)
    stats = stored_stats(app)
    with (tiny_dir / "devices.csv").open(encoding="utf-8") as f:
        device_rows = sum(1 for _ in csv.DictReader(f))
    assert stats.devices == device_rows == summary.written["devices"]
    assert stats.grids == summary.written["grids"] > 0
    assert all(stats.devices_by_kind[k] > 0 for k in app.kinds.codes())


def test_import_then_export_gives_back_the_same_files(
    app: App, tiny_dir: Path, tmp_path: Path
) -> None:
    run_import(app, tiny_dir)
    _export(app, tmp_path / "exported")
    assert _same_files(tiny_dir, tmp_path / "exported") == []


def test_import_export_import_is_an_identity(app: App, tiny_dir: Path, tmp_path: Path) -> None:
    run_import(app, tiny_dir)
    _export(app, tmp_path / "first")
    second = bootstrap(Settings(db_path=tmp_path / "second.db"))
    run_import(second, tmp_path / "first")
    _export(second, tmp_path / "second")
    assert _same_files(tmp_path / "first", tmp_path / "second") == []
    assert stored_stats(second) == stored_stats(app)


def test_importing_twice_changes_nothing(app: App, tiny_dir: Path) -> None:
    run_import(app, tiny_dir)
    before = stored_stats(app)
    again = run_import(app, tiny_dir)
    assert stored_stats(app) == before
    assert all(n == 0 for n in again.new.values())


def test_reimport_updates_a_changed_record_without_duplicating(app: App, tiny_dir: Path) -> None:
    run_import(app, tiny_dir)
    path = tiny_dir / "buildings.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    code = rows[1][0]
    rows[1][1] = "改名后的楼栋"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    run_import(app, tiny_dir)
    uow = app.unit_of_work()
    with uow:
        registry = uow.registry.load()
    uow.close()
    assert registry is not None
    named = [b for b in registry.buildings if b.code == code]
    assert [b.name for b in named] == ["改名后的楼栋"]
    assert len(registry.buildings) == len(rows) - 1


def test_a_different_district_is_refused_and_nothing_changes(
    app: App, tiny_dir: Path, tmp_path: Path
) -> None:
    from gridloop.simulator.district import write_district

    run_import(app, tiny_dir)
    before = stored_stats(app)
    other = tmp_path / "other"
    write_district("tiny", 1, other)
    code = json.loads((other / "district.json").read_text(encoding="utf-8"))["code"]
    # Codes stand alone or after a quote, comma or ';', never after a digit or a decimal point.
    other_code = re.compile(rf"(?<![0-9.]){code}(?=[0-9]{{3}}|\")")
    for path in other.iterdir():
        text = path.read_text(encoding="utf-8")
        path.write_text(other_code.sub("630105", text), encoding="utf-8")
    with pytest.raises(InvalidInput) as refused:
        run_import(app, other)
    assert "refusing to import district 630105" in str(refused.value.problems[0])
    assert stored_stats(app) == before
