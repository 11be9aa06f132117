/* The lifecircle domain: storing and loading the walking network, the facility and demand
 * imports (all or nothing, audited), and the planners' questions — routes, coverage per
 * community and street, gaps, isochrones and site suggestions — answered over the loaded
 * graphs of lifecircle/network.h. Jurisdiction: demand and facilities belong to the community
 * they lie in; outside every region they belong to the district (a district-wide caller). */
#include "lifecircle/lifecircle.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "lifecircle/internal.h"
#include "lifecircle/lifecircle_store.h"
#include "org/org.h"

/* The loaded network: per profile, the forward graph and its reverse. Readers share it; a
 * reload takes it whole. */
static pthread_rwlock_t net_lock = PTHREAD_RWLOCK_INITIALIZER;
static struct {
    bool loaded;
    struct lc_graph fwd[LC_PROFILE_COUNT], rev[LC_PROFILE_COUNT];
} net;

static void net_release_locked(void)
{
    for (int p = 0; p < LC_PROFILE_COUNT; p++) {
        lc_graph_release(&net.fwd[p]);
        lc_graph_release(&net.rev[p]);
    }
    net.loaded = false;
}

int lifecircle_load(struct db *db, struct app_error *err)
{
    struct lc_node *nodes = NULL;
    struct lc_segment *segs = NULL;
    size_t nn = 0, ns = 0;
    if (lifecircle_store_nodes(db, &nodes, &nn, err) ||
        lifecircle_store_segments(db, &segs, &ns, err)) {
        free(nodes);
        return -1;
    }
    pthread_rwlock_wrlock(&net_lock);
    net_release_locked();
    if (nn) {
        for (int p = 0; p < LC_PROFILE_COUNT; p++) {
            struct lc_profile prof;
            lc_profile_default((enum lc_profile_id)p, &prof);
            lc_graph_build(&net.fwd[p], nodes, nn, segs, ns, &prof);
            lc_graph_reverse(&net.rev[p], &net.fwd[p]);
        }
        net.loaded = true;
    }
    pthread_rwlock_unlock(&net_lock);
    free(nodes);
    free(segs);
    return 0;
}

int lifecircle_start(struct app *app, struct app_error *err)
{
    double t0 = clock_mono_ms();
    if (lifecircle_load(app->db, err))
        return -1;
    if (net.loaded)
        log_info("lifecircle: walking network of %u nodes, %u arcs loaded in %.0f ms", net.fwd[0].n,
                 net.fwd[0].m, clock_mono_ms() - t0);
    return 0;
}

void lifecircle_stop(struct app *app)
{
    (void)app;
    pthread_rwlock_wrlock(&net_lock);
    net_release_locked();
    pthread_rwlock_unlock(&net_lock);
}

int lifecircle_network_info(struct db *db, struct lifecircle_network_info *out,
                            struct app_error *err)
{
    bool found = false;
    memset(out, 0, sizeof(*out));
    if (lifecircle_store_network_get(db, out, &found, err))
        return -1;
    out->loaded = found && net.loaded;
    return 0;
}

void lifecircle_locate(struct app *app, struct db *db, double lon, double lat, char *region,
                       size_t n)
{
    struct org_location loc;
    struct app_error e = {0};
    region[0] = '\0';
    if (app && org_locate(app, db, lon, lat, &loc, &e) == 0) {
        snprintf(region, n, "%s", loc.community.code);
        org_location_release(&loc);
    }
}

bool lifecircle_in_scope(const struct auth_principal *who, const char *region)
{
    if (!who)
        return true;
    return auth_region_in_scope(who, region && *region ? region : DISTRICT_CODE);
}

int lifecircle_network_save(struct app *app, struct db *db, const struct auth_principal *actor,
                            const struct lifecircle_osm *o, const char *source,
                            const char *attribution, bool synthetic, struct app_error *err)
{
    if (!o->n_nodes || !o->n_segs)
        return app_fail(err, APP_ERR_INVALID, "no_walkable_ways", "file",
                        "the file has no walkable ways");
    int64_t now = clock_now(), id = 0;
    if (db_begin(db, err))
        return -1;
    if (lifecircle_store_network_clear(db, err) ||
        lifecircle_store_network_add(db, source, attribution, synthetic, (int64_t)o->n_nodes,
                                     (int64_t)o->n_segs, (int64_t)o->steps, (int64_t)o->elevators,
                                     now, &id, err))
        goto fail;
    for (size_t i = 0; i < o->n_nodes; i++)
        if (lifecircle_store_node_add(db, (int64_t)i, &o->nodes[i], err))
            goto fail;
    for (size_t i = 0; i < o->n_segs; i++)
        if (lifecircle_store_segment_add(db, &o->segs[i], err))
            goto fail;
    for (size_t i = 0; i < o->pois.len; i++) {
        struct lifecircle_facility f = o->pois.items[i];
        if (!f.region[0])
            lifecircle_locate(app, db, f.lon, f.lat, f.region, sizeof(f.region));
        f.synthetic = synthetic;
        if (lifecircle_store_facility_add(db, &f, now, NULL, err))
            goto fail;
    }
    char oid[32], after[512];
    snprintf(oid, sizeof(oid), "%lld", (long long)id);
    snprintf(after, sizeof(after),
             "source=%s nodes=%zu segments=%zu steps=%zu elevators=%zu pois=%zu", source,
             o->n_nodes, o->n_segs, o->steps, o->elevators, o->pois.len);
    struct audit_entry ae = {.actor = actor,
                             .action = "lifecircle.network.import",
                             .object_type = "lifecircle_network",
                             .object_id = oid,
                             .after = after,
                             .region = DISTRICT_CODE};
    if (audit_append(db, &ae, err) || db_commit(db, err))
        goto fail;
    return 0;
fail:
    db_rollback(db);
    return -1;
}

static int no_network(struct app_error *err)
{
    return app_fail(err, APP_ERR_NOT_FOUND, "no_network", NULL,
                    "no walking network has been imported (zhizhi import osm FILE)");
}

const struct lc_graph *lifecircle_net_read(enum lc_profile_id profile, bool reversed,
                                           struct app_error *err)
{
    pthread_rwlock_rdlock(&net_lock);
    if (net.loaded)
        return reversed ? &net.rev[profile] : &net.fwd[profile];
    pthread_rwlock_unlock(&net_lock);
    no_network(err);
    return NULL;
}

void lifecircle_net_unlock(void)
{
    pthread_rwlock_unlock(&net_lock);
}

int lifecircle_route(enum lc_profile_id profile, double from_lon, double from_lat, double to_lon,
                     double to_lat, struct lifecircle_route_result *out, struct app_error *err)
{
    memset(out, 0, sizeof(*out));
    const double c[4] = {from_lon, from_lat, to_lon, to_lat};
    const char *names[4] = {"from_lon", "from_lat", "to_lon", "to_lat"};
    for (int i = 0; i < 4; i++)
        if (!isfinite(c[i]) || fabs(c[i]) > (i % 2 ? 90 : 180))
            return app_fail(err, APP_ERR_INVALID, "bad_coordinate", names[i],
                            "%s is not a WGS84 coordinate", names[i]);
    int ret = -1;
    pthread_rwlock_rdlock(&net_lock);
    if (!net.loaded) {
        no_network(err);
        goto out;
    }
    const struct lc_graph *g = &net.fwd[profile];
    int64_t a = lc_graph_nearest(g, from_lon, from_lat, &out->snap_from_m);
    int64_t b = lc_graph_nearest(g, to_lon, to_lat, &out->snap_to_m);
    if (a < 0 || b < 0 || out->snap_from_m > SNAP_MAX_M || out->snap_to_m > SNAP_MAX_M) {
        app_fail(err, APP_ERR_INVALID, "off_network",
                 a < 0 || out->snap_from_m > SNAP_MAX_M ? "from_lon" : "to_lon",
                 "the point is more than %.0f m from any walkable way", SNAP_MAX_M);
        goto out;
    }
    struct lc_route r;
    lc_route(g, (uint32_t)a, (uint32_t)b, &r);
    if (!r.found) {
        app_fail(err, APP_ERR_NOT_FOUND, "no_route", NULL, "no walking route joins the points");
        goto out;
    }
    out->minutes = r.seconds / 60.0;
    out->metres = r.metres;
    out->climb_m = r.climb_m;
    ret = 0;
out:
    pthread_rwlock_unlock(&net_lock);
    return ret;
}

/* ---- coverage ---------------------------------------------------------------------------- */

void lifecircle_coverage_release(struct lifecircle_coverage *c)
{
    if (!c)
        return;
    free(c->items);
    memset(c, 0, sizeof(*c));
}

uint32_t lifecircle_snap(const struct lc_graph *g, double lon, double lat)
{
    double d;
    int64_t at = lc_graph_nearest(g, lon, lat, &d);
    return at < 0 || d > SNAP_MAX_M ? UINT32_MAX : (uint32_t)at;
}

/* Time from every node to the nearest facility of (category, level), limited to the level. */
static void nearest(const struct lc_graph *rev, const struct lifecircle_facility_list *fl,
                    const uint32_t *fnode, const char *category, int level, double *dist)
{
    uint32_t *src = xmalloc((fl->len + 1) * sizeof(*src));
    size_t n = 0;
    for (size_t i = 0; i < fl->len; i++)
        if (fnode[i] != UINT32_MAX && fl->items[i].level == level &&
            strcmp(fl->items[i].category, category) == 0)
            src[n++] = fnode[i];
    lc_dijkstra(rev, src, n, level * 60.0, dist, NULL);
    free(src);
}

static bool group_of(const char *region, const char *group_level, char *key, size_t n)
{
    /* Codes nest by prefix: a community is 12 digits, its street the first 9. */
    size_t len = strcmp(group_level, "street") == 0 ? 9 : 12;
    if (!region[0]) {
        snprintf(key, n, "%s", "");
        return true;
    }
    snprintf(key, n, "%.*s", (int)len, region);
    return true;
}

bool lifecircle_gap(const struct lifecircle_area *a, int category, int level_index,
                    double *uncovered)
{
    double u = a->population - a->covered[category][level_index];
    if (uncovered)
        *uncovered = u > 0 ? u : 0;
    return u > 0.5;
}

int lifecircle_coverage(struct db *db, const struct auth_principal *who, enum lc_profile_id profile,
                        const char *region, const char *group_level,
                        struct lifecircle_coverage *out, struct app_error *err)
{
    memset(out, 0, sizeof(*out));
    if (!group_level || !*group_level)
        group_level = "community";
    if (strcmp(group_level, "community") && strcmp(group_level, "street"))
        return app_fail(err, APP_ERR_INVALID, "bad_group", "group",
                        "group must be community or street");
    if (region && *region && !lifecircle_in_scope(who, region))
        return app_fail(err, APP_ERR_NOT_FOUND, "not_found", "region", "no such region");
    struct lifecircle_facility_list fl = {0};
    struct lifecircle_demand_list dl = {0};
    uint32_t *fnode = NULL, *dnode = NULL;
    double *dist = NULL;
    int ret = -1;
    if (lifecircle_store_facility_list(db, NULL, &fl, err) ||
        lifecircle_store_demand_list(db, &dl, err))
        goto out;
    pthread_rwlock_rdlock(&net_lock);
    if (!net.loaded) {
        pthread_rwlock_unlock(&net_lock);
        no_network(err);
        goto out;
    }
    const struct lc_graph *rev = &net.rev[profile];
    fnode = xmalloc((fl.len + 1) * sizeof(*fnode));
    dnode = xmalloc((dl.len + 1) * sizeof(*dnode));
    for (size_t i = 0; i < fl.len; i++)
        fnode[i] = lifecircle_snap(rev, fl.items[i].lon, fl.items[i].lat);
    /* Only the demand the caller may see, within region when given. */
    size_t nd = 0;
    for (size_t i = 0; i < dl.len; i++) {
        const struct lifecircle_demand *d = &dl.items[i];
        if (!lifecircle_in_scope(who, d->region))
            continue;
        if (region && *region && !org_code_within(d->region[0] ? d->region : DISTRICT_CODE, region))
            continue;
        dl.items[nd] = *d;
        dnode[nd++] = lifecircle_snap(rev, d->lon, d->lat);
    }
    dl.len = nd;
    out->demand_points = nd;
    out->facilities = fl.len;
    /* items[0]: the total; then one area per group, in first-seen order. */
    struct lifecircle_area total = {0};
    snprintf(total.region, sizeof(total.region), "%s", region && *region ? region : "");
    snprintf(total.name, sizeof(total.name), "合计");
    PUSH(out, total);
    size_t *area_of = xmalloc((nd + 1) * sizeof(*area_of));
    for (size_t i = 0; i < nd; i++) {
        char key[24];
        group_of(dl.items[i].region, group_level, key, sizeof(key));
        size_t a = 1;
        while (a < out->len && strcmp(out->items[a].region, key) != 0)
            a++;
        if (a == out->len) {
            struct lifecircle_area ar = {0};
            snprintf(ar.region, sizeof(ar.region), "%s", key);
            PUSH(out, ar);
        }
        area_of[i] = a;
        out->items[a].population += (double)dl.items[i].population;
        out->items[0].population += (double)dl.items[i].population;
    }
    dist = xmalloc((rev->n + 1) * sizeof(*dist));
    size_t nreq;
    const struct lifecircle_requirement *req = lifecircle_requirements(&nreq);
    for (size_t r = 0; r < nreq; r++) {
        int c = lifecircle_category_parse(req[r].category),
            l = lifecircle_level_index(req[r].level);
        nearest(rev, &fl, fnode, req[r].category, req[r].level, dist);
        for (size_t i = 0; i < nd; i++)
            if (dnode[i] != UINT32_MAX && dist[dnode[i]] <= req[r].level * 60.0) {
                out->items[area_of[i]].covered[c][l] += (double)dl.items[i].population;
                out->items[0].covered[c][l] += (double)dl.items[i].population;
            }
    }
    pthread_rwlock_unlock(&net_lock);
    free(area_of);
    for (size_t a = 1; a < out->len; a++) {
        struct org_region rg;
        struct app_error e = {0};
        if (!out->items[a].region[0])
            snprintf(out->items[a].name, sizeof(out->items[a].name), "区域外");
        else if (org_region_get(db, out->items[a].region, &rg, &e) == 0) {
            snprintf(out->items[a].name, sizeof(out->items[a].name), "%s", rg.name);
            free(rg.geometry);
        }
    }
    ret = 0;
out:
    if (ret)
        lifecircle_coverage_release(out);
    free(fl.items);
    free(dl.items);
    free(fnode);
    free(dnode);
    free(dist);
    return ret;
}

/* ---- isochrones -------------------------------------------------------------------------- */

static int isochrone(const struct lc_graph *g, double lon, double lat, double minutes,
                     struct lifecircle_isochrone *out, struct app_error *err)
{
    uint32_t at = lifecircle_snap(g, lon, lat);
    if (at == UINT32_MAX)
        return app_fail(err, APP_ERR_INVALID, "off_network", "lon",
                        "the point is more than %.0f m from any walkable way", SNAP_MAX_M);
    double *dist = xmalloc((g->n + 1) * sizeof(*dist));
    lc_dijkstra(g, &at, 1, minutes * 60.0, dist, NULL);
    out->lon = g->lon[at];
    out->lat = g->lat[at];
    out->n = sizeof(out->ring) / sizeof(out->ring[0]) / 2;
    out->nodes_reached =
        lc_isochrone(g, dist, minutes * 60.0, out->lon, out->lat, out->n, out->ring);
    free(dist);
    return 0;
}

static int minutes_ok(double minutes, struct app_error *err)
{
    if (!isfinite(minutes) || minutes <= 0 || minutes > 60)
        return app_fail(err, APP_ERR_INVALID, "bad_minutes", "minutes", "minutes must be 0..60");
    return 0;
}

int lifecircle_isochrone_point(enum lc_profile_id profile, double lon, double lat, double minutes,
                               struct lifecircle_isochrone *out, struct app_error *err)
{
    memset(out, 0, sizeof(*out));
    if (minutes_ok(minutes, err))
        return -1;
    if (!isfinite(lon) || fabs(lon) > 180)
        return app_fail(err, APP_ERR_INVALID, "bad_coordinate", "lon", "lon must be −180..180");
    if (!isfinite(lat) || fabs(lat) > 90)
        return app_fail(err, APP_ERR_INVALID, "bad_coordinate", "lat", "lat must be −90..90");
    pthread_rwlock_rdlock(&net_lock);
    int ret =
        net.loaded ? isochrone(&net.fwd[profile], lon, lat, minutes, out, err) : no_network(err);
    pthread_rwlock_unlock(&net_lock);
    return ret;
}

int lifecircle_isochrone_facility(struct db *db, const struct auth_principal *who,
                                  enum lc_profile_id profile, int64_t facility, double minutes,
                                  struct lifecircle_isochrone *out, struct app_error *err)
{
    memset(out, 0, sizeof(*out));
    if (minutes_ok(minutes, err))
        return -1;
    struct lifecircle_facility f;
    bool found = false;
    if (lifecircle_store_facility_get(db, facility, &f, &found, err))
        return -1;
    if (!found || !lifecircle_in_scope(who, f.region))
        return app_fail(err, APP_ERR_NOT_FOUND, "not_found", "facility", "no such facility");
    /* Who can walk to the facility: the search runs on the reversed graph. */
    pthread_rwlock_rdlock(&net_lock);
    int ret = net.loaded ? isochrone(&net.rev[profile], f.lon, f.lat, minutes, out, err)
                         : no_network(err);
    pthread_rwlock_unlock(&net_lock);
    return ret;
}

/* ---- where to build next ----------------------------------------------------------------- */

int lifecircle_suggest(struct db *db, const struct auth_principal *who, enum lc_profile_id profile,
                       const char *category, int level, int k, struct lifecircle_suggestion *out,
                       struct app_error *err)
{
    memset(out, 0, sizeof(*out));
    if (lifecircle_category_parse(category) < 0)
        return app_fail(err, APP_ERR_INVALID, "bad_category", "category", "unknown category");
    if (lifecircle_level_index(level) < 0)
        return app_fail(err, APP_ERR_INVALID, "bad_level", "level", "level must be 5, 10 or 15");
    if (k < 1 || k > 50)
        return app_fail(err, APP_ERR_INVALID, "bad_k", "k", "k must be 1..50");
    size_t nc;
    const struct lifecircle_category *cats = lifecircle_categories(&nc);
    category = cats[lifecircle_category_parse(category)].id;
    struct lifecircle_facility_list fl = {0};
    struct lifecircle_demand_list dl = {0};
    uint32_t *fnode = NULL, *dnode = NULL, *off = NULL, *cov = NULL, *pick = NULL;
    double *dist = NULL, *w = NULL, *gain = NULL;
    bool *covered = NULL;
    size_t ncov = 0, capcov = 0;
    int ret = -1;
    if (lifecircle_store_facility_list(db, category, &fl, err) ||
        lifecircle_store_demand_list(db, &dl, err))
        goto out;
    pthread_rwlock_rdlock(&net_lock);
    if (!net.loaded) {
        pthread_rwlock_unlock(&net_lock);
        no_network(err);
        goto out;
    }
    const struct lc_graph *rev = &net.rev[profile];
    size_t nd = 0;
    dnode = xmalloc((dl.len + 1) * sizeof(*dnode));
    for (size_t i = 0; i < dl.len; i++)
        if (lifecircle_in_scope(who, dl.items[i].region)) {
            dl.items[nd] = dl.items[i];
            dnode[nd++] = lifecircle_snap(rev, dl.items[i].lon, dl.items[i].lat);
        }
    fnode = xmalloc((fl.len + 1) * sizeof(*fnode));
    for (size_t i = 0; i < fl.len; i++)
        fnode[i] = lifecircle_snap(rev, fl.items[i].lon, fl.items[i].lat);
    dist = xmalloc((rev->n + 1) * sizeof(*dist));
    nearest(rev, &fl, fnode, category, level, dist);
    w = xmalloc((nd + 1) * sizeof(*w));
    covered = xcalloc(nd + 1, sizeof(*covered));
    for (size_t i = 0; i < nd; i++) {
        w[i] = (double)dl.items[i].population;
        out->population += w[i];
        covered[i] = dnode[i] != UINT32_MAX && dist[dnode[i]] <= level * 60.0;
        if (covered[i])
            out->covered_before += w[i];
    }
    /* Candidates: the demand points themselves (a site in the housing it serves). Candidate j
     * covers i when i can walk to j within the level: a bounded search from j on the reverse. */
    off = xcalloc(nd + 1, sizeof(*off));
    for (size_t j = 0; j < nd; j++) {
        off[j + 1] = off[j];
        if (dnode[j] == UINT32_MAX)
            continue;
        lc_dijkstra(rev, &dnode[j], 1, level * 60.0, dist, NULL);
        for (size_t i = 0; i < nd; i++)
            if (dnode[i] != UINT32_MAX && dist[dnode[i]] <= level * 60.0) {
                if (ncov == capcov) {
                    capcov = capcov ? 2 * capcov : 256;
                    cov = xrealloc(cov, capcov * sizeof(*cov));
                }
                cov[ncov++] = (uint32_t)i;
                off[j + 1]++;
            }
    }
    pthread_rwlock_unlock(&net_lock);
    pick = xmalloc((size_t)k * sizeof(*pick));
    gain = xmalloc((size_t)k * sizeof(*gain));
    size_t np = lc_mclp_greedy(w, covered, nd, off, cov ? cov : off, nd, (size_t)k, pick, gain);
    out->covered_after = out->covered_before;
    for (size_t p = 0; p < np; p++) {
        const struct lifecircle_demand *d = &dl.items[pick[p]];
        struct lifecircle_pick pk = {
            .demand_id = d->id, .lon = d->lon, .lat = d->lat, .gain = gain[p]};
        snprintf(pk.name, sizeof(pk.name), "%s", d->name);
        snprintf(pk.region, sizeof(pk.region), "%s", d->region);
        PUSH(out, pk);
        out->covered_after += gain[p];
    }
    ret = 0;
out:
    free(fl.items);
    free(dl.items);
    free(fnode);
    free(dnode);
    free(off);
    free(cov);
    free(pick);
    free(dist);
    free(w);
    free(gain);
    free(covered);
    return ret;
}

/* ---- facilities and demand --------------------------------------------------------------- */

int lifecircle_facility_list(struct db *db, const struct auth_principal *who, const char *category,
                             struct lifecircle_facility_list *out, struct app_error *err)
{
    memset(out, 0, sizeof(*out));
    if (category && *category && lifecircle_category_parse(category) < 0)
        return app_fail(err, APP_ERR_INVALID, "bad_category", "category", "unknown category");
    if (category && *category) {
        size_t nc;
        category = lifecircle_categories(&nc)[lifecircle_category_parse(category)].id;
    }
    if (lifecircle_store_facility_list(db, category && *category ? category : NULL, out, err))
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < out->len; i++)
        if (lifecircle_in_scope(who, out->items[i].region))
            out->items[n++] = out->items[i];
    out->len = n;
    return 0;
}
