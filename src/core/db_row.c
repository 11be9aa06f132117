/* The SQLite side of the store helper layer (db_row.h): binding a parameter table to a cached
 * statement and mapping result columns into struct fields by offset. */
#include "core/db_row.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "core/db.h"
#include "core/xalloc.h"

static sqlite3_stmt *prepare(struct db *db, const char *sql, const struct db_param *params,
                             size_t nparams, struct app_error *err)
{
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return NULL;
    for (size_t i = 0; i < nparams; i++) {
        int at = (int)i + 1;
        const struct db_param *p = &params[i];
        switch (p->type) {
        case DB_PARAM_INT:
            sqlite3_bind_int64(st, at, p->i);
            break;
        case DB_PARAM_DOUBLE:
            sqlite3_bind_double(st, at, p->d);
            break;
        case DB_PARAM_TEXT:
            if (p->s)
                sqlite3_bind_text(st, at, p->s, -1, SQLITE_TRANSIENT);
            break; /* a fresh statement has every parameter NULL */
        case DB_PARAM_TEXT_REF:
            /* The statement is stepped and reset before the db_* call returns, and db_stmt
             * clears the bindings before the next use, so the text is never read later. */
            if (p->s)
                sqlite3_bind_text(st, at, p->s, -1, SQLITE_STATIC);
            break;
        case DB_PARAM_NULL:
            break;
        }
    }
    return st;
}

static void map_row(sqlite3_stmt *st, const struct db_row_map *map, void *row)
{
    char *base = row;
    memset(row, 0, map->size);
    int n = sqlite3_column_count(st);
    for (size_t c = 0; c < map->ncols && (int)c < n; c++) {
        const struct db_column *col = &map->cols[c];
        void *field = base + col->offset;
        int i = (int)c;
        switch (col->type) {
        case DB_COL_SKIP:
            break;
        case DB_COL_INT64: {
            int64_t v = sqlite3_column_int64(st, i);
            memcpy(field, &v, sizeof(v));
            break;
        }
        case DB_COL_INT: {
            int v = sqlite3_column_int(st, i);
            memcpy(field, &v, sizeof(v));
            break;
        }
        case DB_COL_BOOL: {
            bool v = sqlite3_column_int64(st, i) != 0;
            memcpy(field, &v, sizeof(v));
            break;
        }
        case DB_COL_DOUBLE: {
            double v = sqlite3_column_double(st, i);
            memcpy(field, &v, sizeof(v));
            break;
        }
        case DB_COL_CHARS: {
            const unsigned char *t = sqlite3_column_text(st, i);
            if (col->size)
                snprintf(field, col->size, "%s", t ? (const char *)t : "");
            break;
        }
        case DB_COL_STRDUP: {
            const unsigned char *t = sqlite3_column_text(st, i);
            char *v = t ? xstrdup((const char *)t) : NULL;
            memcpy(field, &v, sizeof(v));
            break;
        }
        case DB_COL_TEXTREF: {
            const char *v = (const char *)sqlite3_column_text(st, i);
            memcpy(field, &v, sizeof(v));
            break;
        }
        }
    }
}

int db_run(struct db *db, const char *sql, const struct db_param *params, size_t nparams,
           struct app_error *err)
{
    sqlite3_stmt *st = prepare(db, sql, params, nparams, err);
    if (!st)
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        ;
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, err);
}

int db_run_changes(struct db *db, const char *sql, const struct db_param *params, size_t nparams,
                   int64_t *changes, struct app_error *err)
{
    *changes = 0;
    if (db_run(db, sql, params, nparams, err))
        return -1;
    *changes = sqlite3_changes64(db_sqlite(db));
    return 0;
}

int db_get(struct db *db, const char *sql, const struct db_param *params, size_t nparams,
           const struct db_row_map *map, void *out, bool *found, struct app_error *err)
{
    memset(out, 0, map->size);
    if (found)
        *found = false;
    sqlite3_stmt *st = prepare(db, sql, params, nparams, err);
    if (!st)
        return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        map_row(st, map, out);
        if (found)
            *found = true;
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, err);
}

int db_each(struct db *db, const char *sql, const struct db_param *params, size_t nparams,
            const struct db_row_map *map, void *row, int (*each)(void *ctx, void *row), void *ctx,
            struct app_error *err)
{
    sqlite3_stmt *st = prepare(db, sql, params, nparams, err);
    if (!st)
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        map_row(st, map, row);
        int stop = each(ctx, row);
        if (stop) {
            sqlite3_reset(st);
            return stop;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, err);
}

int db_list(struct db *db, const char *sql, const struct db_param *params, size_t nparams,
            const struct db_row_map *map, void *items, size_t *len, size_t *cap, long limit,
            bool *more, struct app_error *err)
{
    if (more)
        *more = false;
    sqlite3_stmt *st = prepare(db, sql, params, nparams, err);
    if (!st)
        return -1;
    /* items is the address of the list's T * field; copied in and out as bytes. */
    char *base;
    memcpy(&base, items, sizeof(base));
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (limit >= 0 && *len == (size_t)limit) {
            if (more)
                *more = true;
            break;
        }
        if (*len == *cap) {
            *cap = *cap ? *cap * 2 : 16;
            base = xrealloc(base, *cap * map->size);
            memcpy(items, &base, sizeof(base));
        }
        map_row(st, map, base + *len * map->size);
        (*len)++;
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, err);
}
