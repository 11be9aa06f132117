/* All SQL of the org module: regions, boards, posts, departments and people. */
#include "org/org_store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

#define REGION_COLUMNS                                                                             \
    "code, name, level, parent_code, area_m2, center_lon, center_lat, min_lon, min_lat, "          \
    "max_lon, max_lat, synthetic, geometry IS NOT NULL"

static void read_region(sqlite3_stmt *st, struct org_region *r, int geometry_col)
{
    memset(r, 0, sizeof(*r));
    db_copy_text(r->code, sizeof(r->code), st, 0);
    db_copy_text(r->name, sizeof(r->name), st, 1);
    db_copy_text(r->level, sizeof(r->level), st, 2);
    db_copy_text(r->parent_code, sizeof(r->parent_code), st, 3);
    r->area_m2 = sqlite3_column_double(st, 4);
    r->center_lon = sqlite3_column_double(st, 5);
    r->center_lat = sqlite3_column_double(st, 6);
    for (int i = 0; i < 4; i++)
        r->bbox[i] = sqlite3_column_double(st, 7 + i);
    r->synthetic = sqlite3_column_int(st, 11) != 0;
    r->has_geometry = sqlite3_column_int(st, 12) != 0;
    if (geometry_col >= 0 && sqlite3_column_type(st, geometry_col) != SQLITE_NULL)
        r->geometry = xstrdup((const char *)sqlite3_column_text(st, geometry_col));
}

int org_store_region_get(struct db *db, const char *code, struct org_region *out,
                         struct app_error *err)
{
    static const char sql[] = "SELECT " REGION_COLUMNS ", geometry FROM regions WHERE code = ?";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, code);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_region(st, out, 13);
        sqlite3_reset(st);
        return 0;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return db_fail(db, err);
    return app_fail(err, APP_ERR_NOT_FOUND, "region_not_found", "code", "no region %s", code);
}

int org_store_region_list(struct db *db, const struct org_region_query *q,
                          struct org_region_list *out, bool *more, struct app_error *err)
{
    static const char sql[] =
        "SELECT " REGION_COLUMNS ", CASE WHEN ?5 THEN geometry END FROM regions "
        "WHERE (?1 IS NULL OR level = ?1) AND (?2 IS NULL OR parent_code = ?2) "
        "AND (?3 IS NULL OR code > ?3) ORDER BY code LIMIT ?4";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, q->level);
    db_bind_text(st, 2, q->parent);
    db_bind_text(st, 3, q->after);
    sqlite3_bind_int64(st, 4, q->limit + 1);
    sqlite3_bind_int(st, 5, q->with_geometry);
    int rc;
    *more = false;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if ((long)out->len == q->limit) {
            *more = true;
            break;
        }
        XGROW(out);
        read_region(st, &out->items[out->len++], 13);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, err);
}

int org_store_region_insert(struct db *db, const struct org_region *r, struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO regions(code, name, level, parent_code, geometry, area_m2, min_lon, "
        "min_lat, max_lon, max_lat, center_lon, center_lat, synthetic) "
        "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, r->code);
    db_bind_text(st, 2, r->name);
    db_bind_text(st, 3, r->level);
    db_bind_text(st, 4, r->parent_code[0] ? r->parent_code : NULL);
    db_bind_text(st, 5, r->geometry);
    if (r->geometry) {
        sqlite3_bind_double(st, 6, r->area_m2);
        for (int i = 0; i < 4; i++)
            sqlite3_bind_double(st, 7 + i, r->bbox[i]);
        sqlite3_bind_double(st, 11, r->center_lon);
        sqlite3_bind_double(st, 12, r->center_lat);
    }
    sqlite3_bind_int(st, 13, r->synthetic);
    return db_step_done(db, st, err);
}

int org_store_region_update_geometry(struct db *db, const struct org_region *r,
                                     struct app_error *err)
{
    static const char sql[] =
        "UPDATE regions SET name = ?2, geometry = ?3, area_m2 = ?4, min_lon = ?5, min_lat = ?6, "
        "max_lon = ?7, max_lat = ?8, center_lon = ?9, center_lat = ?10, synthetic = ?11 "
        "WHERE code = ?1";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, r->code);
    db_bind_text(st, 2, r->name);
    db_bind_text(st, 3, r->geometry);
    sqlite3_bind_double(st, 4, r->area_m2);
    for (int i = 0; i < 4; i++)
        sqlite3_bind_double(st, 5 + i, r->bbox[i]);
    sqlite3_bind_double(st, 9, r->center_lon);
    sqlite3_bind_double(st, 10, r->center_lat);
    sqlite3_bind_int(st, 11, r->synthetic);
    return db_step_done(db, st, err);
}

int org_store_board_insert(struct db *db, const char *code, const char *name, int seq,
                           struct app_error *err)
{
    static const char sql[] = "INSERT INTO boards(code, name, seq) VALUES(?,?,?)";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, code);
    db_bind_text(st, 2, name);
    sqlite3_bind_int(st, 3, seq);
    return db_step_done(db, st, err);
}

int org_store_post_insert(struct db *db, const struct org_post *p, struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO posts(code, board_code, street_code, name) VALUES(?,?,?,?)";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, p->code);
    db_bind_text(st, 2, p->board_code);
    db_bind_text(st, 3, p->street_code);
    db_bind_text(st, 4, p->name);
    return db_step_done(db, st, err);
}

int org_store_department_insert(struct db *db, const struct org_department *d,
                                struct app_error *err)
{
    static const char sql[] = "INSERT INTO departments(code, name, region_code) VALUES(?,?,?)";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, d->code);
    db_bind_text(st, 2, d->name);
    db_bind_text(st, 3, d->region_code);
    return db_step_done(db, st, err);
}

int org_store_person_insert(struct db *db, const struct org_person *p, struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO people(name, phone, grid_code, team_role, synthetic) VALUES(?,?,?,?,?)";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, p->name);
    db_bind_text(st, 2, p->phone[0] ? p->phone : NULL);
    db_bind_text(st, 3, p->grid_code);
    db_bind_text(st, 4, p->team_role);
    sqlite3_bind_int(st, 5, p->synthetic);
    return db_step_done(db, st, err);
}

int org_store_board_list(struct db *db, struct org_board_list *out, struct app_error *err)
{
    static const char sql[] = "SELECT code, name FROM boards ORDER BY seq";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        XGROW(out);
        struct org_board *b = &out->items[out->len++];
        db_copy_text(b->code, sizeof(b->code), st, 0);
        db_copy_text(b->name, sizeof(b->name), st, 1);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, err);
}

int org_store_post_list(struct db *db, const char *street, const char *board,
                        struct org_post_list *out, struct app_error *err)
{
    static const char sql[] =
        "SELECT p.code, p.board_code, p.street_code, p.name FROM posts p "
        "JOIN boards b ON b.code = p.board_code "
        "WHERE (?1 IS NULL OR p.street_code = ?1) AND (?2 IS NULL OR p.board_code = ?2) "
        "ORDER BY p.street_code, b.seq, p.code";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, street);
    db_bind_text(st, 2, board);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        XGROW(out);
        struct org_post *p = &out->items[out->len++];
        db_copy_text(p->code, sizeof(p->code), st, 0);
        db_copy_text(p->board_code, sizeof(p->board_code), st, 1);
        db_copy_text(p->street_code, sizeof(p->street_code), st, 2);
        db_copy_text(p->name, sizeof(p->name), st, 3);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, err);
}

int org_store_department_list(struct db *db, struct org_department_list *out, struct app_error *err)
{
    static const char sql[] = "SELECT code, name, region_code FROM departments ORDER BY code";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        XGROW(out);
        struct org_department *d = &out->items[out->len++];
        db_copy_text(d->code, sizeof(d->code), st, 0);
        db_copy_text(d->name, sizeof(d->name), st, 1);
        db_copy_text(d->region_code, sizeof(d->region_code), st, 2);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, err);
}

int org_store_team(struct db *db, const char *grid, struct org_person_list *out,
                   struct app_error *err)
{
    static const char sql[] =
        "SELECT id, name, coalesce(phone, ''), team_role, grid_code, synthetic FROM people "
        "WHERE grid_code = ? ORDER BY CASE team_role WHEN '网格长' THEN 0 WHEN '专职网格员' "
        "THEN 1 WHEN '兼职网格员' THEN 2 WHEN '网格指导员' THEN 3 ELSE 4 END, id";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, grid);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        XGROW(out);
        struct org_person *p = &out->items[out->len++];
        p->id = sqlite3_column_int64(st, 0);
        db_copy_text(p->name, sizeof(p->name), st, 1);
        db_copy_text(p->phone, sizeof(p->phone), st, 2);
        db_copy_text(p->team_role, sizeof(p->team_role), st, 3);
        db_copy_text(p->grid_code, sizeof(p->grid_code), st, 4);
        p->synthetic = sqlite3_column_int(st, 5) != 0;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, err);
}

int org_store_grid_shapes(struct db *db,
                          int (*each)(void *ctx, int64_t rowid, const char *code,
                                      const char *geometry),
                          void *ctx, struct app_error *err)
{
    static const char sql[] = "SELECT rowid, code, geometry FROM regions "
                              "WHERE level = 'grid' AND geometry IS NOT NULL ORDER BY code";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (each(ctx, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1),
                 (const char *)sqlite3_column_text(st, 2))) {
            sqlite3_reset(st);
            return app_fail(err, APP_ERR_INTERNAL, "bad_geometry", NULL,
                            "stored grid geometry unreadable");
        }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, err);
}

int org_store_count(struct db *db, const char *level, int64_t *out, struct app_error *err)
{
    static const char sql[] = "SELECT count(*) FROM regions WHERE ?1 IS NULL OR level = ?1";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, level);
    int rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : db_fail(db, err);
}

int org_store_region_by_rowid(struct db *db, int64_t rowid, char *code, size_t n,
                              struct app_error *err)
{
    static const char sql[] = "SELECT code FROM regions WHERE rowid = ?";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, rowid);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        db_copy_text(code, n, st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW
               ? 0
               : app_fail(err, APP_ERR_NOT_FOUND, "region_not_found", NULL, "no region");
}

int org_store_region_level(struct db *db, const char *code, char *level, size_t n, bool *exists,
                           struct app_error *err)
{
    static const char sql[] = "SELECT level FROM regions WHERE code = ?";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, code);
    int rc = sqlite3_step(st);
    *exists = rc == SQLITE_ROW;
    if (*exists)
        db_copy_text(level, n, st, 0);
    else if (n)
        level[0] = '\0';
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, err);
}

int org_store_region_upsert(struct db *db, const struct org_region *r, struct app_error *err)
{
    static const char with_geometry[] =
        "INSERT INTO regions(code, name, level, parent_code, geometry, area_m2, min_lon, "
        "min_lat, max_lon, max_lat, center_lon, center_lat, synthetic) "
        "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13) "
        "ON CONFLICT(code) DO UPDATE SET name = excluded.name, parent_code = "
        "excluded.parent_code, geometry = excluded.geometry, area_m2 = excluded.area_m2, "
        "min_lon = excluded.min_lon, min_lat = excluded.min_lat, max_lon = excluded.max_lon, "
        "max_lat = excluded.max_lat, center_lon = excluded.center_lon, "
        "center_lat = excluded.center_lat, synthetic = excluded.synthetic";
    static const char without_geometry[] =
        "INSERT INTO regions(code, name, level, parent_code, synthetic) "
        "VALUES(?1,?2,?3,?4,?13) "
        "ON CONFLICT(code) DO UPDATE SET name = excluded.name, parent_code = "
        "excluded.parent_code, synthetic = excluded.synthetic";
    sqlite3_stmt *st = db_stmt(db, r->geometry ? with_geometry : without_geometry, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, r->code);
    db_bind_text(st, 2, r->name);
    db_bind_text(st, 3, r->level);
    db_bind_text(st, 4, r->parent_code[0] ? r->parent_code : NULL);
    if (r->geometry) {
        db_bind_text(st, 5, r->geometry);
        sqlite3_bind_double(st, 6, r->area_m2);
        for (int i = 0; i < 4; i++)
            sqlite3_bind_double(st, 7 + i, r->bbox[i]);
        sqlite3_bind_double(st, 11, r->center_lon);
        sqlite3_bind_double(st, 12, r->center_lat);
    }
    sqlite3_bind_int(st, 13, r->synthetic);
    return db_step_done(db, st, err);
}

int org_store_region_delete(struct db *db, const char *code, struct app_error *err)
{
    static const char sql[] = "DELETE FROM regions WHERE code = ?";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, code);
    return db_step_done(db, st, err);
}

int org_store_people_delete_synthetic(struct db *db, const char *grid, struct app_error *err)
{
    static const char sql[] = "DELETE FROM people WHERE grid_code = ? AND synthetic = 1";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, grid);
    return db_step_done(db, st, err);
}
