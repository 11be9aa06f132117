/* The synthetic patrol demo for Yuzhong: the Yangtze and Jialing segments (长江渝中段,
 * 嘉陵江渝中段) along the district outline from the Chaotianmen tip, a district chief for both,
 * a street chief per street and a community chief per community each segment passes, and a
 * season (90 days) of patrols from a fixed seed: most windows met, some missed, a few volunteer
 * patrols and three findings that open events. Every record is marked synthetic. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/embed.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "org/org.h"
#include "patrol/patrol.h"
#include "patrol/patrol_internal.h"
#include "patrol/patrol_store.h"

/* The outline ring starts at the Chaotianmen tip and runs south-west along the Yangtze; it ends
 * coming back east along the Jialing. The banks stop where the outline leaves the rivers (by the
 * GCJ-02 longitude of the shipped outline: the Yangtze bank ends at the turn west of 菜园坝,
 * 106.5322°E, the Jialing bank at 化龙桥, 106.4955°E). A synthetic simplification. */
#define YANGTZE_WEST_GCJ 106.5322
#define JIALING_WEST_GCJ 106.4955

static unsigned next(unsigned *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return (*seed >> 8) & 0xffffff;
}

static double unit(unsigned *seed)
{
    return next(seed) / (double)0x1000000;
}

/* The banks in WGS84: *yangtze from the tip south-west, *jialing from the tip west. */
static int banks(struct geo_line *yangtze, struct geo_line *jialing, struct app_error *err)
{
    const struct embed_file *f = embed_find_data("yuzhong-boundary-gcj02.geojson");
    struct geo_shape *gcj = NULL;
    struct geo_line ring = {0};
    if (!f)
        return app_fail(err, APP_ERR_INTERNAL, "missing_data", NULL, "outline not embedded");
    if (geo_shape_parse(f->data, &gcj, err))
        return -1;
    geo_shape_exterior_ring(gcj, &ring);
    geo_shape_free(gcj);
    if (ring.n < 10) {
        geo_line_release(&ring);
        return app_fail(err, APP_ERR_INTERNAL, "bad_outline", NULL, "outline ring too short");
    }
    size_t n = ring.n - 1; /* closed: the last point repeats the first */
    yangtze->pts = xcalloc(n, sizeof(struct geo_point));
    jialing->pts = xcalloc(n, sizeof(struct geo_point));
    yangtze->n = jialing->n = 0;
    for (size_t i = 0; i < n && ring.pts[i].lon >= YANGTZE_WEST_GCJ; i++)
        yangtze->pts[yangtze->n++] = geo_gcj02_to_wgs84(ring.pts[i]);
    jialing->pts[jialing->n++] = geo_gcj02_to_wgs84(ring.pts[0]);
    for (size_t i = n - 1; i > 0 && ring.pts[i].lon >= JIALING_WEST_GCJ; i--)
        jialing->pts[jialing->n++] = geo_gcj02_to_wgs84(ring.pts[i]);
    geo_line_release(&ring);
    return 0;
}

/* A walk along the segment from `a` to `b` metres, a point every 25 m, wandering up to 12 m off
 * the bank line (GPS noise and the riverside path). */
static void walk(const struct geo_line *seg, const double *cum, double a, double b, unsigned *seed,
                 struct geo_line *out)
{
    size_t n = (size_t)((b - a) / 25) + 2;
    out->pts = xcalloc(n, sizeof(struct geo_point));
    out->n = 0;
    for (size_t i = 0; i < n; i++) {
        double at = a + (b - a) * (double)i / (double)(n - 1);
        struct geo_point p = geo_line_point_at_cum(seg, cum, at);
        double dx = (unit(seed) - 0.5) * 24, dy = (unit(seed) - 0.5) * 24;
        p.lon += dx / (111320.0 * cos(p.lat * M_PI / 180));
        p.lat += dy / 110540.0;
        out->pts[out->n++] = p;
    }
}

struct demo_ctx {
    struct app *app;
    struct db *db;
    int64_t now, from;
    unsigned seed;
    int patrols, findings;
    double *cum; /* of the segment being walked */
};

static const char *const finding_titles[] = {"岸边堆放建筑垃圾", "水面漂浮垃圾聚集",
                                             "疑似雨污混接排口出水"};

/* One patrol of seg by `name` (a chief when chief is set) starting at t. */
static int demo_patrol(struct demo_ctx *c, const struct patrol_segment *seg,
                       const struct geo_line *line, const struct patrol_chief *chief,
                       const char *name, enum auth_role role, int64_t t, bool finding,
                       struct app_error *err)
{
    struct auth_principal who = {.role = role};
    snprintf(who.display_name, sizeof(who.display_name), "%s", name);
    /* most patrols walk 60-100% of the bank; one in eight only a short stretch */
    double len = seg->length_m;
    double share = unit(&c->seed) < 0.125 ? 0.2 + 0.2 * unit(&c->seed) : 0.6 + 0.4 * unit(&c->seed);
    double a = (len - share * len) * unit(&c->seed), b = a + share * len;
    struct geo_line part;
    walk(line, c->cum, a, b, &c->seed, &part);
    struct geo_lines track = {&part, 1};
    double speed = 1.1 + 0.3 * unit(&c->seed); /* m/s on foot */
    struct patrol_finding_input fi = {0};
    struct patrol_input in = {.segment = seg->code,
                              .started_at = t,
                              .ended_at = t + (int64_t)((b - a) / speed),
                              .track = &track,
                              .synthetic = true};
    struct org_location loc;
    struct app_error lerr = {0};
    if (finding && org_locate(c->app, c->db, part.pts[part.n / 2].lon, part.pts[part.n / 2].lat,
                              &loc, &lerr) == 0) {
        org_location_release(&loc);
        fi.lon = part.pts[part.n / 2].lon;
        fi.lat = part.pts[part.n / 2].lat;
        fi.at = t + (in.ended_at - t) / 2;
        fi.title = finding_titles[c->findings % 3];
        fi.description = "（示例数据）";
        in.findings = &fi;
        in.nfindings = 1;
    }
    struct patrol_result res;
    int rc = patrol_demo_record(c->app, c->db, &who, chief, &in, &res, err);
    geo_line_release(&part);
    if (rc)
        return -1;
    c->patrols++;
    c->findings += (int)res.findings.len;
    patrol_result_release(&res);
    return 0;
}

/* A chief's season: one patrol in most windows of the level's rule, at a time of day between 9
 * and 16 o'clock. */
static int chief_season(struct demo_ctx *c, const struct patrol_segment *seg,
                        const struct geo_line *line, const struct patrol_chief *chief, double keep,
                        struct app_error *err)
{
    struct patrol_rule r = patrol_rule_of(chief->level);
    int64_t start, end;
    patrol_window_of(r.window, c->from, &start, &end);
    while (start < c->now) {
        double r1 = unit(&c->seed);
        int64_t span = (end < c->now ? end : c->now) - start;
        int64_t t = start + (int64_t)(unit(&c->seed) * (double)span);
        t = t - (t + CLOCK_CN_OFFSET) % 86400 + (9 + (int64_t)(unit(&c->seed) * 7)) * 3600;
        if (r1 < keep && t >= start && t < end && t + 3 * 3600 < c->now) {
            bool finding = c->findings < 3 && unit(&c->seed) < 0.05;
            if (demo_patrol(c, seg, line, chief, chief->name, AUTH_ROLE_CENTER, t, finding, err))
                return -1;
        }
        patrol_window_of(r.window, end, &start, &end);
    }
    return 0;
}

static void demo_name(unsigned *seed, char *out, size_t n)
{
    static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵",
                                           "吴", "周", "徐", "孙", "马", "朱", "胡", "冉"};
    static const char *const given[] = {"建华", "志强", "丽萍", "国平", "晓东", "春梅",
                                        "德明", "小川", "海燕", "文军", "玉兰", "长江"};
    unsigned a = next(seed) % 16, b = next(seed) % 12;
    snprintf(out, n, "%s%s", surnames[a], given[b]);
}

static int add_chief(struct demo_ctx *c, const char *segment, enum patrol_level level,
                     const char *region, const char *title, const char *username,
                     struct patrol_chief *out, struct app_error *err)
{
    memset(out, 0, sizeof(*out));
    snprintf(out->segment, sizeof(out->segment), "%s", segment);
    out->level = level;
    snprintf(out->level_name, sizeof(out->level_name), "%s", patrol_level_name(level));
    demo_name(&c->seed, out->name, sizeof(out->name));
    snprintf(out->title, sizeof(out->title), "%s", title);
    snprintf(out->region, sizeof(out->region), "%s", region);
    snprintf(out->username, sizeof(out->username), "%s", username ? username : "");
    out->synthetic = true;
    return patrol_chief_add(c->db, out, &out->id, err);
}

static int region_name(struct db *db, const char *code, char *out, size_t n)
{
    struct org_region r;
    struct app_error e = {0};
    if (org_region_get(db, code, &r, &e)) {
        snprintf(out, n, "%s", code);
        return 0;
    }
    snprintf(out, n, "%s", r.name);
    org_region_release(&r);
    return 0;
}

/* Chiefs of one segment and their season; volunteers' patrols on top. */
static int segment_season(struct demo_ctx *c, const char *code, const struct geo_line *line,
                          struct app_error *err)
{
    struct patrol_segment seg = {0};
    struct patrol_grid_list grids = {0};
    bool found = false;
    int ret = -1;
    c->cum = xcalloc(line->n, sizeof(double));
    geo_line_measure(line, c->cum);
    if (patrol_store_segment_get(c->db, code, &seg, &found, err) || !found ||
        patrol_store_segment_grids(c->db, code, &grids, err))
        goto out;
    struct patrol_chief ch;
    char title[256], rname[128], last_street[24] = "", last_comm[24] = "";
    /* the district chief: the demo account center_yz records the chief's patrols */
    snprintf(title, sizeof(title), "渝中区级河长（%s）", seg.name);
    if (add_chief(c, code, PATROL_LEVEL_DISTRICT, "500103", title, "center_yz", &ch, err) ||
        chief_season(c, &seg, line, &ch, 0.85, err))
        goto out;
    for (size_t i = 0; i < grids.len; i++) {
        const char *g = grids.items[i].grid;
        char street[24], comm[24];
        snprintf(street, sizeof(street), "%.9s", g);
        snprintf(comm, sizeof(comm), "%.12s", g);
        if (strcmp(street, last_street)) {
            snprintf(last_street, sizeof(last_street), "%s", street);
            region_name(c->db, street, rname, sizeof(rname));
            snprintf(title, sizeof(title), "%s街道级河长", rname);
            if (add_chief(c, code, PATROL_LEVEL_STREET, street, title, NULL, &ch, err) ||
                chief_season(c, &seg, line, &ch, 0.8, err))
                goto out;
        }
        if (strcmp(comm, last_comm)) {
            snprintf(last_comm, sizeof(last_comm), "%s", comm);
            region_name(c->db, comm, rname, sizeof(rname));
            snprintf(title, sizeof(title), "%s社区级河长", rname);
            if (add_chief(c, code, PATROL_LEVEL_COMMUNITY, comm, title, NULL, &ch, err) ||
                chief_season(c, &seg, line, &ch, 0.75, err))
                goto out;
        }
    }
    /* volunteers ("河长+网格员+志愿者"): about one walk a fortnight */
    for (int64_t t = c->from + 86400 * 3; t + 86400 < c->now;
         t += 86400 * (10 + next(&c->seed) % 8)) {
        char name[64];
        demo_name(&c->seed, name, sizeof(name));
        char who[80];
        snprintf(who, sizeof(who), "志愿者%s", name);
        int64_t at = t - (t + CLOCK_CN_OFFSET) % 86400 + 8 * 3600;
        if (demo_patrol(c, &seg, line, NULL, who, AUTH_ROLE_VOLUNTEER, at, false, err))
            goto out;
    }
    ret = 0;
out:
    if (!found && ret && err && !err->code)
        app_fail(err, APP_ERR_INTERNAL, "demo", NULL, "segment %s missing", code);
    free(grids.items);
    free(c->cum);
    c->cum = NULL;
    patrol_segment_release(&seg);
    return ret;
}

int patrol_demo_seed(struct app *app, struct db *db, int64_t now, struct app_error *err)
{
    double t0 = clock_mono_ms();
    struct geo_line yangtze = {0}, jialing = {0};
    struct demo_ctx c = {.app = app, .db = db, .now = now, .seed = 20260321u};
    c.from = now - 90 * 86400;
    int ret = -1;
    /* segments find their grids with the point index, which serving builds later */
    bool own_org = app->org == NULL;
    if (own_org && org_start(app, err))
        return -1;
    if (banks(&yangtze, &jialing, err))
        goto out;
    struct patrol_segment_input segs[] = {
        {.code = "CJ-YZ",
         .river = "CJ",
         .river_name = "长江",
         .name = "长江渝中段",
         .line = &yangtze,
         .station = "WS-CJ",
         .target_class = 2,
         .works = "朝天门至储奇门段消落带整治（示例）\n滨江步道护栏修复（示例）",
         .synthetic = true},
        {.code = "JLJ-YZ",
         .river = "JLJ",
         .river_name = "嘉陵江",
         .name = "嘉陵江渝中段",
         .line = &jialing,
         .station = "WS-JLJ",
         .target_class = 2,
         .works = "洪崖洞至化龙桥段岸线绿化提升（示例）",
         .synthetic = true},
    };
    if (db_begin(db, err))
        goto out;
    for (size_t i = 0; i < 2; i++)
        if (patrol_segment_create(app, db, &segs[i], err) ||
            segment_season(&c, segs[i].code, segs[i].line, err)) {
            db_rollback(db);
            goto out;
        }
    if (db_commit(db, err))
        goto out;
    log_info("patrol: demo segments 长江渝中段 and 嘉陵江渝中段 (%.1f and %.1f km), %d synthetic "
             "patrols and %d findings in %.0f ms",
             geo_line_length_m(&yangtze) / 1000, geo_line_length_m(&jialing) / 1000, c.patrols,
             c.findings, clock_mono_ms() - t0);
    ret = 0;
out:
    if (own_org)
        org_stop(app);
    geo_line_release(&yangtze);
    geo_line_release(&jialing);
    return ret;
}
