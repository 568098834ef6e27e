"""File names and column sets of the district directory (docs/formats.md)."""

DISTRICT_FILE = "district.json"
GRIDS_FILE = "grids.geojson"
BUILDINGS_FILE = "buildings.csv"
WORKERS_FILE = "workers.csv"
DEVICES_FILE = "devices.csv"
RESIDENTS_FILE = "residents.csv"
DEPARTMENTS_FILE = "departments.csv"

COLUMNS: dict[str, tuple[str, ...]] = {
    BUILDINGS_FILE: ("code", "name", "lon", "lat", "address", "households", "compound"),
    WORKERS_FILE: ("id", "name", "phone", "grid_codes", "employment"),
    DEVICES_FILE: ("id", "kind", "building_code", "lon", "lat", "attrs"),
    RESIDENTS_FILE: ("id", "name", "building_code", "room", "phone", "tags", "emergency_contact"),
    DEPARTMENTS_FILE: ("code", "name", "phone"),
}
REQUIRED_FILES = (
    DISTRICT_FILE,
    GRIDS_FILE,
    BUILDINGS_FILE,
    WORKERS_FILE,
    DEVICES_FILE,
    RESIDENTS_FILE,
)
LIST_SEPARATOR = ";"
