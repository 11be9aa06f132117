-- Running patrols (issue 21): the phone sends a patrol's GPS points in batches while it is still
-- walking, so a lost phone loses at most the last batch; the finished run becomes a patrol.
-- `key` is the phone's own id of the run (made before any signal), unique per account, so a
-- batch or a start sent twice (the answer lost) is recognised.
CREATE TABLE patrol_runs (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL,
    key TEXT NOT NULL,
    segment TEXT NOT NULL REFERENCES patrol_segments(code),
    started_at INTEGER NOT NULL,
    patrol INTEGER REFERENCES patrol_patrols(id), -- the recorded patrol once finished
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (user_id, key)
);
CREATE INDEX patrol_runs_segment ON patrol_runs(segment, patrol);

-- The points of a run by their place in the track (0, 1, ...): a batch sent again adds nothing.
CREATE TABLE patrol_run_points (
    run INTEGER NOT NULL REFERENCES patrol_runs(id),
    seq INTEGER NOT NULL,
    lon REAL NOT NULL,
    lat REAL NOT NULL,
    t INTEGER NOT NULL DEFAULT 0, -- when the phone took it (Unix seconds), 0 = not given
    PRIMARY KEY (run, seq)
) WITHOUT ROWID;
