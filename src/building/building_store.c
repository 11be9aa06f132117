/* All SQL of the building economy module, through the store helper layer (core/db_row.h). */
#include "building/building_store.h"

#include <stdio.h>
#include <string.h>

#include "core/db_row.h"

static const struct db_column building_cols[] = {
    DB_COL(INT64, struct building, id),           DB_COL(CHARS, struct building, code),
    DB_COL(CHARS, struct building, name),         DB_COL(CHARS, struct building, address),
    DB_COL(DOUBLE, struct building, lon),         DB_COL(DOUBLE, struct building, lat),
    DB_COL(CHARS, struct building, grid),         DB_COL(CHARS, struct building, street),
    DB_COL(CHARS, struct building, zone),         DB_COL(DOUBLE, struct building, gfa_m2),
    DB_COL(DOUBLE, struct building, leasable_m2), DB_COL(INT, struct building, floors),
    DB_COL(INT, struct building, year_built),     DB_COL(CHARS, struct building, operator_name),
    DB_COL(CHARS, struct building, grade),        DB_COL(BOOL, struct building, synthetic),
};
static const struct db_row_map building_map = DB_ROW_MAP(struct building, building_cols);
#define BUILDING_SELECT                                                                            \
    "SELECT id, code, name, address, lon, lat, grid, street, zone, gfa_m2, leasable_m2, floors, "  \
    "year_built, operator, grade, synthetic FROM buildings "

static const struct db_column zone_cols[] = {
    DB_COL(CHARS, struct building_zone, code),
    DB_COL(CHARS, struct building_zone, name),
    DB_COL(CHARS, struct building_zone, kind),
};
static const struct db_row_map zone_map = DB_ROW_MAP(struct building_zone, zone_cols);

static const struct db_column enterprise_cols[] = {
    DB_COL(INT64, struct building_enterprise, id),
    DB_COL(CHARS, struct building_enterprise, uscc),
    DB_COL(CHARS, struct building_enterprise, name),
    DB_COL(CHARS, struct building_enterprise, industry),
    DB_COL(INT64, struct building_enterprise, registered_building),
    DB_COL(INT, struct building_enterprise, intro_year),
    DB_COL(INT64, struct building_enterprise, intro_building),
    DB_COL(BOOL, struct building_enterprise, synthetic),
};
static const struct db_row_map enterprise_map =
    DB_ROW_MAP(struct building_enterprise, enterprise_cols);

static const struct db_column lease_cols[] = {
    DB_COL(INT64, struct building_lease, id),
    DB_COL(INT64, struct building_lease, enterprise_id),
    DB_COL(INT64, struct building_lease, building_id),
    DB_COL(CHARS, struct building_lease, floors),
    DB_COL(DOUBLE, struct building_lease, area_m2),
    DB_COL(CHARS, struct building_lease, start_date),
    DB_COL(CHARS, struct building_lease, end_date),
    DB_COL(BOOL, struct building_lease, synthetic),
};
static const struct db_row_map lease_map = DB_ROW_MAP(struct building_lease, lease_cols);

static const struct db_column figure_cols[] = {
    DB_COL(INT64, struct building_figure, enterprise_id),
    DB_COL(INT, struct building_figure, year),
    DB_COL(DOUBLE, struct building_figure, tax),
    DB_COL(DOUBLE, struct building_figure, revenue),
    DB_COL(DOUBLE, struct building_figure, value_added),
    DB_COL(BOOL, struct building_figure, synthetic),
};
static const struct db_row_map figure_map = DB_ROW_MAP(struct building_figure, figure_cols);

int building_store_buildings(struct db *db, struct building_list *out, struct app_error *err)
{
    static const char sql[] = BUILDING_SELECT "ORDER BY id";
    return db_list(db, sql, DB_NO_PARAMS, &building_map, DB_LIST(out), -1, NULL, err);
}

int building_store_zones(struct db *db, struct building_zone_list *out, struct app_error *err)
{
    static const char sql[] = "SELECT code, name, kind FROM building_zones ORDER BY rowid";
    return db_list(db, sql, DB_NO_PARAMS, &zone_map, DB_LIST(out), -1, NULL, err);
}

int building_store_enterprises(struct db *db, struct building_enterprise_list *out,
                               struct app_error *err)
{
    static const char sql[] = "SELECT id, uscc, name, industry, registered_building, intro_year, "
                              "intro_building, synthetic FROM building_enterprises ORDER BY id";
    return db_list(db, sql, DB_NO_PARAMS, &enterprise_map, DB_LIST(out), -1, NULL, err);
}

int building_store_leases(struct db *db, struct building_lease_list *out, struct app_error *err)
{
    static const char sql[] = "SELECT id, enterprise_id, building_id, floors, area_m2, start_date, "
                              "end_date, synthetic FROM building_leases ORDER BY id";
    return db_list(db, sql, DB_NO_PARAMS, &lease_map, DB_LIST(out), -1, NULL, err);
}

int building_store_figures(struct db *db, int lo, int hi, struct building_figure_list *out,
                           struct app_error *err)
{
    static const char sql[] = "SELECT enterprise_id, year, tax, revenue, value_added, synthetic "
                              "FROM building_figures WHERE year BETWEEN ?1 AND ?2 "
                              "ORDER BY enterprise_id, year";
    return db_list(db, sql, DB_PARAMS(DB_INT(lo), DB_INT(hi)), &figure_map, DB_LIST(out), -1, NULL,
                   err);
}

struct ind_row {
    char code[32];
    double weight, floor, target;
};
static const struct db_column ind_cols[] = {
    DB_COL(CHARS, struct ind_row, code),
    DB_COL(DOUBLE, struct ind_row, weight),
    DB_COL(DOUBLE, struct ind_row, floor),
    DB_COL(DOUBLE, struct ind_row, target),
};
static const struct db_row_map ind_map = DB_ROW_MAP(struct ind_row, ind_cols);

static int ind_each(void *ctx, void *row)
{
    struct building_config *cfg = ctx;
    const struct ind_row *r = row;
    int i = building_indicator_parse(r->code);
    if (i >= 0)
        cfg->ind[i] = (struct building_indicator_cfg){r->weight, r->floor, r->target};
    return 0;
}

struct grade_row {
    char grade[8];
    double min_score;
};
static const struct db_column grade_cols[] = {
    DB_COL(CHARS, struct grade_row, grade),
    DB_COL(DOUBLE, struct grade_row, min_score),
};
static const struct db_row_map grade_map = DB_ROW_MAP(struct grade_row, grade_cols);

static int grade_each(void *ctx, void *row)
{
    struct building_config *cfg = ctx;
    const struct grade_row *r = row;
    if (cfg->ngrades < BUILDING_MAX_GRADES) {
        snprintf(cfg->grades[cfg->ngrades].grade, sizeof(cfg->grades[0].grade), "%s", r->grade);
        cfg->grades[cfg->ngrades++].min_score = r->min_score;
    }
    return 0;
}

struct setting_row {
    char name[32];
    double value;
};
static const struct db_column setting_cols[] = {
    DB_COL(CHARS, struct setting_row, name),
    DB_COL(DOUBLE, struct setting_row, value),
};
static const struct db_row_map setting_map = DB_ROW_MAP(struct setting_row, setting_cols);

int building_store_config(struct db *db, struct building_config *cfg, struct app_error *err)
{
    static const char inds[] = "SELECT code, weight, floor, target FROM building_indicators";
    static const char grades[] =
        "SELECT grade, min_score FROM building_grades ORDER BY min_score DESC";
    struct ind_row ir;
    struct grade_row gr;
    struct setting_row sr;
    bool found = false;
    if (db_each(db, inds, DB_NO_PARAMS, &ind_map, &ir, ind_each, cfg, err))
        return -1;
    size_t keep = cfg->ngrades;
    cfg->ngrades = 0;
    if (db_each(db, grades, DB_NO_PARAMS, &grade_map, &gr, grade_each, cfg, err))
        return -1;
    if (cfg->ngrades == 0)
        cfg->ngrades = keep;
    static const char near[] =
        "SELECT name, value FROM building_settings WHERE name = 'near_ratio'";
    if (db_get(db, near, DB_NO_PARAMS, &setting_map, &sr, &found, err))
        return -1;
    if (found)
        cfg->near_ratio = sr.value;
    return 0;
}

int building_store_config_put(struct db *db, const struct building_config *cfg,
                              struct app_error *err)
{
    static const char ind[] = "INSERT INTO building_indicators (code, weight, floor, target) "
                              "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(code) DO UPDATE SET "
                              "weight = excluded.weight, floor = excluded.floor, "
                              "target = excluded.target";
    static const char gdel[] = "DELETE FROM building_grades";
    static const char gins[] = "INSERT INTO building_grades (grade, min_score) VALUES (?1, ?2)";
    static const char near[] = "INSERT INTO building_settings (name, value) VALUES "
                               "('near_ratio', ?1) ON CONFLICT(name) DO UPDATE SET "
                               "value = excluded.value";
    for (int i = 0; i < BUILDING_IND_COUNT; i++)
        if (db_run(db, ind,
                   DB_PARAMS(DB_TEXT(building_indicator_code((enum building_indicator)i)),
                             DB_DOUBLE(cfg->ind[i].weight), DB_DOUBLE(cfg->ind[i].floor),
                             DB_DOUBLE(cfg->ind[i].target)),
                   err))
            return -1;
    if (db_run(db, gdel, DB_NO_PARAMS, err))
        return -1;
    for (size_t i = 0; i < cfg->ngrades; i++)
        if (db_run(db, gins,
                   DB_PARAMS(DB_TEXT(cfg->grades[i].grade), DB_DOUBLE(cfg->grades[i].min_score)),
                   err))
            return -1;
    return db_run(db, near, DB_PARAMS(DB_DOUBLE(cfg->near_ratio)), err);
}

int building_store_get(struct db *db, const char *code, struct building *out, bool *found,
                       struct app_error *err)
{
    static const char sql[] = BUILDING_SELECT "WHERE code = ?1";
    return db_get(db, sql, DB_PARAMS(DB_TEXT(code)), &building_map, out, found, err);
}

struct id_row {
    int64_t id;
};
static const struct db_column id_cols[] = {DB_COL(INT64, struct id_row, id)};
static const struct db_row_map id_row_map = DB_ROW_MAP(struct id_row, id_cols);

static int get_id(struct db *db, const char *sql, const char *key, int64_t *id,
                  struct app_error *err)
{
    struct id_row r;
    if (db_get(db, sql, DB_PARAMS(DB_TEXT(key)), &id_row_map, &r, NULL, err))
        return -1;
    *id = r.id;
    return 0;
}

int building_store_building_id(struct db *db, const char *code, int64_t *id, struct app_error *err)
{
    static const char sql[] = "SELECT id FROM buildings WHERE code = ?1";
    return get_id(db, sql, code, id, err);
}

int building_store_enterprise_id(struct db *db, const char *uscc, int64_t *id,
                                 struct app_error *err)
{
    static const char sql[] = "SELECT id FROM building_enterprises WHERE uscc = ?1";
    return get_id(db, sql, uscc, id, err);
}

int building_store_zone_exists(struct db *db, const char *code, bool *exists, struct app_error *err)
{
    static const char sql[] = "SELECT 1 FROM building_zones WHERE code = ?1";
    struct id_row r;
    return db_get(db, sql, DB_PARAMS(DB_TEXT(code)), &id_row_map, &r, exists, err);
}

int building_store_building_put(struct db *db, const struct building *b, int64_t *id,
                                struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO buildings (code, name, address, lon, lat, grid, street, zone, gfa_m2, "
        "leasable_m2, floors, year_built, operator, grade, synthetic) VALUES (?1, ?2, ?3, ?4, ?5, "
        "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) ON CONFLICT(code) DO UPDATE SET "
        "name = excluded.name, address = excluded.address, lon = excluded.lon, lat = excluded.lat, "
        "grid = excluded.grid, street = excluded.street, zone = excluded.zone, "
        "gfa_m2 = excluded.gfa_m2, leasable_m2 = excluded.leasable_m2, floors = excluded.floors, "
        "year_built = excluded.year_built, operator = excluded.operator, grade = excluded.grade, "
        "synthetic = excluded.synthetic RETURNING id";
    struct id_row r;
    if (db_get(db, sql,
               DB_PARAMS(DB_TEXT(b->code), DB_TEXT(b->name), DB_TEXT(b->address), DB_DOUBLE(b->lon),
                         DB_DOUBLE(b->lat), DB_TEXT_OPT(b->grid), DB_TEXT(b->street),
                         DB_TEXT(b->zone), DB_DOUBLE(b->gfa_m2), DB_DOUBLE(b->leasable_m2),
                         DB_INT(b->floors), DB_INT(b->year_built), DB_TEXT(b->operator_name),
                         DB_TEXT(b->grade), DB_INT(b->synthetic)),
               &id_row_map, &r, NULL, err))
        return -1;
    if (id)
        *id = r.id;
    return 0;
}

int building_store_enterprise_put(struct db *db, const struct building_enterprise *e, int64_t *id,
                                  struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO building_enterprises (uscc, name, industry, registered_building, intro_year, "
        "intro_building, synthetic) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(uscc) DO "
        "UPDATE SET name = excluded.name, industry = excluded.industry, "
        "registered_building = excluded.registered_building, intro_year = excluded.intro_year, "
        "intro_building = excluded.intro_building, synthetic = excluded.synthetic RETURNING id";
    struct id_row r;
    if (db_get(db, sql,
               DB_PARAMS(DB_TEXT(e->uscc), DB_TEXT(e->name), DB_TEXT(e->industry),
                         DB_INT_OPT(e->registered_building), DB_INT_OPT(e->intro_year),
                         DB_INT_OPT(e->intro_building), DB_INT(e->synthetic)),
               &id_row_map, &r, NULL, err))
        return -1;
    if (id)
        *id = r.id;
    return 0;
}

int building_store_lease_put(struct db *db, const struct building_lease *l, struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO building_leases (enterprise_id, building_id, floors, area_m2, start_date, "
        "end_date, synthetic) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
        "ON CONFLICT(enterprise_id, building_id, start_date) DO UPDATE SET "
        "floors = excluded.floors, area_m2 = excluded.area_m2, end_date = excluded.end_date, "
        "synthetic = excluded.synthetic";
    return db_run(db, sql,
                  DB_PARAMS(DB_INT(l->enterprise_id), DB_INT(l->building_id), DB_TEXT(l->floors),
                            DB_DOUBLE(l->area_m2), DB_TEXT(l->start_date), DB_TEXT_OPT(l->end_date),
                            DB_INT(l->synthetic)),
                  err);
}

int building_store_figure_put(struct db *db, const struct building_figure *f, struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO building_figures (enterprise_id, year, tax, revenue, value_added, synthetic) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(enterprise_id, year) DO UPDATE SET "
        "tax = excluded.tax, revenue = excluded.revenue, value_added = excluded.value_added, "
        "synthetic = excluded.synthetic";
    return db_run(db, sql,
                  DB_PARAMS(DB_INT(f->enterprise_id), DB_INT(f->year), DB_DOUBLE(f->tax),
                            DB_DOUBLE(f->revenue), DB_DOUBLE(f->value_added), DB_INT(f->synthetic)),
                  err);
}

int building_store_lease_exists(struct db *db, const struct building_lease *l, bool *exists,
                                struct app_error *err)
{
    static const char sql[] = "SELECT id FROM building_leases WHERE enterprise_id = ?1 AND "
                              "building_id = ?2 AND start_date = ?3";
    struct id_row r;
    return db_get(
        db, sql,
        DB_PARAMS(DB_INT(l->enterprise_id), DB_INT(l->building_id), DB_TEXT(l->start_date)),
        &id_row_map, &r, exists, err);
}

int building_store_figure_exists(struct db *db, int64_t enterprise_id, int year, bool *exists,
                                 struct app_error *err)
{
    static const char sql[] =
        "SELECT enterprise_id FROM building_figures WHERE enterprise_id = ?1 AND year = ?2";
    struct id_row r;
    return db_get(db, sql, DB_PARAMS(DB_INT(enterprise_id), DB_INT(year)), &id_row_map, &r, exists,
                  err);
}

int building_store_count(struct db *db, int64_t *n, struct app_error *err)
{
    static const char sql[] = "SELECT count(*) FROM buildings";
    struct id_row r;
    if (db_get(db, sql, DB_NO_PARAMS, &id_row_map, &r, NULL, err))
        return -1;
    *n = r.id;
    return 0;
}

int building_store_latest_year(struct db *db, int *year, struct app_error *err)
{
    static const char sql[] = "SELECT coalesce(max(year), 0) FROM building_figures";
    struct id_row r;
    if (db_get(db, sql, DB_NO_PARAMS, &id_row_map, &r, NULL, err))
        return -1;
    *year = (int)r.id;
    return 0;
}

struct version_row {
    char instance[24];
    int64_t v;
};
static const struct db_column version_cols[] = {DB_COL(CHARS, struct version_row, instance),
                                                DB_COL(INT64, struct version_row, v)};
static const struct db_row_map version_map = DB_ROW_MAP(struct version_row, version_cols);

int building_store_data_version(struct db *db, char instance[24], int64_t *v, struct app_error *err)
{
    static const char sql[] = "SELECT instance, v FROM building_data_version WHERE id = 1";
    struct version_row r;
    if (db_get(db, sql, DB_NO_PARAMS, &version_map, &r, NULL, err))
        return -1;
    memcpy(instance, r.instance, sizeof(r.instance));
    *v = r.v;
    return 0;
}
