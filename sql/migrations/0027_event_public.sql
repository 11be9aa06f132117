-- Residents' anonymous intake (web form and Open311): the times of recent submissions per client
-- address for the rate limit, and photos uploaded ahead of a report, each usable once through a
-- random token with the report it was uploaded for.
CREATE TABLE event_public_intake (
    client TEXT NOT NULL,    -- normalised address: IPv4 as is, IPv6 by its /64 prefix
    kind   TEXT NOT NULL,    -- 'report' or 'photo'
    at     INTEGER NOT NULL  -- unix seconds
);
CREATE INDEX event_public_intake_client ON event_public_intake(client, kind, at);
CREATE INDEX event_public_intake_at ON event_public_intake(at);

CREATE TABLE event_public_photos (
    token      TEXT PRIMARY KEY,  -- 32 hex characters, given only to the uploader
    sha        TEXT NOT NULL REFERENCES event_attachments(sha),
    client     TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    event_id   INTEGER NOT NULL DEFAULT 0  -- the report it went with; 0 while unused
);
