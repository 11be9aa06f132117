/* The building economy's operations over the database: loading what the evaluation reads,
 * jurisdiction, the audited configuration change and the all-or-nothing CSV imports of
 * buildings, enterprises, leases and yearly figures (each bad row reported by its line). */
#include "building/building.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "building/building_store.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/xalloc.h"
#include "org/org.h"

int building_data_load(struct db *db, int year, struct building_data *out, struct app_error *err)
{
    memset(out, 0, sizeof(*out));
    building_config_default(&out->cfg);
    int lo = year ? year - 1 : 0, hi = year ? year : 9999;
    if (building_store_buildings(db, &out->buildings, err) ||
        building_store_enterprises(db, &out->enterprises, err) ||
        building_store_leases(db, &out->leases, err) ||
        building_store_figures(db, lo, hi, &out->figures, err) ||
        building_store_zones(db, &out->zones, err) || building_store_config(db, &out->cfg, err)) {
        building_data_release(out);
        return -1;
    }
    return 0;
}

void building_data_release(struct building_data *d)
{
    if (!d)
        return;
    free(d->buildings.items);
    free(d->enterprises.items);
    free(d->leases.items);
    free(d->figures.items);
    free(d->zones.items);
    memset(d, 0, sizeof(*d));
}

struct building_eval_input building_data_input(const struct building_data *d)
{
    return (struct building_eval_input){
        .buildings = d->buildings.items,
        .nbuildings = d->buildings.len,
        .enterprises = d->enterprises.items,
        .nenterprises = d->enterprises.len,
        .leases = d->leases.items,
        .nleases = d->leases.len,
        .figures = d->figures.items,
        .nfigures = d->figures.len,
    };
}

bool building_in_scope(const struct auth_principal *who, const struct building *b)
{
    return auth_region_in_scope(who, b->grid[0] ? b->grid : b->street);
}

int building_get(struct db *db, const struct auth_principal *who, const char *code,
                 struct building *out, struct app_error *err)
{
    bool found = false;
    if (!code || !*code)
        return app_fail(err, APP_ERR_NOT_FOUND, "unknown_building", "code", "没有这栋楼宇");
    if (building_store_get(db, code, out, &found, err))
        return -1;
    /* outside the caller's jurisdiction reads the same as missing */
    if (!found || !building_in_scope(who, out))
        return app_fail(err, APP_ERR_NOT_FOUND, "unknown_building", "code", "没有这栋楼宇");
    return 0;
}

int building_config_get(struct db *db, struct building_config *cfg, struct app_error *err)
{
    building_config_default(cfg);
    return building_store_config(db, cfg, err);
}

static void config_text(const struct building_config *c, struct buf *b)
{
    for (int i = 0; i < BUILDING_IND_COUNT; i++)
        buf_printf(b, "%s=%.6g/%.6g/%.6g;", building_indicator_code((enum building_indicator)i),
                   c->ind[i].weight, c->ind[i].floor, c->ind[i].target);
    for (size_t i = 0; i < c->ngrades; i++)
        buf_printf(b, "grade %s>=%.6g;", c->grades[i].grade, c->grades[i].min_score);
    buf_printf(b, "near_ratio=%.6g", c->near_ratio);
}

int building_config_save(struct db *db, const struct auth_principal *who, const char *request_id,
                         const struct building_config *cfg, struct app_error *err)
{
    struct building_config before;
    struct buf bt = BUF_INIT, at = BUF_INIT;
    int ret = -1;
    building_config_default(&before);
    if (building_config_check(cfg, err))
        return -1;
    if (db_begin(db, err))
        return -1;
    if (building_store_config(db, &before, err) || building_store_config_put(db, cfg, err))
        goto out;
    config_text(&before, &bt);
    config_text(cfg, &at);
    struct audit_entry e = {.actor = who,
                            .action = "building.config",
                            .object_type = "building_evaluation",
                            .object_id = "楼均论英雄",
                            .request_id = request_id,
                            .before = buf_cstr(&bt),
                            .after = buf_cstr(&at),
                            .region = auth_scope_region(who)};
    if (audit_append(db, &e, err) || db_commit(db, err))
        goto out;
    ret = 0;
out:
    if (ret)
        db_rollback(db);
    buf_release(&bt);
    buf_release(&at);
    return ret;
}

/* ---- imports ---------------------------------------------------------------------------- */

int building_import_kind_parse(const char *s)
{
    static const char *const kinds[] = {"buildings", "enterprises", "leases", "figures"};
    for (int i = 0; s && i < 4; i++)
        if (strcmp(s, kinds[i]) == 0)
            return i;
    return -1;
}

void building_import_result_release(struct building_import_result *r)
{
    if (!r)
        return;
    free(r->errors.items);
    memset(&r->errors, 0, sizeof(r->errors));
}

__attribute__((format(printf, 5, 6))) static void row_error(struct building_import_result *res,
                                                            int line, const char *field,
                                                            const char *code, const char *fmt, ...)
{
    struct building_row_errors *l = &res->errors;
    if (l->len == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        l->items = xrealloc(l->items, l->cap * sizeof(*l->items));
    }
    struct building_row_error *e = &l->items[l->len++];
    memset(e, 0, sizeof(*e));
    e->line = line;
    snprintf(e->field, sizeof e->field, "%s", field);
    snprintf(e->code, sizeof e->code, "%s", code);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
}

/* The columns of each kind: required ones first; docs/building.md. */
static const char *const columns[4][13] = {
    {"code", "name", "lon", "lat", "zone", "gfa_m2", "leasable_m2", "address", "floors",
     "year_built", "operator", "grade", "grid"},
    {"uscc", "name", "industry", "registered_building", "intro_year", "intro_building"},
    {"uscc", "building", "area_m2", "start", "end", "floors"},
    {"uscc", "year", "tax", "revenue", "value_added"},
};
static const int required[4] = {7, 3, 4, 3};

struct import_ctx {
    struct app *app;
    struct db *db;
    const struct auth_principal *who;
    struct building_import_result *res;
    struct csv_reader *r;
    int col[13];
};

static const char *field_of(struct import_ctx *c, int i)
{
    int k = c->col[i];
    return k >= 0 && k < c->r->nfields ? c->r->fields[k] : "";
}

/* A number of the row's column i: *out, or a row error naming it. Empty is 0 unless required. */
static bool number_of(struct import_ctx *c, int kind, int i, bool req, double min, double *out)
{
    const char *s = field_of(c, i);
    char *end;
    *out = 0;
    if (!*s) {
        if (req)
            row_error(c->res, c->r->line, columns[kind][i], "missing", "缺少 %s", columns[kind][i]);
        return !req;
    }
    *out = strtod(s, &end);
    if (*end || !isfinite(*out) || *out < min) {
        row_error(c->res, c->r->line, columns[kind][i], "bad_number", "%s 应为不小于 %g 的数",
                  columns[kind][i], min);
        return false;
    }
    return true;
}

static bool text_of(struct import_ctx *c, int kind, int i, char *out, size_t n)
{
    const char *s = field_of(c, i);
    if (i < required[kind] && !*s) {
        row_error(c->res, c->r->line, columns[kind][i], "missing", "缺少 %s", columns[kind][i]);
        return false;
    }
    if (strlen(s) >= n) {
        row_error(c->res, c->r->line, columns[kind][i], "too_long", "%s 过长", columns[kind][i]);
        return false;
    }
    snprintf(out, n, "%s", s);
    return true;
}

/* A building code of column i (may be empty when optional): its id into *id. */
static bool building_ref(struct import_ctx *c, int kind, int i, bool req, int64_t *id,
                         struct app_error *err, bool *failed)
{
    const char *s = field_of(c, i);
    *id = 0;
    if (!*s) {
        if (req)
            row_error(c->res, c->r->line, columns[kind][i], "missing", "缺少楼宇编号");
        return !req;
    }
    struct building b;
    bool found = false;
    if (building_store_get(c->db, s, &b, &found, err)) {
        *failed = true;
        return false;
    }
    if (!found || !building_in_scope(c->who, &b)) {
        row_error(c->res, c->r->line, columns[kind][i], "unknown_building", "没有楼宇 %s", s);
        return false;
    }
    *id = b.id;
    return true;
}

static bool enterprise_ref(struct import_ctx *c, int kind, int64_t *id, struct app_error *err,
                           bool *failed)
{
    const char *s = field_of(c, 0);
    struct building_uscc_result u;
    if (!building_uscc_check(s, &u)) {
        row_error(c->res, c->r->line, "uscc", "bad_uscc", "统一社会信用代码无效 (%s)",
                  building_uscc_reason_name(u.reason));
        return false;
    }
    if (building_store_enterprise_id(c->db, s, id, err)) {
        *failed = true;
        return false;
    }
    if (!*id)
        row_error(c->res, c->r->line, columns[kind][0], "unknown_enterprise", "没有企业 %s", s);
    return *id != 0;
}

static int import_building(struct import_ctx *c, bool *inserted, bool *failed,
                           struct app_error *err)
{
    struct building b;
    double v;
    bool ok = true, exists = false;
    memset(&b, 0, sizeof(b));
    ok &= text_of(c, 0, 0, b.code, sizeof b.code);
    ok &= text_of(c, 0, 1, b.name, sizeof b.name);
    ok &= number_of(c, 0, 2, true, -180, &b.lon);
    ok &= number_of(c, 0, 3, true, -90, &b.lat);
    ok &= text_of(c, 0, 4, b.zone, sizeof b.zone);
    ok &= number_of(c, 0, 5, true, 1, &b.gfa_m2);
    ok &= number_of(c, 0, 6, true, 1, &b.leasable_m2);
    ok &= text_of(c, 0, 7, b.address, sizeof b.address);
    ok &= number_of(c, 0, 8, false, 0, &v);
    b.floors = (int)v;
    ok &= number_of(c, 0, 9, false, 0, &v);
    b.year_built = (int)v;
    ok &= text_of(c, 0, 10, b.operator_name, sizeof b.operator_name);
    ok &= text_of(c, 0, 11, b.grade, sizeof b.grade);
    ok &= text_of(c, 0, 12, b.grid, sizeof b.grid);
    if (!b.grade[0])
        snprintf(b.grade, sizeof b.grade, "乙级");
    if (ok && strcmp(b.grade, "超甲级") && strcmp(b.grade, "甲级") && strcmp(b.grade, "乙级") &&
        strcmp(b.grade, "丙级")) {
        row_error(c->res, c->r->line, "grade", "bad_grade", "等级应为 超甲级/甲级/乙级/丙级");
        ok = false;
    }
    if (ok && b.leasable_m2 > b.gfa_m2) {
        row_error(c->res, c->r->line, "leasable_m2", "leasable_over_gfa",
                  "可租赁面积不能大于建筑面积");
        ok = false;
    }
    if (ok && building_store_zone_exists(c->db, b.zone, &exists, err))
        return *failed = true, -1;
    if (ok && !exists) {
        row_error(c->res, c->r->line, "zone", "unknown_zone", "没有功能区 %s", b.zone);
        ok = false;
    }
    if (!ok)
        return 0;
    if (b.grid[0]) {
        struct org_region g;
        struct app_error gerr = {0};
        if (!org_code_valid(ORG_GRID, b.grid)) {
            row_error(c->res, c->r->line, "grid", "unknown_grid", "没有网格 %s", b.grid);
            return 0;
        }
        if (org_region_get(c->db, b.grid, &g, &gerr)) {
            if (gerr.code != APP_ERR_NOT_FOUND) {
                *err = gerr;
                *failed = true;
                return -1;
            }
            row_error(c->res, c->r->line, "grid", "unknown_grid", "没有网格 %s", b.grid);
            return 0;
        }
        org_region_release(&g);
        /* a grid's code begins with its street's 9 digits (GB/T 10114 nesting) */
        snprintf(b.street, sizeof b.street, "%.9s", b.grid);
    } else {
        struct org_location loc;
        if (!c->app || org_locate(c->app, c->db, b.lon, b.lat, &loc, err)) {
            row_error(c->res, c->r->line, "lon", "outside_grids", "坐标不在任何网格内");
            return 0;
        }
        snprintf(b.grid, sizeof b.grid, "%s", loc.grid.code);
        snprintf(b.street, sizeof b.street, "%s", loc.street.code);
        org_location_release(&loc);
    }
    if (!building_in_scope(c->who, &b)) {
        row_error(c->res, c->r->line, "code", "out_of_scope", "楼宇不在本辖区");
        return 0;
    }
    int64_t id = 0;
    if (building_store_building_id(c->db, b.code, &id, err) ||
        building_store_building_put(c->db, &b, NULL, err))
        return *failed = true, -1;
    *inserted = id == 0;
    return 0;
}

static int import_enterprise(struct import_ctx *c, bool *inserted, bool *failed,
                             struct app_error *err)
{
    struct building_enterprise e;
    struct building_uscc_result u;
    double v;
    bool ok = true;
    memset(&e, 0, sizeof(e));
    ok &= text_of(c, 1, 0, e.uscc, sizeof e.uscc);
    if (ok && !building_uscc_check(e.uscc, &u)) {
        if (u.reason == BUILDING_USCC_CHECK)
            row_error(c->res, c->r->line, "uscc", "bad_uscc", "校验码应为 %c, 实为 %c", u.expected,
                      u.found);
        else
            row_error(c->res, c->r->line, "uscc", "bad_uscc", "统一社会信用代码%s",
                      u.reason == BUILDING_USCC_LENGTH ? "应为 18 位" : "含非法字符");
        ok = false;
    }
    ok &= text_of(c, 1, 1, e.name, sizeof e.name);
    ok &= text_of(c, 1, 2, e.industry, sizeof e.industry);
    if (e.industry[0] && !building_industry_valid(e.industry)) {
        row_error(c->res, c->r->line, "industry", "bad_industry",
                  "行业应为 GB/T 4754-2017 门类字母加大类两位数字, 如 I65");
        ok = false;
    }
    ok &= building_ref(c, 1, 3, false, &e.registered_building, err, failed);
    ok &= number_of(c, 1, 4, false, 1900, &v);
    e.intro_year = (int)v;
    if (v != floor(v) || v > 2999) {
        row_error(c->res, c->r->line, "intro_year", "bad_year", "年份无效");
        ok = false;
    }
    ok &= building_ref(c, 1, 5, false, &e.intro_building, err, failed);
    if (*failed)
        return -1;
    if (ok && e.intro_year && !e.intro_building) {
        row_error(c->res, c->r->line, "intro_building", "missing", "招商引进的企业应写明引进楼宇");
        ok = false;
    }
    if (!ok)
        return 0;
    int64_t id = 0;
    if (building_store_enterprise_id(c->db, e.uscc, &id, err) ||
        building_store_enterprise_put(c->db, &e, NULL, err))
        return *failed = true, -1;
    *inserted = id == 0;
    return 0;
}

static int import_lease(struct import_ctx *c, bool *inserted, bool *failed, struct app_error *err)
{
    struct building_lease l;
    bool ok = true, exists = false;
    memset(&l, 0, sizeof(l));
    ok &= enterprise_ref(c, 2, &l.enterprise_id, err, failed);
    ok &= building_ref(c, 2, 1, true, &l.building_id, err, failed);
    if (*failed)
        return -1;
    ok &= number_of(c, 2, 2, true, 0.01, &l.area_m2);
    ok &= text_of(c, 2, 3, l.start_date, sizeof l.start_date);
    ok &= text_of(c, 2, 4, l.end_date, sizeof l.end_date);
    ok &= text_of(c, 2, 5, l.floors, sizeof l.floors);
    int32_t from = l.start_date[0] ? building_date_parse(l.start_date) : 0;
    int32_t to = l.end_date[0] ? building_date_parse(l.end_date) : 0;
    if (l.start_date[0] && from < 0) {
        row_error(c->res, c->r->line, "start", "bad_date", "日期应为 YYYY-MM-DD");
        ok = false;
    }
    if (l.end_date[0] && to < 0) {
        row_error(c->res, c->r->line, "end", "bad_date", "日期应为 YYYY-MM-DD");
        ok = false;
    } else if (from > 0 && to > 0 && to < from) {
        row_error(c->res, c->r->line, "end", "end_before_start", "租期结束早于开始");
        ok = false;
    }
    if (!ok)
        return 0;
    if (building_store_lease_exists(c->db, &l, &exists, err) ||
        building_store_lease_put(c->db, &l, err))
        return *failed = true, -1;
    *inserted = !exists;
    return 0;
}

static int import_figure(struct import_ctx *c, bool *inserted, bool *failed, struct app_error *err)
{
    struct building_figure f;
    double y;
    bool ok = true, exists = false;
    memset(&f, 0, sizeof(f));
    ok &= enterprise_ref(c, 3, &f.enterprise_id, err, failed);
    if (*failed)
        return -1;
    ok &= number_of(c, 3, 1, true, 1900, &y);
    if (ok && (y != floor(y) || y > 2999)) {
        row_error(c->res, c->r->line, "year", "bad_year", "年份无效");
        ok = false;
    }
    f.year = (int)y;
    ok &= number_of(c, 3, 2, true, 0, &f.tax);
    ok &= number_of(c, 3, 3, false, 0, &f.revenue);
    ok &= number_of(c, 3, 4, false, 0, &f.value_added);
    if (!ok)
        return 0;
    if (building_store_figure_exists(c->db, f.enterprise_id, f.year, &exists, err) ||
        building_store_figure_put(c->db, &f, err))
        return *failed = true, -1;
    *inserted = !exists;
    return 0;
}

int building_import_csv(struct app *app, struct db *db, const struct auth_principal *who,
                        const char *request_id, enum building_import_kind kind, const char *data,
                        size_t len, struct building_import_result *res, struct app_error *err)
{
    static int (*const importers[4])(struct import_ctx *, bool *, bool *, struct app_error *) = {
        import_building, import_enterprise, import_lease, import_figure};
    struct csv_reader r;
    struct import_ctx c = {.app = app, .db = db, .who = who, .res = res, .r = &r};
    int ret = -1, rc;
    size_t rows = 0;
    bool failed = false;
    memset(res, 0, sizeof(*res));
    if (kind < 0 || kind > BUILDING_IMPORT_FIGURES)
        return app_fail(err, APP_ERR_INVALID, "unknown_kind", "kind", "未知的导入类型");
    csv_init(&r, data, len);
    if (db_begin(db, err)) {
        csv_release(&r);
        return -1;
    }
    rc = csv_next(&r, err);
    if (rc <= 0) {
        if (rc == 0)
            app_fail(err, APP_ERR_INVALID, "empty_file", "file", "文件为空");
        goto out;
    }
    for (int i = 0; i < 13; i++) {
        c.col[i] = columns[kind][i] ? csv_column(&r, columns[kind][i]) : -1;
        if (i < required[kind] && c.col[i] < 0)
            row_error(res, r.line, columns[kind][i], "missing_column", "表头缺少 %s 列",
                      columns[kind][i]);
    }
    if (res->errors.len) {
        app_fail(err, APP_ERR_INVALID, "invalid_rows", "file", "表头缺少必需的列");
        goto out;
    }
    while ((rc = csv_next(&r, err)) == 1) {
        bool inserted = false;
        size_t before = res->errors.len;
        rows++;
        if (importers[kind](&c, &inserted, &failed, err))
            goto out;
        if (res->errors.len == before)
            *(inserted ? &res->inserted : &res->updated) += 1;
    }
    if (rc < 0) {
        /* a malformed line stops the reading: report it with the rows before it */
        row_error(res, r.next_line, "file", "malformed_csv", "%s", err->message);
    }
    if (res->errors.len) {
        app_fail(err, APP_ERR_INVALID, "invalid_rows", "file", "%zu 行有误, 未导入任何数据",
                 res->errors.len);
        goto out;
    }
    if (rows == 0) {
        app_fail(err, APP_ERR_INVALID, "empty_file", "file", "文件没有数据行");
        goto out;
    }
    static const char *const kinds[] = {"buildings", "enterprises", "leases", "figures"};
    char after[160];
    snprintf(after, sizeof after, "kind=%s;rows=%zu;inserted=%zu;updated=%zu", kinds[kind], rows,
             res->inserted, res->updated);
    struct audit_entry e = {.actor = who,
                            .action = "building.import",
                            .object_type = "building_import",
                            .object_id = kinds[kind],
                            .request_id = request_id,
                            .after = after,
                            .region = auth_scope_region(who)};
    if (audit_append(db, &e, err) || db_commit(db, err))
        goto out;
    ret = 0;
out:
    if (ret) {
        db_rollback(db);
        res->inserted = res->updated = 0;
    }
    csv_release(&r);
    return ret;
}
