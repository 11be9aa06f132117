-- A supervision case's findings put on the rectification ledger (issue 15): the link lives on
-- the supervision side, so the ledger's readers see an ordinary problem (source 督查 or as chosen)
-- and never learn that a clue, let alone its reporter, stands behind it.
CREATE TABLE supervision_clue_problems (
    clue_id     INTEGER NOT NULL REFERENCES supervision_clues(id),
    problem_id  INTEGER NOT NULL UNIQUE REFERENCES ledger_problems(id),
    created_on  TEXT NOT NULL,
    by_user     TEXT NOT NULL,
    PRIMARY KEY (clue_id, problem_id)
);
