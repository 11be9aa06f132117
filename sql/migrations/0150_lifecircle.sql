-- The 15-minute living circle (15分钟生活圈, issue 19): the walking network imported from
-- OpenStreetMap (or generated for the demo), facilities by service category and GB 50180-2018
-- level, and residential demand points. Edge times are not stored: they are computed per
-- walking profile when the network is loaded (src/lifecircle/network.c).
CREATE TABLE lifecircle_networks (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,              -- file name, or 'demo'
    attribution TEXT NOT NULL DEFAULT '',
    synthetic INTEGER NOT NULL DEFAULT 0,
    node_count INTEGER NOT NULL,
    segment_count INTEGER NOT NULL,
    steps_count INTEGER NOT NULL DEFAULT 0,
    elevator_count INTEGER NOT NULL DEFAULT 0,
    imported_at INTEGER NOT NULL
);

-- Nodes of the current network, numbered 0..n-1 (WGS84; ele NULL when unknown).
CREATE TABLE lifecircle_nodes (
    idx INTEGER PRIMARY KEY,
    osm_id INTEGER NOT NULL,
    lon REAL NOT NULL,
    lat REAL NOT NULL,
    ele REAL
);

-- Way segments between two nodes: kind 0 foot, 1 steps, 2 elevator; incline +1/-1/0 (steps:
-- climbs a→b, descends, unknown); grade a numeric incline tag as a fraction (NULL: none).
CREATE TABLE lifecircle_segments (
    a INTEGER NOT NULL,
    b INTEGER NOT NULL,
    kind INTEGER NOT NULL CHECK (kind IN (0, 1, 2)),
    incline INTEGER NOT NULL DEFAULT 0 CHECK (incline IN (-1, 0, 1)),
    oneway INTEGER NOT NULL DEFAULT 0,
    grade REAL,
    step_count INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE lifecircle_facilities (
    id INTEGER PRIMARY KEY,
    category TEXT NOT NULL
        CHECK (category IN ('employment', 'education', 'health', 'culture', 'elderly')),
    level INTEGER NOT NULL CHECK (level IN (5, 10, 15)),
    kind TEXT NOT NULL DEFAULT '',     -- 幼儿园, 小学, 养老院, ... or the OSM tag
    name TEXT NOT NULL,
    lon REAL NOT NULL,
    lat REAL NOT NULL,
    region TEXT,                       -- community (or grid) code it lies in; NULL outside
    source TEXT NOT NULL CHECK (source IN ('osm', 'csv', 'demo')),
    ref TEXT NOT NULL DEFAULT '',      -- OSM element or the list's own id
    synthetic INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX lifecircle_facilities_category ON lifecircle_facilities(category, level);

-- Residents at points (a community's housing, a residential building).
CREATE TABLE lifecircle_demand (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    lon REAL NOT NULL,
    lat REAL NOT NULL,
    population INTEGER NOT NULL CHECK (population >= 0),
    region TEXT,                       -- community code; NULL outside the district
    synthetic INTEGER NOT NULL DEFAULT 0
);
