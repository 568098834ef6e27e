"""The case API's request bodies and its opaque list cursor (schemas of their own, not tables)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from gridloop.domain.cases.events import Action
from gridloop.entrypoints.timefmt import ISO_TIME, ISO_TIME_LENGTH
from gridloop.entrypoints.web import cursors

SORTS = ("reported_at", "updated_at", "handle_due", "sign_due", "case_id")
Sort = Literal["reported_at", "updated_at", "handle_due", "sign_due", "case_id"]
NULLABLE_SORTS = ("handle_due", "sign_due")  # a case may have no such deadline
CASE_ID_LENGTH = 32  # as the case routes' path parameter
Rating = Literal["satisfied", "basically_satisfied", "unsatisfied"]
Hash = Annotated[str, Field(pattern="^[0-9a-f]{64}$")]  # domain.attachments.is_content_hash


class ActionIn(BaseModel):
    """One workflow action; `payload` carries further fields the action takes."""

    action: Action  # an enum in the OpenAPI document: an unknown action is 422 before the route
    note: str | None = Field(None, max_length=2000)
    reason: str | None = Field(None, max_length=500)
    until: str | None = Field(
        None,
        max_length=ISO_TIME_LENGTH,
        json_schema_extra={"pattern": ISO_TIME},  # the route's parse_api_time enforces it
        description="request_extension: the new deadline (ISO-8601)",
    )
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
    return cursors.encode([sort, value, case_id])


def decode_cursor(cursor: str, sort: str) -> tuple[int | str | None, str]:
    """(sort value, case id) of a cursor given for the same sort; 422 `cursor: ...` otherwise."""
    given, value, case_id = cursors.decode(cursor, 3)
    given = cursors.one_of(given, SORTS, "its sort key")
    if given != sort:
        raise cursors.refused(f"it continues a list sorted by {given}, not {sort}")
    position: int | str | None
    if sort == "case_id":
        position = cursors.text(value, "its case id", max_length=CASE_ID_LENGTH)
    else:  # times in epoch ms; a case without a deadline sorts with null
        position = cursors.integer(value, f"its {sort}", nullable=sort in NULLABLE_SORTS)
    return position, cursors.text(case_id, "its case id", max_length=CASE_ID_LENGTH)
