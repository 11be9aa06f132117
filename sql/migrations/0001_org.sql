-- The district model: the region tree down to grids, the four boards and their posts,
-- departments, and the people of each grid's "1+3+N" team.
CREATE TABLE regions (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    level       TEXT NOT NULL CHECK (level IN ('city', 'district', 'street', 'community', 'grid')),
    parent_code TEXT REFERENCES regions(code),
    geometry    TEXT,               -- GeoJSON geometry in WGS84, NULL when unknown
    area_m2     REAL,
    min_lon     REAL, min_lat REAL, max_lon REAL, max_lat REAL,
    center_lon  REAL, center_lat REAL, -- a point inside the polygon, WGS84
    synthetic   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX regions_parent ON regions(parent_code, code);
CREATE INDEX regions_level ON regions(level, code);

CREATE TABLE boards (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    seq  INTEGER NOT NULL
);

CREATE TABLE posts (
    code        TEXT PRIMARY KEY,
    board_code  TEXT NOT NULL REFERENCES boards(code),
    street_code TEXT NOT NULL REFERENCES regions(code),
    name        TEXT NOT NULL
);
CREATE INDEX posts_street ON posts(street_code, board_code);

CREATE TABLE departments (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions(code)
);

CREATE TABLE people (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL,
    phone     TEXT,
    grid_code TEXT NOT NULL REFERENCES regions(code),
    team_role TEXT NOT NULL CHECK (team_role IN ('网格长', '专职网格员', '兼职网格员', '网格指导员',
                                                 '在职党员', '志愿者', '热心群众', '新就业群体')),
    synthetic INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX people_grid ON people(grid_code);
