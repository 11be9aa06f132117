-- The ledger's links to the event loop (issue 15 item 5): evidence files of a measure (SHA-256 of
-- attachments uploaded through /api/v1/attachments, comma-separated) and the events a problem
-- has spawned (a problem found on inspection becomes work for a department or a grid).
ALTER TABLE ledger_measures ADD COLUMN attachments TEXT NOT NULL DEFAULT '';

CREATE TABLE ledger_problem_events (
    problem_id  INTEGER NOT NULL REFERENCES ledger_problems(id),
    event       TEXT NOT NULL,                     -- events.code
    created_on  TEXT NOT NULL,
    by_user     TEXT NOT NULL,
    PRIMARY KEY (problem_id, event)
);
