-- Open311 as FixMyStreet speaks it (issue 11, scope 6): the media_url a client sent with a
-- report (stored and shown as the report's photo link, never fetched), and the keyed clients'
-- own quota (one row per accepted POST; rows older than the window are pruned).
CREATE TABLE open311_media (
    event_code TEXT PRIMARY KEY,
    url        TEXT NOT NULL
);

CREATE TABLE open311_client_posts (
    client TEXT NOT NULL,    -- SHA-256 of the api_key
    at     INTEGER NOT NULL
);
CREATE INDEX open311_client_posts_at ON open311_client_posts(client, at);
