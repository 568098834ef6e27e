"""File names and column sets of the district directory (docs/formats.md)."""

from gridloop.domain import registry_checks as files

# One list of file names: the cross-file checks name the same files in their messages.
DISTRICT_FILE = files.DISTRICT
GRIDS_FILE = files.GRIDS
BUILDINGS_FILE = files.BUILDINGS
WORKERS_FILE = files.WORKERS
DEVICES_FILE = files.DEVICES
RESIDENTS_FILE = files.RESIDENTS
DEPARTMENTS_FILE = files.DEPARTMENTS

COLUMNS: dict[str, tuple[str, ...]] = {
    BUILDINGS_FILE: ("code", "name", "lon", "lat", "address", "households", "compound"),
    WORKERS_FILE: ("id", "name", "phone", "grid_codes", "employment"),
    DEVICES_FILE: ("id", "kind", "building_code", "lon", "lat", "attrs"),
    RESIDENTS_FILE: ("id", "name", "building_code", "room", "phone", "tags", "emergency_contact"),
    DEPARTMENTS_FILE: ("code", "name", "phone", "functions"),
}
# Columns added after files were already in use: a file without one still reads (empty values).
OPTIONAL_COLUMNS: dict[str, tuple[str, ...]] = {DEPARTMENTS_FILE: ("functions",)}
REQUIRED_FILES = (
    DISTRICT_FILE,
    GRIDS_FILE,
    BUILDINGS_FILE,
    WORKERS_FILE,
    DEVICES_FILE,
    RESIDENTS_FILE,
)
LIST_SEPARATOR = ";"
