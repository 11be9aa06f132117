/* All SQL of the audit log: reading the last row, appending, walking the chain, and queries. */
#include "audit/audit_store.h"

#include <stdio.h>
#include <string.h>

#include "core/db_row.h"

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"
#define COLUMNS                                                                                    \
    "id, at, actor_id, actor_name, actor_role, action, object_type, object_id, request_id, "       \
    "before_digest, after_digest, prev_hash, hash, region"

static const struct db_column record_cols[] = {
    DB_COL(INT64, struct audit_record, id),
    DB_COL(INT64, struct audit_record, at),
    DB_COL(INT64, struct audit_record, actor_id),
    DB_COL(CHARS, struct audit_record, actor_name),
    DB_COL(CHARS, struct audit_record, actor_role),
    DB_COL(CHARS, struct audit_record, action),
    DB_COL(CHARS, struct audit_record, object_type),
    DB_COL(CHARS, struct audit_record, object_id),
    DB_COL(CHARS, struct audit_record, request_id),
    DB_COL(CHARS, struct audit_record, before_digest),
    DB_COL(CHARS, struct audit_record, after_digest),
    DB_COL(CHARS, struct audit_record, prev_hash),
    DB_COL(CHARS, struct audit_record, hash),
    DB_COL(CHARS, struct audit_record, region),
};
static const struct db_row_map record_map = DB_ROW_MAP(struct audit_record, record_cols);

/* A chain position: the last id and its hash. */
struct chain_end {
    int64_t id;
    char hash[65];
};
static const struct db_column chain_end_cols[] = {DB_COL(INT64, struct chain_end, id),
                                                  DB_COL(CHARS, struct chain_end, hash)};
static const struct db_row_map chain_end_map = DB_ROW_MAP(struct chain_end, chain_end_cols);

int audit_store_last(struct db *db, int64_t *id, char hash[65], struct app_error *err)
{
    static const char sql[] = "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1";
    struct chain_end end;
    bool found;
    int rc = db_get(db, sql, DB_NO_PARAMS, &chain_end_map, &end, &found, err);
    *id = end.id;
    snprintf(hash, 65, "%s", found ? end.hash : ZERO_HASH);
    return rc;
}

int audit_store_head(struct db *db, bool *found, int64_t *id, char hash[65], struct app_error *err)
{
    static const char sql[] = "SELECT last_id, hash FROM audit_head WHERE one = 1";
    struct chain_end end;
    int rc = db_get(db, sql, DB_NO_PARAMS, &chain_end_map, &end, found, err);
    *id = end.id;
    snprintf(hash, 65, "%s", end.hash);
    return rc;
}

int audit_store_insert(struct db *db, const struct audit_record *r, struct app_error *err)
{
    static const char sql[] = "INSERT INTO audit_log (" COLUMNS ") "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static const char head[] = "INSERT INTO audit_head (one, last_id, hash) VALUES (1, ?, ?) "
                               "ON CONFLICT (one) DO UPDATE SET last_id = excluded.last_id, "
                               "hash = excluded.hash";
    if (db_run(db, sql,
               DB_PARAMS(DB_INT(r->id), DB_INT(r->at), DB_INT_OPT(r->actor_id),
                         DB_TEXT(r->actor_name), DB_TEXT(r->actor_role), DB_TEXT(r->action),
                         DB_TEXT(r->object_type), DB_TEXT(r->object_id), DB_TEXT(r->request_id),
                         DB_TEXT(r->before_digest), DB_TEXT(r->after_digest), DB_TEXT(r->prev_hash),
                         DB_TEXT(r->hash), DB_TEXT(r->region)),
               err))
        return -1;
    return db_run(db, head, DB_PARAMS(DB_INT(r->id), DB_TEXT(r->hash)), err);
}

struct scan_walk {
    int (*each)(void *ctx, const struct audit_record *r);
    void *ctx;
};

static int scan_each(void *ctx, void *row)
{
    const struct scan_walk *w = ctx;
    return w->each(w->ctx, row) ? 1 : 0;
}

int audit_store_scan(struct db *db, int (*each)(void *ctx, const struct audit_record *r), void *ctx,
                     struct app_error *err)
{
    static const char sql[] = "SELECT " COLUMNS " FROM audit_log ORDER BY id";
    struct scan_walk w = {each, ctx};
    struct audit_record r;
    /* A walk the callback stops early is not an error. */
    return db_each(db, sql, DB_NO_PARAMS, &record_map, &r, scan_each, &w, err) < 0 ? -1 : 0;
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
    return db_list(db, sql,
                   DB_PARAMS(DB_TEXT_OPT(q->object_type), DB_TEXT_OPT(q->object_id),
                             DB_TEXT_OPT(q->actor), DB_INT_OPT(q->from), DB_INT_OPT(q->to),
                             DB_INT_OPT(q->before_id), DB_INT(q->limit + 1),
                             DB_TEXT_OPT(region_prefix)),
                   &record_map, DB_LIST(out), q->limit, more, err);
}
