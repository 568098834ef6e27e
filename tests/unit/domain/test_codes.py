"""Region codes nest as in the national statistical division codes."""

from __future__ import annotations

import pytest

from gridloop.domain.codes import Level, code_problem, parent_code


@pytest.mark.parametrize(
    ("code", "level", "parent"),
    [
        ("630104", Level.DISTRICT, None),
        ("630104001", Level.STREET, "630104"),
        ("630104001002", Level.COMMUNITY, "630104001"),
        ("630104001002003", Level.GRID, "630104001002"),
    ],
)
def test_well_formed_codes_pass(code: str, level: Level, parent: str | None) -> None:
    assert code_problem(code, level, parent) is None


@pytest.mark.parametrize(
    ("code", "level", "parent", "words"),
    [
        ("63010", Level.DISTRICT, None, "5 digits, expected 6"),
        ("63010400100200", Level.GRID, None, "14 digits, expected 15"),
        ("63010400100A003", Level.GRID, None, "digits only"),
        ("６３０１０４", Level.DISTRICT, None, "digits only"),  # full-width digits
        ("630104002002003", Level.GRID, "630104001002", "does not start with"),
    ],
)
def test_malformed_codes_say_why(code: str, level: Level, parent: str | None, words: str) -> None:
    problem = code_problem(code, level, parent)
    assert problem is not None and words in problem


def test_parent_code_drops_the_last_three_digits() -> None:
    assert parent_code("630104001002003") == "630104001002"
    with pytest.raises(ValueError):
        parent_code("630104")
