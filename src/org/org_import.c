/* Importing regions: reading CSV into rows, validating every row against the region-tree rules
 * and the grid tiling rule, and applying all rows in one transaction or none of them. GeoJSON
 * is read into the same rows by org_api.c (the only place jansson may be used). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/csv.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "geo/geo.h"
#include "org/org.h"
#include "org/org_store.h"

/* A tiling gap or overlap smaller than this is rounding noise, not an error (issue 2 §7). */
#define IMPORT_TILING_TOLERANCE_M2 1.0

void org_import_init(struct org_import *imp)
{
    memset(imp, 0, sizeof(*imp));
}

void org_import_release(struct org_import *imp)
{
    if (!imp)
        return;
    for (size_t i = 0; i < imp->len; i++) {
        struct org_import_row *r = &imp->items[i];
        free(r->level);
        free(r->code);
        free(r->name);
        free(r->parent_code);
        free(r->geometry);
    }
    free(imp->items);
    memset(imp, 0, sizeof(*imp));
}

struct org_import_row *org_import_add(struct org_import *imp, const char *where, bool csv)
{
    if (imp->len == imp->cap) {
        imp->cap = imp->cap ? imp->cap * 2 : 64;
        imp->items = xrealloc(imp->items, imp->cap * sizeof(*imp->items));
    }
    struct org_import_row *r = &imp->items[imp->len++];
    memset(r, 0, sizeof(*r));
    snprintf(r->where, sizeof(r->where), "%s", where);
    r->csv = csv;
    return r;
}

int org_import_set_crs(struct org_import *imp, const char *crs, const char *field,
                       struct app_error *err)
{
    static const char *const wgs84[] = {"wgs84",
                                        "wgs-84",
                                        "epsg:4326",
                                        "urn:ogc:def:crs:ogc:1.3:crs84",
                                        "urn:ogc:def:crs:epsg::4326",
                                        "crs84"};
    static const char *const gcj02[] = {"gcj02", "gcj-02", "gcj_02"};
    if (!crs)
        return 0;
    for (size_t i = 0; i < sizeof(wgs84) / sizeof(wgs84[0]); i++)
        if (strcasecmp(crs, wgs84[i]) == 0)
            return 0;
    for (size_t i = 0; i < sizeof(gcj02) / sizeof(gcj02[0]); i++)
        if (strcasecmp(crs, gcj02[i]) == 0) {
            imp->gcj02 = true;
            return 0;
        }
    return app_fail(err, APP_ERR_INVALID, "unsupported_crs", field,
                    "不支持的坐标系 \"%.60s\"：只接受 WGS84（EPSG:4326）或 GCJ-02", crs);
}

static char *dup_or_null(const char *s)
{
    return s && *s ? xstrdup(s) : NULL;
}

int org_import_parse_csv(const char *data, size_t len, struct org_import *imp,
                         struct app_error *err)
{
    struct csv_reader r;
    int ret = -1, rc;
    csv_init(&r, data, len);
    rc = csv_next(&r, err);
    if (rc <= 0) {
        if (rc < 0)
            snprintf(err->field, sizeof(err->field), "line %d", r.line);
        if (rc == 0)
            app_fail(err, APP_ERR_INVALID, "empty_import", "line 1", "文件为空：缺少表头行");
        goto out;
    }
    int col[6];
    static const char *const names[6] = {"level",       "code",     "name",
                                         "parent_code", "geometry", "synthetic"};
    for (int i = 0; i < 6; i++) {
        col[i] = csv_column(&r, names[i]);
        if (col[i] < 0 && i < 4) {
            app_fail(err, APP_ERR_INVALID, "missing_column", "line 1",
                     "第 1 行：表头缺少列 %s（需要 level,code,name,parent_code[,geometry]）",
                     names[i]);
            goto out;
        }
    }
    int header_fields = r.nfields;
    while ((rc = csv_next(&r, err)) == 1) {
        char where[32];
        snprintf(where, sizeof(where), "line %d", r.line);
        if (r.nfields != header_fields) {
            app_fail(err, APP_ERR_INVALID, "wrong_field_count", where,
                     "第 %d 行：有 %d 列，表头有 %d 列", r.line, r.nfields, header_fields);
            goto out;
        }
        struct org_import_row *row = org_import_add(imp, where, true);
        row->level = dup_or_null(r.fields[col[0]]);
        row->code = dup_or_null(r.fields[col[1]]);
        row->name = dup_or_null(r.fields[col[2]]);
        row->parent_code = dup_or_null(r.fields[col[3]]);
        if (col[4] >= 0)
            row->geometry = dup_or_null(r.fields[col[4]]);
        if (col[5] >= 0) {
            const char *s = r.fields[col[5]];
            if (strcmp(s, "true") == 0 || strcmp(s, "1") == 0)
                row->synthetic = true;
            else if (*s && strcmp(s, "false") != 0 && strcmp(s, "0") != 0) {
                app_fail(err, APP_ERR_INVALID, "invalid_type", where,
                         "第 %d 行：synthetic 应为 true 或 false", r.line);
                goto out;
            }
        }
    }
    ret = rc < 0 ? -1 : 0;
    if (rc < 0 && strcmp(err->field, "line") == 0) /* the reader names the line in the text */
        snprintf(err->field, sizeof(err->field), "line %d", r.line);
out:
    csv_release(&r);
    return ret;
}

/* ---- validation ------------------------------------------------------------------------ */

struct import_ctx {
    struct db *db;
    struct org_import *imp;
    struct geo_shape **shapes; /* per row, NULL when the row has no geometry */
    int *levels;               /* per row */
    bool *exists;              /* per row: the code is already stored */
    size_t *by_code;           /* row indexes sorted by code */
};

/* Fail naming the row: "line 7" for CSV, "features[3].member" for GeoJSON. */
static int row_fail(const struct org_import_row *r, const char *member, const char *code_name,
                    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static _Thread_local struct app_error *row_err;

static int row_fail(const struct org_import_row *r, const char *member, const char *code_name,
                    const char *fmt, ...)
{
    char field[64], msg[200];
    if (r->csv || !member)
        snprintf(field, sizeof(field), "%s", r->where);
    else
        snprintf(field, sizeof(field), "%s.%s", r->where, member);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return app_fail(row_err, APP_ERR_INVALID, code_name, field, "%s：%s", r->where, msg);
}

static _Thread_local const struct org_import *sort_imp;

static int cmp_code(const void *a, const void *b)
{
    const struct org_import_row *ra = &sort_imp->items[*(const size_t *)a];
    const struct org_import_row *rb = &sort_imp->items[*(const size_t *)b];
    int c = strcmp(ra->code, rb->code);
    if (c)
        return c;
    return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

/* Row index of code in the file, or -1. */
static long find_row(const struct import_ctx *c, const char *code)
{
    size_t lo = 0, hi = c->imp->len;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int cmp = strcmp(c->imp->items[c->by_code[mid]].code, code);
        if (cmp == 0)
            return (long)c->by_code[mid];
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static bool text_ok(const char *s, size_t max)
{
    return s && strlen(s) < max && utf8_valid(s, strlen(s));
}

/* Types, formats and lengths of one row, before looking at other rows or the database. */
static int check_fields(const struct org_import_row *r, int *level)
{
    static const char *const members[] = {"properties.level", "properties.code", "properties.name",
                                          "properties.parent_code"};
    const char *vals[] = {r->level, r->code, r->name, r->parent_code};
    static const size_t max[] = {12, 24, 128, 24};
    for (int i = 0; i < 4; i++) {
        if (!vals[i] && i == 3)
            continue;
        if (!vals[i])
            return row_fail(r, members[i], "missing_field", "缺少 %s", members[i] + 11);
        if (!utf8_valid(vals[i], strlen(vals[i])))
            return row_fail(r, members[i], "invalid_utf8", "%s 不是有效的 UTF-8", members[i] + 11);
        if (!text_ok(vals[i], max[i]))
            return row_fail(r, members[i], "too_long", "%s 过长（最多 %zu 字节）", members[i] + 11,
                            max[i] - 1);
    }
    *level = org_level_parse(r->level);
    if (*level < 0)
        return row_fail(r, members[0], "invalid_level",
                        "level \"%s\" 无效：应为 city, district, street, community 或 grid",
                        r->level);
    if (!org_code_valid((enum org_level) * level, r->code))
        return row_fail(r, members[1], "invalid_code",
                        "编码 \"%s\" 与层级 %s 不符（区县 6 位、街道 9 位、社区 12 位、网格 15 "
                        "位数字）",
                        r->code, r->level);
    if (*level == ORG_CITY)
        return r->parent_code ? row_fail(r, members[3], "invalid_parent", "市级区划没有上级") : 0;
    if (!r->parent_code)
        return row_fail(r, members[3], "missing_field", "缺少上级编码 parent_code");
    if (!org_code_valid((enum org_level)(*level - 1), r->parent_code) ||
        !org_code_within(r->code, r->parent_code) || strcmp(r->code, r->parent_code) == 0)
        return row_fail(r, members[1], "code_parent_mismatch",
                        "编码 %s 不在上级 %s 的编码之下（下级编码以上级编码开头）", r->code,
                        r->parent_code);
    return 0;
}

/* Parse, validate and (for GCJ-02 input) convert the geometry of row i. */
static int check_geometry(struct import_ctx *c, size_t i)
{
    const struct org_import_row *r = &c->imp->items[i];
    struct app_error gerr = {0};
    struct geo_shape *s = NULL;
    if (!r->geometry)
        return c->levels[i] == ORG_GRID
                   ? row_fail(r, "geometry", "missing_geometry", "网格必须有多边形边界")
                   : 0;
    if (geo_shape_parse(r->geometry, &s, &gerr))
        return row_fail(r, "geometry", "invalid_geometry", "边界无法读取：%.120s", gerr.message);
    struct geo_bbox bb = geo_shape_bbox(s);
    if (bb.min_lon < -180 || bb.max_lon > 180 || bb.min_lat < -90 || bb.max_lat > 90) {
        geo_shape_free(s);
        return row_fail(r, "geometry", "invalid_geometry", "坐标超出经纬度范围");
    }
    if (geo_shape_validate(s, &gerr)) {
        geo_shape_free(s);
        return row_fail(r, "geometry", "invalid_geometry", "多边形无效（如自相交）：%.120s",
                        gerr.message);
    }
    if (c->imp->gcj02) {
        struct geo_shape *w = geo_shape_gcj02_to_wgs84(s);
        geo_shape_free(s);
        s = w;
    }
    c->shapes[i] = s;
    return 0;
}

static int check_parent(struct import_ctx *c, size_t i, struct app_error *err)
{
    const struct org_import_row *r = &c->imp->items[i];
    if (!r->parent_code)
        return 0;
    long p = find_row(c, r->parent_code);
    if (p >= 0)
        return c->levels[p] == c->levels[i] - 1
                   ? 0
                   : row_fail(r, "properties.parent_code", "unknown_parent",
                              "上级 %s 在文件中的层级不是 %s", r->parent_code,
                              org_level_name((enum org_level)(c->levels[i] - 1)));
    char level[16];
    bool exists;
    if (org_store_region_level(c->db, r->parent_code, level, sizeof(level), &exists, err))
        return -1;
    if (!exists || org_level_parse(level) != c->levels[i] - 1)
        return row_fail(r, "properties.parent_code", "unknown_parent",
                        "上级编码 %s 不存在（文件和数据库中都没有该%s）", r->parent_code,
                        org_level_name((enum org_level)(c->levels[i] - 1)));
    return 0;
}

static int check_rows(struct import_ctx *c, struct app_error *err)
{
    struct org_import *imp = c->imp;
    for (size_t i = 0; i < imp->len; i++)
        if (check_fields(&imp->items[i], &c->levels[i]))
            return -1;
    for (size_t i = 0; i < imp->len; i++)
        c->by_code[i] = i;
    sort_imp = imp;
    qsort(c->by_code, imp->len, sizeof(*c->by_code), cmp_code);
    /* Report a duplicate at its later occurrence, naming the earlier one. */
    size_t worst = imp->len;
    for (size_t k = 1; k < imp->len; k++) {
        size_t a = c->by_code[k - 1], b = c->by_code[k];
        if (strcmp(imp->items[a].code, imp->items[b].code) == 0 && b < worst)
            worst = b;
    }
    if (worst < imp->len) {
        long first = find_row(c, imp->items[worst].code);
        for (size_t k = 0; k < imp->len; k++)
            if (strcmp(imp->items[k].code, imp->items[worst].code) == 0) {
                first = (long)k;
                break;
            }
        return row_fail(&imp->items[worst], "properties.code", "duplicate_code",
                        "编码 %s 重复（已在 %s 出现）", imp->items[worst].code,
                        imp->items[first].where);
    }
    for (size_t i = 0; i < imp->len; i++) {
        const struct org_import_row *r = &imp->items[i];
        char level[16];
        if (org_store_region_level(c->db, r->code, level, sizeof(level), &c->exists[i], err))
            return -1;
        if (c->exists[i] && strcmp(level, r->level) != 0)
            return row_fail(r, "properties.level", "level_conflict",
                            "编码 %s 已存在且层级为 %s，不能改为 %s", r->code, level, r->level);
        if (check_parent(c, i, err) || check_geometry(c, i))
            return -1;
    }
    return 0;
}

/* ---- tiling ---------------------------------------------------------------------------- */

/* Append "code, " to a message, keeping room for an ellipsis. */
static void list_code(char *msg, size_t n, const char *code)
{
    size_t len = strlen(msg);
    if (len + strlen(code) + 8 >= n) {
        if (!strstr(msg, "…"))
            snprintf(msg + len, n - len, "…");
        return;
    }
    snprintf(msg + len, n - len, "%s%s", len && msg[len - 1] != ' ' ? ", " : "", code);
}

/* The rows to blame for a tiling failure: the first offending grid in the file, else the
 * community's own row, else its first grid. */
static const struct org_import_row *blame(struct import_ctx *c, const char *grid,
                                          const char *community)
{
    long i = grid ? find_row(c, grid) : -1;
    if (i < 0)
        i = find_row(c, community);
    if (i < 0)
        for (size_t k = 0; k < c->imp->len; k++)
            if (c->levels[k] == ORG_GRID && strcmp(c->imp->items[k].parent_code, community) == 0)
                return &c->imp->items[k];
    return &c->imp->items[i < 0 ? 0 : i];
}

static int tiling_message(struct import_ctx *c, const char *community,
                          const struct geo_tiling_report *rep)
{
    char msg[180] = "";
    const char *first = NULL;
    for (size_t k = 0; k < rep->n_overlaps; k++) {
        char pair[512];
        snprintf(pair, sizeof(pair), "%s/%s 重叠 %.1f m²", rep->overlaps[k].code_a,
                 rep->overlaps[k].code_b, rep->overlaps[k].area_m2);
        list_code(msg, sizeof(msg), pair);
        if (!first)
            first = rep->overlaps[k].code_a;
    }
    for (size_t k = 0; k < rep->n_outside; k++) {
        char out[512];
        snprintf(out, sizeof(out), "%s 超出社区 %.1f m²", rep->outside[k].code,
                 rep->outside[k].area_m2);
        list_code(msg, sizeof(msg), out);
        if (!first)
            first = rep->outside[k].code;
    }
    if (rep->n_gaps) {
        char gap[1024];
        snprintf(gap, sizeof(gap), "空隙 %zu 处共 %.1f m²（约在 %.6f, %.6f）", rep->n_gaps,
                 rep->gap_total_m2, rep->gaps[0].where.lon, rep->gaps[0].where.lat);
        list_code(msg, sizeof(msg), gap);
    }
    return row_fail(blame(c, first, community), "geometry", "tiling",
                    "社区 %s 的网格未无缝无叠地铺满社区：%s", community, msg);
}

/* Check that the grids community will have after the import tile its final shape. */
static int check_community(struct import_ctx *c, const char *community, struct app_error *err)
{
    const struct geo_shape *parent = NULL;
    struct geo_shape *stored = NULL;
    struct org_region_list grids = {0};
    struct geo_shape **owned = NULL;
    struct geo_tile *tiles = NULL;
    size_t n = 0;
    bool more;
    int ret = -1;
    long ci = find_row(c, community);
    if (ci >= 0)
        parent = c->shapes[ci];
    if (!parent) {
        struct org_region r;
        if (org_store_region_get(c->db, community, &r, err))
            goto out;
        if (r.geometry && geo_shape_parse(r.geometry, &stored, err)) {
            org_region_release(&r);
            goto out;
        }
        org_region_release(&r);
        parent = stored;
    }
    bool in_file = false;
    for (size_t k = 0; k < c->imp->len; k++)
        in_file |= c->levels[k] == ORG_GRID && strcmp(c->imp->items[k].parent_code, community) == 0;
    if (in_file) {
        tiles = xcalloc(c->imp->len, sizeof(*tiles));
        for (size_t k = 0; k < c->imp->len; k++)
            if (c->levels[k] == ORG_GRID && strcmp(c->imp->items[k].parent_code, community) == 0)
                tiles[n++] = (struct geo_tile){c->imp->items[k].code, c->shapes[k]};
    } else {
        struct org_region_query q = {
            .level = "grid", .parent = community, .limit = 100000, .with_geometry = true};
        if (org_store_region_list(c->db, &q, &grids, &more, err))
            goto out;
        tiles = xcalloc(grids.len + 1, sizeof(*tiles));
        owned = xcalloc(grids.len + 1, sizeof(*owned));
        for (size_t k = 0; k < grids.len; k++) {
            if (!grids.items[k].geometry ||
                geo_shape_parse(grids.items[k].geometry, &owned[k], err))
                continue;
            tiles[n++] = (struct geo_tile){grids.items[k].code, owned[k]};
        }
    }
    if (n == 0) {
        ret = 0;
        goto out;
    }
    if (!parent) {
        row_fail(blame(c, NULL, community), "geometry", "community_without_geometry",
                 "社区 %s 没有边界，无法检查其网格是否铺满", community);
        goto out;
    }
    struct geo_tiling_report rep = {0};
    if (geo_tiling_check(parent, tiles, n, IMPORT_TILING_TOLERANCE_M2, &rep, err))
        goto out;
    ret = geo_tiling_ok(&rep) ? 0 : tiling_message(c, community, &rep);
    geo_tiling_report_release(&rep);
out:
    for (size_t k = 0; owned && k < grids.len; k++)
        geo_shape_free(owned[k]);
    free(owned);
    free(tiles);
    org_region_list_release(&grids);
    geo_shape_free(stored);
    return ret;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Communities whose tiling the file can change: those with grids in the file, and those whose
 * own boundary the file replaces. */
static int check_tiling(struct import_ctx *c, size_t *checked, struct app_error *err)
{
    char **list = xcalloc(c->imp->len + 1, sizeof(*list));
    size_t n = 0;
    int ret = 0;
    for (size_t k = 0; k < c->imp->len; k++) {
        if (c->levels[k] == ORG_GRID)
            list[n++] = c->imp->items[k].parent_code;
        else if (c->levels[k] == ORG_COMMUNITY && c->shapes[k])
            list[n++] = c->imp->items[k].code;
    }
    qsort(list, n, sizeof(*list), cmp_str);
    for (size_t k = 0; k < n && ret == 0; k++) {
        if (k > 0 && strcmp(list[k], list[k - 1]) == 0)
            continue;
        ret = check_community(c, list[k], err);
        ++*checked;
    }
    free(list);
    return ret;
}

/* ---- applying -------------------------------------------------------------------------- */

static void region_from_row(const struct org_import_row *r, const struct geo_shape *s,
                            struct org_region *out)
{
    memset(out, 0, sizeof(*out));
    snprintf(out->code, sizeof(out->code), "%s", r->code);
    snprintf(out->name, sizeof(out->name), "%s", r->name);
    snprintf(out->level, sizeof(out->level), "%s", r->level);
    snprintf(out->parent_code, sizeof(out->parent_code), "%s",
             r->parent_code ? r->parent_code : "");
    out->synthetic = r->synthetic;
    if (!s)
        return;
    struct geo_bbox bb = geo_shape_bbox(s);
    struct geo_point p = geo_shape_point_on_surface(s);
    out->geometry = geo_shape_to_geojson(s);
    out->area_m2 = geo_shape_area_m2(s);
    out->bbox[0] = bb.min_lon;
    out->bbox[1] = bb.min_lat;
    out->bbox[2] = bb.max_lon;
    out->bbox[3] = bb.max_lat;
    out->center_lon = p.lon;
    out->center_lat = p.lat;
    out->has_geometry = true;
}

/* Remove the stored grids of community that the file does not list (replace as a whole). */
static int remove_old_grids(struct import_ctx *c, const char *community, size_t *removed,
                            struct app_error *err)
{
    struct org_region_query q = {.level = "grid", .parent = community, .limit = 100000};
    struct org_region_list grids = {0};
    bool more;
    int ret = -1;
    if (org_store_region_list(c->db, &q, &grids, &more, err))
        goto out;
    for (size_t k = 0; k < grids.len; k++) {
        const char *code = grids.items[k].code;
        if (find_row(c, code) >= 0)
            continue;
        if (org_store_people_delete_synthetic(c->db, code, err))
            goto out;
        if (org_store_region_delete(c->db, code, err)) {
            if (err->code == APP_ERR_CONFLICT)
                app_fail(err, APP_ERR_CONFLICT, "grid_in_use", "features",
                         "网格 %s 不在导入文件中，但仍被人员或其他记录引用，不能删除", code);
            goto out;
        }
        ++*removed;
    }
    ret = 0;
out:
    org_region_list_release(&grids);
    return ret;
}

static int apply_rows(struct import_ctx *c, struct org_import_result *res, struct app_error *err)
{
    /* Parents before children: write level by level. */
    for (int level = ORG_CITY; level < ORG_LEVEL_COUNT; level++)
        for (size_t i = 0; i < c->imp->len; i++) {
            if (c->levels[i] != level)
                continue;
            struct org_region r;
            region_from_row(&c->imp->items[i], c->shapes[i], &r);
            int rc = org_store_region_upsert(c->db, &r, err);
            org_region_release(&r);
            if (rc)
                return -1;
            if (c->exists[i])
                res->updated++;
            else
                res->inserted++;
        }
    char *last = NULL;
    for (size_t k = 0; k < c->imp->len; k++) {
        size_t i = c->by_code[k];
        if (c->levels[i] != ORG_GRID)
            continue;
        /* by_code is sorted, so the grids of one community are adjacent. */
        if (last && strcmp(last, c->imp->items[i].parent_code) == 0)
            continue;
        last = c->imp->items[i].parent_code;
        if (remove_old_grids(c, last, &res->grids_removed, err))
            return -1;
    }
    return 0;
}

int org_import_run(struct app *app, struct db *db, struct org_import *imp,
                   struct org_import_result *res, struct app_error *err)
{
    struct import_ctx c = {.db = db, .imp = imp};
    int ret = -1;
    memset(res, 0, sizeof(*res));
    if (imp->len == 0)
        return app_fail(err, APP_ERR_INVALID, "empty_import", "features", "导入文件中没有任何区划");
    row_err = err;
    c.shapes = xcalloc(imp->len, sizeof(*c.shapes));
    c.levels = xcalloc(imp->len, sizeof(*c.levels));
    c.exists = xcalloc(imp->len, sizeof(*c.exists));
    c.by_code = xcalloc(imp->len, sizeof(*c.by_code));
    /* Validate inside the transaction: BEGIN IMMEDIATE holds the write lock, so what was
     * checked is what gets changed. */
    if (db_begin(db, err))
        goto out;
    if (check_rows(&c, err) || check_tiling(&c, &res->communities_tiled, err) ||
        apply_rows(&c, res, err) || db_commit(db, err)) {
        db_rollback(db);
        goto out;
    }
    log_info("org: imported %zu regions (%zu new, %zu updated, %zu grids removed)", imp->len,
             res->inserted, res->updated, res->grids_removed);
    if (app && org_start(app, err))
        goto out;
    ret = 0;
out:
    for (size_t i = 0; i < imp->len; i++)
        geo_shape_free(c.shapes[i]);
    free(c.shapes);
    free(c.levels);
    free(c.exists);
    free(c.by_code);
    return ret;
}
