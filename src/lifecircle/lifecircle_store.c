/* All SQL of the lifecircle module, through core/db_row.h: it reads and writes the plain
 * structs of lifecircle.h and decides nothing. */
#include "lifecircle/lifecircle_store.h"

#include <math.h>
#include <stdlib.h>

#include "core/db_row.h"
#include "core/xalloc.h"

struct id_row {
    int64_t id;
};
static const struct db_column id_cols[] = {DB_COL(INT64, struct id_row, id)};
static const struct db_row_map id_map = DB_ROW_MAP(struct id_row, id_cols);

int lifecircle_store_network_clear(struct db *db, struct app_error *err)
{
    static const char s1[] = "DELETE FROM lifecircle_nodes";
    static const char s2[] = "DELETE FROM lifecircle_segments";
    static const char s3[] = "DELETE FROM lifecircle_networks";
    static const char s4[] = "DELETE FROM lifecircle_facilities WHERE source = 'osm'";
    if (db_run(db, s1, NULL, 0, err) || db_run(db, s2, NULL, 0, err) ||
        db_run(db, s3, NULL, 0, err) || db_run(db, s4, NULL, 0, err))
        return -1;
    return 0;
}

int lifecircle_store_network_add(struct db *db, const char *source, const char *attribution,
                                 bool synthetic, int64_t nodes, int64_t segments, int64_t steps,
                                 int64_t elevators, int64_t at, int64_t *id, struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO lifecircle_networks (source, attribution, synthetic, node_count, "
        "segment_count, steps_count, elevator_count, imported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
        "?7, ?8) RETURNING id";
    struct id_row r;
    if (db_get(db, sql,
               DB_PARAMS(DB_TEXT(source), DB_TEXT(attribution), DB_INT(synthetic), DB_INT(nodes),
                         DB_INT(segments), DB_INT(steps), DB_INT(elevators), DB_INT(at)),
               &id_map, &r, NULL, err))
        return -1;
    *id = r.id;
    return 0;
}

int lifecircle_store_node_add(struct db *db, int64_t idx, const struct lc_node *n,
                              struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO lifecircle_nodes (idx, osm_id, lon, lat, ele) VALUES (?1, ?2, ?3, ?4, ?5)";
    return db_run(db, sql,
                  DB_PARAMS(DB_INT(idx), DB_INT(n->osm_id), DB_DOUBLE(n->lon), DB_DOUBLE(n->lat),
                            isnan(n->ele) ? DB_NULL : DB_DOUBLE(n->ele)),
                  err);
}

int lifecircle_store_segment_add(struct db *db, const struct lc_segment *s, struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO lifecircle_segments (a, b, kind, incline, oneway, grade, "
        "step_count) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
    return db_run(db, sql,
                  DB_PARAMS(DB_INT(s->a), DB_INT(s->b), DB_INT(s->kind), DB_INT(s->incline),
                            DB_INT(s->oneway), isnan(s->grade) ? DB_NULL : DB_DOUBLE(s->grade),
                            DB_INT(s->step_count)),
                  err);
}

static const struct db_column info_cols[] = {
    DB_COL(CHARS, struct lifecircle_network_info, source),
    DB_COL(CHARS, struct lifecircle_network_info, attribution),
    DB_COL(BOOL, struct lifecircle_network_info, synthetic),
    DB_COL(INT64, struct lifecircle_network_info, nodes),
    DB_COL(INT64, struct lifecircle_network_info, segments),
    DB_COL(INT64, struct lifecircle_network_info, steps),
    DB_COL(INT64, struct lifecircle_network_info, elevators),
    DB_COL(INT64, struct lifecircle_network_info, imported_at),
};
static const struct db_row_map info_map = DB_ROW_MAP(struct lifecircle_network_info, info_cols);

int lifecircle_store_network_get(struct db *db, struct lifecircle_network_info *out, bool *found,
                                 struct app_error *err)
{
    static const char sql[] =
        "SELECT source, attribution, synthetic, node_count, segment_count, steps_count, "
        "elevator_count, imported_at FROM lifecircle_networks ORDER BY id DESC LIMIT 1";
    return db_get(db, sql, NULL, 0, &info_map, out, found, err);
}

struct node_row {
    int64_t idx, osm_id;
    double lon, lat, ele;
    bool has_ele;
};
static const struct db_column node_cols[] = {
    DB_COL(INT64, struct node_row, idx),    DB_COL(INT64, struct node_row, osm_id),
    DB_COL(DOUBLE, struct node_row, lon),   DB_COL(DOUBLE, struct node_row, lat),
    DB_COL(BOOL, struct node_row, has_ele), DB_COL(DOUBLE, struct node_row, ele),
};
static const struct db_row_map node_map = DB_ROW_MAP(struct node_row, node_cols);

struct node_acc {
    struct lc_node *items;
    size_t len, cap;
};

static int node_each(void *ctx, void *row)
{
    struct node_acc *a = ctx;
    const struct node_row *r = row;
    if (a->len == a->cap) {
        a->cap = a->cap ? 2 * a->cap : 4096;
        a->items = xrealloc(a->items, a->cap * sizeof(*a->items));
    }
    a->items[a->len++] = (struct lc_node){r->osm_id, r->lon, r->lat, r->has_ele ? r->ele : NAN};
    return 0;
}

int lifecircle_store_nodes(struct db *db, struct lc_node **out, size_t *n, struct app_error *err)
{
    static const char sql[] = "SELECT idx, osm_id, lon, lat, ele IS NOT NULL, coalesce(ele, 0) "
                              "FROM lifecircle_nodes ORDER BY idx";
    struct node_acc a = {0};
    struct node_row row;
    if (db_each(db, sql, NULL, 0, &node_map, &row, node_each, &a, err)) {
        free(a.items);
        return -1;
    }
    *out = a.items;
    *n = a.len;
    return 0;
}

struct seg_row {
    int64_t a, b;
    int kind, incline, oneway, step_count;
    bool has_grade;
    double grade;
};
static const struct db_column seg_cols[] = {
    DB_COL(INT64, struct seg_row, a),        DB_COL(INT64, struct seg_row, b),
    DB_COL(INT, struct seg_row, kind),       DB_COL(INT, struct seg_row, incline),
    DB_COL(INT, struct seg_row, oneway),     DB_COL(INT, struct seg_row, step_count),
    DB_COL(BOOL, struct seg_row, has_grade), DB_COL(DOUBLE, struct seg_row, grade),
};
static const struct db_row_map seg_map = DB_ROW_MAP(struct seg_row, seg_cols);

struct seg_acc {
    struct lc_segment *items;
    size_t len, cap;
};

static int seg_each(void *ctx, void *row)
{
    struct seg_acc *a = ctx;
    const struct seg_row *r = row;
    if (a->len == a->cap) {
        a->cap = a->cap ? 2 * a->cap : 4096;
        a->items = xrealloc(a->items, a->cap * sizeof(*a->items));
    }
    a->items[a->len++] = (struct lc_segment){
        .a = (uint32_t)r->a,
        .b = (uint32_t)r->b,
        .kind = (uint8_t)r->kind,
        .incline = (int8_t)r->incline,
        .oneway = (uint8_t)r->oneway,
        .grade = r->has_grade ? (float)r->grade : NAN,
        .step_count = (uint16_t)r->step_count,
    };
    return 0;
}

int lifecircle_store_segments(struct db *db, struct lc_segment **out, size_t *n,
                              struct app_error *err)
{
    static const char sql[] = "SELECT a, b, kind, incline, oneway, step_count, grade IS NOT NULL, "
                              "coalesce(grade, 0) FROM lifecircle_segments ORDER BY rowid";
    struct seg_acc a = {0};
    struct seg_row row;
    if (db_each(db, sql, NULL, 0, &seg_map, &row, seg_each, &a, err)) {
        free(a.items);
        return -1;
    }
    *out = a.items;
    *n = a.len;
    return 0;
}

static const struct db_column fac_cols[] = {
    DB_COL(INT64, struct lifecircle_facility, id),
    DB_COL(CHARS, struct lifecircle_facility, category),
    DB_COL(INT, struct lifecircle_facility, level),
    DB_COL(CHARS, struct lifecircle_facility, kind),
    DB_COL(CHARS, struct lifecircle_facility, name),
    DB_COL(DOUBLE, struct lifecircle_facility, lon),
    DB_COL(DOUBLE, struct lifecircle_facility, lat),
    DB_COL(CHARS, struct lifecircle_facility, region),
    DB_COL(CHARS, struct lifecircle_facility, source),
    DB_COL(CHARS, struct lifecircle_facility, ref),
    DB_COL(BOOL, struct lifecircle_facility, synthetic),
};
static const struct db_row_map fac_map = DB_ROW_MAP(struct lifecircle_facility, fac_cols);

int lifecircle_store_facility_add(struct db *db, const struct lifecircle_facility *f, int64_t at,
                                  int64_t *id, struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO lifecircle_facilities (category, level, kind, name, lon, lat, region, source, "
        "ref, synthetic, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
        "RETURNING id";
    struct id_row r;
    if (db_get(db, sql,
               DB_PARAMS(DB_TEXT(f->category), DB_INT(f->level), DB_TEXT(f->kind), DB_TEXT(f->name),
                         DB_DOUBLE(f->lon), DB_DOUBLE(f->lat), DB_TEXT_OPT(f->region),
                         DB_TEXT(f->source), DB_TEXT(f->ref), DB_INT(f->synthetic), DB_INT(at)),
               &id_map, &r, NULL, err))
        return -1;
    if (id)
        *id = r.id;
    return 0;
}

int lifecircle_store_facility_list(struct db *db, const char *category,
                                   struct lifecircle_facility_list *out, struct app_error *err)
{
    static const char sql[] =
        "SELECT id, category, level, kind, name, lon, lat, region, source, ref, synthetic FROM "
        "lifecircle_facilities WHERE ?1 IS NULL OR category = ?1 ORDER BY id";
    return db_list(db, sql, DB_PARAMS(DB_TEXT_OPT(category)), &fac_map, DB_LIST(out), -1, NULL,
                   err);
}

int lifecircle_store_facility_get(struct db *db, int64_t id, struct lifecircle_facility *out,
                                  bool *found, struct app_error *err)
{
    static const char sql[] =
        "SELECT id, category, level, kind, name, lon, lat, region, source, ref, synthetic FROM "
        "lifecircle_facilities WHERE id = ?1";
    return db_get(db, sql, DB_PARAMS(DB_INT(id)), &fac_map, out, found, err);
}

int lifecircle_store_demand_clear(struct db *db, bool synthetic, struct app_error *err)
{
    static const char sql[] = "DELETE FROM lifecircle_demand WHERE synthetic = ?1";
    return db_run(db, sql, DB_PARAMS(DB_INT(synthetic)), err);
}

int lifecircle_store_demand_add(struct db *db, const struct lifecircle_demand *d,
                                struct app_error *err)
{
    static const char sql[] = "INSERT INTO lifecircle_demand (name, lon, lat, population, region, "
                              "synthetic) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    return db_run(db, sql,
                  DB_PARAMS(DB_TEXT(d->name), DB_DOUBLE(d->lon), DB_DOUBLE(d->lat),
                            DB_INT(d->population), DB_TEXT_OPT(d->region), DB_INT(d->synthetic)),
                  err);
}

static const struct db_column dem_cols[] = {
    DB_COL(INT64, struct lifecircle_demand, id),
    DB_COL(CHARS, struct lifecircle_demand, name),
    DB_COL(DOUBLE, struct lifecircle_demand, lon),
    DB_COL(DOUBLE, struct lifecircle_demand, lat),
    DB_COL(INT64, struct lifecircle_demand, population),
    DB_COL(CHARS, struct lifecircle_demand, region),
    DB_COL(BOOL, struct lifecircle_demand, synthetic),
};
static const struct db_row_map dem_map = DB_ROW_MAP(struct lifecircle_demand, dem_cols);

int lifecircle_store_demand_list(struct db *db, struct lifecircle_demand_list *out,
                                 struct app_error *err)
{
    static const char sql[] = "SELECT id, name, lon, lat, population, region, synthetic FROM "
                              "lifecircle_demand ORDER BY id";
    return db_list(db, sql, NULL, 0, &dem_map, DB_LIST(out), -1, NULL, err);
}
