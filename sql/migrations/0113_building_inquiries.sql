-- 入驻意向 (issue 16): an enterprise looking for office space on the public 找写字楼 page leaves
-- its need for one building; the district's building service staff follow it up
-- (new → contacted → signed | lost). The contact's phone is shown masked to most staff.
CREATE TABLE building_inquiries (
    id              INTEGER PRIMARY KEY,
    building_id     INTEGER NOT NULL REFERENCES buildings(id),
    enterprise_name TEXT NOT NULL,
    uscc            TEXT NOT NULL DEFAULT '',   -- GB 32100-2015, checked; '' not yet registered
    industry        TEXT NOT NULL DEFAULT '',   -- GB/T 4754-2017, checked; '' not given
    area_m2         REAL NOT NULL CHECK (area_m2 > 0),
    contact         TEXT NOT NULL,
    phone           TEXT NOT NULL,
    note            TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'new'
                    CHECK (status IN ('new', 'contacted', 'signed', 'lost')),
    created_at      INTEGER NOT NULL,           -- unix seconds
    updated_at      INTEGER NOT NULL
);
CREATE INDEX building_inquiries_building ON building_inquiries(building_id);
