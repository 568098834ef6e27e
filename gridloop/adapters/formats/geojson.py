"""GeoJSON geometry ⇄ Area, with messages that say what is wrong."""

from __future__ import annotations

import json
import math

from gridloop.domain.geometry import Area, PolygonRings, Ring, point_problem


class GeometryError(ValueError):
    """A geometry that is not a well-formed GeoJSON Polygon or MultiPolygon."""


def area_to_geojson(area: Area) -> str:
    return json.dumps(
        {"type": area.geojson_type, "coordinates": area.geojson_coordinates()},
        separators=(",", ":"),
    )


def area_from_geojson(text: str) -> Area:
    return parse_area(json.loads(text))


def parse_area(geometry: object) -> Area:
    """An Area from a GeoJSON geometry object; GeometryError says why it cannot be one."""
    if not isinstance(geometry, dict):
        raise GeometryError("geometry must be an object")
    kind = geometry.get("type")
    coords = geometry.get("coordinates")
    if kind == "Polygon":
        return Area((_polygon(coords, "polygon"),), multi=False)
    if kind == "MultiPolygon":
        if not isinstance(coords, list) or not coords:
            raise GeometryError("MultiPolygon needs a non-empty list of polygons")
        return Area(tuple(_polygon(p, f"polygon {i + 1}") for i, p in enumerate(coords)), True)
    raise GeometryError(f"geometry type {kind!r} is not Polygon or MultiPolygon")


def _polygon(coords: object, where: str) -> PolygonRings:
    if not isinstance(coords, list) or not coords:
        raise GeometryError(f"{where}: needs a non-empty list of rings")
    return tuple(_ring(r, f"{where} ring {i + 1}") for i, r in enumerate(coords))


def _ring(coords: object, where: str) -> Ring:
    if not isinstance(coords, list):
        raise GeometryError(f"{where}: must be a list of positions")
    points = []
    for i, position in enumerate(coords):
        if (
            not isinstance(position, list)
            or len(position) < 2
            or not all(_is_number(v) for v in position[:2])
        ):
            raise GeometryError(f"{where} point {i + 1}: {position!r} is not [lon, lat]")
        lon, lat = float(position[0]), float(position[1])
        if point_problem(lon, lat):
            raise GeometryError(f"{where} point {i + 1}: [{lon}, {lat}] is not a lon/lat")
        points.append((lon, lat))
    if len(points) < 4:
        raise GeometryError(f"{where}: a ring needs at least 4 positions, has {len(points)}")
    if points[0] != points[-1]:
        raise GeometryError(f"{where}: ring is not closed (first and last positions differ)")
    return tuple(points)


def _is_number(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
