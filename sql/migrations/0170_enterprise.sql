-- Enterprise and people services (助企兴业, issue 17). The enterprises themselves are the building
-- economy's registry (building_enterprises, migration 0110): this module adds what the service
-- loop needs beside them, keyed by that table's id, so there is one registry.

-- Size class (大型/中型/小型/微型, 统计上大中小微型企业划分办法), head count, the revenue growth of the
-- latest year in basis points (1250 = 12.50 %, exact), recorded violations, the street/zone where
-- it operates (经营在地) and its service officer (企业服务专员, a username) and contact.
CREATE TABLE enterprise_profiles (
    enterprise_id   INTEGER PRIMARY KEY REFERENCES building_enterprises(id),
    size_class      TEXT NOT NULL CHECK (size_class IN ('大型', '中型', '小型', '微型')),
    employees       INTEGER NOT NULL DEFAULT 0 CHECK (employees >= 0),
    growth_bp       INTEGER NOT NULL DEFAULT 0,
    violations      INTEGER NOT NULL DEFAULT 0 CHECK (violations >= 0),
    street          TEXT NOT NULL DEFAULT '',
    zone            TEXT NOT NULL DEFAULT '',
    officer         TEXT NOT NULL DEFAULT '',
    contact_name    TEXT NOT NULL DEFAULT '',
    contact_phone   TEXT NOT NULL DEFAULT '',
    synthetic       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX enterprise_profiles_street ON enterprise_profiles(street);

-- An appeal (企业诉求) is an event of the loop (channel enterprise); this row says whose it is
-- and which of the nine appeal classes it belongs to.
CREATE TABLE enterprise_appeals (
    event_code    TEXT PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES building_enterprises(id),
    class         TEXT NOT NULL CHECK (class IN ('policy', 'finance', 'labour', 'space', 'approval',
                                                  'ip', 'legal', 'utility', 'wage')),
    created_at    INTEGER NOT NULL,
    synthetic     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX enterprise_appeals_enterprise ON enterprise_appeals(enterprise_id);

-- Wage-arrears early warning (欠薪隐患): projects/employers, payroll months, complaints.
CREATE TABLE wage_projects (
    id                   INTEGER PRIMARY KEY,
    code                 TEXT NOT NULL UNIQUE,
    name                 TEXT NOT NULL,
    employer             TEXT NOT NULL,
    employer_uscc        TEXT NOT NULL,
    construction         INTEGER NOT NULL DEFAULT 0,
    workers              INTEGER NOT NULL CHECK (workers >= 0),
    lon                  REAL NOT NULL,
    lat                  REAL NOT NULL,
    grid                 TEXT REFERENCES regions(code),  -- the site's grid (the event's place)
    si_stopped_months    INTEGER NOT NULL DEFAULT 0 CHECK (si_stopped_months >= 0),
    progress_unpaid_fen  INTEGER NOT NULL DEFAULT 0 CHECK (progress_unpaid_fen >= 0),
    progress_due_date    TEXT,  -- YYYY-MM-DD the unpaid progress payment fell due
    synthetic            INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE wage_payrolls (
    project_id  INTEGER NOT NULL REFERENCES wage_projects(id),
    month       TEXT NOT NULL,            -- YYYY-MM
    due_date    TEXT NOT NULL,            -- YYYY-MM-DD
    paid_date   TEXT,                     -- NULL: not paid
    amount_fen  INTEGER NOT NULL CHECK (amount_fen >= 0),
    workers     INTEGER NOT NULL CHECK (workers >= 0),
    synthetic   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (project_id, month)
);
CREATE TABLE wage_complaints (
    id          INTEGER PRIMARY KEY,
    project_id  INTEGER NOT NULL REFERENCES wage_projects(id),
    filed_on    TEXT NOT NULL,            -- YYYY-MM-DD
    workers     INTEGER NOT NULL CHECK (workers > 0),
    months      INTEGER NOT NULL CHECK (months > 0),
    amount_fen  INTEGER NOT NULL CHECK (amount_fen >= 0),
    synthetic   INTEGER NOT NULL DEFAULT 0
);
-- Thresholds of the warning rules (the district sets them; see docs/enterprise.md).
CREATE TABLE wage_thresholds (
    rule  TEXT PRIMARY KEY,
    value INTEGER NOT NULL CHECK (value >= 0)
);
INSERT INTO wage_thresholds (rule, value) VALUES
    ('payroll_overdue_days', 15),   -- fires when a month's wage is unpaid more than 15 days past due
    ('complaint_window_days', 30),
    ('complaint_cluster', 3),       -- fires at 3 or more complaints within the window
    ('si_stopped_months', 2),       -- fires at 2 or more months of stopped contributions
    ('progress_overdue_days', 30);  -- fires when a progress payment is unpaid more than 30 days
CREATE TABLE wage_warnings (
    id              INTEGER PRIMARY KEY,
    project_id      INTEGER NOT NULL REFERENCES wage_projects(id),
    rules           TEXT NOT NULL,       -- the rules that fired, comma separated
    detail          TEXT NOT NULL,
    event_code      TEXT NOT NULL,
    opened_at       INTEGER NOT NULL,
    resolved_at     INTEGER,
    workers_helped  INTEGER NOT NULL DEFAULT 0 CHECK (workers_helped >= 0),
    recovered_fen   INTEGER NOT NULL DEFAULT 0 CHECK (recovered_fen >= 0),
    synthetic       INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX wage_warnings_open ON wage_warnings(project_id) WHERE resolved_at IS NULL;

-- Social-insurance fraud cases (社保骗保): amount obtained, recovered and the fine (社会保险法 第八十八条).
CREATE TABLE fraud_cases (
    id             INTEGER PRIMARY KEY,
    code           TEXT NOT NULL UNIQUE,
    kind           TEXT NOT NULL,
    obtained_fen   INTEGER NOT NULL CHECK (obtained_fen > 0),
    recovered_fen  INTEGER NOT NULL CHECK (recovered_fen >= 0),
    fine_fen       INTEGER NOT NULL CHECK (fine_fen >= 0),
    decided_on     TEXT NOT NULL,
    synthetic      INTEGER NOT NULL DEFAULT 0
);

-- 免申即享 policies: rules and benefit as data (a JSON document, never code), and the notices.
CREATE TABLE enterprise_policies (
    code       TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    body       TEXT NOT NULL,
    synthetic  INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE enterprise_policy_notices (
    policy_code    TEXT NOT NULL REFERENCES enterprise_policies(code),
    enterprise_id  INTEGER NOT NULL REFERENCES building_enterprises(id),
    benefit_fen    INTEGER NOT NULL CHECK (benefit_fen >= 0),
    status         TEXT NOT NULL DEFAULT 'notified' CHECK (status IN ('notified', 'accepted', 'paid')),
    notified_at    INTEGER NOT NULL,
    synthetic      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (policy_code, enterprise_id)
);

-- Community certificates (证明事项): the catalogue of 22 types, 6 still issued, 16 abolished
-- with what replaces them; issued certificates carry an Ed25519 signature (libsodium).
CREATE TABLE cert_types (
    code         TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    issued       INTEGER NOT NULL CHECK (issued IN (0, 1)),
    replacement  TEXT NOT NULL DEFAULT '',  -- abolished: 告知承诺 / 数据共享 / another department
    synthetic    INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE cert_keys (
    id          INTEGER PRIMARY KEY,
    public_key  TEXT NOT NULL,   -- hex, crypto_sign_PUBLICKEYBYTES
    secret_key  TEXT NOT NULL,   -- hex, crypto_sign_SECRETKEYBYTES
    created_at  INTEGER NOT NULL
);
CREATE TABLE certificates (
    serial         TEXT PRIMARY KEY,
    type_code      TEXT NOT NULL REFERENCES cert_types(code),
    community      TEXT NOT NULL REFERENCES regions(code),
    holder_masked  TEXT NOT NULL,
    purpose        TEXT NOT NULL DEFAULT '',
    requested_at   INTEGER NOT NULL,
    issued_at      INTEGER NOT NULL,
    key_id         INTEGER NOT NULL REFERENCES cert_keys(id),
    signature      TEXT NOT NULL,  -- hex Ed25519 over enterprise_cert_text
    revoked_at     INTEGER,
    revoke_reason  TEXT NOT NULL DEFAULT '',
    synthetic      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX certificates_community ON certificates(community);
