"""Citizen requests as the public may read them (Open311 GET): no person is ever named.

Only hotline and Open311 cases are citizen requests; sensor and patrol cases stay internal.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from gridloop.domain.cases.actor import Actor
from gridloop.domain.cases.errors import CaseNotFound
from gridloop.domain.cases.events import CaseEvent, Role
from gridloop.domain.cases.public_view import PublicUpdate, masked, public_status, public_updates
from gridloop.domain.cases.request import text
from gridloop.domain.cases.states import OPEN_STATES, CaseState
from gridloop.domain.cases.summary import CaseSummary
from gridloop.service_layer.addresses import AddressIndex
from gridloop.service_layer.case_directory import CaseDirectory
from gridloop.service_layer.casework import CaseService
from gridloop.service_layer.ports import CaseFilter
from gridloop.service_layer.service_catalogue import Catalogue

PUBLIC_CHANNELS = ("open311", "hotline")
READER = Actor("open311", Role.SYSTEM)
DAY_MS = 86_400_000
MAX_UPDATES = 1000
_OPEN = tuple(s.value for s in OPEN_STATES)
_CLOSED = tuple(s.value for s in CaseState if s.is_final)


@dataclass(frozen=True)
class PublicRequest:
    case_id: str
    status: str  # open | closed
    status_notes: str
    service_code: str | None
    service_name: str | None
    description: str
    agency: str | None
    requested_at: int
    updated_at: int  # the close time once closed
    expected_at: int | None  # the handling deadline
    address: str | None
    address_id: str | None
    lat: float | None
    lon: float | None
    media_url: str | None


@dataclass(frozen=True)
class RequestQuery:
    case_ids: tuple[str, ...] = ()  # overrides every other filter
    service_codes: tuple[str, ...] = ()
    start: int | None = None
    end: int | None = None
    statuses: tuple[str, ...] = ()  # open, closed
    offset: int = 0
    limit: int = 1000


def agency(directory: CaseDirectory, s: CaseSummary) -> str | None:
    """The unit responsible (a grid, community or department name; never a person)."""
    names = directory.names
    if s.assignee_kind == "worker" and s.grid_code:
        return names.get(s.grid_code, s.grid_code)
    if s.assignee:
        return names.get(s.assignee, s.assignee)
    code = s.community_code or s.street_code
    return names.get(code, code) if code else None


class PublicRequests:
    def __init__(self, cases: CaseService, catalogue: Catalogue, addresses: AddressIndex) -> None:
        self.cases, self.catalogue, self.addresses = cases, catalogue, addresses

    def request(self, case_id: str) -> PublicRequest:
        """One citizen request (CaseNotFound for anything else)."""
        summary, history = self.cases.case(case_id, READER)
        if summary.channel not in PUBLIC_CHANNELS:
            raise CaseNotFound(case_id)
        return self._public(summary, history)

    def requests(self, q: RequestQuery) -> list[PublicRequest]:
        """Newest first, after `offset`, at most `limit`."""
        found: list[PublicRequest] = []
        for public in self._matching(q):
            found.append(public)
            if len(found) >= q.offset + q.limit:
                break
        return found[q.offset :]

    def _matching(self, q: RequestQuery) -> Iterator[PublicRequest]:
        if q.case_ids:
            f = CaseFilter(case_ids=q.case_ids, channels=PUBLIC_CHANNELS)
        else:
            states: tuple[str, ...] = ()
            if q.statuses and set(q.statuses) != {"open", "closed"}:
                states = _OPEN if "open" in q.statuses else _CLOSED
            services = self.catalogue.services
            categories = tuple({services[c].category for c in q.service_codes if c in services})
            if q.service_codes and not categories:
                return
            f = CaseFilter(
                channels=PUBLIC_CHANNELS,
                states=states,
                categories=categories,
                reported_from=q.start,
                reported_to=q.end + 1 if q.end is not None else None,
                sort="reported_at",
                descending=True,
            )
        for summary in self.cases.find(f, READER):
            public = self._public(summary, self.cases.store.history(summary.case_id))
            if not q.case_ids and q.service_codes and public.service_code not in q.service_codes:
                continue
            yield public

    def _public(self, s: CaseSummary, history: list[CaseEvent]) -> PublicRequest:
        report = history[0].payload if history else {}
        code = text(report, "service_code")
        services = self.catalogue.services
        service = services.get(code) if code else self.catalogue.service_of(s.category)
        status = public_status(s.state, s.merged_into, history)
        building = self.addresses.by_code.get(s.building_code or "")
        return PublicRequest(
            case_id=s.case_id,
            status=status.status,
            status_notes=status.notes,
            service_code=service.code if service else code,
            service_name=service.name if service else None,
            description=masked(s.description),
            agency=agency(self.cases.directory, s),
            requested_at=s.reported_at,
            updated_at=s.closed_at if s.closed_at is not None else s.updated_at,
            expected_at=s.handle_due,
            address=building.address if building else None,
            address_id=s.building_code,
            lat=s.lat,
            lon=s.lon,
            media_url=text(report, "media_url"),
        )

    def updates(self, start: int, end: int, case_ids: tuple[str, ...] = ()) -> list[PublicUpdate]:
        """The public steps of requests between start and end (oldest first, capped)."""
        if case_ids:
            f = CaseFilter(case_ids=case_ids, channels=PUBLIC_CHANNELS)
        else:  # a request's steps follow its report within the 90 days a query may span
            f = CaseFilter(
                channels=PUBLIC_CHANNELS, reported_from=start - 90 * DAY_MS, reported_to=end + 1
            )
        found: list[PublicUpdate] = []
        for summary in self.cases.find(f, READER):
            history = self.cases.store.history(summary.case_id)
            found += [u for u in public_updates(history) if start <= u.at <= end]
        return sorted(found, key=lambda u: (u.at, u.update_id))[:MAX_UPDATES]
