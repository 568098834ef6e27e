"""Hierarchical region codes, as in the national statistical division codes.

district 6 digits (GB/T 2260), street = district + 3, community = street + 3, grid = community + 3.
"""

from __future__ import annotations

from enum import Enum


class Level(Enum):
    DISTRICT = ("district", 6)
    STREET = ("street", 9)
    COMMUNITY = ("community", 12)
    GRID = ("grid", 15)

    def __init__(self, label: str, digits: int) -> None:
        self.label = label
        self.digits = digits


def code_problem(code: str, level: Level, parent: str | None = None) -> str | None:
    """Why `code` is not a valid code of `level` under `parent`, or None when it is."""
    if not code.isascii() or not code.isdigit():
        return f"{level.label} code {code!r} must be digits only"
    if len(code) != level.digits:
        return f"{level.label} code {code!r} has {len(code)} digits, expected {level.digits}"
    if parent is not None and not code.startswith(parent):
        return f"{level.label} code {code!r} does not start with its parent's code {parent!r}"
    return None


def parent_code(code: str) -> str:
    """The code one level up (a grid's community, a community's street...)."""
    if len(code) <= Level.DISTRICT.digits:
        raise ValueError(f"{code!r} has no parent")
    return code[:-3]
