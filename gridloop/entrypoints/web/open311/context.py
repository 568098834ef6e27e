"""What the Open311 routes hold for the server's lifetime: catalogue and address index.

Both are built once at start (a bad `[open311]` table stops the server with its key); the case
service is the app's own (`WebState.cases`), so Open311 cases go through the same single writer.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from fastapi import HTTPException, Request

from gridloop.bootstrap import bootstrap
from gridloop.config import ConfigError, Settings
from gridloop.entrypoints.timefmt import iso
from gridloop.entrypoints.web.state import WebState
from gridloop.service_layer.addresses import AddressIndex
from gridloop.service_layer.casework import CaseService
from gridloop.service_layer.citizen_requests import CitizenDesk
from gridloop.service_layer.public_requests import PublicRequests
from gridloop.service_layer.service_catalogue import Catalogue


@dataclass
class Open311Context:
    catalogue: Catalogue
    addresses: AddressIndex
    changeset: str
    _built_for: CaseService | None = field(default=None, repr=False)
    _desk: CitizenDesk | None = field(default=None, repr=False)
    _reader: PublicRequests | None = field(default=None, repr=False)

    @classmethod
    def load(cls, settings: Settings) -> Open311Context:
        app = bootstrap(settings)
        registry = app.registry()
        district = registry.district if registry else None
        try:
            catalogue = Catalogue.from_config(
                settings.document(), district.code if district else ""
            )
        except ValueError as e:
            raise ConfigError(f"{settings.config_path or 'settings'}: {e}") from e
        buildings = registry.buildings if registry else ()
        names = (district.name,) if district else ()
        changeset = iso(int(time.time()) * 1000) or ""
        return cls(catalogue, AddressIndex(buildings, names), changeset)

    def _services(self, request: Request) -> tuple[CitizenDesk, PublicRequests]:
        state: WebState = request.app.state.gridloop
        cases = state.case_service()
        if self._desk is None or self._reader is None or self._built_for is not cases:
            self._desk = CitizenDesk(cases, self.catalogue, self.addresses)
            self._reader = PublicRequests(cases, self.catalogue, self.addresses)
            self._built_for = cases
        return self._desk, self._reader

    def desk(self, request: Request) -> CitizenDesk:
        return self._services(request)[0]

    def reader(self, request: Request) -> PublicRequests:
        return self._services(request)[1]

    def check_jurisdiction(self, jurisdiction_id: str | None) -> None:
        """An empty or missing jurisdiction_id is this one; an unknown one is 404."""
        if jurisdiction_id and jurisdiction_id not in self.catalogue.jurisdictions:
            raise HTTPException(404, f"jurisdiction_id {jurisdiction_id!r} not found")


def context(request: Request) -> Open311Context:
    found: Open311Context = request.app.state.open311
    return found
