/* All SQL of the org module: regions, boards, posts, departments and people. */
#include "org/org_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/db_row.h"

#define REGION_COLUMNS                                                                             \
    "code, name, level, parent_code, area_m2, center_lon, center_lat, min_lon, min_lat, "          \
    "max_lon, max_lat, synthetic, geometry IS NOT NULL"

/* REGION_COLUMNS and then the geometry text (NULL when not asked). */
static const struct db_column region_cols[] = {
    DB_COL(CHARS, struct org_region, code),        DB_COL(CHARS, struct org_region, name),
    DB_COL(CHARS, struct org_region, level),       DB_COL(CHARS, struct org_region, parent_code),
    DB_COL(DOUBLE, struct org_region, area_m2),    DB_COL(DOUBLE, struct org_region, center_lon),
    DB_COL(DOUBLE, struct org_region, center_lat), DB_COL(DOUBLE, struct org_region, bbox[0]),
    DB_COL(DOUBLE, struct org_region, bbox[1]),    DB_COL(DOUBLE, struct org_region, bbox[2]),
    DB_COL(DOUBLE, struct org_region, bbox[3]),    DB_COL(BOOL, struct org_region, synthetic),
    DB_COL(BOOL, struct org_region, has_geometry), DB_COL(STRDUP, struct org_region, geometry),
};
static const struct db_row_map region_map = DB_ROW_MAP(struct org_region, region_cols);

int org_store_region_get(struct db *db, const char *code, struct org_region *out,
                         struct app_error *err)
{
    static const char sql[] = "SELECT " REGION_COLUMNS ", geometry FROM regions WHERE code = ?";
    bool found;
    if (db_get(db, sql, DB_PARAMS(DB_TEXT(code)), &region_map, out, &found, err))
        return -1;
    return found
               ? 0
               : app_fail(err, APP_ERR_NOT_FOUND, "region_not_found", "code", "no region %s", code);
}

int org_store_region_list(struct db *db, const struct org_region_query *q,
                          struct org_region_list *out, bool *more, struct app_error *err)
{
    static const char sql[] =
        "SELECT " REGION_COLUMNS ", CASE WHEN ?5 THEN geometry END FROM regions "
        "WHERE (?1 IS NULL OR level = ?1) AND (?2 IS NULL OR parent_code = ?2) "
        "AND (?3 IS NULL OR code > ?3) ORDER BY code LIMIT ?4";
    return db_list(db, sql,
                   DB_PARAMS(DB_TEXT(q->level), DB_TEXT(q->parent), DB_TEXT(q->after),
                             DB_INT(q->limit + 1), DB_INT(q->with_geometry)),
                   &region_map, DB_LIST(out), q->limit, more, err);
}

/* code, name, level, parent, geometry, area, bbox, center, synthetic: ?1..?13 of the insert
 * and the upsert; the derived columns stay NULL without a geometry. */
#define REGION_PARAMS(r)                                                                           \
    DB_PARAMS(DB_TEXT((r)->code), DB_TEXT((r)->name), DB_TEXT((r)->level),                         \
              DB_TEXT_OPT((r)->parent_code), DB_TEXT((r)->geometry), GEOMETRY_NUM(r, area_m2),     \
              GEOMETRY_NUM(r, bbox[0]), GEOMETRY_NUM(r, bbox[1]), GEOMETRY_NUM(r, bbox[2]),        \
              GEOMETRY_NUM(r, bbox[3]), GEOMETRY_NUM(r, center_lon), GEOMETRY_NUM(r, center_lat),  \
              DB_INT((r)->synthetic))
#define GEOMETRY_NUM(r, field) ((r)->geometry ? DB_DOUBLE((r)->field) : DB_NULL)

int org_store_region_insert(struct db *db, const struct org_region *r, struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO regions(code, name, level, parent_code, geometry, area_m2, min_lon, "
        "min_lat, max_lon, max_lat, center_lon, center_lat, synthetic) "
        "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)";
    return db_run(db, sql, REGION_PARAMS(r), err);
}

int org_store_region_update_geometry(struct db *db, const struct org_region *r,
                                     struct app_error *err)
{
    static const char sql[] =
        "UPDATE regions SET name = ?2, geometry = ?3, area_m2 = ?4, min_lon = ?5, min_lat = ?6, "
        "max_lon = ?7, max_lat = ?8, center_lon = ?9, center_lat = ?10, synthetic = ?11 "
        "WHERE code = ?1";
    return db_run(db, sql,
                  DB_PARAMS(DB_TEXT(r->code), DB_TEXT(r->name), DB_TEXT(r->geometry),
                            DB_DOUBLE(r->area_m2), DB_DOUBLE(r->bbox[0]), DB_DOUBLE(r->bbox[1]),
                            DB_DOUBLE(r->bbox[2]), DB_DOUBLE(r->bbox[3]), DB_DOUBLE(r->center_lon),
                            DB_DOUBLE(r->center_lat), DB_INT(r->synthetic)),
                  err);
}

int org_store_board_insert(struct db *db, const char *code, const char *name, int seq,
                           struct app_error *err)
{
    static const char sql[] = "INSERT INTO boards(code, name, seq) VALUES(?,?,?)";
    return db_run(db, sql, DB_PARAMS(DB_TEXT(code), DB_TEXT(name), DB_INT(seq)), err);
}

int org_store_post_insert(struct db *db, const struct org_post *p, struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO posts(code, board_code, street_code, name) VALUES(?,?,?,?)";
    return db_run(db, sql,
                  DB_PARAMS(DB_TEXT(p->code), DB_TEXT(p->board_code), DB_TEXT(p->street_code),
                            DB_TEXT(p->name)),
                  err);
}

int org_store_department_insert(struct db *db, const struct org_department *d,
                                struct app_error *err)
{
    static const char sql[] = "INSERT INTO departments(code, name, region_code) VALUES(?,?,?)";
    return db_run(db, sql, DB_PARAMS(DB_TEXT(d->code), DB_TEXT(d->name), DB_TEXT(d->region_code)),
                  err);
}

int org_store_person_insert(struct db *db, const struct org_person *p, struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO people(name, phone, grid_code, team_role, synthetic) VALUES(?,?,?,?,?)";
    return db_run(db, sql,
                  DB_PARAMS(DB_TEXT(p->name), DB_TEXT_OPT(p->phone), DB_TEXT(p->grid_code),
                            DB_TEXT(p->team_role), DB_INT(p->synthetic)),
                  err);
}

int org_store_board_list(struct db *db, struct org_board_list *out, struct app_error *err)
{
    static const char sql[] = "SELECT code, name FROM boards ORDER BY seq";
    static const struct db_column cols[] = {DB_COL(CHARS, struct org_board, code),
                                            DB_COL(CHARS, struct org_board, name)};
    static const struct db_row_map map = DB_ROW_MAP(struct org_board, cols);
    return db_list(db, sql, DB_NO_PARAMS, &map, DB_LIST(out), -1, NULL, err);
}

int org_store_post_list(struct db *db, const char *street, const char *board,
                        struct org_post_list *out, struct app_error *err)
{
    static const char sql[] =
        "SELECT p.code, p.board_code, p.street_code, p.name FROM posts p "
        "JOIN boards b ON b.code = p.board_code "
        "WHERE (?1 IS NULL OR p.street_code = ?1) AND (?2 IS NULL OR p.board_code = ?2) "
        "ORDER BY p.street_code, b.seq, p.code";
    static const struct db_column cols[] = {
        DB_COL(CHARS, struct org_post, code), DB_COL(CHARS, struct org_post, board_code),
        DB_COL(CHARS, struct org_post, street_code), DB_COL(CHARS, struct org_post, name)};
    static const struct db_row_map map = DB_ROW_MAP(struct org_post, cols);
    return db_list(db, sql, DB_PARAMS(DB_TEXT(street), DB_TEXT(board)), &map, DB_LIST(out), -1,
                   NULL, err);
}

int org_store_department_list(struct db *db, struct org_department_list *out, struct app_error *err)
{
    static const char sql[] = "SELECT code, name, region_code FROM departments ORDER BY code";
    static const struct db_column cols[] = {DB_COL(CHARS, struct org_department, code),
                                            DB_COL(CHARS, struct org_department, name),
                                            DB_COL(CHARS, struct org_department, region_code)};
    static const struct db_row_map map = DB_ROW_MAP(struct org_department, cols);
    return db_list(db, sql, DB_NO_PARAMS, &map, DB_LIST(out), -1, NULL, err);
}

int org_store_team(struct db *db, const char *grid, struct org_person_list *out,
                   struct app_error *err)
{
    static const char sql[] =
        "SELECT id, name, coalesce(phone, ''), team_role, grid_code, synthetic FROM people "
        "WHERE grid_code = ? ORDER BY CASE team_role WHEN '网格长' THEN 0 WHEN '专职网格员' "
        "THEN 1 WHEN '兼职网格员' THEN 2 WHEN '网格指导员' THEN 3 ELSE 4 END, id";
    static const struct db_column cols[] = {
        DB_COL(INT64, struct org_person, id),        DB_COL(CHARS, struct org_person, name),
        DB_COL(CHARS, struct org_person, phone),     DB_COL(CHARS, struct org_person, team_role),
        DB_COL(CHARS, struct org_person, grid_code), DB_COL(BOOL, struct org_person, synthetic)};
    static const struct db_row_map map = DB_ROW_MAP(struct org_person, cols);
    return db_list(db, sql, DB_PARAMS(DB_TEXT(grid)), &map, DB_LIST(out), -1, NULL, err);
}

struct grid_shape {
    int64_t rowid;
    const char *code;
    const char *geometry;
};

struct grid_shape_walk {
    int (*each)(void *ctx, int64_t rowid, const char *code, const char *geometry);
    void *ctx;
};

static int grid_shape_each(void *ctx, void *row)
{
    const struct grid_shape_walk *w = ctx;
    const struct grid_shape *g = row;
    return w->each(w->ctx, g->rowid, g->code, g->geometry) ? 1 : 0;
}

int org_store_grid_shapes(struct db *db,
                          int (*each)(void *ctx, int64_t rowid, const char *code,
                                      const char *geometry),
                          void *ctx, struct app_error *err)
{
    static const char sql[] = "SELECT rowid, code, geometry FROM regions "
                              "WHERE level = 'grid' AND geometry IS NOT NULL ORDER BY code";
    static const struct db_column cols[] = {DB_COL(INT64, struct grid_shape, rowid),
                                            DB_COL(TEXTREF, struct grid_shape, code),
                                            DB_COL(TEXTREF, struct grid_shape, geometry)};
    static const struct db_row_map map = DB_ROW_MAP(struct grid_shape, cols);
    struct grid_shape_walk w = {each, ctx};
    struct grid_shape row;
    int rc = db_each(db, sql, DB_NO_PARAMS, &map, &row, grid_shape_each, &w, err);
    if (rc > 0)
        return app_fail(err, APP_ERR_INTERNAL, "bad_geometry", NULL,
                        "stored grid geometry unreadable");
    return rc;
}

struct one_int64 {
    int64_t v;
};
static const struct db_column one_int64_cols[] = {DB_COL(INT64, struct one_int64, v)};
static const struct db_row_map one_int64_map = DB_ROW_MAP(struct one_int64, one_int64_cols);

int org_store_data_version(struct db *db, int64_t *out, struct app_error *err)
{
    static const char sql[] = "SELECT v FROM org_data_version WHERE id = 1";
    struct one_int64 n = {0};
    int rc = db_get(db, sql, DB_NO_PARAMS, &one_int64_map, &n, NULL, err);
    *out = n.v;
    return rc;
}

int org_store_count(struct db *db, const char *level, int64_t *out, struct app_error *err)
{
    static const char sql[] = "SELECT count(*) FROM regions WHERE ?1 IS NULL OR level = ?1";
    struct one_int64 n;
    int rc = db_get(db, sql, DB_PARAMS(DB_TEXT(level)), &one_int64_map, &n, NULL, err);
    *out = n.v;
    return rc;
}

struct one_code {
    char code[24];
};
static const struct db_column one_code_cols[] = {DB_COL(CHARS, struct one_code, code)};
static const struct db_row_map one_code_map = DB_ROW_MAP(struct one_code, one_code_cols);

int org_store_region_by_rowid(struct db *db, int64_t rowid, char *code, size_t n,
                              struct app_error *err)
{
    static const char sql[] = "SELECT code FROM regions WHERE rowid = ?";
    struct one_code row;
    bool found = false;
    if (db_get(db, sql, DB_PARAMS(DB_INT(rowid)), &one_code_map, &row, &found, err) || !found)
        return app_fail(err, APP_ERR_NOT_FOUND, "region_not_found", NULL, "no region");
    snprintf(code, n, "%s", row.code);
    return 0;
}

int org_store_region_level(struct db *db, const char *code, char *level, size_t n, bool *exists,
                           struct app_error *err)
{
    static const char sql[] = "SELECT level FROM regions WHERE code = ?";
    struct one_code row;
    int rc = db_get(db, sql, DB_PARAMS(DB_TEXT(code)), &one_code_map, &row, exists, err);
    if (n)
        snprintf(level, n, "%s", row.code);
    return rc;
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
    return db_run(db, r->geometry ? with_geometry : without_geometry, REGION_PARAMS(r), err);
}

int org_store_region_delete(struct db *db, const char *code, struct app_error *err)
{
    static const char sql[] = "DELETE FROM regions WHERE code = ?";
    return db_run(db, sql, DB_PARAMS(DB_TEXT(code)), err);
}

int org_store_people_delete_synthetic(struct db *db, const char *grid, struct app_error *err)
{
    static const char sql[] = "DELETE FROM people WHERE grid_code = ? AND synthetic = 1";
    return db_run(db, sql, DB_PARAMS(DB_TEXT(grid)), err);
}
