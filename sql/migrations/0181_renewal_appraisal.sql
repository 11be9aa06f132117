-- Old-house safety (issue 18): dangerous-building appraisals (危险房屋鉴定, JGJ 125-2016 grades
-- A/B/C/D) per building, with date and appraiser; a C or D grade opens an event (event_code).
CREATE TABLE renewal_appraisals (
    id          INTEGER PRIMARY KEY,
    building    TEXT NOT NULL,
    address     TEXT NOT NULL DEFAULT '',
    lon         REAL NOT NULL,          -- WGS84
    lat         REAL NOT NULL,
    grid        TEXT NOT NULL,
    grade       TEXT NOT NULL CHECK (grade IN ('A', 'B', 'C', 'D')),
    appraised_on TEXT NOT NULL,         -- YYYY-MM-DD
    appraiser   TEXT NOT NULL,
    event_code  TEXT NOT NULL DEFAULT '',
    synthetic   INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL
);
CREATE INDEX renewal_appraisals_grid ON renewal_appraisals(grid, appraised_on);
