-- River-chief patrols (河长制, issue 21): rivers, their segments (岸段) as WGS84 lines with the
-- grids they pass, the chiefs of each segment by level, patrols with their GPS track and
-- coverage, and findings, each of which opened an event (河湖问题).
CREATE TABLE patrol_rivers (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    synthetic INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE patrol_segments (
    code TEXT PRIMARY KEY,
    river TEXT NOT NULL REFERENCES patrol_rivers(code),
    name TEXT NOT NULL,
    geometry TEXT NOT NULL,          -- GeoJSON LineString, WGS84
    length_m REAL NOT NULL,
    buffer_m REAL NOT NULL DEFAULT 50, -- a patrol covers what lies within this of its track
    street TEXT NOT NULL DEFAULT '',   -- the street most of the segment lies in
    station TEXT NOT NULL DEFAULT '',  -- water-quality section (monitor station code)
    target_class INTEGER NOT NULL DEFAULT 2,
    works TEXT NOT NULL DEFAULT '',    -- shoreline works, one per line
    min_lon REAL NOT NULL, min_lat REAL NOT NULL, max_lon REAL NOT NULL, max_lat REAL NOT NULL,
    synthetic INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);

-- The grids a segment passes (its jurisdiction: who may see and patrol it).
CREATE TABLE patrol_segment_grids (
    segment TEXT NOT NULL REFERENCES patrol_segments(code),
    grid TEXT NOT NULL REFERENCES regions(code),
    PRIMARY KEY (segment, grid)
) WITHOUT ROWID;
CREATE INDEX patrol_segment_grids_grid ON patrol_segment_grids(grid);

CREATE TABLE patrol_chiefs (
    id INTEGER PRIMARY KEY,
    segment TEXT NOT NULL REFERENCES patrol_segments(code),
    level TEXT NOT NULL CHECK (level IN ('district', 'street', 'community')),
    name TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL DEFAULT '',
    username TEXT NOT NULL DEFAULT '', -- the account that records the chief's patrols, '' = none
    synthetic INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX patrol_chiefs_segment ON patrol_chiefs(segment);
CREATE INDEX patrol_chiefs_username ON patrol_chiefs(username);

CREATE TABLE patrol_patrols (
    id INTEGER PRIMARY KEY,
    segment TEXT NOT NULL REFERENCES patrol_segments(code),
    user_id INTEGER NOT NULL DEFAULT 0,
    username TEXT NOT NULL DEFAULT '',
    patroller TEXT NOT NULL,          -- display name
    role TEXT NOT NULL,               -- chief, grid_worker, volunteer, center, admin
    chief INTEGER REFERENCES patrol_chiefs(id),
    started_at INTEGER NOT NULL,
    ended_at INTEGER NOT NULL,
    track TEXT NOT NULL,              -- GeoJSON MultiLineString, WGS84
    points INTEGER NOT NULL,
    track_m REAL NOT NULL,
    coverage REAL NOT NULL,           -- share of the segment within buffer_m of the track
    buffer_m REAL NOT NULL,
    synthetic INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX patrol_patrols_segment ON patrol_patrols(segment, started_at);
CREATE INDEX patrol_patrols_chief ON patrol_patrols(chief, started_at);

CREATE TABLE patrol_findings (
    id INTEGER PRIMARY KEY,
    patrol INTEGER NOT NULL REFERENCES patrol_patrols(id),
    segment TEXT NOT NULL REFERENCES patrol_segments(code),
    lon REAL NOT NULL,
    lat REAL NOT NULL,
    at INTEGER NOT NULL,
    grid TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    event_code TEXT NOT NULL,
    recurs_of INTEGER REFERENCES patrol_findings(id), -- 反弹: same place as a finding closed before
    synthetic INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX patrol_findings_patrol ON patrol_findings(patrol);
CREATE INDEX patrol_findings_segment ON patrol_findings(segment, at);
