"""`gridloop report` as a user runs it, over case histories stored in real SQLite."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook
from report_cases import published_sensing, small_district, store

from gridloop.domain.cases.indicators import JSON_KEYS
from gridloop.entrypoints.cli import main

# the small district's indicators, computed by hand (see report_cases.py)
DISTRICT_TOTAL = {
    "registered": 6,
    "closed": 3,
    "closure_rate": 0.6,
    "closed_on_time": 2,
    "on_time_closure_rate": 0.4,
    "handled": 3,
    "handling_rate": 0.75,
    "on_time_handling_rate": 0.75,
    "reworks": 1,
    "rework_rate": 0.2,
    "extensions": 1,
    "extension_rate": 0.25,
    "dispatches": 5,
    "returns": 1,
    "dispatch_accuracy": 0.8,
    "signed_on_time": 3,
    "on_time_sign_rate": 0.75,
    "rated": 2,
    "satisfied": 1,
    "satisfaction_rate": 0.5,
    "warnings": 4,
    "warnings_closed": 2,
    "warning_closure_rate": 0.5,
}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return store(tmp_path_factory.mktemp("report") / "gridloop.db", small_district())


@pytest.fixture(scope="module")
def published_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return store(tmp_path_factory.mktemp("published") / "gridloop.db", published_sensing())


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["report", "--db", str(db), *args])


def run_json(db: Path, *args: str) -> dict[str, object]:
    done = run(db, "--format", "json", *args)
    assert done.exit_code == 0, done.output
    doc: dict[str, object] = json.loads(done.output)
    return doc


def test_json_gives_the_hand_computed_indicators_in_the_issues_key_order(db: Path) -> None:
    doc = run_json(db)
    assert doc["period"] == {"from": None, "to": None}
    assert (doc["scope"], doc["by"], doc["rows"]) == ("district", None, [])
    total = doc["total"]
    assert isinstance(total, dict)
    assert list(total) == list(JSON_KEYS)
    assert total == DISTRICT_TOTAL


def test_grouping_by_category_gives_a_labelled_row_per_category(db: Path) -> None:
    doc = run_json(db, "--by", "category")
    assert isinstance(doc["rows"], list)
    rows = {row["key"]: row for row in doc["rows"]}
    assert list(rows) == ["complaint", "elderly_care.fall", "enquiry", "smoke_detector.smoke_alarm"]
    assert [row["label"] for row in rows.values()] == ["投诉", "老人跌倒", "咨询", "烟雾报警"]
    fall = rows["elderly_care.fall"]
    assert (fall["registered"], fall["closed"], fall["closure_rate"]) == (2, 2, 1.0)
    assert (fall["dispatches"], fall["returns"], fall["dispatch_accuracy"]) == (3, 1, 0.6667)
    assert (fall["warnings"], fall["warning_closure_rate"]) == (2, 1.0)
    enquiry = rows["enquiry"]  # one refused, one deferred: nothing due, so no rates
    assert (enquiry["registered"], enquiry["closure_rate"], enquiry["handling_rate"]) == (
        1,
        None,
        None,
    )
    assert doc["total"] == DISTRICT_TOTAL


def test_a_grid_scope_counts_only_that_grids_cases(db: Path) -> None:
    doc = run_json(db, "--scope", "grid:G2")
    total = doc["total"]
    assert doc["scope"] == "grid:G2"
    assert isinstance(total, dict)
    assert (total["registered"], total["closed"], total["closed_on_time"]) == (2, 2, 1)
    assert (total["closure_rate"], total["on_time_closure_rate"]) == (1.0, 0.5)
    assert (total["warnings"], total["warnings_closed"], total["reworks"]) == (1, 1, 1)


def test_a_period_leaves_out_cases_reported_after_it(db: Path) -> None:
    doc = run_json(db, "--from", "2026-11-28", "--to", "2026-11-30")
    assert doc["period"] == {"from": "2026-11-28T00:00:00+08:00", "to": "2026-11-30T00:00:00+08:00"}
    total = doc["total"]
    assert isinstance(total, dict)
    assert (total["registered"], total["closure_rate"]) == (5, 0.75)  # h4 came two days later
    text = run(db, "--from", "2026-11-28", "--to", "2026-11-30").output
    assert text.startswith("2026年11月28日至11月29日,先后有效预警")


def test_text_is_the_zh_briefing_naming_the_most_frequent_warning_types(db: Path) -> None:
    done = run(db)
    assert done.exit_code == 0
    assert done.output == (
        "截至目前,先后有效预警老人跌倒、烟雾报警等事件4起,完成闭环处置2起,闭环处置率达50.00%。"
        "应结案5件,结案3件,结案率60.00%,按期结案率40.00%。回访评价2件,满意率50.00%。\n"
    )


def test_text_by_channel_adds_a_table_and_english_is_available(db: Path) -> None:
    table = run(db, "--by", "channel").output.splitlines()
    assert table[2].split()[:6] == ["渠道", "立案数", "结案数", "结案率", "按期结案率", "处置率"]
    assert table[3].startswith("12345热线 (hotline)") and table[4].startswith("物联感知 (sensor)")
    assert table[5].split()[:4] == ["合计", "6", "3", "60.00%"]
    english = run(db, "--lang", "en").output
    assert english.startswith("As of now, 4 effective warnings (Fall detected (2), Smoke alarm (2)")


def test_csv_opens_in_excel_with_a_bom_a_header_and_a_total_row(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.csv"
    assert run(db, "--format", "csv", "--by", "grid", "--out", str(out)).exit_code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join(["grid", "label", *JSON_KEYS])
    assert [line.split(",")[:4] for line in lines[1:]] == [
        ["G1", "G1", "4", "1"],
        ["G2", "G2", "2", "2"],
        ["total", "合计", "6", "3"],
    ]
    assert lines[3].split(",")[4] == "0.6000"


def test_xlsx_holds_percent_formatted_indicators_and_the_briefing(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    assert run(db, "--format", "xlsx", "--by", "channel", "--out", str(out)).exit_code == 0
    book = load_workbook(out)
    assert book.sheetnames == ["指标", "简报"]
    sheet = book["指标"]
    assert [c.value for c in sheet[1]][:5] == ["渠道", "名称", "立案数", "结案数", "结案率"]
    assert [c.value for c in sheet[2]] == ["channel", "label", *JSON_KEYS]
    assert [c.value for c in sheet[5]][:5] == ["total", "合计", 6, 3, 0.6]
    assert sheet["E5"].number_format == "0.00%" and sheet["D5"].number_format == "General"
    assert sheet.freeze_panes == "C3"
    assert "闭环处置率达50.00%" in book["简报"]["A1"].value


def test_bad_options_are_usage_errors_naming_the_option(db: Path) -> None:
    for args, option in [
        (["--scope", "town:1"], "--scope"),
        (["--scope", "grid:"], "--scope"),
        (["--by", "colour"], "--by"),
        (["--from", "yesterday"], "--from"),
        (["--from", "2026-11-30", "--to", "2026-11-28"], "--from"),
        (["--format", "xlsx"], "--out"),
    ]:
        done = run(db, *args)
        assert done.exit_code == 2, args
        assert option in done.output, (args, done.output)


def test_the_published_sensing_figure_reads_93_05_percent(published_db: Path) -> None:
    doc = run_json(published_db)
    total = doc["total"]
    assert isinstance(total, dict)
    assert (total["warnings"], total["warnings_closed"]) == (4807, 4473)
    assert total["warning_closure_rate"] == 0.9305
    assert run(published_db).output.startswith(
        "截至目前,先后有效预警老人跌倒、烟雾报警等事件4807起,完成闭环处置4473起,闭环处置率达93.05%。"
    )
