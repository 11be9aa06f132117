-- Accounts, sessions and login throttling. Passwords are stored only as libsodium argon2id
-- strings; sessions only as the BLAKE2b digest of their token, never the token itself.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'center', 'board_post', 'department',
                                                'grid_worker', 'volunteer', 'auditor')),
    level         TEXT NOT NULL DEFAULT '',
    region        TEXT NOT NULL DEFAULT '',
    grid          TEXT NOT NULL DEFAULT '',
    team_role     TEXT NOT NULL DEFAULT '',
    department    TEXT NOT NULL DEFAULT '',
    board         TEXT NOT NULL DEFAULT '',
    post          TEXT NOT NULL DEFAULT '',
    street        TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,          -- hex BLAKE2b-256 of the token
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL,
    expires_at INTEGER NOT NULL           -- absolute expiry (created_at + session_max)
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Failed logins per key ("user:<name>" or "addr:<client address>").
CREATE TABLE login_failures (
    key          TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    last_failure INTEGER NOT NULL,
    not_before   INTEGER NOT NULL DEFAULT 0,  -- slowed down or locked until this time
    locked       INTEGER NOT NULL DEFAULT 0
);
