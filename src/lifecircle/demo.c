/* The demo of the living circle: Yuzhong has no public street network here, so init generates
 * a hilly synthetic one inside the district outline — a 100 m lattice over a ridge between the
 * two rivers, stairs where the lattice is steep, three lifts on the steepest links — with
 * facilities of every required (category, level) and residents at every community, all marked
 * synthetic. Deterministic (a fixed-seed generator); well under a second. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/xalloc.h"
#include "geo/geo.h"
#include "lifecircle/lifecircle.h"
#include "lifecircle/lifecircle_store.h"
#include "org/org.h"

#define STEP_M 100.0

static uint64_t rng = 0x5eed19ull;
static double rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0;
}

/* The synthetic terrain: rivers at 175 m on both sides, a ridge near 390 m along the middle,
 * smaller hills on it. */
static double height(double x_m, double y_m, double half_h)
{
    double d = y_m / half_h;
    double ridge = 210.0 * (1 - d * d);
    if (ridge < 0)
        ridge = 0;
    return 175.0 + ridge + 22.0 * sin(2 * M_PI * x_m / 900.0) * cos(2 * M_PI * y_m / 700.0);
}

static const struct {
    const char *category;
    int level;
    int count;
    const char *name;
} plan[] = {
    {"education", 5, 14, "幼儿园"},           {"education", 10, 8, "小学"},
    {"education", 15, 4, "初级中学"},         {"health", 15, 4, "社区卫生服务中心"},
    {"culture", 5, 12, "文化活动站"},         {"culture", 15, 3, "文化活动中心"},
    {"elderly", 5, 10, "老年人日间照料中心"}, {"elderly", 15, 3, "养老院"},
    {"employment", 15, 3, "就业服务站"},
};

int lifecircle_seed(struct app *app, struct db *db, bool demo, struct app_error *err)
{
    if (!demo)
        return 0;
    struct org_region district;
    struct geo_shape *shape = NULL;
    struct org_region_list comms = {0};
    struct lifecircle_osm o = {0};
    int *grid = NULL, ret = -1;
    if (org_region_get(db, "500103", &district, err))
        return -1;
    if (!district.geometry || geo_shape_parse(district.geometry, &shape, err)) {
        free(district.geometry);
        return district.geometry ? -1 : 0;
    }
    struct org_region_query q = {.level = "community", .limit = 1000};
    if (org_region_list(db, &q, &comms, NULL, err))
        goto out;
    double t0 = clock();
    struct geo_bbox bb = geo_shape_bbox(shape);
    double lat0 = (bb.min_lat + bb.max_lat) / 2, lon0 = (bb.min_lon + bb.max_lon) / 2;
    double my = 111195.0, mx = my * cos(lat0 * M_PI / 180.0);
    int nx = (int)((bb.max_lon - bb.min_lon) * mx / STEP_M) + 1;
    int ny = (int)((bb.max_lat - bb.min_lat) * my / STEP_M) + 1;
    double half_h = (bb.max_lat - bb.min_lat) * my / 2;
    grid = xmalloc((size_t)nx * (size_t)ny * sizeof(*grid));
    o.nodes = xmalloc((size_t)nx * (size_t)ny * sizeof(*o.nodes));
    for (int j = 0; j < ny; j++)
        for (int i = 0; i < nx; i++) {
            /* A little jitter so the streets are not ruled lines. */
            double x = (bb.min_lon - lon0) * mx + i * STEP_M + (rnd() - 0.5) * 30;
            double y = (bb.min_lat - lat0) * my + j * STEP_M + (rnd() - 0.5) * 30;
            struct geo_point p = {lon0 + x / mx, lat0 + y / my};
            grid[j * nx + i] = -1;
            if (!geo_shape_covers_point(shape, p))
                continue;
            grid[j * nx + i] = (int)o.n_nodes;
            int64_t id = -(int64_t)o.n_nodes - 1; /* no OSM id: negative, as JOSM does */
            o.nodes[o.n_nodes] =
                (struct lc_node){id, p.lon, p.lat, round(10 * height(x, y, half_h)) / 10};
            o.n_nodes++;
        }
    o.segs = xmalloc(2 * o.n_nodes * sizeof(*o.segs) + sizeof(*o.segs));
    for (int j = 0; j < ny; j++)
        for (int i = 0; i < nx; i++) {
            int a = grid[j * nx + i];
            if (a < 0)
                continue;
            int nb[2] = {i + 1 < nx ? grid[j * nx + i + 1] : -1,
                         j + 1 < ny ? grid[(j + 1) * nx + i] : -1};
            for (int k = 0; k < 2; k++) {
                if (nb[k] < 0 || rnd() < 0.12) /* some blocks have no through way */
                    continue;
                double rise = o.nodes[nb[k]].ele - o.nodes[a].ele;
                double len = lc_distance_m(o.nodes[a].lon, o.nodes[a].lat, o.nodes[nb[k]].lon,
                                           o.nodes[nb[k]].lat);
                bool steep = len > 0 && fabs(rise) / len > 0.12;
                o.segs[o.n_segs++] = (struct lc_segment){
                    .a = (uint32_t)a,
                    .b = (uint32_t)nb[k],
                    .kind = steep ? LC_KIND_STEPS : LC_KIND_FOOT,
                    .incline = (int8_t)(steep ? (rise > 0 ? 1 : -1) : 0),
                    .grade = NAN,
                    .step_count = (uint16_t)(steep ? fabs(rise) / 0.15 : 0),
                };
                o.steps += steep;
            }
        }
    /* Three lifts (like 凯旋路电梯) on the steepest stairs. */
    for (int lift = 0; lift < 3; lift++) {
        size_t best = SIZE_MAX;
        double br = 0;
        for (size_t s = 0; s < o.n_segs; s++) {
            double r = fabs(o.nodes[o.segs[s].b].ele - o.nodes[o.segs[s].a].ele);
            if (o.segs[s].kind == LC_KIND_STEPS && r > br) {
                br = r;
                best = s;
            }
        }
        if (best == SIZE_MAX)
            break;
        o.segs[best].kind = LC_KIND_ELEVATOR;
        o.steps--;
        o.elevators++;
    }
    o.ways = o.n_segs;
    /* Facilities at lattice nodes, each given the community whose centre is nearest. */
    for (size_t p = 0; p < sizeof(plan) / sizeof(plan[0]); p++)
        for (int c = 0; c < plan[p].count; c++) {
            const struct lc_node *n = &o.nodes[(size_t)(rnd() * (double)o.n_nodes)];
            struct lifecircle_facility f = {
                .level = plan[p].level, .lon = n->lon, .lat = n->lat, .synthetic = true};
            snprintf(f.category, sizeof(f.category), "%s", plan[p].category);
            snprintf(f.kind, sizeof(f.kind), "%s", plan[p].name);
            snprintf(f.source, sizeof(f.source), "demo");
            double bd = INFINITY;
            for (size_t k = 0; k < comms.len; k++) {
                double d = lc_distance_m(n->lon, n->lat, comms.items[k].center_lon,
                                         comms.items[k].center_lat);
                if (d < bd) {
                    bd = d;
                    snprintf(f.region, sizeof(f.region), "%s", comms.items[k].code);
                    snprintf(f.name, sizeof(f.name), "%.60s%s（示例）", comms.items[k].name,
                             plan[p].name);
                }
            }
            XGROW(&o.pois);
            o.pois.items[o.pois.len++] = f;
        }
    if (lifecircle_network_save(app, db, NULL, &o, "demo", "合成示例路网（非真实道路）", true, err))
        goto out;
    /* Residents: two housing points per community. */
    if (db_begin(db, err))
        goto out;
    for (size_t k = 0; k < comms.len; k++)
        for (int h = 0; h < 2; h++) {
            const struct org_region *c = &comms.items[k];
            if (c->center_lon == 0)
                continue;
            struct lifecircle_demand d = {
                .lon = c->center_lon + (rnd() - 0.5) * 0.004,
                .lat = c->center_lat + (rnd() - 0.5) * 0.003,
                .population = 2000 + (int64_t)(rnd() * 4000),
                .synthetic = true,
            };
            snprintf(d.name, sizeof(d.name), "%.100s居民点%d（示例）", c->name, h + 1);
            snprintf(d.region, sizeof(d.region), "%s", c->code);
            if (lifecircle_store_demand_add(db, &d, err)) {
                db_rollback(db);
                goto out;
            }
        }
    if (db_commit(db, err)) {
        db_rollback(db);
        goto out;
    }
    log_info("lifecircle: demo network of %zu nodes, %zu segments (%zu stairs, %zu lifts), %zu "
             "facilities in %.0f ms",
             o.n_nodes, o.n_segs, o.steps, o.elevators, o.pois.len,
             (clock() - t0) * 1000.0 / CLOCKS_PER_SEC);
    ret = 0;
out:
    free(grid);
    lifecircle_osm_release(&o);
    org_region_list_release(&comms);
    geo_shape_free(shape);
    free(district.geometry);
    return ret;
}
