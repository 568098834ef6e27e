"""What `gridloop bench latency` sends and listens to: a fresh district with gateway tokens, the
district's own normal readings (an hour of simulated telemetry, minus every device with an
incident in it), incident events on devices far apart, and a phone token for every worker of
the incidents' grids."""

from __future__ import annotations

import random
import time
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import orjson

from gridloop.benchmarks.latency_load import Incident, Template
from gridloop.bootstrap import bootstrap
from gridloop.config import Settings
from gridloop.domain.cases.events import Role
from gridloop.domain.cases.merging import distance_m
from gridloop.domain.devices.device import Device
from gridloop.simulator.district import write_district
from gridloop.simulator.telemetry.stream import truth_path, write_telemetry

HOUR_MS = 3_600_000
Places = Mapping[str, tuple[float, float, str]]  # building code → lon, lat, grid
APART_M = 120.0  # well beyond the 50 m within which cases of one category merge
EVENTS = {
    "camera": ("intrusion", "ebike_in_elevator", "fire_lane_blocked", "thrown_object"),
    "smoke_detector": ("smoke_alarm",),
    "access_terminal": ("door_forced",),
}


@dataclass(frozen=True)
class Scenario:
    devices: int
    gateways: list[tuple[str, list[Template]]]  # token, the readings it cycles through
    incidents: list[Incident]
    listeners: dict[str, str]  # worker id → API token


def gateway_index(device_id: str, gateways: int) -> int:
    """The gateway a device reports through (fixed, so its sequence numbers stay in order)."""
    return zlib.crc32(device_id.encode()) % gateways


def build_scenario(
    work: Path,
    preset: str,
    incidents: int,
    gateways: int,
    seed: int,
    progress: Callable[[str], None],
    every_phone: bool = True,
) -> Scenario:
    progress(f"building the {preset} district")
    registry = write_district(preset, seed, work / "district")
    app = bootstrap(Settings(db_path=work / "gridloop.db"))
    app.import_directory(work / "district")
    progress("simulating an hour of its telemetry for the normal readings")
    stream = work / "hour.ndjson"
    start = int(time.time() * 1000) // HOUR_MS * HOUR_MS - HOUR_MS
    write_telemetry(registry.devices, hours=1, seed=seed, start_ms=start, out=stream)
    troubled = {a["device_id"] for a in orjson.loads(truth_path(stream).read_bytes())["alerts"]}
    templates: list[list[Template]] = [[] for _ in range(gateways)]
    with stream.open("rb") as lines:
        for line in lines:
            m = orjson.loads(line)
            if "values" in m and m["device_id"] not in troubled:
                templates[gateway_index(m["device_id"], gateways)].append(
                    (m["device_id"], m["values"])
                )
    service = app.case_service()
    directory = service.directory
    service.close()
    chosen = _incidents(registry.devices, directory.buildings, troubled, incidents, seed)
    now = int(time.time() * 1000)
    tokens = app.token_store()
    scope = registry.district.code
    gateway_tokens = [
        tokens.issue_gateway_token(scope, f"bench-gateway-{i}", now) for i in range(gateways)
    ]
    tokens.close()
    grids = {_grid_of(d, directory.buildings) for d in registry.devices if d.id in chosen}
    workers = sorted(
        {w for g in grids for w in directory.workers_of_grid.get(g, ())}
        if not every_phone
        else directory.grids_of_worker
    )
    progress(f"{len(chosen)} incidents in {len(grids)} grids; {len(workers)} phones")
    accounts = app.account_service()
    listeners = {
        w: accounts.add_user(f"phone-{w}", Role.GRID_WORKER, f"worker:{w}", now, api_only=True)[1]
        for w in workers
    }
    accounts.close()
    rng = random.Random(seed)
    events: list[Incident] = [
        (d, rng.choice(EVENTS[kind]), _attrs(d, now)) for d, kind in chosen.items()
    ]
    rng.shuffle(events)
    gateways_ = list(zip(gateway_tokens, templates, strict=True))
    return Scenario(len(registry.devices), gateways_, events, listeners)


def _incidents(
    devices: Sequence[Device],
    buildings: Places,
    troubled: set[str],
    count: int,
    seed: int,
) -> dict[str, str]:
    """device → kind: event devices with no incident of their own, each APART_M from the
    others, taken grid by grid in a seeded order (few grids: few phones to listen to)."""
    by_grid: dict[str, list[Device]] = {}
    for d in devices:
        if d.kind in EVENTS and d.id not in troubled:
            by_grid.setdefault(_grid_of(d, buildings), []).append(d)
    rng = random.Random(seed)
    order = sorted(g for g in by_grid if g)
    rng.shuffle(order)
    chosen: dict[str, str] = {}
    places: list[tuple[float, float]] = []
    for grid in order:
        for d in sorted(by_grid[grid], key=lambda d: d.id):
            lon, lat = _where(d, buildings)
            if all(distance_m(lon, lat, x, y) > APART_M for x, y in places):
                chosen[d.id] = d.kind
                places.append((lon, lat))
                if len(chosen) == count:
                    return chosen
    return chosen


def _grid_of(d: Device, buildings: Places) -> str:
    building = buildings.get(d.building_code)
    return building[2] if building else d.grid_code


def _where(d: Device, buildings: Places) -> tuple[float, float]:
    """Where its case will be: the building's point (the device's own without a building)."""
    building = buildings.get(d.building_code)
    return (building[0], building[1]) if building else (d.lon, d.lat)


def _attrs(device_id: str, now: int) -> dict[str, object]:
    if device_id.startswith("CAM"):
        return {"confidence": 0.93, "snapshot": f"snapshots/{device_id}/{now}.jpg"}
    return {}
