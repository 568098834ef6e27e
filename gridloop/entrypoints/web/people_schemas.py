"""API schemas of the people routes (their own classes, not the tables')."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ResidentOut(BaseModel):
    id: str
    name: str
    building_code: str
    room: str
    phone: str
    emergency_contact: str
    tags: list[str]
    grid_code: str
    masked: bool = Field(description="false only on a logged reveal")


class ResidentPage(BaseModel):
    items: list[ResidentOut]
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null: done")


class ReadingOut(BaseModel):
    ts: str
    seq: int
    values: dict[str, float]
    event: str | None


class HourlyOut(BaseModel):
    field: str
    hour: str
    n: int
    mean: float
    low: float
    high: float


class HealthOut(BaseModel):
    device_id: str
    resident_id: str | None
    grid_code: str
    readings: list[ReadingOut] = Field(description="newest first")
    hourly: list[HourlyOut] = Field(description="oldest hour first")


class AccessEntryOut(BaseModel):
    id: int
    at: str
    user_id: str
    user: str
    action: str
    subject: str
    detail: str


class AuditPage(BaseModel):
    items: list[AccessEntryOut]
    next_after: int | None = Field(description="pass as `after` for the next page; null: done")
