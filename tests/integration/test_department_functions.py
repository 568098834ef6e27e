"""departments.csv's functions column: read, checked, stored, exported; older files still import."""

from __future__ import annotations

from pathlib import Path

import pytest
from casework_support import BUILDING, HOTLINE, beijing, district_app

from gridloop.adapters.sqlite.database import connect
from gridloop.bootstrap import App
from gridloop.domain.people import DepartmentFunction as F
from gridloop.domain.problems import InvalidInput, Problem
from gridloop.service_layer.casework import NewReport

NOW = beijing("2026-11-20T10:00")  # a Friday, working hours


def departments(app: App) -> dict[str, tuple[F, ...]]:
    registry = app.registry()
    assert registry is not None
    return {d.code: d.functions for d in registry.departments}


def test_functions_are_stored_with_their_department_and_exported_again(
    app: App, tiny_dir: Path, tmp_path: Path
) -> None:
    (tiny_dir / "departments.csv").write_text(
        "functions,code,name,phone\n fire ; emergency,FIRE-01,消防救援站,\n,D99,档案馆,\n",
        encoding="utf-8",
    )

    app.import_directory(tiny_dir)

    assert departments(app) == {"FIRE-01": (F.FIRE, F.EMERGENCY), "D99": ()}
    from gridloop.adapters.formats.writer import write_registry

    registry = app.registry()
    assert registry is not None
    write_registry(registry, tmp_path / "out")
    assert (tmp_path / "out" / "departments.csv").read_text(encoding="utf-8").splitlines() == [
        "code,name,phone,functions",
        "D99,档案馆,,",
        "FIRE-01,消防救援站,,fire;emergency",
    ]


def test_a_file_written_before_the_column_existed_still_imports(app: App, tiny_dir: Path) -> None:
    (tiny_dir / "departments.csv").write_text(
        "code,name,phone\nD04,燃气公司,0971-6196777\n", encoding="utf-8"
    )

    app.import_directory(tiny_dir)

    assert departments(app) == {"D04": ()}


def test_an_unknown_function_is_named_with_its_file_line_and_column(
    app: App, tiny_dir: Path
) -> None:
    (tiny_dir / "departments.csv").write_text(
        "code,name,phone,functions\nD02,消防,,fire\nD03,供电,,power;electricity\n",
        encoding="utf-8",
    )

    with pytest.raises(InvalidInput) as refused:
        app.import_directory(tiny_dir)

    assert len(refused.value.problems) == 1
    problem = refused.value.problems[0]
    assert (problem.file, problem.line, problem.field) == ("departments.csv", 3, "functions")
    assert problem.message.startswith("unknown function 'electricity'; known: fire, power, gas")
    assert isinstance(problem, Problem) and app.registry() is None


def test_a_database_from_before_functions_keeps_its_departments_without_any(
    tmp_path: Path, tiny_dir: Path
) -> None:
    app = district_app(tmp_path, tiny_dir)
    conn = connect(app.settings.db_path)
    conn.execute("UPDATE departments SET functions = ''")  # as migration 0008 leaves them
    conn.close()

    service = app.case_service()
    smoke = NewReport("sensor", "smoke_detector.smoke_alarm", "critical", building_code=BUILDING)

    assert service.report(smoke, HOTLINE, NOW).departments == ()
    assert set(departments(app)) == {f"D{i:02d}" for i in range(1, 11)}


def test_configured_routing_may_name_functions_and_codes_together(
    tmp_path: Path, tiny_dir: Path
) -> None:
    config = '[routing]\n"gas_detector.*" = ["gas", "D09"]\n"camera.*" = "fire"\n'
    app = district_app(tmp_path, tiny_dir, config)
    service = app.case_service()

    gas = NewReport("sensor", "gas_detector.gas_leak", "critical", building_code=BUILDING)
    assert service.report(gas, HOTLINE, NOW).departments == ("D04", "D09")
    smoke = NewReport("sensor", "smoke_detector.smoke_alarm", "critical", building_code=BUILDING)
    assert service.report(smoke, HOTLINE, NOW).departments == ()
