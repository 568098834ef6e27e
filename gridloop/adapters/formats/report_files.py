"""A report as offices read it: CSV that Excel opens in Chinese, an XLSX workbook, a text table.

Every format has one row per group and a total row; rates are fractions (4 decimals) except where
a person reads them directly (the XLSX formats them as percentages, the text table prints them so).
"""

from __future__ import annotations

import csv
import io
import math
import unicodedata
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from gridloop.domain.cases.indicators import JSON_KEYS, Dimension, Report
from gridloop.domain.cases.labels import DIMENSIONS, INDICATORS, TOTAL, Indicator, Lang

# Excel reads a CSV without a byte-order mark in the local code page and garbles Chinese
BOM = "\ufeff"
TOTAL_KEY = "total"
RATE_DIGITS = 4
INDICATOR_SHEET = "指标"
BRIEFING_SHEET = "简报"
PERCENT_FORMAT = "0.00%"
# the headline indicators a terminal has room for
TABLE_KEYS = (
    "registered",
    "closed",
    "closure_rate",
    "on_time_closure_rate",
    "handling_rate",
    "dispatch_accuracy",
    "satisfaction_rate",
    "warnings",
    "warning_closure_rate",
)

Labeller = Callable[[str], str]
Row = tuple[str, str, Report]  # key, label, indicators


def _rows(report: Report, label: Labeller, total_label: str) -> list[Row]:
    """One row per group, then the total."""
    groups = [(key, label(key), row) for key, row in report.rows or ()]
    return [*groups, (TOTAL_KEY, total_label, report)]


def _value(report: Report, indicator: Indicator) -> int | float | None:
    value: int | float | None = getattr(report, indicator.key)
    return round(value, RATE_DIGITS) if indicator.rate and value is not None else value


def csv_text(report: Report, by: Dimension | None, label: Labeller) -> str:
    """BOM, header (group column and label when grouped, then the JSON keys), rows, total."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out)
    lead = [by.value, "label"] if by is not None else []
    writer.writerow([*lead, *JSON_KEYS])
    rows = _rows(report, label, TOTAL.zh) if by is not None else [("", "", report)]
    for key, name, row in rows:
        cells = [_csv_cell(_value(row, i), i.rate) for i in INDICATORS]
        writer.writerow([key, name, *cells] if by is not None else cells)
    return out.getvalue()


def _csv_cell(value: int | float | None, rate: bool) -> str:
    if value is None:
        return ""
    return f"{value:.{RATE_DIGITS}f}" if rate else str(value)


def display_width(text: str) -> int:
    """Terminal and spreadsheet columns `text` takes: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    space = " " * max(0, width - display_width(text))
    return space + text if right else text + space


def text_table(report: Report, by: Dimension | None, label: Labeller, lang: Lang) -> str:
    """The headline indicators as an aligned plain-text table, one line per group and a total."""
    shown = [i for i in INDICATORS if i.key in TABLE_KEYS]
    header = [
        DIMENSIONS[by].read(lang) if by is not None else "",
        *(i.label.read(lang) for i in shown),
    ]
    lines = [header]
    for key, name, row in _rows(report, label, TOTAL.read(lang)):
        first = name if name == key or key == TOTAL_KEY else f"{name} ({key})"
        lines.append([first, *(_text_cell(getattr(row, i.key), i.rate) for i in shown)])
    widths = [max(display_width(line[c]) for line in lines) for c in range(len(header))]
    return "\n".join(_aligned(line, widths) for line in lines)


def _text_cell(value: int | float | None, rate: bool) -> str:
    if value is None:
        return "-"
    return f"{value:.2%}" if rate else str(value)


def _aligned(cells: list[str], widths: list[int]) -> str:
    """The first column flush left, the figures flush right."""
    pairs = enumerate(zip(cells, widths, strict=True))
    padded = [_pad(cell, width, right=c > 0) for c, (cell, width) in pairs]
    return "  ".join(padded).rstrip()


def write_xlsx(
    report: Report, path: Path, by: Dimension | None, label: Labeller, briefing: str
) -> None:
    """Sheet 指标 (zh header, JSON keys below it, percent-formatted rates, total row) and 简报."""
    book = Workbook()
    sheet = book.active
    sheet.title = INDICATOR_SHEET
    lead_zh = [DIMENSIONS[by].zh, "名称"] if by is not None else ["名称"]
    lead_keys = [by.value, "label"] if by is not None else ["label"]
    sheet.append([*lead_zh, *(i.label.zh for i in INDICATORS)])
    sheet.append([*lead_keys, *JSON_KEYS])
    rows = _rows(report, label, TOTAL.zh)
    for key, name, row in rows:
        lead = [key, name] if by is not None else [name]
        sheet.append([*lead, *(_value(row, i) for i in INDICATORS)])
    _style_indicators(sheet, len(lead_zh), len(rows))
    _add_briefing(book, briefing)
    book.save(path)


_HEADER_FILL = PatternFill("solid", start_color="DDEBF7")


def _style_indicators(sheet: Worksheet, lead: int, data_rows: int) -> None:
    """Bold, filled header rows and total row, percent rates, widths to fit, header frozen."""
    for column, cells in enumerate(sheet.iter_cols(min_row=1, max_row=2 + data_rows), 1):
        letter = get_column_letter(column)
        texts = (
            [str(c.value) for c in cells[:2]] if column > lead else [str(c.value) for c in cells]
        )
        sheet.column_dimensions[letter].width = max(10, 2 + max(map(display_width, texts)))
        for cell in cells[:2]:
            cell.font = Font(bold=True)
            cell.fill = _HEADER_FILL
            cell.alignment = Alignment(horizontal="center", wrap_text=True)
        cells[-1].font = Font(bold=True)
        if column > lead and INDICATORS[column - lead - 1].rate:
            for cell in cells[2:]:
                cell.number_format = PERCENT_FORMAT
    sheet.freeze_panes = sheet.cell(row=3, column=lead + 1)


def _add_briefing(book: Workbook, briefing: str) -> None:
    sheet = book.create_sheet(BRIEFING_SHEET)
    sheet["A1"] = briefing
    sheet["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    width = 100
    sheet.column_dimensions["A"].width = width
    # openpyxl cannot measure wrapped text, so size the row from the characters' widths
    sheet.row_dimensions[1].height = 18 * math.ceil(display_width(briefing) / width + 0.5)
