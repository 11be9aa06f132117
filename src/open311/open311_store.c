/* SQL of the Open311 module: report photo links and the keyed clients' post times. */
#include "open311/open311_store.h"

#include <sqlite3.h>

int open311_store_media_put(struct db *db, const char *code, const char *url, struct app_error *err)
{
    static const char sql[] = "INSERT OR REPLACE INTO open311_media (event_code, url) "
                              "VALUES (?1, ?2)";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, code);
    db_bind_text(st, 2, url);
    return db_step_done(db, st, err);
}

int open311_store_media_get(struct db *db, const char *code, char *out, size_t n,
                            struct app_error *err)
{
    static const char sql[] = "SELECT url FROM open311_media WHERE event_code = ?1";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, code);
    out[0] = '\0';
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        db_copy_text(out, n, st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, err);
}

int open311_store_posts(struct db *db, const char *client, int64_t since, int64_t *times,
                        size_t max, size_t *n, struct app_error *err)
{
    static const char sql[] = "SELECT at FROM open311_client_posts WHERE client = ?1 AND at > ?2 "
                              "ORDER BY at DESC LIMIT ?3";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, client);
    sqlite3_bind_int64(st, 2, since);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)max);
    int rc;
    *n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        times[(*n)++] = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, err);
}

int open311_store_post_add(struct db *db, const char *client, int64_t now, int64_t forget,
                           struct app_error *err)
{
    static const char del[] = "DELETE FROM open311_client_posts WHERE client = ?1 AND at <= ?2";
    static const char ins[] = "INSERT INTO open311_client_posts (client, at) VALUES (?1, ?2)";
    sqlite3_stmt *st = db_stmt(db, del, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, client);
    sqlite3_bind_int64(st, 2, forget);
    if (db_step_done(db, st, err) || !(st = db_stmt(db, ins, err)))
        return -1;
    db_bind_text(st, 1, client);
    sqlite3_bind_int64(st, 2, now);
    return db_step_done(db, st, err);
}
