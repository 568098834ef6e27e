"""A requested action on a case, and typed readers of its payload."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from gridloop.domain.cases.events import Action, Role


@dataclass(frozen=True)
class Request:
    """One requested action on a case; `at` is epoch ms given by the caller."""

    action: Action
    actor: str
    role: Role
    at: int
    payload: Mapping[str, object]


def text(payload: Mapping[str, object], key: str) -> str | None:
    """The non-empty string under `key`, or None."""
    value = payload.get(key)
    return value if isinstance(value, str) and value else None


def ms(payload: Mapping[str, object], key: str) -> int | None:
    """The epoch-ms integer under `key`, or None (bools are not times)."""
    value = payload.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None
