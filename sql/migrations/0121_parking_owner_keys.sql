-- Shared parking (issue 20): a lot owner's own key, with which the owner (an office, a
-- residential property manager, a hospital) publishes, edits and withdraws the lot's share plans
-- on the owner's page without an account. Only the key's SHA-256 is stored; a plan remembers
-- when it was changed and withdrawn.
CREATE TABLE parking_owner_keys (
    id         INTEGER PRIMARY KEY,
    lot_id     INTEGER NOT NULL REFERENCES parking_lots(id),
    hash       TEXT NOT NULL UNIQUE,
    label      TEXT NOT NULL DEFAULT '',   -- whom it was given to ("重庆大厦物业")
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX parking_owner_keys_lot ON parking_owner_keys(lot_id);

ALTER TABLE parking_plans ADD COLUMN updated_at INTEGER;
ALTER TABLE parking_plans ADD COLUMN withdrawn_at INTEGER;
