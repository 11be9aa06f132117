/* All SQL of the auth module: users, sessions and login failures. */
#include "auth/auth_store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "core/xalloc.h"

#define USER_COLUMNS                                                                               \
    "id, username, display_name, role, level, region, grid, team_role, department, board, "        \
    "post, street, disabled, created_at, updated_at, password_hash"

static void read_user(sqlite3_stmt *st, struct auth_user *u, char *hash, size_t hash_len)
{
    memset(u, 0, sizeof(*u));
    u->p.user_id = sqlite3_column_int64(st, 0);
    db_copy_text(u->p.username, sizeof(u->p.username), st, 1);
    db_copy_text(u->p.display_name, sizeof(u->p.display_name), st, 2);
    u->p.role = auth_role_parse((const char *)sqlite3_column_text(st, 3));
    db_copy_text(u->p.level, sizeof(u->p.level), st, 4);
    db_copy_text(u->p.region, sizeof(u->p.region), st, 5);
    db_copy_text(u->p.grid, sizeof(u->p.grid), st, 6);
    db_copy_text(u->p.team_role, sizeof(u->p.team_role), st, 7);
    db_copy_text(u->p.department, sizeof(u->p.department), st, 8);
    db_copy_text(u->p.board, sizeof(u->p.board), st, 9);
    db_copy_text(u->p.post, sizeof(u->p.post), st, 10);
    db_copy_text(u->p.street, sizeof(u->p.street), st, 11);
    u->disabled = sqlite3_column_int(st, 12) != 0;
    u->created_at = sqlite3_column_int64(st, 13);
    u->updated_at = sqlite3_column_int64(st, 14);
    if (hash)
        db_copy_text(hash, hash_len, st, 15);
}

static void bind_user_fields(sqlite3_stmt *st, const struct auth_user *u)
{
    const char *t[] = {u->p.username,  u->p.display_name, auth_role_name(u->p.role),
                       u->p.level,     u->p.region,       u->p.grid,
                       u->p.team_role, u->p.department,   u->p.board,
                       u->p.post,      u->p.street};
    for (int i = 0; i < 11; i++)
        sqlite3_bind_text(st, 1 + i, t[i], -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 12, u->disabled);
    sqlite3_bind_int64(st, 13, u->created_at);
    sqlite3_bind_int64(st, 14, u->updated_at);
}

int auth_store_user_insert(struct db *db, const struct auth_user *u, const char *hash, int64_t *id,
                           struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO users (username, display_name, role, level, region, grid, team_role, "
        "department, board, post, street, disabled, created_at, updated_at, password_hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    bind_user_fields(st, u);
    sqlite3_bind_text(st, 15, hash, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    int ext = sqlite3_extended_errcode(db_sqlite(db));
    sqlite3_reset(st);
    if (rc == SQLITE_DONE) {
        *id = sqlite3_last_insert_rowid(db_sqlite(db));
        return 0;
    }
    if (ext == SQLITE_CONSTRAINT_UNIQUE)
        return app_fail(err, APP_ERR_CONFLICT, "username_taken", "username", "用户名 %s 已被使用",
                        u->p.username);
    return db_fail(db, err);
}

static int get_one(struct db *db, sqlite3_stmt *st, struct auth_user *out, char *hash,
                   size_t hash_len, struct app_error *err)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_user(st, out, hash, hash_len);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc != SQLITE_DONE)
        return db_fail(db, err);
    return app_fail(err, APP_ERR_NOT_FOUND, "user_not_found", "username", "没有这个用户");
}

int auth_store_user_get(struct db *db, const char *username, struct auth_user *out, char *hash,
                        size_t hash_len, struct app_error *err)
{
    static const char sql[] = "SELECT " USER_COLUMNS " FROM users WHERE username = ?";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, username ? username : "", -1, SQLITE_TRANSIENT);
    return get_one(db, st, out, hash, hash_len, err);
}

int auth_store_user_get_id(struct db *db, int64_t id, struct auth_user *out, char *hash,
                           size_t hash_len, struct app_error *err)
{
    static const char sql[] = "SELECT " USER_COLUMNS " FROM users WHERE id = ?";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    return get_one(db, st, out, hash, hash_len, err);
}

int auth_store_user_update(struct db *db, const struct auth_user *u, const char *hash,
                           struct app_error *err)
{
    static const char sql[] =
        "UPDATE users SET username = ?1, display_name = ?2, role = ?3, level = ?4, region = ?5, "
        "grid = ?6, team_role = ?7, department = ?8, board = ?9, post = ?10, street = ?11, "
        "disabled = ?12, created_at = ?13, updated_at = ?14, "
        "password_hash = coalesce(?15, password_hash) WHERE id = ?16";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    bind_user_fields(st, u);
    if (hash)
        sqlite3_bind_text(st, 15, hash, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 16, u->p.user_id);
    return db_step_done(db, st, err);
}

int auth_store_user_list(struct db *db, const char *after, long limit, struct auth_user_list *out,
                         bool *more, struct app_error *err)
{
    static const char sql[] = "SELECT " USER_COLUMNS " FROM users WHERE username > ?1 "
                              "ORDER BY username LIMIT ?2";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, after ? after : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, limit + 1);
    int rc;
    *more = false;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if ((long)out->len == limit) {
            *more = true;
            break;
        }
        if (out->len == out->cap) {
            out->cap = out->cap ? out->cap * 2 : 16;
            out->items = xrealloc(out->items, out->cap * sizeof(*out->items));
        }
        read_user(st, &out->items[out->len++], NULL, 0);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, err);
}

int auth_store_user_count(struct db *db, int64_t *n, struct app_error *err)
{
    static const char sql[] = "SELECT count(*) FROM users";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    int rc = sqlite3_step(st);
    *n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : db_fail(db, err);
}

static int exec_done(struct db *db, sqlite3_stmt *st, struct app_error *err)
{
    return db_step_done(db, st, err);
}

int auth_store_session_insert(struct db *db, const char *token_hash, int64_t user_id, int64_t now,
                              int64_t expires_at, struct app_error *err)
{
    static const char sql[] = "INSERT INTO sessions (token_hash, user_id, created_at, last_seen, "
                              "expires_at) VALUES (?, ?, ?, ?, ?)";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, token_hash, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, user_id);
    sqlite3_bind_int64(st, 3, now);
    sqlite3_bind_int64(st, 4, now);
    sqlite3_bind_int64(st, 5, expires_at);
    return exec_done(db, st, err);
}

int auth_store_session_get(struct db *db, const char *token_hash, int64_t *user_id,
                           int64_t *last_seen, int64_t *expires_at, struct app_error *err)
{
    static const char sql[] =
        "SELECT user_id, last_seen, expires_at FROM sessions WHERE token_hash = ?";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, token_hash, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *user_id = sqlite3_column_int64(st, 0);
        *last_seen = sqlite3_column_int64(st, 1);
        *expires_at = sqlite3_column_int64(st, 2);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc != SQLITE_DONE)
        return db_fail(db, err);
    return app_fail(err, APP_ERR_NOT_FOUND, "session_not_found", NULL, "no such session");
}

int auth_store_session_touch(struct db *db, const char *token_hash, int64_t now,
                             struct app_error *err)
{
    static const char sql[] =
        "UPDATE sessions SET last_seen = ?2 WHERE token_hash = ?1 AND last_seen < ?2";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, token_hash, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, now);
    return exec_done(db, st, err);
}

int auth_store_session_delete(struct db *db, const char *token_hash, struct app_error *err)
{
    static const char sql[] = "DELETE FROM sessions WHERE token_hash = ?";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, token_hash, -1, SQLITE_TRANSIENT);
    return exec_done(db, st, err);
}

int auth_store_session_delete_user(struct db *db, int64_t user_id, const char *keep_hash,
                                   struct app_error *err)
{
    static const char sql[] =
        "DELETE FROM sessions WHERE user_id = ?1 AND (?2 IS NULL OR token_hash <> ?2)";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, user_id);
    if (keep_hash)
        sqlite3_bind_text(st, 2, keep_hash, -1, SQLITE_TRANSIENT);
    return exec_done(db, st, err);
}

int auth_store_failure_get(struct db *db, const char *key, struct auth_failure *f, bool *found,
                           struct app_error *err)
{
    static const char sql[] = "SELECT failures, last_failure, not_before, locked "
                              "FROM login_failures WHERE key = ?";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    memset(f, 0, sizeof(*f));
    int rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW;
    if (rc == SQLITE_ROW) {
        f->failures = sqlite3_column_int64(st, 0);
        f->last_failure = sqlite3_column_int64(st, 1);
        f->not_before = sqlite3_column_int64(st, 2);
        f->locked = sqlite3_column_int(st, 3) != 0;
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, err);
}

int auth_store_failure_put(struct db *db, const char *key, const struct auth_failure *f,
                           struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO login_failures (key, failures, last_failure, not_before, locked) "
        "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (key) DO UPDATE SET failures = ?2, "
        "last_failure = ?3, not_before = ?4, locked = ?5";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, f->failures);
    sqlite3_bind_int64(st, 3, f->last_failure);
    sqlite3_bind_int64(st, 4, f->not_before);
    sqlite3_bind_int(st, 5, f->locked);
    return exec_done(db, st, err);
}

int auth_store_failure_clear(struct db *db, const char *key, struct app_error *err)
{
    static const char sql[] = "DELETE FROM login_failures WHERE key = ?";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    return exec_done(db, st, err);
}
