"""GeoJSON geometries become Areas, or a GeometryError that says what is wrong."""

from __future__ import annotations

import pytest

from gridloop.adapters.formats.geojson import (
    GeometryError,
    area_from_geojson,
    area_to_geojson,
    parse_area,
)

SQUARE = [[101.0, 36.0], [101.01, 36.0], [101.01, 36.01], [101.0, 36.01], [101.0, 36.0]]
HOLE = [[101.004, 36.004], [101.006, 36.004], [101.006, 36.006], [101.004, 36.004]]


def test_polygon_with_hole_round_trips() -> None:
    area = parse_area({"type": "Polygon", "coordinates": [SQUARE, HOLE]})
    assert not area.multi and len(area.polygons[0]) == 2
    assert area_from_geojson(area_to_geojson(area)) == area


def test_multipolygon_keeps_every_part() -> None:
    shifted = [[x + 0.02, y] for x, y in SQUARE]
    area = parse_area({"type": "MultiPolygon", "coordinates": [[SQUARE], [shifted]]})
    assert area.multi and len(area.polygons) == 2
    assert area.bounds() == (101.0, 36.0, 101.03, 36.01)


@pytest.mark.parametrize(
    ("geometry", "words"),
    [
        ({"type": "Point", "coordinates": [101, 36]}, "not Polygon or MultiPolygon"),
        ({"type": "Polygon", "coordinates": [SQUARE[:-1]]}, "not closed"),
        ({"type": "Polygon", "coordinates": [SQUARE[:3]]}, "at least 4 positions"),
        (
            {"type": "Polygon", "coordinates": [[*SQUARE[:2], ["a", 1], *SQUARE[3:]]]},
            "is not [lon, lat]",
        ),
        ({"type": "Polygon", "coordinates": [[[201.0, 36.0], *SQUARE[1:]]]}, "is not a lon/lat"),
        ({"type": "MultiPolygon", "coordinates": []}, "non-empty list"),
        ("POLYGON((...))", "must be an object"),
    ],
)
def test_malformed_geometry_says_why(geometry: object, words: str) -> None:
    with pytest.raises(GeometryError, match=None) as e:
        parse_area(geometry)
    assert words in str(e.value)
