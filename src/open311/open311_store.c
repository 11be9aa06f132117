/* SQL of the Open311 module: report photo links and the keyed clients' post times, through the
 * store helper layer (core/db_row.h). */
#include "open311/open311_store.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/db_row.h"

int open311_store_media_put(struct db *db, const char *code, const char *url, struct app_error *err)
{
    static const char sql[] = "INSERT OR REPLACE INTO open311_media (event_code, url) "
                              "VALUES (?1, ?2)";
    return db_run(db, sql, DB_PARAMS(DB_TEXT(code), DB_TEXT(url)), err);
}

struct url_row {
    char *url;
};
static const struct db_column url_cols[] = {DB_COL(STRDUP, struct url_row, url)};
static const struct db_row_map url_map = DB_ROW_MAP(struct url_row, url_cols);

int open311_store_media_get(struct db *db, const char *code, char *out, size_t n,
                            struct app_error *err)
{
    static const char sql[] = "SELECT url FROM open311_media WHERE event_code = ?1";
    struct url_row r;
    out[0] = '\0';
    if (db_get(db, sql, DB_PARAMS(DB_TEXT(code)), &url_map, &r, NULL, err))
        return -1;
    snprintf(out, n, "%s", r.url ? r.url : "");
    free(r.url);
    return 0;
}

struct time_row {
    int64_t at;
};
static const struct db_column time_cols[] = {DB_COL(INT64, struct time_row, at)};
static const struct db_row_map time_map = DB_ROW_MAP(struct time_row, time_cols);

struct times_out {
    int64_t *times;
    size_t max, *n;
};

static int add_time(void *ctx, void *row)
{
    struct times_out *o = ctx;
    if (*o->n < o->max)
        o->times[(*o->n)++] = ((const struct time_row *)row)->at;
    return 0;
}

int open311_store_posts(struct db *db, const char *client, int64_t since, int64_t *times,
                        size_t max, size_t *n, struct app_error *err)
{
    static const char sql[] = "SELECT at FROM open311_client_posts WHERE client = ?1 AND at > ?2 "
                              "ORDER BY at DESC LIMIT ?3";
    struct times_out o = {times, max, n};
    struct time_row row;
    *n = 0;
    return db_each(db, sql, DB_PARAMS(DB_TEXT(client), DB_INT(since), DB_INT(max)), &time_map, &row,
                   add_time, &o, err);
}

int open311_store_post_add(struct db *db, const char *client, int64_t now, int64_t forget,
                           struct app_error *err)
{
    static const char del[] = "DELETE FROM open311_client_posts WHERE client = ?1 AND at <= ?2";
    static const char ins[] = "INSERT INTO open311_client_posts (client, at) VALUES (?1, ?2)";
    if (db_run(db, del, DB_PARAMS(DB_TEXT(client), DB_INT(forget)), err))
        return -1;
    return db_run(db, ins, DB_PARAMS(DB_TEXT(client), DB_INT(now)), err);
}
