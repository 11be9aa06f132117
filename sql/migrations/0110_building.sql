-- The building economy (楼宇经济, issue 16): office buildings, the enterprises in them, their
-- leases and their yearly figures from the tax and statistics systems, and the configurable
-- "楼均论英雄" evaluation (indicators with weights and scales, grades, the 准 distance).

-- Zones of the district's building layout ("一核三带六园区"); the district fills in the rest.
CREATE TABLE building_zones (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('核', '带', '园区', '其他'))
);

CREATE TABLE buildings (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    address      TEXT NOT NULL DEFAULT '',
    lon          REAL NOT NULL,
    lat          REAL NOT NULL,
    grid         TEXT REFERENCES regions(code),
    street       TEXT NOT NULL REFERENCES regions(code),
    zone         TEXT NOT NULL REFERENCES building_zones(code),
    gfa_m2       REAL NOT NULL CHECK (gfa_m2 > 0),       -- 建筑面积
    leasable_m2  REAL NOT NULL CHECK (leasable_m2 > 0),  -- 可租赁办公面积
    floors       INTEGER NOT NULL DEFAULT 0,
    year_built   INTEGER NOT NULL DEFAULT 0,
    operator     TEXT NOT NULL DEFAULT '',
    grade        TEXT NOT NULL DEFAULT '乙级' CHECK (grade IN ('超甲级', '甲级', '乙级', '丙级')),
    synthetic    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX buildings_street ON buildings(street);

CREATE TABLE building_enterprises (
    id                  INTEGER PRIMARY KEY,
    uscc                TEXT NOT NULL UNIQUE,  -- 统一社会信用代码, GB 32100-2015
    name                TEXT NOT NULL,
    industry            TEXT NOT NULL,         -- GB/T 4754-2017: 门类 letter + 大类 digits, "I65"
    registered_building INTEGER REFERENCES buildings(id), -- 注册在地; NULL: registered elsewhere
    intro_year          INTEGER,               -- 招商引进的年份; NULL: not introduced
    intro_building      INTEGER REFERENCES buildings(id),
    synthetic           INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE building_leases (
    id            INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES building_enterprises(id),
    building_id   INTEGER NOT NULL REFERENCES buildings(id),
    floors        TEXT NOT NULL DEFAULT '',
    area_m2       REAL NOT NULL CHECK (area_m2 > 0),
    start_date    TEXT NOT NULL,            -- YYYY-MM-DD, first day
    end_date      TEXT,                     -- YYYY-MM-DD, last day; NULL: open
    synthetic     INTEGER NOT NULL DEFAULT 0,
    UNIQUE (enterprise_id, building_id, start_date)
);
CREATE INDEX building_leases_building ON building_leases(building_id);

-- Yearly figures of an enterprise, in yuan.
CREATE TABLE building_figures (
    enterprise_id INTEGER NOT NULL REFERENCES building_enterprises(id),
    year          INTEGER NOT NULL,
    tax           REAL NOT NULL DEFAULT 0,   -- 税收 (all taxes paid)
    revenue       REAL NOT NULL DEFAULT 0,   -- 营业收入
    value_added   REAL NOT NULL DEFAULT 0,   -- 增加值 (the GDP contribution)
    synthetic     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (enterprise_id, year)
);
CREATE INDEX building_figures_year ON building_figures(year);

-- The evaluation's indicators: score = 100 × (value − floor) / (target − floor), kept to 0..100;
-- the composite is the weighted mean of the indicator scores.
CREATE TABLE building_indicators (
    code   TEXT PRIMARY KEY,
    weight REAL NOT NULL CHECK (weight >= 0),
    floor  REAL NOT NULL,
    target REAL NOT NULL
);
INSERT INTO building_indicators (code, weight, floor, target) VALUES
    ('tax_per_m2', 0.35, 0, 3000),
    ('gdp_per_m2', 0.25, 0, 25000),
    ('occupancy', 0.25, 0.5, 1.0),
    ('tax_yoy', 0.15, -0.2, 0.2);

-- Grades by composite score: the highest grade whose min_score the score reaches.
CREATE TABLE building_grades (
    grade     TEXT PRIMARY KEY,
    min_score REAL NOT NULL
);
INSERT INTO building_grades (grade, min_score) VALUES ('A', 85), ('B', 70), ('C', 55), ('D', 0);

CREATE TABLE building_settings (
    name  TEXT PRIMARY KEY,
    value REAL NOT NULL
);
-- a building is 准 (准亿元楼…) when its tax reaches this share of the next tier's threshold
INSERT INTO building_settings (name, value) VALUES ('near_ratio', 0.8);

INSERT INTO building_zones (code, name, kind) VALUES
    ('jfb', '解放碑中央商务区', '核'),
    ('hlq', '化龙桥国际商务区', '其他'),
    ('zbc', '总部城数字经济产业园', '园区'),
    ('other', '其他区域', '其他');
