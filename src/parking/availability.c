/* Finding a space: lots with free public shared spaces over a window near a destination,
 * nearest first by straight line, then by the walk over the living-circle network; a search
 * that finds nothing counts as unmet demand in the destination's grid. */
#include "parking/parking.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "geo/geo.h"
#include "lifecircle/lifecircle.h"
#include "org/org.h"
#include "parking/parking_internal.h"
#include "parking/parking_store.h"

/* ---- availability ------------------------------------------------------------------------- */

static int cmp_walk(const void *a, const void *b)
{
    const struct parking_free *x = a, *y = b;
    if (x->walk_minutes != y->walk_minutes)
        return x->walk_minutes < y->walk_minutes ? -1 : 1;
    return x->distance_m < y->distance_m ? -1 : x->distance_m > y->distance_m ? 1 : 0;
}

static int cmp_free(const void *a, const void *b)
{
    const struct parking_free *x = a, *y = b;
    if (x->distance_m != y->distance_m)
        return x->distance_m < y->distance_m ? -1 : 1;
    return strcmp(x->lot.code, y->lot.code);
}

/* Free spaces of the public plans among plans[lo, hi) over [from, to); *price the lowest. The
 * plans' bookings come from hold (sorted by plan id) when given, else from the store. */
static int lot_public_free(struct db *db, const struct parking_plan *plans, size_t lo, size_t hi,
                           int64_t first, const bool *wd, size_t nd, int64_t from, int64_t to,
                           int64_t now, const struct parking_booking_list *hold, int *nfree,
                           int *price, struct app_error *err)
{
    *nfree = 0;
    *price = -1;
    for (size_t k = lo; k < hi; k++) {
        if (strcmp(plans[k].audience, "public"))
            continue;
        bool offered;
        int f;
        if (hold) {
            /* the plan's run in hold: binary search for its first row */
            size_t a = 0, b = hold->len;
            while (a < b) {
                size_t m = a + (b - a) / 2;
                if (hold->items[m].plan_id < plans[k].id)
                    a = m + 1;
                else
                    b = m;
            }
            size_t e = a;
            while (e < hold->len && hold->items[e].plan_id == plans[k].id)
                e++;
            f = parking_plan_free_of(&plans[k], first, wd, nd, from, to, now, hold->items + a,
                                     e - a, &offered, err);
        } else {
            f = parking_plan_free(db, &plans[k], first, wd, nd, from, to, now, &offered, err);
        }
        if (f < 0)
            return -1;
        if (f > 0) {
            *nfree += f;
            if (*price < 0 || plans[k].price_fen < *price)
                *price = plans[k].price_fen;
        }
    }
    return 0;
}

int parking_availability(struct app *app, struct db *db, double lon, double lat, int64_t from,
                         int64_t to, double radius_m, long limit, struct parking_free_list *out,
                         struct app_error *err)
{
    struct parking_lot_list lots = {0};
    struct parking_plan_list plans = {0};
    struct parking_booking_list hold = {0};
    bool wd[PARKING_MAX_DAYS];
    int64_t first, now = clock_now();
    size_t nd;
    int ret = -1;
    if (!(lon >= 73 && lon <= 136))
        return app_fail(err, APP_ERR_INVALID, "out_of_range", "lon", "经度超出范围");
    if (!(lat >= 3 && lat <= 54))
        return app_fail(err, APP_ERR_INVALID, "out_of_range", "lat", "纬度超出范围");
    if (!(radius_m > 0 && radius_m <= 20000))
        return app_fail(err, APP_ERR_INVALID, "out_of_range", "radius", "范围应为 1–20000 米");
    if (parking_window_check(&from, &to, now, err) ||
        parking_workdays(from, to, &first, wd, &nd, err))
        return -1;
    if (parking_store_lot_list(db, &lots, err) || parking_store_plan_list(db, 0, &plans, err) ||
        parking_store_window_holding(db, from, to, &hold, err))
        goto out;
    struct geo_point dest = {lon, lat};
    for (size_t i = 0; i < lots.len; i++) {
        const struct parking_lot *l = &lots.items[i];
        double d = geo_distance_m(dest, (struct geo_point){l->entrance_lon, l->entrance_lat});
        if (d > radius_m)
            continue;
        /* plans are ordered by lot: this lot's run by binary search */
        size_t lo = 0, hi = plans.len;
        while (lo < hi) {
            size_t m = lo + (hi - lo) / 2;
            if (plans.items[m].lot_id < l->id)
                lo = m + 1;
            else
                hi = m;
        }
        for (hi = lo; hi < plans.len && plans.items[hi].lot_id == l->id; hi++)
            ;
        int free, price;
        if (lot_public_free(db, plans.items, lo, hi, first, wd, nd, from, to, now, &hold, &free,
                            &price, err))
            goto out;
        if (free <= 0)
            continue;
        if (out->len == out->cap) {
            out->cap = out->cap ? 2 * out->cap : 16;
            out->items = xrealloc(out->items, out->cap * sizeof(*out->items));
        }
        struct parking_free *f = &out->items[out->len++];
        f->lot = *l;
        f->free = free;
        f->price_fen = price;
        f->distance_m = d;
        f->walk_minutes = parking_walk_minutes(d);
    }
    qsort(out->items, out->len, sizeof(*out->items), cmp_free);
    if (limit > 0 && out->len > (size_t)limit)
        out->len = (size_t)limit;
    /* Yuzhong is steep: where the walking network is loaded, the nearest lots are ranked by the
     * minutes of the walk itself (stairs and slopes), not by the straight line. */
    size_t routed = out->len < PARKING_ROUTED ? out->len : PARKING_ROUTED, nrouted = 0;
    for (size_t i = 0; i < routed; i++) {
        struct lifecircle_route_result rr;
        struct app_error e2 = {0};
        struct parking_free *f = &out->items[i];
        if (lifecircle_route(LC_PROFILE_WALK, f->lot.entrance_lon, f->lot.entrance_lat, lon, lat,
                             &rr, &e2))
            continue;
        f->walk_minutes = (int)ceil(rr.minutes) < 1 ? 1 : (int)ceil(rr.minutes);
        f->walk_network = true;
        nrouted++;
    }
    if (nrouted == routed && routed > 1)
        qsort(out->items, routed, sizeof(*out->items), cmp_walk);
    if (out->len == 0) {
        /* unmet demand: counted per grid of the destination (a statistic, not audited) */
        struct org_location loc;
        struct app_error e2 = {0};
        if (org_locate(app, db, lon, lat, &loc, &e2) == 0) {
            if (parking_store_unmet_bump(db, loc.grid.code, parking_day_of(from), &e2))
                log_warn("parking: unmet demand not counted: %s", e2.message);
            org_location_release(&loc);
        }
    }
    ret = 0;
out:
    free(lots.items);
    free(plans.items);
    free(hold.items);
    return ret;
}

int parking_lot_free(struct db *db, int64_t lot_id, int64_t from, int64_t to, int *nfree,
                     struct app_error *err)
{
    struct parking_plan_list plans = {0};
    bool wd[PARKING_MAX_DAYS];
    int64_t first;
    size_t nd;
    int price;
    *nfree = 0;
    if (to <= from || parking_workdays(from, to, &first, wd, &nd, err) ||
        parking_store_plan_list(db, lot_id, &plans, err))
        return to <= from ? 0 : -1;
    int rc = lot_public_free(db, plans.items, 0, plans.len, first, wd, nd, from, to, clock_now(),
                             NULL, nfree, &price, err);
    free(plans.items);
    return rc;
}
