/* The SQL of what reaches the event module from outside before or beside an event: attachment
 * files (who uploaded them, which events they are linked to), residents' public intake (the
 * per-client rate record and the photos uploaded ahead of a report) and the idempotency keys
 * of retried requests, through the store helper layer (core/db_row.h). */
#include "event/event_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/db_row.h"

struct one_int {
    int64_t v;
};
static const struct db_column one_int_cols[] = {DB_COL(INT64, struct one_int, v)};
static const struct db_row_map one_int_map = DB_ROW_MAP(struct one_int, one_int_cols);

/* Append each row's integer to ids[max]; rows past max are read and dropped. */
struct int_array {
    int64_t *ids;
    size_t max, *n;
};

static int add_int(void *ctx, void *row)
{
    struct int_array *a = ctx;
    if (*a->n < a->max)
        a->ids[(*a->n)++] = ((const struct one_int *)row)->v;
    return 0;
}

/* ---- attachments ------------------------------------------------------------------------- */

int event_store_attachment_put(struct db *db, const char *sha, const char *mime, long size,
                               const char *by, int64_t at, struct app_error *err)
{
    static const char sql[] =
        "INSERT OR IGNORE INTO event_attachments(sha, mime, size, uploaded_by, uploaded_at) "
        "VALUES(?,?,?,?,?)";
    static const char up[] =
        "INSERT OR IGNORE INTO event_attachment_uploaders(sha, username) VALUES(?,?)";
    if (db_run(
            db, sql,
            DB_PARAMS(DB_TEXT(sha), DB_TEXT(mime), DB_INT(size), DB_TEXT(by ? by : ""), DB_INT(at)),
            err))
        return -1;
    if (!by || !*by)
        return 0;
    return db_run(db, up, DB_PARAMS(DB_TEXT(sha), DB_TEXT(by)), err);
}

int event_store_attachment_uploaded_by(struct db *db, const char *sha, const char *username,
                                       struct app_error *err)
{
    static const char sql[] =
        "SELECT 1 FROM event_attachment_uploaders WHERE sha = ? AND username = ?";
    struct one_int r;
    bool found;
    if (db_get(db, sql, DB_PARAMS(DB_TEXT(sha), DB_TEXT(username)), &one_int_map, &r, &found, err))
        return -1;
    return found ? 1 : 0;
}

struct attachment_row {
    char *mime, *by;
};
static const struct db_column attachment_cols[] = {
    DB_COL(STRDUP, struct attachment_row, mime),
    DB_COL(STRDUP, struct attachment_row, by),
};
static const struct db_row_map attachment_map = DB_ROW_MAP(struct attachment_row, attachment_cols);

int event_store_attachment_get(struct db *db, const char *sha, char *mime, size_t mime_n, char *by,
                               size_t by_n, struct app_error *err)
{
    static const char sql[] = "SELECT mime, uploaded_by FROM event_attachments WHERE sha = ?";
    struct attachment_row r;
    bool found;
    if (db_get(db, sql, DB_PARAMS(DB_TEXT(sha)), &attachment_map, &r, &found, err))
        return -1;
    if (found) {
        snprintf(mime, mime_n, "%s", r.mime ? r.mime : "");
        snprintf(by, by_n, "%s", r.by ? r.by : "");
    }
    free(r.mime);
    free(r.by);
    return found ? 1 : 0;
}

int event_store_attachment_link(struct db *db, const char *sha, int64_t event_id,
                                struct app_error *err)
{
    static const char sql[] =
        "INSERT OR IGNORE INTO event_attachment_links(sha, event_id) VALUES(?,?)";
    return db_run(db, sql, DB_PARAMS(DB_TEXT(sha), DB_INT(event_id)), err);
}

int event_store_attachment_events(struct db *db, const char *sha, int64_t *ids, size_t n,
                                  size_t *count, struct app_error *err)
{
    static const char sql[] =
        "SELECT event_id FROM event_attachment_links WHERE sha = ? ORDER BY event_id LIMIT 64";
    struct int_array a = {ids, n, count};
    struct one_int row;
    *count = 0;
    return db_each(db, sql, DB_PARAMS(DB_TEXT(sha)), &one_int_map, &row, add_int, &a, err);
}

/* ---- residents' public intake ------------------------------------------------------------ */

int event_store_public_times(struct db *db, const char *client, const char *kind, int64_t since,
                             int64_t *times, size_t max, size_t *n, struct app_error *err)
{
    static const char sql[] = "SELECT at FROM event_public_intake WHERE client = ? AND kind = ? "
                              "AND at > ? ORDER BY at DESC LIMIT ?";
    struct int_array a = {times, max, n};
    struct one_int row;
    *n = 0;
    return db_each(db, sql, DB_PARAMS(DB_TEXT(client), DB_TEXT(kind), DB_INT(since), DB_INT(max)),
                   &one_int_map, &row, add_int, &a, err);
}

int event_store_public_record(struct db *db, const char *client, const char *kind, int64_t at,
                              int64_t forget_before, struct app_error *err)
{
    static const char del[] = "DELETE FROM event_public_intake WHERE at < ?";
    static const char ins[] = "INSERT INTO event_public_intake(client, kind, at) VALUES(?,?,?)";
    if (db_run(db, del, DB_PARAMS(DB_INT(forget_before)), err))
        return -1;
    return db_run(db, ins, DB_PARAMS(DB_TEXT(client), DB_TEXT(kind), DB_INT(at)), err);
}

int event_store_public_photo_put(struct db *db, const char *token, const char *sha,
                                 const char *client, int64_t at, struct app_error *err)
{
    static const char sql[] = "INSERT INTO event_public_photos(token, sha, client, created_at) "
                              "VALUES(?,?,?,?)";
    return db_run(db, sql, DB_PARAMS(DB_TEXT(token), DB_TEXT(sha), DB_TEXT(client), DB_INT(at)),
                  err);
}

struct photo_row {
    char token[40];
    char sha[EVENT_SHA_SIZE];
};
static const struct db_column photo_cols[] = {
    DB_COL(CHARS, struct photo_row, token),
    DB_COL(CHARS, struct photo_row, sha),
};
static const struct db_row_map photo_map = DB_ROW_MAP(struct photo_row, photo_cols);

int event_store_public_photo_find(struct db *db, const char *token, int64_t since, char *sha,
                                  size_t sha_n, struct app_error *err)
{
    static const char sql[] = "SELECT token, sha FROM event_public_photos WHERE token = ? AND "
                              "event_id = 0 AND created_at >= ?";
    struct photo_row r;
    bool found;
    if (db_get(db, sql, DB_PARAMS(DB_TEXT(token), DB_INT(since)), &photo_map, &r, &found, err))
        return -1;
    if (!found)
        return 0;
    snprintf(sha, sha_n, "%s", r.sha);
    return 1;
}

int event_store_public_photo_use(struct db *db, const char *token, int64_t event_id,
                                 struct app_error *err)
{
    static const char sql[] =
        "UPDATE event_public_photos SET event_id = ? WHERE token = ? AND event_id = 0";
    int64_t changed;
    if (db_run_changes(db, sql, DB_PARAMS(DB_INT(event_id), DB_TEXT(token)), &changed, err))
        return -1;
    return changed == 1 ? 1 : 0;
}

struct photo_array {
    char (*tokens)[40];
    char (*shas)[EVENT_SHA_SIZE];
    size_t max, *n;
};

static int add_photo(void *ctx, void *row)
{
    struct photo_array *a = ctx;
    const struct photo_row *r = row;
    if (*a->n >= a->max)
        return 1;
    memcpy(a->tokens[*a->n], r->token, sizeof(r->token));
    memcpy(a->shas[*a->n], r->sha, sizeof(r->sha));
    (*a->n)++;
    return 0;
}

int event_store_public_photo_expired(struct db *db, int64_t before, char (*tokens)[40],
                                     char (*shas)[EVENT_SHA_SIZE], size_t max, size_t *n,
                                     struct app_error *err)
{
    static const char sql[] = "SELECT token, sha FROM event_public_photos WHERE event_id = 0 "
                              "AND created_at < ? ORDER BY created_at LIMIT ?";
    struct photo_array a = {tokens, shas, max, n};
    struct photo_row row;
    *n = 0;
    return db_each(db, sql, DB_PARAMS(DB_INT(before), DB_INT(max)), &photo_map, &row, add_photo, &a,
                   err) < 0
               ? -1
               : 0;
}

int event_store_public_photo_drop(struct db *db, const char *token, const char *sha,
                                  struct app_error *err)
{
    static const char del[] = "DELETE FROM event_public_photos WHERE token = ? AND event_id = 0";
    static const char orphan[] =
        "DELETE FROM event_attachments WHERE sha = ?1 AND uploaded_by = '' "
        "AND NOT EXISTS (SELECT 1 FROM event_attachment_links l WHERE l.sha = ?1) "
        "AND NOT EXISTS (SELECT 1 FROM event_attachment_uploaders u WHERE u.sha = ?1) "
        "AND NOT EXISTS (SELECT 1 FROM event_public_photos p WHERE p.sha = ?1)";
    int64_t changed;
    if (db_run(db, del, DB_PARAMS(DB_TEXT(token)), err) ||
        db_run_changes(db, orphan, DB_PARAMS(DB_TEXT(sha)), &changed, err))
        return -1;
    return changed > 0 ? 1 : 0;
}

/* ---- idempotency keys -------------------------------------------------------------------- */

struct idem_row {
    int status;
    char *body;
};
static const struct db_column idem_cols[] = {
    DB_COL(INT, struct idem_row, status),
    DB_COL(STRDUP, struct idem_row, body),
};
static const struct db_row_map idem_map = DB_ROW_MAP(struct idem_row, idem_cols);

int event_store_idem_reserve(struct db *db, const char *scope, const char *key, int64_t now,
                             int64_t expire_before, int64_t stale_before, int *status, char **body,
                             struct app_error *err)
{
    static const char purge[] = "DELETE FROM event_idempotency WHERE created_at < ?";
    static const char ins[] =
        "INSERT OR IGNORE INTO event_idempotency(scope, key, status, created_at) VALUES(?,?,0,?)";
    static const char take[] = "UPDATE event_idempotency SET created_at = ?3 "
                               "WHERE scope = ?1 AND key = ?2 AND status = 0 AND created_at < ?4";
    static const char get[] =
        "SELECT status, body FROM event_idempotency WHERE scope = ? AND key = ?";
    int64_t changed;
    *status = 0;
    *body = NULL;
    if (db_run(db, purge, DB_PARAMS(DB_INT(expire_before)), err) ||
        db_run_changes(db, ins, DB_PARAMS(DB_TEXT(scope), DB_TEXT(key), DB_INT(now)), &changed,
                       err))
        return -1;
    if (changed > 0)
        return 0;
    /* A first request that never finished (the process died) is taken over. */
    if (db_run_changes(db, take,
                       DB_PARAMS(DB_TEXT(scope), DB_TEXT(key), DB_INT(now), DB_INT(stale_before)),
                       &changed, err))
        return -1;
    if (changed > 0)
        return 0;
    struct idem_row r;
    bool found;
    if (db_get(db, get, DB_PARAMS(DB_TEXT(scope), DB_TEXT(key)), &idem_map, &r, &found, err))
        return -1;
    if (found) {
        *status = r.status;
        *body = r.body;
    }
    return 1;
}

int event_store_idem_finish(struct db *db, const char *scope, const char *key, int status,
                            const char *body, struct app_error *err)
{
    static const char del[] =
        "DELETE FROM event_idempotency WHERE scope = ? AND key = ? AND status = 0";
    static const char upd[] =
        "UPDATE event_idempotency SET status = ?3, body = ?4 WHERE scope = ?1 AND key = ?2";
    if (body)
        return db_run(db, upd,
                      DB_PARAMS(DB_TEXT(scope), DB_TEXT(key), DB_INT(status), DB_TEXT(body)), err);
    return db_run(db, del, DB_PARAMS(DB_TEXT(scope), DB_TEXT(key)), err);
}
