-- Shared parking (issue 20): lots, their owners' share plans, bookings by plate and window,
-- gate device keys and plate events, overstay alerts, and searches that found nothing (unmet
-- demand by grid). Times are Unix seconds; money is integer fen.
CREATE TABLE parking_lots (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    kind         INTEGER NOT NULL,      -- enum parking_kind
    lon          REAL NOT NULL,         -- WGS84
    lat          REAL NOT NULL,
    entrance_lon REAL NOT NULL,
    entrance_lat REAL NOT NULL,
    entrance     TEXT NOT NULL DEFAULT '',
    grid         TEXT NOT NULL,         -- regions(code) of the grid (grids may be re-drawn)
    street       TEXT NOT NULL,
    capacity     INTEGER NOT NULL CHECK (capacity > 0),
    owner        TEXT NOT NULL DEFAULT '',
    synthetic    INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL
);
CREATE INDEX parking_lots_grid ON parking_lots(grid);

CREATE TABLE parking_plans (
    id             INTEGER PRIMARY KEY,
    lot_id         INTEGER NOT NULL REFERENCES parking_lots(id),
    spaces         INTEGER NOT NULL CHECK (spaces > 0),
    windows        TEXT NOT NULL,         -- "workday 19:00-08:00,restday 00:00-24:00"
    price_fen      INTEGER NOT NULL DEFAULT 0,
    audience       TEXT NOT NULL DEFAULT 'public' CHECK (audience IN ('public', 'members')),
    audience_label TEXT NOT NULL DEFAULT '',
    active         INTEGER NOT NULL DEFAULT 1,
    synthetic      INTEGER NOT NULL DEFAULT 0,
    created_at     INTEGER NOT NULL
);
CREATE INDEX parking_plans_lot ON parking_plans(lot_id);

-- Plates a members-only plan admits (residents of a community, staff of a unit).
CREATE TABLE parking_plan_members (
    plan_id INTEGER NOT NULL REFERENCES parking_plans(id),
    plate   TEXT NOT NULL,
    PRIMARY KEY (plan_id, plate)
);

CREATE TABLE parking_bookings (
    id               INTEGER PRIMARY KEY,
    lot_id           INTEGER NOT NULL REFERENCES parking_lots(id),
    plan_id          INTEGER NOT NULL REFERENCES parking_plans(id),
    plate            TEXT NOT NULL,
    start_at         INTEGER NOT NULL,
    end_at           INTEGER NOT NULL CHECK (end_at > start_at),
    status           INTEGER NOT NULL DEFAULT 0,   -- enum parking_status
    token_hash       TEXT,                          -- SHA-256 hex of the booker's cancel token
    created_by       INTEGER,                       -- user id, NULL for a driver without account
    created_at       INTEGER NOT NULL,
    in_at            INTEGER,
    out_at           INTEGER,
    overstay_minutes INTEGER NOT NULL DEFAULT 0,
    price_fen        INTEGER NOT NULL DEFAULT 0,
    synthetic        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX parking_bookings_plan ON parking_bookings(plan_id, end_at);
CREATE INDEX parking_bookings_plate ON parking_bookings(plate, start_at);
CREATE INDEX parking_bookings_lot ON parking_bookings(lot_id, start_at);

CREATE TABLE parking_gate_keys (
    id         INTEGER PRIMARY KEY,
    lot_id     INTEGER NOT NULL REFERENCES parking_lots(id),
    hash       TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);

CREATE TABLE parking_gate_events (
    id         INTEGER PRIMARY KEY,
    lot_id     INTEGER NOT NULL REFERENCES parking_lots(id),
    plate      TEXT NOT NULL,
    direction  TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    at         INTEGER NOT NULL,
    booking_id INTEGER REFERENCES parking_bookings(id),
    key_id     INTEGER REFERENCES parking_gate_keys(id),
    synthetic  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX parking_gate_events_lot ON parking_gate_events(lot_id, at);

CREATE TABLE parking_alerts (
    id         INTEGER PRIMARY KEY,
    lot_id     INTEGER NOT NULL REFERENCES parking_lots(id),
    booking_id INTEGER NOT NULL REFERENCES parking_bookings(id),
    plate      TEXT NOT NULL,
    minutes    INTEGER NOT NULL,
    at         INTEGER NOT NULL,
    event_code TEXT,
    synthetic  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX parking_alerts_plate ON parking_alerts(plate, at);

-- Availability searches that found no free space, counted per grid of the destination and day.
CREATE TABLE parking_unmet (
    grid     TEXT NOT NULL,
    day      INTEGER NOT NULL,          -- days since 1970-01-01, Shanghai
    searches INTEGER NOT NULL DEFAULT 0,
    synthetic INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (grid, day)
);
