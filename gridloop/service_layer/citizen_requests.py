"""The citizen-request desk behind Open311: a request becomes a case of the catalogue's category.

A request is located by coordinates, a building code (address_id) or a free-text address; an
address matched below the threshold waits in the dispatcher's manual-location queue rather than
go to a wrong grid. Reading the requests back is `public_requests`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from gridloop.domain.cases.actor import Actor
from gridloop.domain.cases.citizen_services import ServiceType
from gridloop.domain.cases.errors import ReportRefused
from gridloop.domain.cases.sla import Duration
from gridloop.domain.devices.rules import Severity
from gridloop.service_layer.addresses import AddressIndex
from gridloop.service_layer.casework import CaseService, NewReport, ReportOutcome
from gridloop.service_layer.public_requests import agency
from gridloop.service_layer.service_catalogue import Catalogue

_Place = tuple[float | None, float | None, str | None]  # lon, lat, building code


class UnknownService(LookupError):
    """No service of that code in the catalogue."""


class InvalidRequest(ValueError):
    """A request that cannot be filed as given; the message says why."""


@dataclass(frozen=True)
class Submission:
    service_code: str
    description: str = ""
    lat: float | None = None
    lon: float | None = None
    address_string: str = ""
    address_id: str = ""
    media_url: str = ""
    attributes: Mapping[str, list[str]] = field(default_factory=dict)
    contact: Mapping[str, str] = field(default_factory=dict)  # email, phone, names, device…


@dataclass(frozen=True)
class Filed:
    """A filed request: where it went, or why it waits."""

    case_id: str
    merged_into: str | None = None
    agency: str | None = None
    handle_due: int | None = None
    confidence: float | None = None  # of the address match, when the address was text
    awaits_location: bool = False


class CitizenDesk:
    def __init__(self, cases: CaseService, catalogue: Catalogue, addresses: AddressIndex) -> None:
        self.cases, self.catalogue, self.addresses = cases, catalogue, addresses

    def service(self, code: str) -> ServiceType:
        found = self.catalogue.services.get(code)
        if found is None:
            raise UnknownService(f"service_code {code!r} not found")
        return found

    def handling_limit(self, service: ServiceType) -> Duration:
        """The time limit for handling the service's cases, from the SLA policy."""
        severity = next(s for s in Severity if s.label == service.severity)
        return self.cases.policy.sla.limit_for(severity, service.category).handle

    def file(self, sub: Submission, reporter: Actor, at_ms: int) -> Filed:
        """Open a case for the request; InvalidRequest or UnknownService say why not."""
        service = self.service(sub.service_code)
        for attribute in service.attributes:
            why = attribute.refusal(list(sub.attributes.get(attribute.code, [])))
            if why:
                raise InvalidRequest(why)
        (lon, lat, building), extra = self._where(sub)
        extra |= {"service_code": service.code, "attributes": dict(sub.attributes)}
        if sub.media_url:
            extra["media_url"] = sub.media_url
        if sub.contact:
            extra["contact"] = dict(sub.contact)
        contact = sub.contact.get("phone") or sub.contact.get("email")
        report = NewReport(
            "open311",
            service.category,
            service.severity,
            sub.description,
            lon=lon,
            lat=lat,
            building_code=building,
            reporter=contact or reporter.id,
            extra=extra,
            queue_unlocated=True,
        )
        try:
            outcome = self.cases.report(report, reporter, at_ms)
        except ReportRefused as e:
            raise InvalidRequest(f"{e.field}: {e.why}") from None
        return self._filed(outcome, extra)

    def _where(self, sub: Submission) -> tuple[_Place, dict[str, object]]:
        """The report's place, and what the payload keeps of how it was found."""
        extra: dict[str, object] = {}
        if sub.address_string:
            extra["address_string"] = sub.address_string
        if sub.address_id:
            if sub.address_id not in self.addresses.by_code:
                raise InvalidRequest(f"address_id {sub.address_id!r} is not a known building")
            return (None, None, sub.address_id), extra | {"location_source": "address_id"}
        if sub.lat is not None and sub.lon is not None:
            try:
                self.cases.directory.locate(sub.lon, sub.lat)
            except ReportRefused as e:
                raise InvalidRequest(f"lat/long: {e.why}") from None
            return (sub.lon, sub.lat, None), extra | {"location_source": "coordinates"}
        if not sub.address_string:
            raise InvalidRequest(
                "a location is required: lat and long, address_string or address_id"
            )
        found = self.addresses.match(sub.address_string)
        confidence = found.confidence if found else 0.0
        extra |= {"location_source": "address_string", "location_confidence": confidence}
        if found is None or confidence < self.catalogue.match_threshold:
            if found is not None:
                extra["location_candidate"] = found.building_code
            return (None, None, None), extra
        return (None, None, found.building_code), extra

    def _filed(self, outcome: ReportOutcome, extra: Mapping[str, object]) -> Filed:
        confidence = extra.get("location_confidence")
        conf = float(confidence) if isinstance(confidence, int | float) else None
        summary = self.cases.store.summary(outcome.case_id)
        assert summary is not None
        return Filed(
            outcome.case_id,
            outcome.merged_into,
            agency(self.cases.directory, summary),
            summary.handle_due,
            conf,
            awaits_location=summary.grid_code is None and summary.state == "reported",
        )
