/* The store helper layer: a store function is its SQL, a table of typed parameters and a small
 * column table that maps each result column into a field of a plain C struct (offsetof + type).
 * Nothing of the database engine shows here, so a second engine (PostgreSQL, issue 14) can sit
 * behind the same calls; the SQL text itself stays the store's, per engine. */
#ifndef CORE_DB_ROW_H
#define CORE_DB_ROW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

struct db;

/* A parameter: parameter i of the table binds placeholder ?(i+1). */
enum db_param_type {
    DB_PARAM_NULL,
    DB_PARAM_INT,      /* int64 */
    DB_PARAM_DOUBLE,   /* double */
    DB_PARAM_TEXT,     /* text, copied; a NULL pointer binds NULL */
    DB_PARAM_TEXT_REF, /* text, not copied: it must stay as it is until the db_* call returns
                          (which every string the caller holds during the call does); for hot
                          paths that bind many strings. A NULL pointer binds NULL. */
};

struct db_param {
    enum db_param_type type;
    int64_t i;
    double d;
    const char *s;
};

#define DB_NULL ((struct db_param){.type = DB_PARAM_NULL})
#define DB_INT(x) ((struct db_param){.type = DB_PARAM_INT, .i = (int64_t)(x)})
#define DB_DOUBLE(x) ((struct db_param){.type = DB_PARAM_DOUBLE, .d = (double)(x)})
#define DB_TEXT(x) ((struct db_param){.type = DB_PARAM_TEXT, .s = (x)})
#define DB_TEXT_REF(x) ((struct db_param){.type = DB_PARAM_TEXT_REF, .s = (x)})
/* Text that binds NULL when the pointer is NULL or the string empty. */
#define DB_TEXT_OPT(x) DB_TEXT((x) && *(x) ? (x) : NULL)
/* An integer that binds NULL when it is zero (unset ids, open bounds). */
#define DB_INT_OPT(x) ((x) ? DB_INT(x) : DB_NULL)

/* A parameter table given inline: DB_PARAMS(DB_TEXT(code), DB_INT(n)). */
#define DB_PARAMS(...)                                                                             \
    (const struct db_param[]){__VA_ARGS__},                                                        \
        sizeof((const struct db_param[]){__VA_ARGS__}) / sizeof(struct db_param)
#define DB_NO_PARAMS NULL, 0

/* A result column: column i of the table reads result column i into the field at offset. */
enum db_column_type {
    DB_COL_SKIP,   /* column not read */
    DB_COL_INT64,  /* int64_t */
    DB_COL_INT,    /* int */
    DB_COL_BOOL,   /* bool: non-zero is true */
    DB_COL_DOUBLE, /* double */
    DB_COL_CHARS,  /* char[size]: text copied and truncated to fit, "" for NULL */
    DB_COL_STRDUP, /* char *: a new string the row's owner frees; stays NULL for NULL */
    DB_COL_TEXTREF /* const char *: borrowed, valid until the next row; NULL for NULL */
};

struct db_column {
    enum db_column_type type;
    size_t offset;
    size_t size;
};

#define DB_FIELD_SIZE(type, field) sizeof(((type *)0)->field)
#define DB_COL(kind, type, field)                                                                  \
    {                                                                                              \
        DB_COL_##kind, offsetof(type, field), DB_FIELD_SIZE(type, field)                           \
    }
#define DB_COL_NONE                                                                                \
    {                                                                                              \
        DB_COL_SKIP, 0, 0                                                                          \
    }

/* How one result row becomes one struct: its size (the row is zeroed before it is mapped) and
 * its columns. */
struct db_row_map {
    size_t size;
    size_t ncols;
    const struct db_column *cols;
};

#define DB_ROW_MAP(type, columns)                                                                  \
    {                                                                                              \
        sizeof(type), sizeof(columns) / sizeof((columns)[0]), columns                              \
    }

/* Run sql (a string literal: statements are cached by its address) with params; rows, if any,
 * are ignored. Returns 0, or -1 with err (APP_ERR_CONFLICT on a constraint, APP_ERR_UNAVAILABLE
 * when busy, APP_ERR_INTERNAL otherwise). */
int db_run(struct db *db, const char *sql, const struct db_param *params, size_t nparams,
           struct app_error *err);

/* As db_run, and *changes gets the number of rows the statement inserted, updated or deleted
 * (0 for an INSERT OR IGNORE that met its key, an UPDATE or DELETE that matched nothing). */
int db_run_changes(struct db *db, const char *sql, const struct db_param *params, size_t nparams,
                   int64_t *changes, struct app_error *err);

/* Run sql and map its first row into out (map->size bytes, zeroed first). *found (may be NULL)
 * tells whether there was a row; no row is not an error and leaves out zeroed. Returns 0 or -1
 * with err as db_run. */
int db_get(struct db *db, const char *sql, const struct db_param *params, size_t nparams,
           const struct db_row_map *map, void *out, bool *found, struct app_error *err);

/* Run sql and call each(ctx, row) for every row, row mapped into the caller's buffer row
 * (map->size bytes, zeroed before each row). A non-zero return from each stops the walk: the
 * function then returns that value. Returns 0 or -1 with err as db_run. */
int db_each(struct db *db, const char *sql, const struct db_param *params, size_t nparams,
            const struct db_row_map *map, void *row, int (*each)(void *ctx, void *row), void *ctx,
            struct app_error *err);

/* Run sql and append every row to a list { T *items; size_t len, cap; } given by DB_LIST(l),
 * where map->size == sizeof(T). With limit >= 0 at most limit rows are appended and *more
 * (may be NULL) tells whether one more row followed: the SQL should ask for limit + 1. The
 * caller owns the items as before. Returns 0 or -1 with err as db_run. */
int db_list(struct db *db, const char *sql, const struct db_param *params, size_t nparams,
            const struct db_row_map *map, void *items, size_t *len, size_t *cap, long limit,
            bool *more, struct app_error *err);
#define DB_LIST(l) (void *)&(l)->items, &(l)->len, &(l)->cap

#endif
