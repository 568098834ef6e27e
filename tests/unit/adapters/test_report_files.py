"""Report files for offices: CSV with a BOM, an XLSX workbook, a plain-text table."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from gridloop.adapters.formats.report_files import (
    csv_text,
    display_width,
    text_table,
    write_xlsx,
)
from gridloop.domain.cases.indicators import JSON_KEYS, Dimension, Report

LABELS = {"sensor": "物联感知", "hotline": "12345热线"}
SENSOR = Report(registered=3, due_for_closure=3, closed=2, warnings=7, warnings_closed=6)
HOTLINE = Report(registered=1, due_for_closure=0, rated=1, satisfied=1)
TOTAL = Report(
    registered=4,
    due_for_closure=3,
    closed=2,
    rated=1,
    satisfied=1,
    warnings=7,
    warnings_closed=6,
    rows=(("hotline", HOTLINE), ("sensor", SENSOR)),
)


def label(code: str) -> str:
    return LABELS.get(code, code)


def test_grouped_csv_has_a_bom_the_group_columns_and_a_total_row() -> None:
    text = csv_text(TOTAL, Dimension.CHANNEL, label)
    assert text.startswith("\ufeff")
    header, hotline, sensor, total = (line.split(",") for line in text[1:].splitlines())
    assert header == ["channel", "label", *JSON_KEYS]
    assert hotline[:5] == ["hotline", "12345热线", "1", "0", ""]  # nothing due: no closure rate
    assert sensor[:5] == ["sensor", "物联感知", "3", "2", "0.6667"]
    assert total[:5] == ["total", "合计", "4", "2", "0.6667"]
    assert total[header.index("warning_closure_rate")] == "0.8571"
    assert total[header.index("satisfaction_rate")] == "1.0000"


def test_ungrouped_csv_is_the_json_keys_and_one_row() -> None:
    lines = csv_text(Report(registered=2), None, label)[1:].splitlines()
    assert lines[0].split(",") == list(JSON_KEYS)
    assert len(lines) == 2 and lines[1].startswith("2,0,,")


def test_xlsx_has_zh_and_key_headers_percent_rates_and_the_briefing(tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    write_xlsx(TOTAL, out, Dimension.CHANNEL, label, "截至目前,闭环处置率达85.71%。")
    book = load_workbook(out)
    sheet = book["指标"]
    assert [c.value for c in sheet[1]][:5] == ["渠道", "名称", "立案数", "结案数", "结案率"]
    assert [c.value for c in sheet[2]] == ["channel", "label", *JSON_KEYS]
    assert [c.value for c in sheet[3]][:5] == ["hotline", "12345热线", 1, 0, None]
    total = [c.value for c in sheet[5]]
    assert total[:5] == ["total", "合计", 4, 2, 0.6667]
    rate = 2 + JSON_KEYS.index("warning_closure_rate")
    assert total[rate] == 0.8571 and sheet[5][rate].number_format == "0.00%"
    assert sheet[5][2].number_format == "General" and sheet[5][0].font.b
    assert sheet.freeze_panes == "C3"
    assert sheet.column_dimensions["G"].width >= display_width("on_time_closure_rate")
    assert book["简报"]["A1"].value == "截至目前,闭环处置率达85.71%。"


def test_ungrouped_xlsx_names_its_only_row_the_total(tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    write_xlsx(Report(registered=2), out, None, label, "")
    sheet = load_workbook(out)["指标"]
    assert [c.value for c in sheet[3]][:2] == ["合计", 2]
    assert sheet.freeze_panes == "B3"


def test_the_text_table_aligns_chinese_labels_and_prints_percentages() -> None:
    lines = text_table(TOTAL, Dimension.CHANNEL, label, "zh").splitlines()
    assert lines[0].split()[:3] == ["渠道", "立案数", "结案数"]
    assert lines[1].startswith("12345热线 (hotline)") and lines[2].startswith("物联感知 (sensor)")
    assert lines[3].split()[:4] == ["合计", "4", "2", "66.67%"]
    assert "85.71%" in lines[3]
    # figures flush right: every line ends at the same column, counting Chinese as two
    assert len({display_width(line) for line in lines}) == 1
    assert display_width("物联感知") == 8 and display_width("G1") == 2
