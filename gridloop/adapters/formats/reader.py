"""Read a district directory into located domain records, collecting every problem."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from gridloop.adapters.formats.columns import (
    BUILDINGS_FILE,
    COLUMNS,
    DEPARTMENTS_FILE,
    DEVICES_FILE,
    DISTRICT_FILE,
    GRIDS_FILE,
    LIST_SEPARATOR,
    OPTIONAL_COLUMNS,
    RESIDENTS_FILE,
    WORKERS_FILE,
)
from gridloop.adapters.formats.geojson import GeometryError, parse_area
from gridloop.adapters.formats.text import Row, read_csv, read_text
from gridloop.domain.buildings import Building
from gridloop.domain.devices.device import Device
from gridloop.domain.geometry import point_problem
from gridloop.domain.people import (
    Department,
    DepartmentFunction,
    Employment,
    GridWorker,
    Resident,
    ResidentTag,
)
from gridloop.domain.problems import Located, Problem
from gridloop.domain.regions import Community, District, Grid, Street
from gridloop.domain.registry_checks import ParsedRegistry


@dataclass
class _Lines:
    """Finds the line a JSON value sits on, for messages about hand-edited JSON files."""

    text: str
    starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.starts = [0] + [i + 1 for i, ch in enumerate(self.text) if ch == "\n"]

    def of(self, value: str, after: int = 0) -> int:
        pos = self.text.find(json.dumps(value, ensure_ascii=False), self.starts[max(after - 1, 0)])
        if pos < 0:
            return 0
        lo, hi = 0, len(self.starts) - 1
        while lo < hi:  # the last line start ≤ pos
            mid = (lo + hi + 1) // 2
            if self.starts[mid] <= pos:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1


def read_directory(directory: Path) -> ParsedRegistry:
    problems: list[Problem] = []
    if not directory.is_dir():
        problems.append(Problem(str(directory), 0, "", "is not a directory"))
        return ParsedRegistry(problems=problems)
    region_lines: dict[str, int] = {}
    return ParsedRegistry(
        district=_read_district(directory / DISTRICT_FILE, problems, region_lines),
        grids=_read_grids(directory / GRIDS_FILE, problems),
        buildings=[
            _building(r)
            for r in read_csv(directory / BUILDINGS_FILE, COLUMNS[BUILDINGS_FILE], problems)
        ],
        workers=[
            _worker(r) for r in read_csv(directory / WORKERS_FILE, COLUMNS[WORKERS_FILE], problems)
        ],
        devices=[
            _device(r) for r in read_csv(directory / DEVICES_FILE, COLUMNS[DEVICES_FILE], problems)
        ],
        residents=[
            _resident(r)
            for r in read_csv(directory / RESIDENTS_FILE, COLUMNS[RESIDENTS_FILE], problems)
        ],
        departments=[
            _department(r)
            for r in read_csv(
                directory / DEPARTMENTS_FILE,
                COLUMNS[DEPARTMENTS_FILE],
                problems,
                required=False,
                optional=OPTIONAL_COLUMNS[DEPARTMENTS_FILE],
            )
        ],
        problems=problems,
        region_lines=region_lines,
    )


def _load_json(path: Path, problems: list[Problem]) -> tuple[object, _Lines] | None:
    text = read_text(path, problems)
    if text is None:
        return None
    try:
        return json.loads(text), _Lines(text)
    except json.JSONDecodeError as e:
        problems.append(
            Problem(path.name, e.lineno, "", f"invalid JSON: {e.msg} (column {e.colno})")
        )
        return None


def _str(obj: dict[str, object], key: str) -> str:
    value = obj.get(key)
    return value.strip() if isinstance(value, str) else ""


def _read_district(
    path: Path, problems: list[Problem], region_lines: dict[str, int]
) -> Located[District] | None:
    loaded = _load_json(path, problems)
    if loaded is None:
        return None
    doc, lines = loaded
    name = path.name
    if not isinstance(doc, dict):
        problems.append(Problem(name, 1, "", "must be a JSON object with code, name and streets"))
        return None
    for key in ("code", "name"):
        if not _str(doc, key):
            problems.append(Problem(name, 1, key, "must be a non-empty string"))
    raw_streets = doc.get("streets")
    if not isinstance(raw_streets, list):
        problems.append(Problem(name, 1, "streets", "must be a list"))
        raw_streets = []
    streets = []
    for i, s in enumerate(raw_streets):
        where = f"streets[{i}]"
        if not isinstance(s, dict):
            problems.append(
                Problem(name, 0, where, "must be an object with code, name, communities")
            )
            continue
        line = lines.of(_str(s, "code"))
        region_lines.setdefault(_str(s, "code"), line)
        for key in ("code", "name"):
            if not _str(s, key):
                problems.append(Problem(name, line, f"{where}.{key}", "must be a non-empty string"))
        raw_communities = s.get("communities", [])
        if not isinstance(raw_communities, list):
            problems.append(Problem(name, line, f"{where}.communities", "must be a list"))
            raw_communities = []
        communities = []
        for j, c in enumerate(raw_communities):
            cwhere = f"{where}.communities[{j}]"
            if not isinstance(c, dict) or not _str(c, "code") or not _str(c, "name"):
                problems.append(Problem(name, line, cwhere, "needs a non-empty code and name"))
                continue
            communities.append(Community(_str(c, "code"), _str(c, "name")))
            region_lines.setdefault(_str(c, "code"), lines.of(_str(c, "code"), line))
        streets.append(Street(_str(s, "code"), _str(s, "name"), tuple(communities)))
    return Located(District(_str(doc, "code"), _str(doc, "name"), tuple(streets)), 1)


def _read_grids(path: Path, problems: list[Problem]) -> list[Located[Grid]]:
    loaded = _load_json(path, problems)
    if loaded is None:
        return []
    doc, lines = loaded
    name = path.name
    features = doc.get("features") if isinstance(doc, dict) else None
    if (
        not isinstance(doc, dict)
        or doc.get("type") != "FeatureCollection"
        or not isinstance(features, list)
    ):
        problems.append(Problem(name, 1, "", "must be a GeoJSON FeatureCollection with features"))
        return []
    grids: list[Located[Grid]] = []
    previous_line = 1
    for i, feature in enumerate(features):
        props = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(feature, dict) or not isinstance(props, dict):
            problems.append(Problem(name, 0, f"features[{i}]", "must be a Feature with properties"))
            continue
        code = _str(props, "code")
        line = lines.of(code, previous_line) if code else 0
        previous_line = line or previous_line
        where = line if line else 0
        ok = True
        for key in ("code", "name", "community_code"):
            if not _str(props, key):
                problems.append(
                    Problem(name, where, key, f"feature {i + 1}: must be a non-empty string")
                )
                ok = False
        households = props.get("households")
        if households is not None and (
            not isinstance(households, int) or isinstance(households, bool) or households < 0
        ):
            problems.append(
                Problem(name, where, "households", f"{households!r} is not a whole number ≥ 0")
            )
            ok = False
        try:
            area = parse_area(feature.get("geometry"))
        except GeometryError as e:
            problems.append(Problem(name, where, "geometry", str(e)))
            ok = False
        if ok:
            grids.append(
                Located(
                    Grid(
                        code, _str(props, "name"), _str(props, "community_code"), area, households
                    ),
                    line,
                )
            )
    return grids


def _point(row: Row, *, required: bool) -> tuple[float, float]:
    lon = row.number("lon", required=required)
    lat = row.number("lat", required=required)
    if lon is None or lat is None:
        if (lon is None) != (lat is None):
            row.problem("lon" if lon is None else "lat", "give both lon and lat, or neither")
        return math.nan, math.nan
    why = point_problem(lon, lat)
    if why:
        row.problem("lon/lat", why)
        return math.nan, math.nan
    return lon, lat


def _building(row: Row) -> Located[Building]:
    lon, lat = _point(row, required=True)
    households = row.whole("households")
    return Located(
        Building(
            code=row.text("code"),
            name=row.text("name"),
            lon=lon,
            lat=lat,
            address=row.text("address", required=False),
            households=households if households is not None else 0,
            compound=row.text("compound", required=False),
        ),
        row.line,
    )


def _worker(row: Row) -> Located[GridWorker]:
    raw = row.text("employment")
    try:
        employment = Employment(raw)
    except ValueError:
        row.problem("employment", f"{raw!r} is not full_time or part_time")
        employment = Employment.PART_TIME
    grids = row.items("grid_codes")
    if not grids:
        row.problem("grid_codes", "a worker serves at least one grid")
    return Located(
        GridWorker(
            row.text("id"), row.text("name"), row.text("phone", required=False), grids, employment
        ),
        row.line,
    )


def _device(row: Row) -> Located[Device]:
    lon, lat = _point(row, required=False)
    raw = row.text("attrs", required=False)
    attrs: dict[str, object] = {}
    if raw:
        try:
            parsed = json.loads(raw)
        except json.JSONDecodeError as e:
            row.problem("attrs", f"invalid JSON: {e.msg}")
        else:
            if isinstance(parsed, dict):
                attrs = parsed
            else:
                row.problem("attrs", "must be a JSON object")
    return Located(
        Device(
            row.text("id"),
            row.text("kind"),
            row.text("building_code", required=False),
            lon,
            lat,
            attrs,
        ),
        row.line,
    )


def _resident(row: Row) -> Located[Resident]:
    tags = []
    for raw in row.items("tags"):
        try:
            tags.append(ResidentTag(raw))
        except ValueError:
            known = ", ".join(t.value for t in ResidentTag)
            row.problem("tags", f"unknown tag {raw!r}; known: {known}")
    return Located(
        Resident(
            id=row.text("id"),
            name=row.text("name"),
            building_code=row.text("building_code"),
            room=row.text("room", required=False),
            phone=row.text("phone", required=False),
            tags=tuple(tags),
            emergency_contact=row.text("emergency_contact", required=False),
        ),
        row.line,
    )


def _department(row: Row) -> Located[Department]:
    functions = []
    for raw in row.items("functions", LIST_SEPARATOR):
        try:
            functions.append(DepartmentFunction(raw))
        except ValueError:
            known = ", ".join(f.value for f in DepartmentFunction)
            row.problem("functions", f"unknown function {raw!r}; known: {known}")
    return Located(
        Department(
            row.text("code"),
            row.text("name"),
            row.text("phone", required=False),
            tuple(dict.fromkeys(functions)),
        ),
        row.line,
    )
