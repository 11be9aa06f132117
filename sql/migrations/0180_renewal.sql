-- Urban renewal and housing (issue 18): projects with their phase history and 投融建管运 parties,
-- parcels with their 留改拆增 path, the yearly cash flows and loans of the financing balance,
-- owners' votes with one ballot row per unit, and the 保障性租赁住房 register. Money is integer
-- fen, areas are hundredths of a m², rates billionths; times are Unix seconds; lon/lat WGS84.
CREATE TABLE renewal_projects (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    type          TEXT NOT NULL CHECK (type IN ('old_estate', 'dangerous', 'village', 'factory',
                                                'block')),
    phase         INTEGER NOT NULL DEFAULT 0 CHECK (phase BETWEEN 0 AND 5),
    model         TEXT NOT NULL CHECK (model IN ('government', 'social', 'loan', 'fepco',
                                                 'reits')),
    investor      TEXT NOT NULL DEFAULT '',
    financier     TEXT NOT NULL DEFAULT '',
    builder       TEXT NOT NULL DEFAULT '',
    manager       TEXT NOT NULL DEFAULT '',
    operator      TEXT NOT NULL DEFAULT '',
    lon           REAL NOT NULL,
    lat           REAL NOT NULL,
    boundary      TEXT,                  -- GeoJSON Polygon, WGS84, or NULL
    grid          TEXT NOT NULL,
    street        TEXT NOT NULL,
    households    INTEGER NOT NULL DEFAULT 0,
    horizon       INTEGER NOT NULL DEFAULT 20 CHECK (horizon BETWEEN 1 AND 50),
    discount_nano INTEGER NOT NULL DEFAULT 50000000,
    ceiling       INTEGER NOT NULL DEFAULT 0,
    synthetic     INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
);
CREATE INDEX renewal_projects_grid ON renewal_projects(grid);

CREATE TABLE renewal_phase_history (
    id         INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES renewal_projects(id),
    phase      INTEGER NOT NULL,
    at         INTEGER NOT NULL,
    actor      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX renewal_phase_history_project ON renewal_phase_history(project_id, at);

CREATE TABLE renewal_parcels (
    id          INTEGER PRIMARY KEY,
    project_id  INTEGER NOT NULL REFERENCES renewal_projects(id),
    name        TEXT NOT NULL,
    path        TEXT NOT NULL CHECK (path IN ('keep', 'renovate', 'demolish', 'add')),
    area_before INTEGER NOT NULL CHECK (area_before >= 0),
    area_after  INTEGER NOT NULL CHECK (area_after >= 0),
    households  INTEGER NOT NULL DEFAULT 0 CHECK (households >= 0),
    enterprises INTEGER NOT NULL DEFAULT 0 CHECK (enterprises >= 0),
    synthetic   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX renewal_parcels_project ON renewal_parcels(project_id);

CREATE TABLE renewal_flows (
    project_id INTEGER NOT NULL REFERENCES renewal_projects(id),
    year       INTEGER NOT NULL CHECK (year BETWEEN 0 AND 50),
    kind       INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 6),
    amount     INTEGER NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (project_id, year, kind)
);

CREATE TABLE renewal_loans (
    id         INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES renewal_projects(id),
    principal  INTEGER NOT NULL CHECK (principal > 0),
    rate_nano  INTEGER NOT NULL,
    term       INTEGER NOT NULL CHECK (term BETWEEN 1 AND 40),
    grace      INTEGER NOT NULL CHECK (grace >= 0),
    draw_year  INTEGER NOT NULL CHECK (draw_year >= 0),
    repay      INTEGER NOT NULL CHECK (repay IN (0, 1))
);
CREATE INDEX renewal_loans_project ON renewal_loans(project_id);

CREATE TABLE renewal_votes (
    id            INTEGER PRIMARY KEY,
    project_id    INTEGER NOT NULL REFERENCES renewal_projects(id),
    title         TEXT NOT NULL,
    matter        INTEGER NOT NULL CHECK (matter IN (0, 1)),  -- 1 = 民法典 278 items 6-8
    building_area INTEGER NOT NULL CHECK (building_area > 0),
    opened_at     INTEGER NOT NULL,
    synthetic     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX renewal_votes_project ON renewal_votes(project_id);

CREATE TABLE renewal_ballots (
    vote_id  INTEGER NOT NULL REFERENCES renewal_votes(id),
    unit     TEXT NOT NULL,
    owner    TEXT NOT NULL,
    area     INTEGER NOT NULL CHECK (area > 0),
    vote     INTEGER NOT NULL DEFAULT 3 CHECK (vote BETWEEN 0 AND 3),  -- 3 = 未参与
    cast_at  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (vote_id, unit)
);

CREATE TABLE renewal_housing_units (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    project     TEXT NOT NULL,          -- the 保障性租赁住房 project's name
    area        INTEGER NOT NULL CHECK (area > 0),
    rent        INTEGER NOT NULL CHECK (rent >= 0),          -- fen per month
    market_rent INTEGER NOT NULL CHECK (market_rent > 0),    -- same location, fen per month
    lon         REAL NOT NULL,
    lat         REAL NOT NULL,
    grid        TEXT NOT NULL,
    occupied    INTEGER NOT NULL DEFAULT 0,
    synthetic   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX renewal_housing_units_grid ON renewal_housing_units(grid);
