/* The figures of shared parking over a span: offered and used space-minutes, share rate,
 * occupancy by hour, turnover, no-shows and overstays per lot, and the grids of unmet demand. */
#include "parking/parking.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/xalloc.h"
#include "org/org.h"
#include "parking/parking_internal.h"
#include "parking/parking_store.h"

/* ---- figures ------------------------------------------------------------------------------ */

/* Add the minutes of [s, e) (times mult) to by_hour[local hour]. */
static void add_by_hour(double *by_hour, int64_t s, int64_t e, double mult)
{
    while (s < e) {
        int64_t local = s + CLOCK_CN_OFFSET;
        int64_t hour_end = s + (3600 - ((local % 3600) + 3600) % 3600);
        int64_t t = hour_end < e ? hour_end : e;
        int h = (int)(((local / 3600) % 24 + 24) % 24);
        by_hour[h] += (double)(t - s) / 60.0 * mult;
        s = t;
    }
}

/* Minutes of [s, e) that lie inside the sorted intervals iv, added by hour (also to *total). */
static void add_inside(double *by_hour, const struct parking_interval *iv, size_t n, int64_t s,
                       int64_t e, int64_t *total)
{
    for (size_t i = 0; i < n; i++) {
        int64_t a = s > iv[i].start ? s : iv[i].start, b = e < iv[i].end ? e : iv[i].end;
        if (a < b) {
            add_by_hour(by_hour, a, b, 1.0);
            *total += (b - a) / 60;
        }
    }
}

int parking_figures(struct db *db, const struct auth_principal *who, int64_t from, int64_t to,
                    struct parking_figures *f, struct app_error *err)
{
    struct parking_lot_list lots = {0};
    struct parking_plan_list plans = {0};
    struct parking_booking_list bk = {0};
    struct parking_interval *iv = NULL;
    bool wd[PARKING_MAX_DAYS];
    int64_t first, now = clock_now();
    size_t nd;
    int ret = -1;
    const char *scope = parking_scope_of(who);
    memset(f, 0, sizeof(*f));
    if (to <= from)
        return app_fail(err, APP_ERR_INVALID, "bad_window", "to", "结束须晚于开始");
    if (to - from > 92 * 86400)
        return app_fail(err, APP_ERR_INVALID, "too_long", "to", "统计区间至多 92 天");
    f->from = from;
    f->to = to;
    if (parking_workdays(from, to, &first, wd, &nd, err) ||
        parking_store_lot_list(db, &lots, err) || parking_store_plan_list(db, 0, &plans, err) ||
        parking_store_span_bookings(db, scope, from, to, &bk, err))
        goto out;
    size_t maxiv = (nd + 1) * PARKING_MAX_WINDOWS;
    iv = xcalloc(maxiv, sizeof(*iv));
    double offered_h[24] = {0}, used_h[24] = {0};
    int64_t offered_all = 0, used_all = 0, completed_all = 0, spaces_all = 0;
    for (size_t i = 0; i < lots.len; i++) {
        const struct parking_lot *l = &lots.items[i];
        if (!org_code_within(l->grid, scope))
            continue;
        if (f->nlots == f->cap) {
            f->cap = f->cap ? 2 * f->cap : 16;
            f->lots = xrealloc(f->lots, f->cap * sizeof(*f->lots));
        }
        struct parking_lot_figures *lf = &f->lots[f->nlots++];
        memset(lf, 0, sizeof(*lf));
        snprintf(lf->lot, sizeof(lf->lot), "%s", l->code);
        snprintf(lf->name, sizeof(lf->name), "%s", l->name);
        snprintf(lf->grid, sizeof(lf->grid), "%s", l->grid);
        lf->kind = l->kind;
        double lo_h[24] = {0}, lu_h[24] = {0};
        for (size_t k = 0; k < plans.len; k++) {
            const struct parking_plan *p = &plans.items[k];
            if (p->lot_id != l->id)
                continue;
            struct parking_window w[PARKING_MAX_WINDOWS];
            int nw;
            if (parking_windows_parse(p->windows, w, &nw, "windows", err))
                goto out;
            size_t n = parking_offered(w, nw, first, wd, nd, from, to, iv, maxiv);
            lf->shared_spaces += p->spaces;
            for (size_t j = 0; j < n; j++) {
                add_by_hour(lo_h, iv[j].start, iv[j].end, p->spaces);
                lf->offered_space_min += (iv[j].end - iv[j].start) / 60 * p->spaces;
            }
            for (size_t j = 0; j < bk.len; j++) {
                struct parking_booking *b = &bk.items[j];
                if (b->plan_id != p->id)
                    continue;
                parking_effective_status(b, now);
                if (b->start >= from && b->start < to && b->status != PARKING_CANCELLED) {
                    lf->bookings++;
                    lf->completed += b->status == PARKING_COMPLETED;
                    lf->no_shows += b->status == PARKING_NO_SHOW;
                    lf->overstays += b->overstay_minutes > 0;
                }
                if (!b->in_at)
                    continue;
                int64_t e = b->out_at ? b->out_at : (now < b->end ? now : b->end);
                add_inside(lu_h, iv, n, b->in_at, e, &lf->used_space_min);
            }
        }
        for (int h = 0; h < 24; h++) {
            lf->occupancy_by_hour[h] = lo_h[h] > 0 ? lu_h[h] / lo_h[h] : 0;
            offered_h[h] += lo_h[h];
            used_h[h] += lu_h[h];
        }
        offered_all += lf->offered_space_min;
        used_all += lf->used_space_min;
        completed_all += lf->completed;
        spaces_all += lf->shared_spaces;
    }
    for (int h = 0; h < 24; h++)
        f->occupancy_by_hour[h] = offered_h[h] > 0 ? used_h[h] / offered_h[h] : 0;
    f->share_rate = offered_all > 0 ? (double)used_all / (double)offered_all : 0;
    double days = (double)(to - from) / 86400.0;
    f->turnover = spaces_all > 0 ? (double)completed_all / (double)spaces_all / days : 0;
    if (parking_store_unmet_top(db, scope, parking_day_of(from), parking_day_of(to - 1), 10, f,
                                err))
        goto out;
    ret = 0;
out:
    free(iv);
    free(lots.items);
    free(plans.items);
    free(bk.items);
    if (ret)
        parking_figures_release(f);
    return ret;
}

void parking_figures_release(struct parking_figures *f)
{
    if (!f)
        return;
    free(f->lots);
    free(f->demand);
    f->lots = NULL;
    f->demand = NULL;
    f->nlots = f->ndemand = 0;
}
