"""Write a DistrictRegistry as a district directory, deterministically (sorted, fixed layout)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from gridloop.adapters.formats.columns import (
    BUILDINGS_FILE,
    COLUMNS,
    DEPARTMENTS_FILE,
    DEVICES_FILE,
    DISTRICT_FILE,
    GRIDS_FILE,
    LIST_SEPARATOR,
    RESIDENTS_FILE,
    WORKERS_FILE,
)
from gridloop.domain.registry import DistrictRegistry


def number(value: float) -> str:
    """Shortest text that reads back as the same float ('101.5', '36.612345')."""
    return repr(float(value))


def write_registry(registry: DistrictRegistry, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    _write_district(registry, directory / DISTRICT_FILE)
    _write_grids(registry, directory / GRIDS_FILE)
    _write_csv(
        directory / BUILDINGS_FILE,
        COLUMNS[BUILDINGS_FILE],
        (
            (b.code, b.name, number(b.lon), number(b.lat), b.address, str(b.households), b.compound)
            for b in sorted(registry.buildings, key=lambda b: b.code)
        ),
    )
    _write_csv(
        directory / WORKERS_FILE,
        COLUMNS[WORKERS_FILE],
        (
            (w.id, w.name, w.phone, LIST_SEPARATOR.join(w.grid_codes), w.employment.value)
            for w in sorted(registry.workers, key=lambda w: w.id)
        ),
    )
    _write_csv(
        directory / DEVICES_FILE,
        COLUMNS[DEVICES_FILE],
        (
            (
                d.id,
                d.kind,
                d.building_code,
                number(d.lon),
                number(d.lat),
                json.dumps(dict(d.attrs), ensure_ascii=False, sort_keys=True) if d.attrs else "",
            )
            for d in sorted(registry.devices, key=lambda d: d.id)
        ),
    )
    _write_csv(
        directory / RESIDENTS_FILE,
        COLUMNS[RESIDENTS_FILE],
        (
            (
                r.id,
                r.name,
                r.building_code,
                r.room,
                r.phone,
                LIST_SEPARATOR.join(t.value for t in r.tags),
                r.emergency_contact,
            )
            for r in sorted(registry.residents, key=lambda r: r.id)
        ),
    )
    if registry.departments:
        _write_csv(
            directory / DEPARTMENTS_FILE,
            COLUMNS[DEPARTMENTS_FILE],
            (
                (d.code, d.name, d.phone, LIST_SEPARATOR.join(f.value for f in d.functions))
                for d in sorted(registry.departments, key=lambda d: d.code)
            ),
        )


def _write_district(registry: DistrictRegistry, path: Path) -> None:
    d = registry.district
    doc = {
        "code": d.code,
        "name": d.name,
        "streets": [
            {
                "code": s.code,
                "name": s.name,
                "communities": [
                    {"code": c.code, "name": c.name}
                    for c in sorted(s.communities, key=lambda c: c.code)
                ],
            }
            for s in sorted(d.streets, key=lambda s: s.code)
        ],
    }
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _write_grids(registry: DistrictRegistry, path: Path) -> None:
    # One feature per line: readable, diffable, and cheap to stream.
    lines = ['{"type": "FeatureCollection", "features": [']
    grids = sorted(registry.grids, key=lambda g: g.code)
    for i, g in enumerate(grids):
        props: dict[str, object] = {
            "code": g.code,
            "name": g.name,
            "community_code": g.community_code,
        }
        if g.households is not None:
            props["households"] = g.households
        feature = {
            "type": "Feature",
            "properties": props,
            "geometry": {"type": g.area.geojson_type, "coordinates": g.area.geojson_coordinates()},
        }
        sep = "," if i < len(grids) - 1 else ""
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")) + sep)
    lines.append("]}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(header)
        out.writerows(rows)
