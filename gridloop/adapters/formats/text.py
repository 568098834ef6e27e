"""Reading UTF-8 text and CSV tables, turning every defect into a located Problem."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator, Sequence
from pathlib import Path

from gridloop.domain.problems import Problem

BOM = "\ufeff"


def read_text(path: Path, problems: list[Problem]) -> str | None:
    """The file's text, or None after recording why it cannot be read."""
    name = path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        problems.append(Problem(name, 0, "", "file is missing"))
        return None
    except OSError as e:
        problems.append(Problem(name, 0, "", f"cannot read file: {e.strerror}"))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        column = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        problems.append(
            Problem(name, line, "", f"broken UTF-8: byte 0x{data[e.start]:02x} at column {column}")
        )
        return None
    return text.removeprefix(BOM)


class Row:
    """One CSV record: typed accessors that record a Problem instead of raising."""

    __slots__ = ("_index", "_problems", "_values", "file", "line")

    def __init__(
        self,
        file: str,
        line: int,
        values: Sequence[str],
        index: dict[str, int],
        problems: list[Problem],
    ) -> None:
        self.file, self.line = file, line
        self._values, self._index, self._problems = values, index, problems

    def problem(self, field: str, message: str) -> None:
        self._problems.append(Problem(self.file, self.line, field, message))

    def text(self, field: str, *, required: bool = True) -> str:
        at = self._index.get(field)  # None: an optional column the file does not have
        value = self._values[at].strip() if at is not None else ""
        if required and not value:
            self.problem(field, "is empty")
        return value

    def number(self, field: str, *, required: bool = True) -> float | None:
        raw = self.text(field, required=required)
        if not raw:
            return None
        try:
            value = float(raw)
        except ValueError:
            self.problem(field, f"{raw!r} is not a number")
            return None
        if not math.isfinite(value):
            self.problem(field, f"{raw!r} is not a finite number")
            return None
        return value

    def whole(self, field: str, *, minimum: int = 0) -> int | None:
        raw = self.text(field)
        if not raw:
            return None
        if not (raw.isascii() and raw.lstrip("-").isdigit()):
            self.problem(field, f"{raw!r} is not a whole number")
            return None
        value = int(raw)
        if value < minimum:
            self.problem(field, f"{value} is below {minimum}")
            return None
        return value

    def items(self, field: str, separator: str = ";") -> tuple[str, ...]:
        return tuple(
            p.strip() for p in self.text(field, required=False).split(separator) if p.strip()
        )


def read_csv(
    path: Path,
    columns: Sequence[str],
    problems: list[Problem],
    *,
    required: bool = True,
    optional: Sequence[str] = (),
) -> Iterator[Row]:
    """Rows of a CSV whose header must hold exactly `columns` (in any order), of which those
    in `optional` may be left out (their values read as empty)."""
    if not required and not path.exists():
        return
    text = read_text(path, problems)
    if text is None:
        return
    name = path.name
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        problems.append(Problem(name, 1, "", f"no header line; expected {','.join(columns)}"))
        return
    except csv.Error as e:
        problems.append(Problem(name, 1, "", f"unreadable header: {e}"))
        return
    missing = [c for c in columns if c not in header and c not in optional]
    extra = [h for h in header if h not in columns]
    duplicated = sorted({h for h in header if header.count(h) > 1})
    for c in missing:
        problems.append(Problem(name, 1, c, "column is missing"))
    for c in extra:
        problems.append(Problem(name, 1, c, f"unexpected column; expected {','.join(columns)}"))
    for c in duplicated:
        problems.append(Problem(name, 1, c, "column appears twice"))
    if missing or extra or duplicated:
        return
    index = {h: i for i, h in enumerate(header)}
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            problems.append(Problem(name, reader.line_num, "", f"malformed CSV: {e}"))
            return
        if not values:
            continue  # a blank line
        if len(values) != len(header):
            problems.append(
                Problem(
                    name,
                    reader.line_num,
                    "",
                    f"has {len(values)} fields, the header has {len(header)}",
                )
            )
            continue
        yield Row(name, reader.line_num, values, index, problems)
