"""Plain geometry values (WGS-84 lon/lat); computation on them lives in adapters."""

from __future__ import annotations

from dataclasses import dataclass

Point = tuple[float, float]  # (lon, lat)
Ring = tuple[Point, ...]  # closed: first point == last point
PolygonRings = tuple[Ring, ...]  # shell first, then holes

LON_RANGE = (-180.0, 180.0)
LAT_RANGE = (-90.0, 90.0)


@dataclass(frozen=True)
class Area:
    """A Polygon or MultiPolygon, kept as GeoJSON keeps it."""

    polygons: tuple[PolygonRings, ...]
    multi: bool = False

    def __post_init__(self) -> None:
        if not self.polygons:
            raise ValueError("an area needs at least one polygon")
        if not self.multi and len(self.polygons) != 1:
            raise ValueError("a Polygon area holds exactly one polygon")

    @property
    def geojson_type(self) -> str:
        return "MultiPolygon" if self.multi else "Polygon"

    def geojson_coordinates(self) -> list[object]:
        polys = [[[list(p) for p in ring] for ring in poly] for poly in self.polygons]
        return list(polys) if self.multi else list(polys[0])

    def bounds(self) -> tuple[float, float, float, float]:
        xs = [p[0] for poly in self.polygons for p in poly[0]]
        ys = [p[1] for poly in self.polygons for p in poly[0]]
        return min(xs), min(ys), max(xs), max(ys)


def point_problem(lon: float, lat: float) -> str | None:
    """Why (lon, lat) is not a usable WGS-84 point, or None."""
    if lon != lon or lat != lat:  # NaN
        return "coordinate is not a number"
    if not LON_RANGE[0] <= lon <= LON_RANGE[1]:
        return f"longitude {lon} outside [-180, 180]"
    if not LAT_RANGE[0] <= lat <= LAT_RANGE[1]:
        return f"latitude {lat} outside [-90, 90]"
    return None
