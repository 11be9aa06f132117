-- Device keys (issue 11): each station's sensors authenticate with keys of their own. Only the
-- SHA-256 of a key is stored (keys are 32 random bytes, so a fast hash suffices); a revoked key
-- keeps its row, so the audit log's "device-key:ID" names stay resolvable.
CREATE TABLE monitor_device_keys (
    id         INTEGER PRIMARY KEY,
    station_id INTEGER NOT NULL REFERENCES monitor_stations(id),
    hash       TEXT NOT NULL UNIQUE,  -- hex SHA-256 of the key text
    created_at INTEGER NOT NULL,
    revoked_at INTEGER                -- NULL while the key is valid
);
CREATE INDEX monitor_device_keys_station ON monitor_device_keys(station_id);
