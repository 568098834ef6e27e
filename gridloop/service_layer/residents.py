"""Residents and their care devices as the privacy policy lets each caller see them.

Lists are masked; a full view (`reveal`) and every look at health readings is allowed by role
and region (`domain.privacy`) and written to the access log before the data is returned.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from gridloop.domain.accounts import Account
from gridloop.domain.cases.actor import Actor, Place
from gridloop.domain.privacy import (
    LOG_ACTION,
    Purpose,
    RegionFilter,
    mask_contact,
    mask_name,
    mask_phone,
    refusal,
    region_filter,
)

CARE_KIND = "elderly_care"
HOUR_MS = 3_600_000


@dataclass(frozen=True)
class ResidentRecord:
    id: str
    name: str
    building_code: str
    room: str
    phone: str
    tags: tuple[str, ...]
    emergency_contact: str
    grid_code: str
    community_code: str
    street_code: str

    @property
    def place(self) -> Place:
        return Place(self.grid_code, self.community_code, self.street_code)

    def masked(self) -> ResidentRecord:
        return replace(
            self,
            name=mask_name(self.name),
            phone=mask_phone(self.phone),
            emergency_contact=mask_contact(self.emergency_contact),
        )


@dataclass(frozen=True)
class CareDevice:
    id: str
    kind: str
    building_code: str
    resident_id: str
    grid_code: str
    community_code: str
    street_code: str

    @property
    def place(self) -> Place:
        return Place(self.grid_code, self.community_code, self.street_code)


@dataclass(frozen=True)
class Reading:
    ts: int
    seq: int
    values: Mapping[str, float]
    event: str | None


@dataclass(frozen=True)
class HourlyFigure:
    field: str
    hour: int
    n: int
    mean: float
    low: float
    high: float


@dataclass(frozen=True)
class Health:
    device: CareDevice
    readings: Sequence[Reading]
    hourly: Sequence[HourlyFigure]


@dataclass(frozen=True)
class Page:
    items: Sequence[ResidentRecord]
    next_cursor: str | None


@dataclass(frozen=True)
class AccessEntry:
    id: int
    at: int
    user_id: str
    user_name: str
    action: str
    subject: str
    detail: str


class PeopleDirectory(Protocol):
    def residents(
        self,
        region: RegionFilter,
        after_id: str = "",
        limit: int = 50,
        grid_code: str | None = None,
        tag: str | None = None,
    ) -> list[ResidentRecord]: ...
    def resident(self, resident_id: str) -> ResidentRecord | None: ...
    def care_device(self, device_id: str) -> CareDevice | None: ...
    def close(self) -> None: ...


class HealthReadings(Protocol):
    def latest(self, device_id: str, limit: int) -> list[Reading]: ...
    def hourly(self, device_id: str, since_ms: int) -> list[HourlyFigure]: ...
    def close(self) -> None: ...


class AccessLog(Protocol):
    def log_access(
        self, at_ms: int, user_id: str, action: str, subject: str = "", detail: str = ""
    ) -> None: ...
    def close(self) -> None: ...
    def access_log(
        self, since_ms: int | None = None, after_id: int = 0, limit: int = 200
    ) -> list[tuple[int, int, str, str, str, str]]: ...
    def users(self) -> list[tuple[Account, bool]]: ...


class PrivacyRefused(PermissionError):
    """The caller's role may not see this (403): the message says who may."""


class NotInReach(LookupError):
    """No such resident or care device within the caller's region (404, whichever it is)."""


@dataclass(frozen=True)
class Viewer:
    """Who is looking: the account (for the log) and the actor (for the region)."""

    account: Account
    actor: Actor


class ResidentService:
    def __init__(
        self, directory: PeopleDirectory, readings: HealthReadings, log: AccessLog
    ) -> None:
        self.directory, self.readings, self.log = directory, readings, log

    def close(self) -> None:
        for part in (self.directory, self.readings, self.log):
            part.close()

    def residents(
        self,
        viewer: Viewer,
        after_id: str = "",
        limit: int = 50,
        grid_code: str | None = None,
        tag: str | None = None,
    ) -> Page:
        """A masked page of the residents in the viewer's region."""
        self._check(viewer, Purpose.LIST)
        rows = self.directory.residents(
            region_filter(viewer.actor), after_id, limit + 1, grid_code, tag
        )
        more = len(rows) > limit
        rows = rows[:limit]
        return Page([r.masked() for r in rows], rows[-1].id if more else None)

    def resident(
        self, viewer: Viewer, resident_id: str, reveal: bool, at_ms: int
    ) -> ResidentRecord:
        """One resident, masked, or in full when `reveal` is allowed (and then logged)."""
        self._check(viewer, Purpose.LIST)
        record = self.directory.resident(resident_id)
        if record is None or not viewer.actor.covers(record.place):
            raise NotInReach(f"no resident {resident_id} in your region")
        if not reveal:
            return record.masked()
        self._check(viewer, Purpose.REVEAL, at_ms, record.id)
        self.log.log_access(at_ms, viewer.account.id, LOG_ACTION[Purpose.REVEAL], record.id)
        return record

    def health(
        self, viewer: Viewer, device_id: str, readings: int, hours: int, at_ms: int
    ) -> Health:
        """An elderly-care device's latest readings and hourly figures, logged."""
        self._check(viewer, Purpose.HEALTH, at_ms, device_id)
        device = self.directory.care_device(device_id)
        if device is None or device.kind != CARE_KIND or not viewer.actor.covers(device.place):
            raise NotInReach(f"no elderly-care device {device_id} in your region")
        self.log.log_access(
            at_ms, viewer.account.id, LOG_ACTION[Purpose.HEALTH], device.id, device.resident_id
        )
        return Health(
            device,
            self.readings.latest(device.id, readings),
            self.readings.hourly(device.id, at_ms - hours * HOUR_MS),
        )

    def access_log(
        self, viewer: Viewer, since_ms: int | None, after_id: int, limit: int, at_ms: int
    ) -> list[AccessEntry]:
        """The access log, oldest first; reading it is itself an entry."""
        self._check(viewer, Purpose.AUDIT)
        names = {account.id: account.name for account, _disabled in self.log.users()}
        rows = self.log.access_log(since_ms, after_id, limit)
        self.log.log_access(at_ms, viewer.account.id, LOG_ACTION[Purpose.AUDIT], "access_log")
        return [
            AccessEntry(i, at, user, names.get(user, ""), action, subject, detail)
            for i, at, user, action, subject, detail in rows
        ]

    def _check(
        self, viewer: Viewer, purpose: Purpose, at_ms: int | None = None, subject: str = ""
    ) -> None:
        why = refusal(viewer.account.role, purpose)
        if why is None:
            return
        if at_ms is not None:  # a refused look at personal data is worth an auditor's eye
            self.log.log_access(at_ms, viewer.account.id, f"{purpose.value}_refused", subject)
        raise PrivacyRefused(why)
