/* All SQL of the audit log: reading the last row, appending, walking the chain, and queries. */
#include "audit/audit_store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "core/xalloc.h"

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"
#define COLUMNS                                                                                    \
    "id, at, actor_id, actor_name, actor_role, action, object_type, object_id, request_id, "       \
    "before_digest, after_digest, prev_hash, hash, region"

static void bind_opt(sqlite3_stmt *st, int i, const char *s)
{
    if (s && *s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

static void read_row(sqlite3_stmt *st, struct audit_record *r)
{
    memset(r, 0, sizeof(*r));
    r->id = sqlite3_column_int64(st, 0);
    r->at = sqlite3_column_int64(st, 1);
    r->actor_id = sqlite3_column_int64(st, 2);
    db_copy_text(r->actor_name, sizeof(r->actor_name), st, 3);
    db_copy_text(r->actor_role, sizeof(r->actor_role), st, 4);
    db_copy_text(r->action, sizeof(r->action), st, 5);
    db_copy_text(r->object_type, sizeof(r->object_type), st, 6);
    db_copy_text(r->object_id, sizeof(r->object_id), st, 7);
    db_copy_text(r->request_id, sizeof(r->request_id), st, 8);
    db_copy_text(r->before_digest, sizeof(r->before_digest), st, 9);
    db_copy_text(r->after_digest, sizeof(r->after_digest), st, 10);
    db_copy_text(r->prev_hash, sizeof(r->prev_hash), st, 11);
    db_copy_text(r->hash, sizeof(r->hash), st, 12);
    db_copy_text(r->region, sizeof(r->region), st, 13);
}

int audit_store_last(struct db *db, int64_t *id, char hash[65], struct app_error *err)
{
    static const char sql[] = "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    int rc = sqlite3_step(st);
    *id = 0;
    snprintf(hash, 65, "%s", ZERO_HASH);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        db_copy_text(hash, 65, st, 1);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, err);
}

int audit_store_head(struct db *db, bool *found, int64_t *id, char hash[65], struct app_error *err)
{
    static const char sql[] = "SELECT last_id, hash FROM audit_head WHERE one = 1";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    int rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW;
    *id = 0;
    hash[0] = '\0';
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        db_copy_text(hash, 65, st, 1);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, err);
}

int audit_store_insert(struct db *db, const struct audit_record *r, struct app_error *err)
{
    static const char sql[] = "INSERT INTO audit_log (" COLUMNS ") "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static const char head[] = "INSERT INTO audit_head (one, last_id, hash) VALUES (1, ?, ?) "
                               "ON CONFLICT (one) DO UPDATE SET last_id = excluded.last_id, "
                               "hash = excluded.hash";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, r->id);
    sqlite3_bind_int64(st, 2, r->at);
    if (r->actor_id)
        sqlite3_bind_int64(st, 3, r->actor_id);
    else
        sqlite3_bind_null(st, 3);
    const char *texts[] = {r->actor_name, r->actor_role, r->action,        r->object_type,
                           r->object_id,  r->request_id, r->before_digest, r->after_digest,
                           r->prev_hash,  r->hash,       r->region};
    for (int i = 0; i < 11; i++)
        sqlite3_bind_text(st, 4 + i, texts[i], -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return db_fail(db, err);
    st = db_stmt(db, head, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, r->id);
    sqlite3_bind_text(st, 2, r->hash, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, err);
}

int audit_store_scan(struct db *db, int (*each)(void *ctx, const struct audit_record *r), void *ctx,
                     struct app_error *err)
{
    static const char sql[] = "SELECT " COLUMNS " FROM audit_log ORDER BY id";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    int rc;
    struct audit_record r;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        read_row(st, &r);
        if (each(ctx, &r)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, err);
}

int audit_store_query(struct db *db, const struct audit_query *q, const char *region_prefix,
                      struct audit_list *out, bool *more, struct app_error *err)
{
    /* Region codes are digits: every code starting with p sorts between p and p || ':'. */
    static const char sql[] =
        "SELECT " COLUMNS " FROM audit_log WHERE (?1 IS NULL OR object_type = ?1) "
        "AND (?2 IS NULL OR object_id = ?2) AND (?3 IS NULL OR actor_name = ?3) "
        "AND (?4 IS NULL OR at >= ?4) AND (?5 IS NULL OR at < ?5) "
        "AND (?6 IS NULL OR id < ?6) "
        "AND (?8 IS NULL OR (region >= ?8 AND region < ?8 || ':')) ORDER BY id DESC LIMIT ?7";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    bind_opt(st, 1, q->object_type);
    bind_opt(st, 2, q->object_id);
    bind_opt(st, 3, q->actor);
    int64_t nums[] = {q->from, q->to, q->before_id};
    for (int i = 0; i < 3; i++)
        if (nums[i])
            sqlite3_bind_int64(st, 4 + i, nums[i]);
    sqlite3_bind_int64(st, 7, q->limit + 1);
    bind_opt(st, 8, region_prefix);
    int rc;
    *more = false;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if ((long)out->len == q->limit) {
            *more = true;
            break;
        }
        if (out->len == out->cap) {
            out->cap = out->cap ? out->cap * 2 : 16;
            out->items = xrealloc(out->items, out->cap * sizeof(*out->items));
        }
        read_row(st, &out->items[out->len++]);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, err);
}
