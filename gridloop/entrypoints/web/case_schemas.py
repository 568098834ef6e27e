"""The case API's request bodies and its opaque list cursor (schemas of their own, not tables)."""

from __future__ import annotations

import base64
import json
from typing import Literal

from fastapi import HTTPException
from pydantic import BaseModel, Field

SORTS = ("reported_at", "updated_at", "handle_due", "sign_due", "case_id")
Sort = Literal["reported_at", "updated_at", "handle_due", "sign_due", "case_id"]
Rating = Literal["satisfied", "basically_satisfied", "unsatisfied"]
Hash = str


class ActionIn(BaseModel):
    """One workflow action; `payload` carries further fields the action takes."""

    action: str = Field(min_length=1, max_length=32)
    note: str | None = Field(None, max_length=2000)
    reason: str | None = Field(None, max_length=500)
    until: str | None = Field(None, description="request_extension: the new deadline (ISO)")
    rating: Rating | None = None
    attachments: list[Hash] = Field(default_factory=list, max_length=20)
    payload: dict[str, object] = Field(default_factory=dict)


class PatrolIn(BaseModel):
    """What a grid worker found on patrol, at a building or a point of their grids."""

    category: str = Field(min_length=1, max_length=64)
    description: str = Field("", max_length=2000)
    severity: Literal["minor", "major", "critical"] = "minor"
    lon: float | None = Field(None, ge=-180, le=180)
    lat: float | None = Field(None, ge=-90, le=90)
    building_code: str | None = Field(None, max_length=32)


class LocateIn(BaseModel):
    """Where a request from the manual-location queue is: a building, a point or a grid."""

    building_code: str | None = Field(None, max_length=32)
    lon: float | None = Field(None, ge=-180, le=180)
    lat: float | None = Field(None, ge=-90, le=90)
    grid_code: str | None = Field(None, max_length=32)


def encode_cursor(sort: str, value: int | str | None, case_id: str) -> str:
    """The position after a case in a sorted list (its sort value and id), opaque to clients."""
    raw = json.dumps([sort, value, case_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple[int | str | None, str]:
    """(sort value, case id) of a cursor given for the same sort; 422 otherwise."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        given, value, case_id = json.loads(base64.urlsafe_b64decode(padded))
        if not isinstance(case_id, str) or not isinstance(value, int | str | None):
            raise ValueError
    except (ValueError, TypeError) as e:
        raise HTTPException(422, "cursor: not a cursor this API gave out") from e
    if given != sort:
        raise HTTPException(422, f"cursor: it continues a list sorted by {given}, not {sort}")
    return value, case_id
