-- Sound levels are averaged by energy, never arithmetically (GB 3096-2008 §3): each hourly and
-- daily aggregate of a parameter measured in dB keeps Σ 10^(0.1·L) of its valid readings, from
-- which the hour's (or day's) equivalent level is 10·lg(energy / n). 0 for other parameters.
ALTER TABLE monitor_hourly ADD COLUMN energy REAL NOT NULL DEFAULT 0;
ALTER TABLE monitor_daily ADD COLUMN energy REAL NOT NULL DEFAULT 0;
-- Existing aggregates of dB parameters, from their valid readings (the hour ending `hour` holds
-- the readings with hour - 3600 < t <= hour; values are millionths of a dB).
UPDATE monitor_hourly SET energy = coalesce((
    SELECT sum(pow(10.0, r.value / 1e7)) FROM monitor_readings r
     WHERE r.t > monitor_hourly.hour - 3600 AND r.t <= monitor_hourly.hour
       AND r.station_id = monitor_hourly.station_id AND r.parameter = monitor_hourly.parameter
       AND (r.flag IS NULL OR r.flag IN ('', 'N'))), 0)
 WHERE EXISTS (SELECT 1 FROM monitor_parameters p WHERE p.station_id = monitor_hourly.station_id
                AND p.name = monitor_hourly.parameter AND p.unit LIKE 'dB%');
-- A Shanghai day D holds the hours ending after D 00:00 up to D+1 00:00 (Unix day·86400 − 8 h).
UPDATE monitor_daily SET energy = coalesce((
    SELECT sum(h.energy) FROM monitor_hourly h
     WHERE h.station_id = monitor_daily.station_id AND h.parameter = monitor_daily.parameter
       AND h.hour > monitor_daily.day * 86400 - 28800
       AND h.hour <= monitor_daily.day * 86400 + 57600), 0)
 WHERE EXISTS (SELECT 1 FROM monitor_parameters p WHERE p.station_id = monitor_daily.station_id
                AND p.name = monitor_daily.parameter AND p.unit LIKE 'dB%');
