-- 保障性租赁住房 applicants (issue 18): 新市民 and 青年人 without housing of their own in the city,
-- the waiting list in the published priority order, and allocations (tenancies) of units.
CREATE TABLE renewal_applicants (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    grp          INTEGER NOT NULL CHECK (grp BETWEEN 1 AND 3),  -- enum renewal_applicant_group
    owns_housing INTEGER NOT NULL DEFAULT 0,
    applied_at   INTEGER NOT NULL,
    unit_code    TEXT NOT NULL DEFAULT '',                       -- '' while waiting
    allocated_at INTEGER NOT NULL DEFAULT 0,
    synthetic    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX renewal_applicants_waiting ON renewal_applicants(unit_code, grp, applied_at);
