-- Readings keyed by time first: devices send readings in time order, so a batch lands on a few
-- adjacent pages instead of one page per station (the ingest benchmark writes far less WAL).
-- Idempotence is unchanged: one row per time, station and parameter.
CREATE TABLE monitor_readings_by_time (
    station_id INTEGER NOT NULL,
    parameter  TEXT NOT NULL,
    t          INTEGER NOT NULL,    -- Unix seconds
    value      INTEGER NOT NULL,    -- millionths of the unit
    flag       TEXT,                -- quality flag; only NULL/'N' readings count in aggregates
    synthetic  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (t, station_id, parameter)
) WITHOUT ROWID;
INSERT INTO monitor_readings_by_time SELECT station_id, parameter, t, value, flag, synthetic
    FROM monitor_readings;
DROP TABLE monitor_readings;
ALTER TABLE monitor_readings_by_time RENAME TO monitor_readings;
