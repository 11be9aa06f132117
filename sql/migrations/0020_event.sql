-- The event closed loop: categories (GB/T 30428.2 classes plus local ones) with stage limits,
-- the routing table, events, their append-only history, attachments, daily code serials and
-- the Chinese full-text index (FTS5 trigram).
CREATE TABLE event_categories (
    code           TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    major          TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('event', 'component')),
    board          TEXT NOT NULL,
    department     TEXT NOT NULL DEFAULT '',
    unit           TEXT NOT NULL CHECK (unit IN ('wh', 'wd', 'h')),
    limit_verify   INTEGER NOT NULL DEFAULT 0,
    limit_dispatch INTEGER NOT NULL DEFAULT 0,
    limit_handle   INTEGER NOT NULL DEFAULT 0,
    limit_check    INTEGER NOT NULL DEFAULT 0,
    self_handle    INTEGER NOT NULL DEFAULT 0,
    urgent         INTEGER NOT NULL DEFAULT 0
);

-- Routing: category x region (any level; the most specific, i.e. longest, code wins) ->
-- a board post or a department. category '*' matches every class.
CREATE TABLE event_routes (
    category   TEXT NOT NULL,
    region     TEXT NOT NULL,
    post       TEXT NOT NULL DEFAULT '',
    department TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (category, region)
);

CREATE TABLE events (
    id                INTEGER PRIMARY KEY,
    code              TEXT NOT NULL UNIQUE,
    tracking          TEXT NOT NULL UNIQUE,
    channel           TEXT NOT NULL,
    category          TEXT NOT NULL REFERENCES event_categories(code),
    title             TEXT NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    lon               REAL NOT NULL,
    lat               REAL NOT NULL,
    grid              TEXT NOT NULL,
    community         TEXT NOT NULL,
    street            TEXT NOT NULL,
    district          TEXT NOT NULL,
    address           TEXT NOT NULL DEFAULT '',
    reporter_name     TEXT NOT NULL DEFAULT '',
    reporter_contact  TEXT NOT NULL DEFAULT '',
    reporter_user     INTEGER NOT NULL DEFAULT 0,
    urgency           TEXT NOT NULL,
    state             TEXT NOT NULL,
    prev_state        TEXT NOT NULL DEFAULT 'reported',
    level             TEXT NOT NULL DEFAULT 'street',
    board             TEXT NOT NULL DEFAULT '',
    department        TEXT NOT NULL DEFAULT '',
    post              TEXT NOT NULL DEFAULT '',
    handler           TEXT NOT NULL DEFAULT '',
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    stage_started_at  INTEGER NOT NULL,
    due_at            INTEGER NOT NULL DEFAULT 0,
    warn_at           INTEGER NOT NULL DEFAULT 0,
    handle_due_at     INTEGER NOT NULL DEFAULT 0,
    closed_at         INTEGER NOT NULL DEFAULT 0,
    alert             TEXT NOT NULL DEFAULT 'none',
    return_count      INTEGER NOT NULL DEFAULT 0,
    rework_count      INTEGER NOT NULL DEFAULT 0,
    reopen_count      INTEGER NOT NULL DEFAULT 0,
    escalations       INTEGER NOT NULL DEFAULT 0,
    extension_pending INTEGER NOT NULL DEFAULT 0,
    extension_hours   INTEGER NOT NULL DEFAULT 0,
    satisfaction      TEXT NOT NULL DEFAULT 'none',
    merged_into       TEXT NOT NULL DEFAULT '',
    link_type         TEXT NOT NULL DEFAULT '',
    link_id           TEXT NOT NULL DEFAULT '',
    synthetic         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX events_created ON events(created_at DESC, id DESC);
CREATE INDEX events_state ON events(state, due_at);
CREATE INDEX events_street ON events(street, created_at);
CREATE INDEX events_grid ON events(grid);
CREATE INDEX events_category ON events(category, state);
CREATE INDEX events_dept ON events(department, state);
CREATE INDEX events_link ON events(link_type, link_id);

-- Append-only: one row per transition or note.
CREATE TABLE event_history (
    id          INTEGER PRIMARY KEY,
    event_id    INTEGER NOT NULL REFERENCES events(id),
    at          INTEGER NOT NULL,
    action      TEXT NOT NULL,
    from_state  TEXT NOT NULL,
    to_state    TEXT NOT NULL,
    actor       TEXT NOT NULL DEFAULT '',
    actor_role  TEXT NOT NULL DEFAULT '',
    actor_name  TEXT NOT NULL DEFAULT '',
    comment     TEXT NOT NULL DEFAULT '',
    attachments TEXT NOT NULL DEFAULT '',
    department  TEXT NOT NULL DEFAULT '',
    post        TEXT NOT NULL DEFAULT '',
    level       TEXT NOT NULL DEFAULT 'street',
    due_at      INTEGER NOT NULL DEFAULT 0,
    overdue     INTEGER NOT NULL DEFAULT 0,
    internal    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX event_history_event ON event_history(event_id, id);
CREATE INDEX event_history_at ON event_history(at, id);
CREATE TRIGGER event_history_no_update BEFORE UPDATE ON event_history
BEGIN SELECT RAISE(ABORT, 'event history is append-only'); END;
CREATE TRIGGER event_history_no_delete BEFORE DELETE ON event_history
BEGIN SELECT RAISE(ABORT, 'event history is append-only'); END;

-- Content-addressed files under data_dir/attachments/<sha256>.
CREATE TABLE event_attachments (
    sha         TEXT PRIMARY KEY,
    mime        TEXT NOT NULL,
    size        INTEGER NOT NULL,
    uploaded_by TEXT NOT NULL DEFAULT '',
    uploaded_at INTEGER NOT NULL
);
CREATE TABLE event_attachment_links (
    sha      TEXT NOT NULL REFERENCES event_attachments(sha),
    event_id INTEGER NOT NULL REFERENCES events(id),
    PRIMARY KEY (sha, event_id)
);
CREATE INDEX event_attachment_links_event ON event_attachment_links(event_id);

-- Daily serials of the event code per district.
CREATE TABLE event_serials (
    prefix TEXT PRIMARY KEY, -- "500103-20261129"
    last   INTEGER NOT NULL
);

-- Chinese full text: the trigram tokenizer matches any substring of three or more characters.
CREATE VIRTUAL TABLE events_fts USING fts5(title, description, content='events',
                                           content_rowid='id', tokenize='trigram');
CREATE TRIGGER events_fts_ai AFTER INSERT ON events BEGIN
    INSERT INTO events_fts(rowid, title, description) VALUES (new.id, new.title, new.description);
END;
CREATE TRIGGER events_fts_au AFTER UPDATE OF title, description ON events BEGIN
    INSERT INTO events_fts(events_fts, rowid, title, description)
        VALUES ('delete', old.id, old.title, old.description);
    INSERT INTO events_fts(rowid, title, description) VALUES (new.id, new.title, new.description);
END;
