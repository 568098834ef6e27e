-- The district registry: regions, grids, buildings, people, devices.
CREATE TABLE districts (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL
);
CREATE TABLE streets (
    code TEXT PRIMARY KEY,
    district_code TEXT NOT NULL REFERENCES districts(code),
    name TEXT NOT NULL
);
CREATE TABLE communities (
    code TEXT PRIMARY KEY,
    street_code TEXT NOT NULL REFERENCES streets(code),
    name TEXT NOT NULL
);
CREATE TABLE grids (
    code TEXT PRIMARY KEY,
    community_code TEXT NOT NULL REFERENCES communities(code),
    name TEXT NOT NULL,
    households INTEGER,
    geometry TEXT NOT NULL,          -- GeoJSON geometry object
    min_lon REAL NOT NULL,
    min_lat REAL NOT NULL,
    max_lon REAL NOT NULL,
    max_lat REAL NOT NULL
);
CREATE INDEX grids_community ON grids(community_code);
CREATE TABLE buildings (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    lon REAL NOT NULL,
    lat REAL NOT NULL,
    address TEXT NOT NULL,
    households INTEGER NOT NULL,
    compound TEXT NOT NULL,
    grid_code TEXT NOT NULL REFERENCES grids(code)
);
CREATE INDEX buildings_grid ON buildings(grid_code);
CREATE TABLE workers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    phone TEXT NOT NULL,
    employment TEXT NOT NULL CHECK (employment IN ('full_time', 'part_time'))
);
CREATE TABLE worker_grids (
    worker_id TEXT NOT NULL REFERENCES workers(id),
    grid_code TEXT NOT NULL REFERENCES grids(code),
    position INTEGER NOT NULL,       -- keeps the order the worker's grids were given in
    PRIMARY KEY (worker_id, grid_code)
);
CREATE INDEX worker_grids_grid ON worker_grids(grid_code);
CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    building_code TEXT NOT NULL,     -- '' for a device outside any building
    lon REAL NOT NULL,
    lat REAL NOT NULL,
    attrs TEXT NOT NULL,             -- JSON object
    grid_code TEXT NOT NULL REFERENCES grids(code)
);
CREATE INDEX devices_grid ON devices(grid_code);
CREATE INDEX devices_kind ON devices(kind);
CREATE TABLE residents (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    building_code TEXT NOT NULL REFERENCES buildings(code),
    room TEXT NOT NULL,
    phone TEXT NOT NULL,
    tags TEXT NOT NULL,              -- ';'-separated ResidentTag values
    emergency_contact TEXT NOT NULL
);
CREATE INDEX residents_building ON residents(building_code);
CREATE TABLE departments (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    phone TEXT NOT NULL
);
