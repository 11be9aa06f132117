-- Idempotency-Key (issue 10): the first answer to a public report or an event action, kept a day,
-- so a phone's outbox that resends after a dead signal creates one report / one transition and
-- gets the first answer again. status 0 = the first request is still being handled.
CREATE TABLE event_idempotency (
    scope      TEXT NOT NULL,    -- who and where: "<username or public>|<path>"
    key        TEXT NOT NULL,    -- the client's Idempotency-Key
    status     INTEGER NOT NULL, -- HTTP status of the first answer, 0 while in progress
    body       TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
) WITHOUT ROWID;
CREATE INDEX event_idempotency_created ON event_idempotency(created_at);
