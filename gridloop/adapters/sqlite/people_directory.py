"""Residents and elderly-care devices with the regions they belong to, read in pages from SQLite."""

from __future__ import annotations

import json
import sqlite3
import threading

from gridloop.domain.privacy import RegionFilter
from gridloop.service_layer.residents import CareDevice, ResidentRecord

# building → grid → community → street; every resident and device row carries its regions
_RESIDENTS = (
    "SELECT r.id, r.name, r.building_code, r.room, r.phone, r.tags, r.emergency_contact,"
    " b.grid_code, g.community_code, c.street_code FROM residents r"
    " JOIN buildings b ON b.code = r.building_code JOIN grids g ON g.code = b.grid_code"
    " JOIN communities c ON c.code = g.community_code"
)
_DEVICES = (
    "SELECT d.id, d.kind, d.building_code, d.attrs, d.grid_code, g.community_code,"
    " c.street_code FROM devices d JOIN grids g ON g.code = d.grid_code"
    " JOIN communities c ON c.code = g.community_code"
)
_REGION_COLUMN = {
    "street": "c.street_code",
    "community": "g.community_code",
    "grids": "b.grid_code",
}


class SqlitePeopleDirectory:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._lock = threading.Lock()  # one connection, many request threads

    def close(self) -> None:
        self._conn.close()

    def residents(
        self,
        region: RegionFilter,
        after_id: str = "",
        limit: int = 50,
        grid_code: str | None = None,
        tag: str | None = None,
    ) -> list[ResidentRecord]:
        """A page of the residents in `region`, by id, after `after_id`."""
        if region.kind == "none" or (region.kind != "all" and not region.codes):
            return []
        where, args = ["r.id > ?"], [after_id]
        if region.kind != "all":
            where.append(f"{_REGION_COLUMN[region.kind]} IN ({','.join('?' * len(region.codes))})")
            args += region.codes
        if grid_code is not None:
            where.append("b.grid_code = ?")
            args.append(grid_code)
        if tag is not None:
            where.append("(';' || r.tags || ';') LIKE ?")
            args.append(f"%;{tag};%")
        sql = f"{_RESIDENTS} WHERE {' AND '.join(where)} ORDER BY r.id LIMIT ?"
        with self._lock:
            rows = self._conn.execute(sql, [*args, limit]).fetchall()
        return [_resident(row) for row in rows]

    def resident(self, resident_id: str) -> ResidentRecord | None:
        with self._lock:
            row = self._conn.execute(f"{_RESIDENTS} WHERE r.id = ?", (resident_id,)).fetchone()
        return _resident(row) if row else None

    def care_device(self, device_id: str) -> CareDevice | None:
        with self._lock:
            row = self._conn.execute(f"{_DEVICES} WHERE d.id = ?", (device_id,)).fetchone()
        if row is None:
            return None
        device_id, kind, building, attrs, grid, community, street = row
        resident = json.loads(attrs).get("resident_id") if attrs else None
        return CareDevice(
            id=device_id,
            kind=kind,
            building_code=building,
            resident_id=str(resident) if resident else "",
            grid_code=grid,
            community_code=community,
            street_code=street,
        )


def _resident(row: tuple[str, ...]) -> ResidentRecord:
    rid, name, building, room, phone, tags, contact, grid, community, street = row
    return ResidentRecord(
        id=rid,
        name=name,
        building_code=building,
        room=room,
        phone=phone,
        tags=tuple(t for t in tags.split(";") if t),
        emergency_contact=contact,
        grid_code=grid,
        community_code=community,
        street_code=street,
    )
