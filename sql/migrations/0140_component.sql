-- City components (部件, GB/T 30428.2) and the sewer network (issue 23): the census of components
-- with their 16-digit codes, the pipe segments between manholes (a directed flow graph), the
-- separate-sewer areas, and the CCTV / periscope inspections with the defects they found.

CREATE TABLE components (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE CHECK (length(code) = 16), -- district(6) class(4) serial(6)
    class       TEXT NOT NULL,            -- major(2) + minor(2): an event_categories code
    name        TEXT NOT NULL DEFAULT '',
    state       TEXT NOT NULL DEFAULT '完好' CHECK (state IN ('完好', '破损', '丢失', '占用', '废弃')),
    lon         REAL NOT NULL,
    lat         REAL NOT NULL,
    grid        TEXT NOT NULL DEFAULT '',
    street      TEXT NOT NULL,
    department  TEXT NOT NULL DEFAULT '', -- owner (权属/养护) department code
    updated_at  INTEGER NOT NULL,
    synthetic   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX components_street ON components(street);

-- 雨污分流片区: a polygon with its plan (length to separate) and progress (length separated).
CREATE TABLE sewer_areas (
    code         TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    street       TEXT NOT NULL,
    geometry     TEXT,                    -- GeoJSON Polygon, WGS84
    planned_m    REAL NOT NULL DEFAULT 0 CHECK (planned_m >= 0),
    separated_m  REAL NOT NULL DEFAULT 0 CHECK (separated_m >= 0),
    target_year  INTEGER NOT NULL DEFAULT 0,
    synthetic    INTEGER NOT NULL DEFAULT 0
);

-- A pipe segment flows from its upstream manhole to its downstream manhole (both components).
CREATE TABLE sewer_segments (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,
    up_manhole    TEXT NOT NULL REFERENCES components(code),
    down_manhole  TEXT NOT NULL REFERENCES components(code),
    kind          TEXT NOT NULL CHECK (kind IN ('rain', 'sewage', 'combined')),
    diameter_mm   INTEGER NOT NULL CHECK (diameter_mm > 0),
    material      TEXT NOT NULL DEFAULT '',
    length_m      REAL NOT NULL CHECK (length_m > 0),
    depth_m       REAL NOT NULL DEFAULT 0,
    year          INTEGER NOT NULL DEFAULT 0,
    grid          TEXT NOT NULL DEFAULT '',
    street        TEXT NOT NULL,
    area          TEXT REFERENCES sewer_areas(code),
    department    TEXT NOT NULL DEFAULT '',
    synthetic     INTEGER NOT NULL DEFAULT 0,
    CHECK (up_manhole <> down_manhole)
);
CREATE INDEX sewer_segments_street ON sewer_segments(street);
CREATE INDEX sewer_segments_down ON sewer_segments(down_manhole);

CREATE TABLE sewer_inspections (
    id           INTEGER PRIMARY KEY,
    segment      TEXT NOT NULL REFERENCES sewer_segments(code),
    method       TEXT NOT NULL CHECK (method IN ('cctv', 'periscope')),
    inspected_on TEXT NOT NULL,            -- YYYY-MM-DD, Asia/Shanghai
    length_m     REAL NOT NULL CHECK (length_m > 0),
    inspector    TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    synthetic    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sewer_inspections_segment ON sewer_inspections(segment, inspected_on);
CREATE INDEX sewer_inspections_on ON sewer_inspections(inspected_on);

CREATE TABLE sewer_defects (
    id            INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES sewer_inspections(id),
    segment       TEXT NOT NULL REFERENCES sewer_segments(code),
    kind          TEXT NOT NULL CHECK (kind IN ('structural', 'functional')),
    defect        TEXT NOT NULL,           -- name of the defect (破裂, 沉积, ...)
    grade         INTEGER NOT NULL CHECK (grade BETWEEN 1 AND 4),
    position_m    REAL NOT NULL DEFAULT 0, -- distance from the upstream manhole
    found_on      TEXT NOT NULL,           -- YYYY-MM-DD
    repaired_on   TEXT,                    -- YYYY-MM-DD, NULL while open
    repair_note   TEXT NOT NULL DEFAULT '',
    event_code    TEXT NOT NULL DEFAULT '', -- the repair event opened for it, "" when none
    synthetic     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sewer_defects_segment ON sewer_defects(segment);
CREATE INDEX sewer_defects_found ON sewer_defects(found_on);
