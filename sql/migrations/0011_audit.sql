-- The audit log: append-only, each row hash-chained to the previous one (see src/audit/audit.c
-- for the canonical text that is hashed). Triggers refuse UPDATE and DELETE from any client;
-- audit_head remembers the last row so that a truncated tail is noticed too.
CREATE TABLE audit_log (
    id            INTEGER PRIMARY KEY,
    at            INTEGER NOT NULL,
    actor_id      INTEGER,              -- NULL = anonymous or system
    actor_name    TEXT NOT NULL DEFAULT '',
    actor_role    TEXT NOT NULL DEFAULT '',
    action        TEXT NOT NULL,
    object_type   TEXT NOT NULL,
    object_id     TEXT NOT NULL DEFAULT '',
    request_id    TEXT NOT NULL DEFAULT '',
    before_digest TEXT NOT NULL DEFAULT '',  -- hex SHA-256 of the object before, '' when none
    after_digest  TEXT NOT NULL DEFAULT '',
    prev_hash     TEXT NOT NULL,
    hash          TEXT NOT NULL
);
CREATE INDEX audit_object ON audit_log(object_type, object_id, id);
CREATE INDEX audit_actor ON audit_log(actor_name, id);
CREATE INDEX audit_at ON audit_log(at);

CREATE TABLE audit_head (
    one     INTEGER PRIMARY KEY CHECK (one = 1),
    last_id INTEGER NOT NULL,
    hash    TEXT NOT NULL
);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
