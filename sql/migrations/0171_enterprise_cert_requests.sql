-- A resident's online request for one of the certificates still issued (issue 17): the community
-- issues it from the request, so the time from request to issue is measured, not assumed.
CREATE TABLE cert_requests (
    id            INTEGER PRIMARY KEY,
    type_code     TEXT NOT NULL REFERENCES cert_types(code),
    community     TEXT NOT NULL REFERENCES regions(code),
    holder_name   TEXT NOT NULL,      -- full name: the community needs it to issue
    phone         TEXT NOT NULL,      -- shown masked except to admins and the command center
    purpose       TEXT NOT NULL DEFAULT '',
    requested_at  INTEGER NOT NULL,
    serial        TEXT REFERENCES certificates(serial),  -- set when issued
    synthetic     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX cert_requests_community ON cert_requests(community, serial);
