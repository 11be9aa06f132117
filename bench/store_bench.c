/* The store helper layer (core/db_row) against the same statements written with raw sqlite3
 * calls: inserting N rows one statement each inside a transaction, then reading them all back
 * into a list of structs, several alternating rounds on the same in-memory database. Prints
 * rows/s for each side and the ratio; never fails on time. Usage: store_bench [rows] [rounds] */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/db.h"
#include "core/db_row.h"
#include "core/xalloc.h"

struct row {
    int64_t id;
    char code[24];
    char name[64];
    double lon, lat;
    bool synthetic;
};

struct row_list {
    struct row *items;
    size_t len, cap;
};

static const char insert_sql[] = "INSERT INTO t(id, code, name, lon, lat, synthetic) "
                                 "VALUES(?,?,?,?,?,?)";
static const char select_sql[] = "SELECT id, code, name, lon, lat, synthetic FROM t ORDER BY id";

static const struct db_column cols[] = {
    DB_COL(INT64, struct row, id),   DB_COL(CHARS, struct row, code),
    DB_COL(CHARS, struct row, name), DB_COL(DOUBLE, struct row, lon),
    DB_COL(DOUBLE, struct row, lat), DB_COL(BOOL, struct row, synthetic),
};
static const struct db_row_map map = DB_ROW_MAP(struct row, cols);

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void fill(struct row *r, long i)
{
    r->id = i + 1;
    snprintf(r->code, sizeof(r->code), "50010300%06ld", i);
    snprintf(r->name, sizeof(r->name), "第%ld网格", i);
    r->lon = 106.5 + (double)i * 1e-6;
    r->lat = 29.5 + (double)i * 1e-6;
    r->synthetic = i % 2;
}

static double insert_raw(struct db *db, long n)
{
    struct app_error err = {0};
    double t0 = now();
    db_begin(db, &err);
    for (long i = 0; i < n; i++) {
        struct row r;
        fill(&r, i);
        sqlite3_stmt *st = db_stmt(db, insert_sql, &err);
        sqlite3_bind_int64(st, 1, r.id);
        sqlite3_bind_text(st, 2, r.code, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, r.name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_double(st, 4, r.lon);
        sqlite3_bind_double(st, 5, r.lat);
        sqlite3_bind_int(st, 6, r.synthetic);
        if (sqlite3_step(st) != SQLITE_DONE)
            abort();
        sqlite3_reset(st);
    }
    db_commit(db, &err);
    return now() - t0;
}

static double insert_layer(struct db *db, long n)
{
    struct app_error err = {0};
    double t0 = now();
    db_begin(db, &err);
    for (long i = 0; i < n; i++) {
        struct row r;
        fill(&r, i);
        if (db_run(db, insert_sql,
                   DB_PARAMS(DB_INT(r.id), DB_TEXT(r.code), DB_TEXT(r.name), DB_DOUBLE(r.lon),
                             DB_DOUBLE(r.lat), DB_INT(r.synthetic)),
                   &err))
            abort();
    }
    db_commit(db, &err);
    return now() - t0;
}

static double select_raw(struct db *db, struct row_list *l)
{
    struct app_error err = {0};
    double t0 = now();
    sqlite3_stmt *st = db_stmt(db, select_sql, &err);
    while (sqlite3_step(st) == SQLITE_ROW) {
        XGROW(l);
        struct row *r = &l->items[l->len++];
        memset(r, 0, sizeof(*r));
        r->id = sqlite3_column_int64(st, 0);
        db_copy_text(r->code, sizeof(r->code), st, 1);
        db_copy_text(r->name, sizeof(r->name), st, 2);
        r->lon = sqlite3_column_double(st, 3);
        r->lat = sqlite3_column_double(st, 4);
        r->synthetic = sqlite3_column_int(st, 5) != 0;
    }
    sqlite3_reset(st);
    return now() - t0;
}

static double select_layer(struct db *db, struct row_list *l)
{
    struct app_error err = {0};
    double t0 = now();
    if (db_list(db, select_sql, DB_NO_PARAMS, &map, DB_LIST(l), -1, NULL, &err))
        abort();
    return now() - t0;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 200000;
    int rounds = argc > 2 ? atoi(argv[2]) : 5;
    struct db *db;
    struct app_error err = {0};
    if (db_open(":memory:", 1000, &db, &err))
        return 1;
    static const char create[] = "CREATE TABLE t(id INTEGER PRIMARY KEY, code TEXT, name TEXT, "
                                 "lon REAL, lat REAL, synthetic INTEGER)";
    double best[4] = {1e9, 1e9, 1e9, 1e9};
    for (int k = 0; k < rounds; k++) {
        for (int side = 0; side < 2; side++) {
            /* Alternate which side goes first so warm-up favours neither. */
            int layer = (k + side) % 2;
            db_exec(db, "DROP TABLE IF EXISTS t", &err);
            db_exec(db, create, &err);
            double ti = layer ? insert_layer(db, n) : insert_raw(db, n);
            struct row_list l = {0};
            double ts = layer ? select_layer(db, &l) : select_raw(db, &l);
            if ((long)l.len != n || l.items[n - 1].id != n)
                abort();
            free(l.items);
            if (ti < best[layer * 2])
                best[layer * 2] = ti;
            if (ts < best[layer * 2 + 1])
                best[layer * 2 + 1] = ts;
        }
    }
    printf("rows %ld rounds %d (best of each)\n", n, rounds);
    printf("insert_rows_per_s raw %.0f layer %.0f ratio %.3f\n", n / best[0], n / best[2],
           best[0] / best[2]);
    printf("select_rows_per_s raw %.0f layer %.0f ratio %.3f\n", n / best[1], n / best[3],
           best[1] / best[3]);
    db_close(db);
    return 0;
}
