/* All SQL of the auth module: users, sessions and login failures, through the store helper
 * layer (core/db_row.h). */
#include "auth/auth_store.h"

#include <stdio.h>
#include <string.h>

#include "core/db_row.h"
#include "core/xalloc.h"

#define USER_COLUMNS                                                                               \
    "id, username, display_name, role, level, region, grid, team_role, department, board, "        \
    "post, street, disabled, created_at, updated_at, password_hash"

/* A users row as read: the role as its name (parsed into u.p.role by user_from_row) and the
 * password hash beside the user. */
struct user_row {
    struct auth_user u;
    char role[24];
    char hash[AUTH_HASH_MAX];
};

static const struct db_column user_cols[] = {
    DB_COL(INT64, struct user_row, u.p.user_id),      DB_COL(CHARS, struct user_row, u.p.username),
    DB_COL(CHARS, struct user_row, u.p.display_name), DB_COL(CHARS, struct user_row, role),
    DB_COL(CHARS, struct user_row, u.p.level),        DB_COL(CHARS, struct user_row, u.p.region),
    DB_COL(CHARS, struct user_row, u.p.grid),         DB_COL(CHARS, struct user_row, u.p.team_role),
    DB_COL(CHARS, struct user_row, u.p.department),   DB_COL(CHARS, struct user_row, u.p.board),
    DB_COL(CHARS, struct user_row, u.p.post),         DB_COL(CHARS, struct user_row, u.p.street),
    DB_COL(BOOL, struct user_row, u.disabled),        DB_COL(INT64, struct user_row, u.created_at),
    DB_COL(INT64, struct user_row, u.updated_at),     DB_COL(CHARS, struct user_row, hash),
};
static const struct db_row_map user_map = DB_ROW_MAP(struct user_row, user_cols);

static void user_from_row(struct user_row *r, struct auth_user *out, char *hash, size_t hash_len)
{
    r->u.p.role = auth_role_parse(r->role);
    *out = r->u;
    if (hash)
        snprintf(hash, hash_len, "%s", r->hash);
}

struct id_row {
    int64_t id;
};
static const struct db_column id_cols[] = {DB_COL(INT64, struct id_row, id)};
static const struct db_row_map id_map = DB_ROW_MAP(struct id_row, id_cols);

/* The fields of u as ?1..?14 of the insert and the update; ?15 the password hash. */
#define USER_PARAMS(u, hash, ...)                                                                  \
    DB_PARAMS(DB_TEXT((u)->p.username), DB_TEXT((u)->p.display_name),                              \
              DB_TEXT(auth_role_name((u)->p.role)), DB_TEXT((u)->p.level), DB_TEXT((u)->p.region), \
              DB_TEXT((u)->p.grid), DB_TEXT((u)->p.team_role), DB_TEXT((u)->p.department),         \
              DB_TEXT((u)->p.board), DB_TEXT((u)->p.post), DB_TEXT((u)->p.street),                 \
              DB_INT((u)->disabled), DB_INT((u)->created_at), DB_INT((u)->updated_at),             \
              DB_TEXT(hash), __VA_ARGS__)

int auth_store_user_insert(struct db *db, const struct auth_user *u, const char *hash, int64_t *id,
                           struct app_error *err)
{
    /* A taken name inserts nothing and returns no row. */
    static const char sql[] =
        "INSERT INTO users (username, display_name, role, level, region, grid, team_role, "
        "department, board, post, street, disabled, created_at, updated_at, password_hash) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) "
        "ON CONFLICT (username) DO NOTHING RETURNING id";
    struct id_row r;
    bool found;
    if (db_get(db, sql, USER_PARAMS(u, hash, DB_NULL), &id_map, &r, &found, err))
        return -1;
    if (!found)
        return app_fail(err, APP_ERR_CONFLICT, "username_taken", "username", "用户名 %s 已被使用",
                        u->p.username);
    *id = r.id;
    return 0;
}

static int get_one(struct db *db, const char *sql, struct db_param key, struct auth_user *out,
                   char *hash, size_t hash_len, struct app_error *err)
{
    struct user_row r;
    bool found;
    if (db_get(db, sql, &key, 1, &user_map, &r, &found, err))
        return -1;
    if (!found)
        return app_fail(err, APP_ERR_NOT_FOUND, "user_not_found", "username", "没有这个用户");
    user_from_row(&r, out, hash, hash_len);
    return 0;
}

int auth_store_user_get(struct db *db, const char *username, struct auth_user *out, char *hash,
                        size_t hash_len, struct app_error *err)
{
    static const char sql[] = "SELECT " USER_COLUMNS " FROM users WHERE username = ?";
    return get_one(db, sql, DB_TEXT(username ? username : ""), out, hash, hash_len, err);
}

int auth_store_user_get_id(struct db *db, int64_t id, struct auth_user *out, char *hash,
                           size_t hash_len, struct app_error *err)
{
    static const char sql[] = "SELECT " USER_COLUMNS " FROM users WHERE id = ?";
    return get_one(db, sql, DB_INT(id), out, hash, hash_len, err);
}

int auth_store_user_update(struct db *db, const struct auth_user *u, const char *hash,
                           struct app_error *err)
{
    static const char sql[] =
        "UPDATE users SET username = ?1, display_name = ?2, role = ?3, level = ?4, region = ?5, "
        "grid = ?6, team_role = ?7, department = ?8, board = ?9, post = ?10, street = ?11, "
        "disabled = ?12, created_at = ?13, updated_at = ?14, "
        "password_hash = coalesce(?15, password_hash) WHERE id = ?16";
    return db_run(db, sql, USER_PARAMS(u, hash, DB_INT(u->p.user_id)), err);
}

struct user_page {
    struct auth_user_list *out;
    long limit;
};

static int append_user(void *ctx, void *row)
{
    struct user_page *pg = ctx;
    if ((long)pg->out->len == pg->limit)
        return 1; /* the row after the page: there are more */
    XGROW(pg->out);
    user_from_row(row, &pg->out->items[pg->out->len++], NULL, 0);
    return 0;
}

int auth_store_user_list(struct db *db, const char *after, long limit, struct auth_user_list *out,
                         bool *more, struct app_error *err)
{
    static const char sql[] = "SELECT " USER_COLUMNS " FROM users WHERE username > ?1 "
                              "ORDER BY username LIMIT ?2";
    struct user_page pg = {out, limit};
    struct user_row row;
    int rc = db_each(db, sql, DB_PARAMS(DB_TEXT(after ? after : ""), DB_INT(limit + 1)), &user_map,
                     &row, append_user, &pg, err);
    *more = rc == 1;
    return rc < 0 ? -1 : 0;
}

int auth_store_user_count(struct db *db, int64_t *n, struct app_error *err)
{
    static const char sql[] = "SELECT count(*) FROM users";
    struct id_row r;
    int rc = db_get(db, sql, DB_NO_PARAMS, &id_map, &r, NULL, err);
    *n = r.id;
    return rc;
}

int auth_store_session_insert(struct db *db, const char *token_hash, int64_t user_id, int64_t now,
                              int64_t expires_at, struct app_error *err)
{
    static const char sql[] = "INSERT INTO sessions (token_hash, user_id, created_at, last_seen, "
                              "expires_at) VALUES (?1, ?2, ?3, ?3, ?4)";
    return db_run(db, sql,
                  DB_PARAMS(DB_TEXT(token_hash), DB_INT(user_id), DB_INT(now), DB_INT(expires_at)),
                  err);
}

struct session_row {
    int64_t user_id, last_seen, expires_at;
};
static const struct db_column session_cols[] = {
    DB_COL(INT64, struct session_row, user_id),
    DB_COL(INT64, struct session_row, last_seen),
    DB_COL(INT64, struct session_row, expires_at),
};
static const struct db_row_map session_map = DB_ROW_MAP(struct session_row, session_cols);

int auth_store_session_get(struct db *db, const char *token_hash, int64_t *user_id,
                           int64_t *last_seen, int64_t *expires_at, struct app_error *err)
{
    static const char sql[] =
        "SELECT user_id, last_seen, expires_at FROM sessions WHERE token_hash = ?";
    struct session_row r;
    bool found;
    if (db_get(db, sql, DB_PARAMS(DB_TEXT(token_hash)), &session_map, &r, &found, err))
        return -1;
    if (!found)
        return app_fail(err, APP_ERR_NOT_FOUND, "session_not_found", NULL, "no such session");
    *user_id = r.user_id;
    *last_seen = r.last_seen;
    *expires_at = r.expires_at;
    return 0;
}

int auth_store_session_touch(struct db *db, const char *token_hash, int64_t now,
                             struct app_error *err)
{
    static const char sql[] =
        "UPDATE sessions SET last_seen = ?2 WHERE token_hash = ?1 AND last_seen < ?2";
    return db_run(db, sql, DB_PARAMS(DB_TEXT(token_hash), DB_INT(now)), err);
}

int auth_store_session_delete(struct db *db, const char *token_hash, struct app_error *err)
{
    static const char sql[] = "DELETE FROM sessions WHERE token_hash = ?";
    return db_run(db, sql, DB_PARAMS(DB_TEXT(token_hash)), err);
}

int auth_store_session_delete_user(struct db *db, int64_t user_id, const char *keep_hash,
                                   struct app_error *err)
{
    static const char sql[] =
        "DELETE FROM sessions WHERE user_id = ?1 AND (?2 IS NULL OR token_hash <> ?2)";
    return db_run(db, sql, DB_PARAMS(DB_INT(user_id), DB_TEXT(keep_hash)), err);
}

static const struct db_column failure_cols[] = {
    DB_COL(INT64, struct auth_failure, failures),
    DB_COL(INT64, struct auth_failure, last_failure),
    DB_COL(INT64, struct auth_failure, not_before),
    DB_COL(BOOL, struct auth_failure, locked),
};
static const struct db_row_map failure_map = DB_ROW_MAP(struct auth_failure, failure_cols);

int auth_store_failure_get(struct db *db, const char *key, struct auth_failure *f, bool *found,
                           struct app_error *err)
{
    static const char sql[] = "SELECT failures, last_failure, not_before, locked "
                              "FROM login_failures WHERE key = ?";
    return db_get(db, sql, DB_PARAMS(DB_TEXT(key)), &failure_map, f, found, err);
}

int auth_store_failure_put(struct db *db, const char *key, const struct auth_failure *f,
                           struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO login_failures (key, failures, last_failure, not_before, locked) "
        "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (key) DO UPDATE SET failures = ?2, "
        "last_failure = ?3, not_before = ?4, locked = ?5";
    return db_run(db, sql,
                  DB_PARAMS(DB_TEXT(key), DB_INT(f->failures), DB_INT(f->last_failure),
                            DB_INT(f->not_before), DB_INT(f->locked)),
                  err);
}

int auth_store_failure_clear(struct db *db, const char *key, struct app_error *err)
{
    static const char sql[] = "DELETE FROM login_failures WHERE key = ?";
    return db_run(db, sql, DB_PARAMS(DB_TEXT(key)), err);
}
