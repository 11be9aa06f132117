-- Monitoring (issue 5): stations and devices with their parameters, readings (exact decimals in
-- millionths), hourly and daily aggregates kept incrementally, early-warning rules with their
-- per-station state, and the alerts they raised.
CREATE TABLE monitor_stations (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('air', 'noise', 'water', 'sewer', 'manhole', 'dust',
                                               'fume', 'river_level')),
    lon          REAL NOT NULL,     -- WGS84
    lat          REAL NOT NULL,
    grid_code    TEXT NOT NULL,
    street_code  TEXT NOT NULL,
    department   TEXT NOT NULL REFERENCES departments(code),
    zone         TEXT,              -- noise: GB 3096 acoustic functional zone 0,1,2,3,4a,4b
    target_class INTEGER,           -- water: GB 3838 target class 1..5
    last_at      INTEGER,           -- time of the newest reading, NULL before the first
    synthetic    INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL
);
CREATE INDEX monitor_stations_kind ON monitor_stations(kind, code);

CREATE TABLE monitor_parameters (
    station_id INTEGER NOT NULL REFERENCES monitor_stations(id),
    name       TEXT NOT NULL,
    unit       TEXT NOT NULL,
    min_value  INTEGER NOT NULL,    -- plausible range, millionths of the unit
    max_value  INTEGER NOT NULL,
    seq        INTEGER NOT NULL,    -- display order
    PRIMARY KEY (station_id, name)
) WITHOUT ROWID;

-- One row per station, parameter and time: re-sending a reading changes nothing.
CREATE TABLE monitor_readings (
    station_id INTEGER NOT NULL,
    parameter  TEXT NOT NULL,
    t          INTEGER NOT NULL,    -- Unix seconds
    value      INTEGER NOT NULL,    -- millionths of the unit
    flag       TEXT,                -- quality flag; only NULL/'N' readings count in aggregates
    synthetic  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (station_id, parameter, t)
) WITHOUT ROWID;

-- Aggregates of valid readings: hour = Unix time the hour ENDS (the end-of-hour label of HJ 663),
-- day = days since 1970-01-01 of the Shanghai date of that hour.
CREATE TABLE monitor_hourly (
    station_id INTEGER NOT NULL,
    parameter  TEXT NOT NULL,
    hour       INTEGER NOT NULL,
    n          INTEGER NOT NULL,
    sum        INTEGER NOT NULL,
    min        INTEGER NOT NULL,
    max        INTEGER NOT NULL,
    PRIMARY KEY (station_id, parameter, hour)
) WITHOUT ROWID;

CREATE TABLE monitor_daily (
    station_id INTEGER NOT NULL,
    parameter  TEXT NOT NULL,
    day        INTEGER NOT NULL,
    n          INTEGER NOT NULL,
    sum        INTEGER NOT NULL,
    min        INTEGER NOT NULL,
    max        INTEGER NOT NULL,
    PRIMARY KEY (station_id, parameter, day)
) WITHOUT ROWID;

CREATE TABLE monitor_rules (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    station_kind TEXT NOT NULL,
    parameter    TEXT NOT NULL DEFAULT '',   -- '' for stale rules
    type         TEXT NOT NULL CHECK (type IN ('threshold', 'rate', 'stale')),
    direction    TEXT NOT NULL DEFAULT 'above' CHECK (direction IN ('above', 'below')),
    level        TEXT NOT NULL CHECK (level IN ('blue', 'yellow', 'orange', 'red')),
    threshold    INTEGER,                    -- threshold: raise at; rate: per hour (millionths)
    clear_at     INTEGER,                    -- hysteresis: normal again beyond this
    consecutive  INTEGER NOT NULL DEFAULT 1,
    stale_minutes INTEGER,
    category     TEXT NOT NULL,              -- event category the alert opens
    enabled      INTEGER NOT NULL DEFAULT 1,
    updated_at   INTEGER NOT NULL
);

CREATE TABLE monitor_rule_state (
    station_id   INTEGER NOT NULL,
    rule_id      INTEGER NOT NULL,
    over_count   INTEGER NOT NULL DEFAULT 0,
    normal_count INTEGER NOT NULL DEFAULT 0,
    last_t       INTEGER,
    last_value   INTEGER,
    PRIMARY KEY (station_id, rule_id)
) WITHOUT ROWID;

CREATE TABLE monitor_alerts (
    id          INTEGER PRIMARY KEY,
    station_id  INTEGER NOT NULL REFERENCES monitor_stations(id),
    rule_id     INTEGER NOT NULL REFERENCES monitor_rules(id),
    level       TEXT NOT NULL,
    opened_at   INTEGER NOT NULL,
    open_value  INTEGER,
    cleared_at  INTEGER,
    clear_value INTEGER,
    event_code  TEXT,
    note_added  INTEGER NOT NULL DEFAULT 0
);
-- At most one open alert per station and rule: no alert storms.
CREATE UNIQUE INDEX monitor_alerts_open ON monitor_alerts(station_id, rule_id)
    WHERE cleared_at IS NULL;
CREATE INDEX monitor_alerts_time ON monitor_alerts(opened_at);
