-- The rectification ledger (整改台账, issue 15): problems (问题), their measures (措施) and the dated
-- record of 销号 and 反弹. Dates are Asia/Shanghai calendar days 'YYYY-MM-DD', so a figure "as of"
-- a day is a comparison of text. Nothing is deleted: the ledger of any past day can be rebuilt.
CREATE TABLE ledger_problems (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    source      TEXT NOT NULL CHECK (source IN ('督查', '巡察', '审计', '群众反映', '自查', '上级交办')),
    category    TEXT NOT NULL,
    department  TEXT NOT NULL REFERENCES departments(code),
    leader      TEXT NOT NULL DEFAULT '',          -- 责任领导
    deadline    TEXT NOT NULL,                     -- 整改时限
    event       TEXT NOT NULL DEFAULT '',          -- the event it came from (events.code), '' none
    long_term   INTEGER NOT NULL DEFAULT 0,        -- 长期坚持
    created_on  TEXT NOT NULL,                     -- the day it entered the ledger
    created_at  INTEGER NOT NULL,
    created_by  TEXT NOT NULL,
    synthetic   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ledger_problems_department ON ledger_problems(department);

CREATE TABLE ledger_measures (
    id          INTEGER PRIMARY KEY,
    problem_id  INTEGER NOT NULL REFERENCES ledger_problems(id),
    title       TEXT NOT NULL,
    owner       TEXT NOT NULL,                     -- username of the 责任人
    deadline    TEXT NOT NULL,
    created_on  TEXT NOT NULL,
    done_on     TEXT NOT NULL DEFAULT '',          -- '' while open
    evidence    TEXT NOT NULL DEFAULT '',          -- 佐证: text, links, attachment hashes
    events      TEXT NOT NULL DEFAULT '',          -- event codes given as evidence, comma-separated
    approved_by TEXT NOT NULL DEFAULT '',          -- username, never the owner
    approved_on TEXT NOT NULL DEFAULT '',
    synthetic   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ledger_measures_problem ON ledger_measures(problem_id);

-- 销号 ('close') and 反弹 ('reopen'), in order; a problem's status on a day is its last mark.
CREATE TABLE ledger_marks (
    id          INTEGER PRIMARY KEY,
    problem_id  INTEGER NOT NULL REFERENCES ledger_problems(id),
    kind        TEXT NOT NULL CHECK (kind IN ('close', 'reopen')),
    on_date     TEXT NOT NULL,
    at          INTEGER NOT NULL,
    by_user     TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    synthetic   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ledger_marks_problem ON ledger_marks(problem_id, on_date, id);
