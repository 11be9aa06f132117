-- Supervision clues (监督线索, issue 15): received from 码上举报 (anonymous QR reports with a
-- tracking code), letters and visits; 初核 then 立案, 了结 or 移送; information shared with other
-- mechanisms; cases 在办/办结 with persons handled and the public notice (通报). The reporter's
-- name and phone stay in this table and are answered only to supervision roles.
CREATE TABLE supervision_clues (
    id             INTEGER PRIMARY KEY,
    tracking_code  TEXT NOT NULL UNIQUE,
    channel        TEXT NOT NULL CHECK (channel IN ('码上举报', '来信', '来访', '其他')),
    summary        TEXT NOT NULL,
    region         TEXT NOT NULL REFERENCES regions(code),
    anonymous      INTEGER NOT NULL DEFAULT 1,
    reporter_name  TEXT NOT NULL DEFAULT '',
    reporter_phone TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL DEFAULT '初核'
                   CHECK (status IN ('初核', '立案', '了结', '移送', '办结')),
    mechanism      TEXT NOT NULL DEFAULT '',       -- 移送: the mechanism it went to
    reason         TEXT NOT NULL DEFAULT '',       -- the decision's reason
    persons        INTEGER NOT NULL DEFAULT 0,     -- persons handled (办结)
    notice         TEXT NOT NULL DEFAULT '',       -- 通报 text (办结)
    received_on    TEXT NOT NULL,
    decided_on     TEXT NOT NULL DEFAULT '',
    concluded_on   TEXT NOT NULL DEFAULT '',
    created_at     INTEGER NOT NULL,
    synthetic      INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE supervision_shares (
    id        INTEGER PRIMARY KEY,
    clue_id   INTEGER NOT NULL REFERENCES supervision_clues(id),
    mechanism TEXT NOT NULL,
    note      TEXT NOT NULL DEFAULT '',
    on_date   TEXT NOT NULL,
    by_user   TEXT NOT NULL,
    synthetic INTEGER NOT NULL DEFAULT 0
);
