-- The supervisor role (纪检监察, issue 15): users.role's CHECK gains 'supervisor'. SQLite cannot
-- alter a CHECK, so the table is rebuilt. Dropping users would cascade to sessions (foreign keys
-- are on inside the migration's transaction), so the sessions are kept aside and put back.
CREATE TABLE users_new (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'center', 'board_post', 'department',
                                                'grid_worker', 'volunteer', 'auditor',
                                                'supervisor')),
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
INSERT INTO users_new (id, username, display_name, role, level, region, grid, team_role,
                       department, board, post, street, password_hash, disabled, created_at,
                       updated_at)
    SELECT id, username, display_name, role, level, region, grid, team_role, department, board,
           post, street, password_hash, disabled, created_at, updated_at FROM users;
CREATE TABLE sessions_keep AS SELECT * FROM sessions;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
INSERT INTO sessions SELECT * FROM sessions_keep;
DROP TABLE sessions_keep;
