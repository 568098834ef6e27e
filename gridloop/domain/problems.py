"""Problems found in input: where (file, line, field), what and why."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar


@dataclass(frozen=True, order=True)
class Problem:
    """One defect in imported data, located precisely enough to fix it."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" [{self.field}]" if self.field else ""
        return f"{where}{field}: {self.message}"


class InvalidInput(Exception):
    """Raised with every problem found, so nothing is imported."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__(f"{len(self.problems)} problem(s) in input")


T = TypeVar("T")


@dataclass(frozen=True)
class Located(Generic[T]):
    """A parsed record and the line it came from, so later checks can point at it."""

    value: T
    line: int
