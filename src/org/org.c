/* The district model's rules: code formats, seeding Yuzhong from the embedded divisions file
 * (with synthetic demo geometry and teams), and point location over the grid index. */
#include "org/org.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/embed.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "geo/geo.h"
#include "org/org_store.h"

static const char *const level_names[ORG_LEVEL_COUNT] = {"city", "district", "street",
                                                         "community", "grid"};

const char *org_level_name(enum org_level level)
{
    return (unsigned)level < ORG_LEVEL_COUNT ? level_names[level] : "?";
}

int org_level_parse(const char *name)
{
    for (int i = 0; i < ORG_LEVEL_COUNT; i++)
        if (name && strcmp(name, level_names[i]) == 0)
            return i;
    return -1;
}

bool org_code_valid(enum org_level level, const char *code)
{
    /* GB/T 2260 (6 digits) + GB/T 10114 street (3) + community (3) + grid serial (3), the
     * unit-grid scheme of GB/T 30428.1. */
    static const size_t lengths[ORG_LEVEL_COUNT] = {6, 6, 9, 12, 15};
    if ((unsigned)level >= ORG_LEVEL_COUNT || strlen(code) != lengths[level])
        return false;
    for (const char *p = code; *p; p++)
        if (!isdigit((unsigned char)*p))
            return false;
    return true;
}

bool org_code_within(const char *code, const char *ancestor)
{
    size_t n = strlen(ancestor);
    /* City and district codes end in zeros that deeper codes do not share ("500000" holds
     * "500103"): compare without the trailing "0000" / "00" of those levels. */
    if (n == 6 && strcmp(ancestor + 2, "0000") == 0)
        n = 2;
    return strncmp(code, ancestor, n) == 0;
}

void org_region_release(struct org_region *r)
{
    if (!r)
        return;
    free(r->geometry);
    r->geometry = NULL;
}

void org_region_list_release(struct org_region_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->len; i++)
        org_region_release(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof(*l));
}

#define LIST_RELEASE(fn, type)                                                                    \
    void fn(struct type *l)                                                                       \
    {                                                                                             \
        if (!l)                                                                                   \
            return;                                                                               \
        free(l->items);                                                                           \
        memset(l, 0, sizeof(*l));                                                                 \
    }
LIST_RELEASE(org_board_list_release, org_board_list)
LIST_RELEASE(org_post_list_release, org_post_list)
LIST_RELEASE(org_department_list_release, org_department_list)
LIST_RELEASE(org_person_list_release, org_person_list)

int org_region_get(struct db *db, const char *code, struct org_region *out,
                   struct app_error *err)
{
    return org_store_region_get(db, code, out, err);
}

int org_region_list(struct db *db, const struct org_region_query *q, struct org_region_list *out,
                    bool *more, struct app_error *err)
{
    if (q->level && org_level_parse(q->level) < 0)
        return app_fail(err, APP_ERR_INVALID, "invalid_level", "level",
                        "level must be one of city, district, street, community, grid");
    return org_store_region_list(db, q, out, more, err);
}

int org_board_list(struct db *db, struct org_board_list *out, struct app_error *err)
{
    return org_store_board_list(db, out, err);
}

int org_data_version(struct db *db, int64_t *out, struct app_error *err)
{
    return org_store_data_version(db, out, err);
}

int org_post_list(struct db *db, const char *street, const char *board, struct org_post_list *out,
                  struct app_error *err)
{
    return org_store_post_list(db, street, board, out, err);
}

int org_department_list(struct db *db, struct org_department_list *out, struct app_error *err)
{
    return org_store_department_list(db, out, err);
}

int org_team(struct db *db, const char *grid, struct org_person_list *out, struct app_error *err)
{
    struct org_region r;
    if (org_store_region_get(db, grid, &r, err))
        return -1;
    bool is_grid = strcmp(r.level, "grid") == 0;
    org_region_release(&r);
    if (!is_grid)
        return app_fail(err, APP_ERR_NOT_FOUND, "grid_not_found", "code", "%s is not a grid",
                        grid);
    return org_store_team(db, grid, out, err);
}

/* ---- point location -------------------------------------------------------------------- */

struct org_state {
    pthread_rwlock_t lock; /* guards the index pointer while an import swaps it */
    struct geo_index *grids;
};

struct index_build {
    struct geo_index_entry *entries;
    struct geo_shape **shapes;
    char **codes;
    size_t len, cap;
};

static int add_grid(void *ctx, int64_t rowid, const char *code, const char *geometry)
{
    struct index_build *b = ctx;
    struct geo_shape *s;
    struct app_error err;
    if (geo_shape_parse(geometry, &s, &err))
        return -1;
    if (b->len == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 256;
        b->entries = xrealloc(b->entries, b->cap * sizeof(*b->entries));
        b->shapes = xrealloc(b->shapes, b->cap * sizeof(*b->shapes));
        b->codes = xrealloc(b->codes, b->cap * sizeof(*b->codes));
    }
    b->shapes[b->len] = s;
    b->codes[b->len] = xstrdup(code);
    b->entries[b->len] = (struct geo_index_entry){rowid, b->codes[b->len], s};
    b->len++;
    return 0;
}

int org_start(struct app *app, struct app_error *err)
{
    struct index_build b = {0};
    int ret = -1;
    struct db *db = app_db(app);
    if (!db)
        return app_fail(err, APP_ERR_UNAVAILABLE, "database", NULL, "database unavailable");
    if (org_store_grid_shapes(db, add_grid, &b, err))
        goto out;
    struct geo_index *ix = geo_index_new(b.entries, b.len);
    struct org_state *st = app->org;
    if (!st) {
        st = xcalloc(1, sizeof(*st));
        pthread_rwlock_init(&st->lock, NULL);
        app->org = st;
    }
    pthread_rwlock_wrlock(&st->lock);
    struct geo_index *old = st->grids;
    st->grids = ix;
    pthread_rwlock_unlock(&st->lock);
    geo_index_free(old);
    log_info("org: point location over %zu grids", b.len);
    ret = 0;
out:
    for (size_t i = 0; i < b.len; i++) {
        geo_shape_free(b.shapes[i]);
        free(b.codes[i]);
    }
    free(b.entries);
    free(b.shapes);
    free(b.codes);
    return ret;
}

void org_stop(struct app *app)
{
    struct org_state *st = app->org;
    if (!st)
        return;
    geo_index_free(st->grids);
    pthread_rwlock_destroy(&st->lock);
    free(st);
    app->org = NULL;
}

void org_location_release(struct org_location *loc)
{
    if (!loc)
        return;
    org_region_release(&loc->grid);
    org_region_release(&loc->community);
    org_region_release(&loc->street);
    org_region_release(&loc->district);
}

static int load_plain(struct db *db, const char *code, struct org_region *out,
                      struct app_error *err)
{
    if (org_store_region_get(db, code, out, err))
        return -1;
    free(out->geometry); /* callers of locate want names and codes, not shapes */
    out->geometry = NULL;
    return 0;
}

int org_locate(struct app *app, struct db *db, double lon, double lat, struct org_location *out,
               struct app_error *err)
{
    struct org_state *st = app->org;
    memset(out, 0, sizeof(*out));
    if (!st)
        return app_fail(err, APP_ERR_NOT_FOUND, "outside_district", "lon",
                        "no grids are loaded");
    pthread_rwlock_rdlock(&st->lock);
    int64_t rowid = geo_index_locate(st->grids, (struct geo_point){lon, lat});
    pthread_rwlock_unlock(&st->lock);
    if (rowid < 0)
        return app_fail(err, APP_ERR_NOT_FOUND, "outside_district", NULL,
                        "(%.6f, %.6f) is not inside any grid of the district", lon, lat);
    char code[24];
    if (org_store_region_by_rowid(db, rowid, code, sizeof(code), err))
        return -1;
    char community[13], street[10], district[7];
    snprintf(community, sizeof(community), "%.12s", code);
    snprintf(street, sizeof(street), "%.9s", code);
    snprintf(district, sizeof(district), "%.6s", code);
    if (load_plain(db, code, &out->grid, err) || load_plain(db, community, &out->community, err) ||
        load_plain(db, street, &out->street, err) || load_plain(db, district, &out->district, err)) {
        org_location_release(out);
        return -1;
    }
    return 0;
}

/* ---- seeding --------------------------------------------------------------------------- */

static const struct {
    const char *code, *name;
    const char *posts[4][2]; /* {suffix, name} */
} boards[] = {
    {"party", "党的建设", {{"dj", "党建统筹岗"}, {"zz", "组织建设岗"}, {"sg", "社会工作岗"}}},
    {"economy", "经济发展", {{"jj", "经济服务岗"}, {"ly", "楼宇经济岗"}, {"qy", "企业服务岗"}}},
    {"livelihood",
     "民生服务",
     {{"sw", "社会事务岗"}, {"cg", "城市管理岗"}, {"hb", "生态环保岗"}, {"wy", "物业管理岗"}}},
    {"safety",
     "平安法治",
     {{"zz2", "综治维稳岗"}, {"yj", "应急安全岗"}, {"tj", "矛盾调解岗"}, {"xf", "消防安全岗"}}},
};

static const char *const departments[][2] = {
    {"eco", "区生态环境局"},    {"housing", "区住房城市建设委"}, {"urban", "区城市管理局"},
    {"transport", "区交通运输局"}, {"commerce", "区商务委"},        {"hrss", "区人力社保局"},
    {"ndrc", "区发展改革委"},    {"planning", "区规划自然资源局"}, {"water", "区水利局"},
    {"emergency", "区应急管理局"}, {"police", "区公安分局"},        {"market", "区市场监管局"},
    {"civil", "区民政局"},       {"fire", "区消防救援支队"},      {"health", "区卫生健康委"},
    {"petition", "区信访办"},
};

static int seed_divisions(struct db *db, struct app_error *err)
{
    const struct embed_file *f = embed_find_data("yuzhong-divisions.csv");
    if (!f)
        return app_fail(err, APP_ERR_INTERNAL, "missing_data", NULL, "divisions not embedded");
    struct csv_reader r;
    int ret = -1, rc;
    csv_init(&r, f->data, f->len);
    if (csv_next(&r, err) != 1)
        goto out;
    while ((rc = csv_next(&r, err)) == 1) {
        if (r.nfields != 4) {
            app_fail(err, APP_ERR_INVALID, "bad_divisions", "line", "line %d", r.line);
            goto out;
        }
        struct org_region reg = {0};
        snprintf(reg.level, sizeof(reg.level), "%s", r.fields[0]);
        snprintf(reg.code, sizeof(reg.code), "%s", r.fields[1]);
        snprintf(reg.name, sizeof(reg.name), "%s", r.fields[2]);
        snprintf(reg.parent_code, sizeof(reg.parent_code), "%s", r.fields[3]);
        if (org_store_region_insert(db, &reg, err))
            goto out;
    }
    ret = rc < 0 ? -1 : 0;
out:
    csv_release(&r);
    return ret;
}

static int seed_boards(struct db *db, struct app_error *err)
{
    struct org_region_query q = {.level = "street", .limit = 1000};
    struct org_region_list streets = {0};
    bool more;
    int ret = -1;
    for (size_t b = 0; b < sizeof(boards) / sizeof(boards[0]); b++)
        if (org_store_board_insert(db, boards[b].code, boards[b].name, (int)b + 1, err))
            goto out;
    if (org_store_region_list(db, &q, &streets, &more, err))
        goto out;
    for (size_t s = 0; s < streets.len; s++)
        for (size_t b = 0; b < sizeof(boards) / sizeof(boards[0]); b++)
            for (int p = 0; p < 4 && boards[b].posts[p][0]; p++) {
                struct org_post post = {0};
                snprintf(post.code, sizeof(post.code), "%s-%s", streets.items[s].code,
                         boards[b].posts[p][0]);
                snprintf(post.board_code, sizeof(post.board_code), "%s", boards[b].code);
                snprintf(post.street_code, sizeof(post.street_code), "%s",
                         streets.items[s].code);
                snprintf(post.name, sizeof(post.name), "%s", boards[b].posts[p][1]);
                if (org_store_post_insert(db, &post, err))
                    goto out;
            }
    for (size_t d = 0; d < sizeof(departments) / sizeof(departments[0]); d++) {
        struct org_department dep = {0};
        snprintf(dep.code, sizeof(dep.code), "%s", departments[d][0]);
        snprintf(dep.name, sizeof(dep.name), "%s", departments[d][1]);
        snprintf(dep.region_code, sizeof(dep.region_code), "500103");
        if (org_store_department_insert(db, &dep, err))
            goto out;
    }
    ret = 0;
out:
    org_region_list_release(&streets);
    return ret;
}

static void fill_geometry(struct org_region *r, const struct geo_shape *s, const char *geojson)
{
    struct geo_bbox bb = geo_shape_bbox(s);
    struct geo_point c = geo_shape_point_on_surface(s);
    r->geometry = xstrdup(geojson);
    r->area_m2 = geo_shape_area_m2(s);
    r->bbox[0] = bb.min_lon;
    r->bbox[1] = bb.min_lat;
    r->bbox[2] = bb.max_lon;
    r->bbox[3] = bb.max_lat;
    r->center_lon = c.lon;
    r->center_lat = c.lat;
    r->has_geometry = true;
}

/* The district outline ships in GCJ-02; store it in WGS84 (the datum of GPS and OSM). */
static int district_shape(struct geo_shape **out, struct app_error *err)
{
    const struct embed_file *f = embed_find_data("yuzhong-boundary-gcj02.geojson");
    struct geo_shape *gcj;
    if (!f)
        return app_fail(err, APP_ERR_INTERNAL, "missing_data", NULL, "outline not embedded");
    if (geo_shape_parse(f->data, &gcj, err))
        return -1;
    *out = geo_shape_gcj02_to_wgs84(gcj);
    geo_shape_free(gcj);
    return 0;
}

/* Deterministic synthetic names and phone numbers for the demo teams. */
static void demo_person(unsigned *seed, struct org_person *p)
{
    static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴",
                                           "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "罗",
                                           "谭", "冉", "向", "邓", "蒋", "唐"};
    static const char *const given[] = {"建国", "丽", "伟", "芳", "敏", "静", "强", "磊", "洋",
                                        "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英",
                                        "霞", "平", "刚", "桂英", "红梅", "小渝"};
    *seed = *seed * 1103515245u + 12345u;
    unsigned a = (*seed >> 8) % (sizeof(surnames) / sizeof(surnames[0]));
    *seed = *seed * 1103515245u + 12345u;
    unsigned b = (*seed >> 8) % (sizeof(given) / sizeof(given[0]));
    *seed = *seed * 1103515245u + 12345u;
    snprintf(p->name, sizeof(p->name), "%s%s", surnames[a], given[b]);
    snprintf(p->phone, sizeof(p->phone), "13%d%08u", 5 + (int)(*seed % 5),
             (*seed >> 3) % 100000000u);
    p->synthetic = true;
}

static int seed_demo(struct db *db, struct app_error *err)
{
    struct geo_shape *district = NULL;
    struct org_region_list streets = {0}, communities = {0};
    struct geo_demo_street *ds = NULL;
    struct geo_demo_community *dc = NULL;
    struct geo_demo_result res = {0};
    bool more;
    int ret = -1;
    if (district_shape(&district, err))
        goto out;
    struct org_region_query qs = {.level = "street", .limit = 1000};
    struct org_region_query qc = {.level = "community", .limit = 10000};
    if (org_store_region_list(db, &qs, &streets, &more, err) ||
        org_store_region_list(db, &qc, &communities, &more, err))
        goto out;
    ds = xcalloc(streets.len, sizeof(*ds));
    for (size_t i = 0; i < streets.len; i++) {
        ds[i].code = streets.items[i].code;
        ds[i].name = streets.items[i].name;
        ds[i].weight = geo_demo_yuzhong_street_weight(ds[i].code, &ds[i].hint);
        if (ds[i].weight <= 0)
            ds[i].weight = 1.0;
    }
    dc = xcalloc(communities.len, sizeof(*dc));
    for (size_t i = 0; i < communities.len; i++) {
        dc[i].code = communities.items[i].code;
        dc[i].name = communities.items[i].name;
        dc[i].street_code = communities.items[i].parent_code;
    }
    if (geo_demo_generate(district, "500103", ds, streets.len, dc, communities.len, &res, err))
        goto out;

    int rc;
    unsigned seed = 20261129u;
    for (size_t i = 0; i < res.len; i++) {
        const struct geo_demo_unit *u = &res.items[i];
        struct geo_shape *s;
        if (geo_shape_parse(u->geojson, &s, err))
            goto out;
        struct org_region r = {0};
        snprintf(r.code, sizeof(r.code), "%s", u->code);
        snprintf(r.name, sizeof(r.name), "%s", u->name);
        snprintf(r.level, sizeof(r.level), "%s", u->level == GEO_DEMO_GRID ? "grid" : "");
        snprintf(r.parent_code, sizeof(r.parent_code), "%s", u->parent_code);
        fill_geometry(&r, s, u->geojson);
        r.synthetic = true;
        geo_shape_free(s);
        if (u->level == GEO_DEMO_GRID) {
            rc = org_store_region_insert(db, &r, err);
        } else {
            /* Streets and communities exist already (official names); keep their names. */
            struct org_region cur;
            rc = org_store_region_get(db, r.code, &cur, err);
            if (!rc) {
                snprintf(r.name, sizeof(r.name), "%s", cur.name);
                org_region_release(&cur);
                rc = org_store_region_update_geometry(db, &r, err);
            }
        }
        org_region_release(&r);
        if (rc)
            goto out;
        if (u->level != GEO_DEMO_GRID)
            continue;
        static const char *const team[] = {"网格长", "专职网格员", "兼职网格员", "网格指导员",
                                           "在职党员", "志愿者", "热心群众", "新就业群体"};
        for (size_t t = 0; t < sizeof(team) / sizeof(team[0]); t++) {
            struct org_person p = {0};
            demo_person(&seed, &p);
            snprintf(p.grid_code, sizeof(p.grid_code), "%s", u->code);
            snprintf(p.team_role, sizeof(p.team_role), "%s", team[t]);
            if (org_store_person_insert(db, &p, err))
                goto out;
        }
    }
    log_info("org: demo geography: %zu streets, %zu communities, %zu grids (synthetic)",
             res.n_streets, res.n_communities, res.n_grids);
    ret = 0;
out:
    geo_demo_result_release(&res);
    free(ds);
    free(dc);
    org_region_list_release(&streets);
    org_region_list_release(&communities);
    geo_shape_free(district);
    return ret;
}

/* The real outline is stored whether or not the demo is: point location needs it. */
static int seed_outline(struct db *db, struct app_error *err)
{
    struct geo_shape *district;
    if (district_shape(&district, err))
        return -1;
    struct org_region d = {0};
    char *dj = geo_shape_to_geojson(district);
    snprintf(d.code, sizeof(d.code), "500103");
    snprintf(d.name, sizeof(d.name), "渝中区");
    fill_geometry(&d, district, dj);
    free(dj);
    int rc = org_store_region_update_geometry(db, &d, err);
    org_region_release(&d);
    geo_shape_free(district);
    return rc;
}

int org_seed(struct db *db, bool demo, struct app_error *err)
{
    if (db_begin(db, err))
        return -1;
    if (seed_divisions(db, err) || seed_outline(db, err) || seed_boards(db, err) ||
        (demo && seed_demo(db, err))) {
        db_rollback(db);
        return -1;
    }
    return db_commit(db, err);
}
