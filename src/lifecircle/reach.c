/* Count within T for the living circle: how many facilities of a service category each demand
 * point (a community's housing, a residential building) can walk to within T minutes — one
 * bounded search per facility on the reversed graph (lc_count_within) — and, per community or
 * street, how many residents reach none, one, two or three and more, and the mean. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "lifecircle/internal.h"
#include "lifecircle/lifecircle.h"
#include "lifecircle/lifecircle_store.h"
#include "org/org.h"

void lifecircle_reach_release(struct lifecircle_reach *r)
{
    if (!r)
        return;
    free(r->items);
    free(r->points);
    memset(r, 0, sizeof(*r));
}

static int check(const char *category, int level, double minutes, const char *group_level,
                 struct app_error *err)
{
    if (lifecircle_category_parse(category) < 0)
        return app_fail(err, APP_ERR_INVALID, "bad_category", "category",
                        "category must be employment, education, health, culture or elderly");
    if (level != 0 && lifecircle_level_index(level) < 0)
        return app_fail(err, APP_ERR_INVALID, "bad_level", "level", "level must be 5, 10 or 15");
    if (!isfinite(minutes) || minutes <= 0 || minutes > 60)
        return app_fail(err, APP_ERR_INVALID, "bad_minutes", "minutes", "minutes must be 0..60");
    if (strcmp(group_level, "community") && strcmp(group_level, "street"))
        return app_fail(err, APP_ERR_INVALID, "bad_group", "group",
                        "group must be community or street");
    return 0;
}

/* The area of a demand point: its community (12 digits) or street (9), "" outside. */
static size_t area_index(struct lifecircle_reach *out, const char *region, size_t len)
{
    char key[24];
    snprintf(key, sizeof(key), "%.*s", region[0] ? (int)len : 0, region);
    for (size_t a = 1; a < out->len; a++)
        if (strcmp(out->items[a].region, key) == 0)
            return a;
    struct lifecircle_reach_area ar = {0};
    snprintf(ar.region, sizeof(ar.region), "%s", key);
    PUSH(out, ar);
    return out->len - 1;
}

static void add(struct lifecircle_reach_area *a, double pop, uint32_t count)
{
    a->population += pop;
    a->points++;
    a->facility_sum += pop * count;
    a->by_count[count < LIFECIRCLE_REACH_BINS ? count : LIFECIRCLE_REACH_BINS - 1] += pop;
    if (count) {
        a->reached += pop;
        a->points_reached++;
    }
}

int lifecircle_reach(struct db *db, const struct auth_principal *who, enum lc_profile_id profile,
                     const char *category, int level, double minutes, const char *region,
                     const char *group_level, struct lifecircle_reach *out, struct app_error *err)
{
    memset(out, 0, sizeof(*out));
    if (!group_level || !*group_level)
        group_level = "community";
    if (check(category, level, minutes, group_level, err))
        return -1;
    if (region && *region && !lifecircle_in_scope(who, region))
        return app_fail(err, APP_ERR_NOT_FOUND, "not_found", "region", "no such region");
    size_t nc;
    category = lifecircle_categories(&nc)[lifecircle_category_parse(category)].id;
    struct lifecircle_facility_list fl = {0};
    struct lifecircle_demand_list dl = {0};
    uint32_t *src = NULL, *count = NULL;
    int ret = -1;
    if (lifecircle_store_facility_list(db, category, &fl, err) ||
        lifecircle_store_demand_list(db, &dl, err))
        goto out;
    const struct lc_graph *rev = lifecircle_net_read(profile, true, err);
    if (!rev)
        goto out;
    /* Facilities anywhere serve the caller's demand; those off the network reach no one. */
    src = xmalloc((fl.len + 1) * sizeof(*src));
    size_t ns = 0;
    for (size_t i = 0; i < fl.len; i++) {
        uint32_t at = fl.items[i].level == level || level == 0
                          ? lifecircle_snap(rev, fl.items[i].lon, fl.items[i].lat)
                          : UINT32_MAX;
        if (at != UINT32_MAX)
            src[ns++] = at;
    }
    out->facilities = ns;
    count = xmalloc((rev->n + 1) * sizeof(*count));
    lc_count_within(rev, src, ns, minutes * 60.0, count);
    struct lifecircle_reach_area total = {0};
    snprintf(total.region, sizeof(total.region), "%s", region && *region ? region : "");
    snprintf(total.name, sizeof(total.name), "合计");
    PUSH(out, total);
    size_t len = strcmp(group_level, "street") == 0 ? 9 : 12;
    out->points = xmalloc((dl.len + 1) * sizeof(*out->points));
    for (size_t i = 0; i < dl.len; i++) {
        const struct lifecircle_demand *d = &dl.items[i];
        if (!lifecircle_in_scope(who, d->region))
            continue;
        if (region && *region && !org_code_within(d->region[0] ? d->region : DISTRICT_CODE, region))
            continue;
        uint32_t at = lifecircle_snap(rev, d->lon, d->lat);
        uint32_t c = at == UINT32_MAX ? 0 : count[at];
        size_t a = area_index(out, d->region, len);
        add(&out->items[a], (double)d->population, c);
        struct lifecircle_reach_point *pt = &out->points[out->n_points++];
        pt->demand_id = d->id;
        snprintf(pt->name, sizeof(pt->name), "%s", d->name);
        pt->area = a;
        pt->population = (double)d->population;
        pt->facilities = c;
        add(&out->items[0], (double)d->population, c);
    }
    lifecircle_net_unlock();
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
        lifecircle_reach_release(out);
    free(fl.items);
    free(dl.items);
    free(src);
    free(count);
    return ret;
}
