/* The figures of the monitor module computed from the stored hourly and daily aggregates:
 * hourly and daily AQI per station and for the district (HJ 633), period compliance (HJ 663
 * with GB 3095 Grade II limits, good-day share, PM2.5 year on year), noise (GB 3096) and
 * water (GB 3838) results, and series. Orchestration over monitor_store; the arithmetic is in
 * aqi.c, eval.c, noise.c and water.c. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/xalloc.h"
#include "monitor/dec.h"
#include "monitor/monitor.h"
#include "monitor/monitor_store.h"

/* Parameter names of the six pollutants, in enum monitor_pollutant order. */
static const char *const pollutant_params[MONITOR_POLLUTANT_COUNT] = {"SO2", "NO2", "PM10",
                                                                      "CO",  "O3",  "PM2_5"};

static int pollutant_of(const char *param)
{
    for (int p = 0; p < MONITOR_POLLUTANT_COUNT; p++)
        if (strcmp(param, pollutant_params[p]) == 0)
            return p;
    return -1;
}

static int64_t day_start(int64_t day)
{
    return day * 86400 - CLOCK_CN_OFFSET;
}

/* ---- hourly grids ------------------------------------------------------------------------ */

/* Hourly means of the six pollutants of one station for hours ending first_end,
 * first_end + 3600, ... (nhours of them). */
struct hour_grid {
    int64_t first_end;
    size_t nhours;
    struct monitor_hour *h[MONITOR_POLLUTANT_COUNT];
};

static void grid_init(struct hour_grid *g, int64_t first_end, size_t nhours)
{
    g->first_end = first_end;
    g->nhours = nhours;
    for (int p = 0; p < MONITOR_POLLUTANT_COUNT; p++)
        g->h[p] = xcalloc(nhours ? nhours : 1, sizeof(struct monitor_hour));
}

static void grid_clear(struct hour_grid *g)
{
    for (int p = 0; p < MONITOR_POLLUTANT_COUNT; p++)
        memset(g->h[p], 0, g->nhours * sizeof(struct monitor_hour));
}

static void grid_release(struct hour_grid *g)
{
    for (int p = 0; p < MONITOR_POLLUTANT_COUNT; p++)
        free(g->h[p]);
}

static int grid_put(void *ctx, const struct monitor_agg *a)
{
    struct hour_grid *g = ctx;
    int p = pollutant_of(a->parameter);
    int64_t i = (a->period - g->first_end) / 3600;
    if (p < 0 || a->n <= 0 || i < 0 || (size_t)i >= g->nhours)
        return 0;
    g->h[p][i].valid = true;
    g->h[p][i].value = monitor_dec_round_ratio(a->sum, a->n, 1);
    return 0;
}

static int grid_load(struct db *db, int64_t station_id, struct hour_grid *g, struct app_error *err)
{
    grid_clear(g);
    return monitor_store_hourly_scan(db, station_id, NULL, g->first_end,
                                     g->first_end + (int64_t)g->nhours * 3600, grid_put, g, err);
}

/* ---- AQI --------------------------------------------------------------------------------- */

void monitor_aqi_figures_release(struct monitor_aqi_figures *f)
{
    if (!f)
        return;
    free(f->stations);
    memset(f, 0, sizeof(*f));
}

/* District input: per indicator the mean of the stations that have it (HJ 663 城市点位平均),
 * rounded per GB/T 8170 to the statistic's places. */
static void district_input(struct monitor_aqi_figures *f)
{
    struct monitor_aqi_input *d = &f->district.input;
    memset(d, 0, sizeof(*d));
    for (int ind = 0; ind < MONITOR_INDICATOR_COUNT; ind++) {
        int64_t sum = 0;
        int n = 0;
        for (size_t s = 0; s < f->len; s++)
            if (f->stations[s].input.has[ind]) {
                sum += f->stations[s].input.conc[ind];
                n++;
            }
        if (n) {
            int places = monitor_stat_places(monitor_indicator_pollutant(ind));
            monitor_aqi_input_set(d, ind,
                                  monitor_dec_round_ratio(sum, n, monitor_dec_step(places)));
        }
    }
}

static int start_figures(struct db *db, struct monitor_aqi_figures *out,
                         struct monitor_station_list *air, struct app_error *err)
{
    memset(out, 0, sizeof(*out));
    if (monitor_store_station_list(db, "air", air, err))
        return -1;
    out->stations = xcalloc(air->len ? air->len : 1, sizeof(*out->stations));
    out->len = air->len;
    for (size_t i = 0; i < air->len; i++) {
        snprintf(out->stations[i].station, sizeof(out->stations[i].station), "%s",
                 air->items[i].code);
        snprintf(out->stations[i].name, sizeof(out->stations[i].name), "%s", air->items[i].name);
    }
    snprintf(out->district.name, sizeof(out->district.name), "渝中区");
    return 0;
}

int monitor_aqi_hourly(struct db *db, int64_t hour_end, enum monitor_hourly_method method,
                       struct monitor_aqi_figures *out, struct app_error *err)
{
    struct monitor_station_list air = {0};
    struct hour_grid g;
    int ret = -1;
    if (start_figures(db, out, &air, err))
        goto out_list;
    if (hour_end == 0) {
        bool found;
        if (monitor_store_latest_hour(db, "air", monitor_hour_of(clock_now()), &hour_end, &found,
                                      err))
            goto out_list;
        if (!found) {
            ret = 0;
            goto out_list;
        }
    }
    hour_end = monitor_hour_of(hour_end);
    enum monitor_edition ed = monitor_edition_for_time(hour_end - 3600);
    grid_init(&g, hour_end - 23 * 3600, 24); /* index 23 is the hour itself */
    for (size_t s = 0; s < air.len; s++) {
        struct monitor_aqi_figure *f = &out->stations[s];
        f->period = hour_end;
        if (grid_load(db, air.items[s].id, &g, err))
            goto out;
        static const enum monitor_indicator one_h[] = {MONITOR_SO2_1H,  MONITOR_NO2_1H,
                                                       MONITOR_PM10_1H, MONITOR_CO_1H,
                                                       MONITOR_O3_1H,   MONITOR_PM2_5_1H};
        static const enum monitor_indicator day_h[] = {MONITOR_SO2_24H,  MONITOR_NO2_24H,
                                                       MONITOR_PM10_24H, MONITOR_CO_24H,
                                                       MONITOR_O3_8H,    MONITOR_PM2_5_24H};
        for (int p = 0; p < MONITOR_POLLUTANT_COUNT; p++) {
            if (g.h[p][23].valid)
                monitor_aqi_input_set(&f->input, one_h[p], g.h[p][23].value);
            struct monitor_stat st;
            if (p == MONITOR_O3)
                monitor_o3_8h_mean(&g.h[p][16], &st); /* 8-h moving mean, >= 6 hours */
            else
                monitor_daily_mean(p, g.h[p], &st); /* 24-h moving mean, >= 20 hours */
            if (st.valid)
                monitor_aqi_input_set(&f->input, day_h[p], st.value);
        }
        if (monitor_aqi(ed, MONITOR_REPORT_HOURLY, method, &f->input, &f->result, err))
            goto out;
        out->has_data |= f->result.has_aqi;
    }
    district_input(out);
    out->district.period = hour_end;
    if (monitor_aqi(ed, MONITOR_REPORT_HOURLY, method, &out->district.input, &out->district.result,
                    err))
        goto out;
    ret = 0;
out:
    grid_release(&g);
out_list:
    monitor_station_list_release(&air);
    return ret;
}

/* Daily statistics of one station and day from a grid whose hours start at the day's first
 * hour (index day_index*24). O3: max 1-h (valid with 20 hours) and MDA8. */
struct day_stats {
    struct monitor_stat mean[MONITOR_POLLUTANT_COUNT]; /* O3 slot: MDA8 */
    struct monitor_stat o3_1h;
};

static void day_stats_of(const struct hour_grid *g, size_t day_index, int64_t o3_8h_limit,
                         struct day_stats *ds)
{
    memset(ds, 0, sizeof(*ds));
    for (int p = 0; p < MONITOR_POLLUTANT_COUNT; p++) {
        const struct monitor_hour *h = &g->h[p][day_index * 24];
        if (p == MONITOR_O3) {
            monitor_o3_mda8(h, o3_8h_limit, &ds->mean[p]);
            int n = 0;
            int64_t max = 0;
            for (int i = 0; i < 24; i++)
                if (h[i].valid) {
                    if (!n || h[i].value > max)
                        max = h[i].value;
                    n++;
                }
            ds->o3_1h.n = n;
            ds->o3_1h.valid = n >= 20;
            ds->o3_1h.value = max;
        } else {
            monitor_daily_mean(p, h, &ds->mean[p]);
        }
    }
}

static void daily_input(const struct day_stats *ds, struct monitor_aqi_input *in)
{
    static const enum monitor_indicator ind[] = {MONITOR_SO2_24H,  MONITOR_NO2_24H,
                                                 MONITOR_PM10_24H, MONITOR_CO_24H,
                                                 MONITOR_O3_8H,    MONITOR_PM2_5_24H};
    memset(in, 0, sizeof(*in));
    for (int p = 0; p < MONITOR_POLLUTANT_COUNT; p++)
        if (ds->mean[p].valid)
            monitor_aqi_input_set(in, ind[p], ds->mean[p].value);
    if (ds->o3_1h.valid)
        monitor_aqi_input_set(in, MONITOR_O3_1H, ds->o3_1h.value);
}

static void civil_of_day(int64_t day, int *y, int *m, int *d)
{
    clock_civil_from_days(day, y, m, d);
}

static int64_t o3_limit_for_day(int64_t day)
{
    int y, m, d;
    civil_of_day(day, &y, &m, &d);
    int64_t limit = 0;
    monitor_grade2_limit(monitor_limit_set_for_date(y, m, d), MONITOR_O3, MONITOR_AVG_8H, &limit);
    return limit;
}

int monitor_aqi_daily(struct db *db, int64_t day, struct monitor_aqi_figures *out,
                      struct app_error *err)
{
    struct monitor_station_list air = {0};
    struct hour_grid g;
    int ret = -1;
    if (start_figures(db, out, &air, err))
        goto out_list;
    int y, m, d;
    civil_of_day(day, &y, &m, &d);
    enum monitor_edition ed = monitor_edition_for_date(y, m, d);
    int64_t limit = o3_limit_for_day(day);
    grid_init(&g, day_start(day) + 3600, 24);
    for (size_t s = 0; s < air.len; s++) {
        struct monitor_aqi_figure *f = &out->stations[s];
        struct day_stats ds;
        f->period = day;
        if (grid_load(db, air.items[s].id, &g, err))
            goto out;
        day_stats_of(&g, 0, limit, &ds);
        daily_input(&ds, &f->input);
        if (monitor_aqi(ed, MONITOR_REPORT_DAILY, MONITOR_HOURLY_PUBLISHED, &f->input, &f->result,
                        err))
            goto out;
        out->has_data |= f->result.has_aqi;
    }
    district_input(out);
    out->district.period = day;
    if (monitor_aqi(ed, MONITOR_REPORT_DAILY, MONITOR_HOURLY_PUBLISHED, &out->district.input,
                    &out->district.result, err))
        goto out;
    ret = 0;
out:
    grid_release(&g);
out_list:
    monitor_station_list_release(&air);
    return ret;
}

/* ---- compliance -------------------------------------------------------------------------- */

/* Per day and pollutant (plus O3 1-h max in slot MONITOR_POLLUTANT_COUNT): the sum and count
 * of the stations' valid daily values. */
#define NSLOTS (MONITOR_POLLUTANT_COUNT + 1)
struct day_acc {
    int64_t sum[NSLOTS];
    int n[NSLOTS];
};

static int accumulate_days(struct db *db, const struct monitor_station_list *stations,
                           int64_t from_day, size_t ndays, struct day_acc *acc,
                           struct app_error *err)
{
    struct hour_grid g;
    int ret = -1;
    grid_init(&g, day_start(from_day) + 3600, ndays * 24);
    for (size_t s = 0; s < stations->len; s++) {
        if (grid_load(db, stations->items[s].id, &g, err))
            goto out;
        for (size_t i = 0; i < ndays; i++) {
            struct day_stats ds;
            day_stats_of(&g, i, o3_limit_for_day(from_day + (int64_t)i), &ds);
            for (int p = 0; p < MONITOR_POLLUTANT_COUNT; p++)
                if (ds.mean[p].valid) {
                    acc[i].sum[p] += ds.mean[p].value;
                    acc[i].n[p]++;
                }
            if (ds.o3_1h.valid) {
                acc[i].sum[MONITOR_POLLUTANT_COUNT] += ds.o3_1h.value;
                acc[i].n[MONITOR_POLLUTANT_COUNT]++;
            }
        }
    }
    ret = 0;
out:
    grid_release(&g);
    return ret;
}

static bool acc_value(const struct day_acc *a, int slot, int64_t *out)
{
    if (!a->n[slot])
        return false;
    int places = monitor_stat_places(
        slot == MONITOR_POLLUTANT_COUNT ? MONITOR_O3 : (enum monitor_pollutant)slot);
    *out = monitor_dec_round_ratio(a->sum[slot], a->n[slot], monitor_dec_step(places));
    return true;
}

/* Mean PM2.5 of the valid days, whole µg/m³; false without any. */
static bool pm25_mean(const struct day_acc *acc, size_t ndays, int64_t *out)
{
    int64_t *v = xmalloc((ndays ? ndays : 1) * sizeof(*v));
    size_t n = 0;
    for (size_t i = 0; i < ndays; i++)
        if (acc_value(&acc[i], MONITOR_PM2_5, &v[n]))
            n++;
    if (n)
        *out = monitor_mean(v, n, 0);
    free(v);
    return n > 0;
}

static int64_t same_day_a_year_before(int64_t day)
{
    int y, m, d;
    civil_of_day(day, &y, &m, &d);
    if (m == 2 && d == 29)
        d = 28;
    return clock_days_from_civil(y - 1, m, d);
}

int monitor_compliance_get(struct db *db, const char *station, int64_t from_day, int64_t to_day,
                           struct monitor_compliance *out, struct app_error *err)
{
    struct monitor_station_list stations = {0};
    struct day_acc *acc = NULL, *prev = NULL;
    struct monitor_day_value *values = NULL;
    int ret = -1;
    memset(out, 0, sizeof(*out));
    if (to_day < from_day || to_day - from_day >= 400)
        return app_fail(err, APP_ERR_INVALID, "invalid_period", "to",
                        "统计期须为 1-400 天且结束不早于开始");
    if (station) {
        struct monitor_station st;
        if (monitor_station_get(db, station, &st, err))
            return -1;
        if (st.kind != MONITOR_KIND_AIR)
            return app_fail(err, APP_ERR_INVALID, "not_air_station", "station",
                            "站点 %s 不是空气质量监测站", station);
        stations.items = xmalloc(sizeof(st));
        stations.items[0] = st;
        stations.len = stations.cap = 1;
    } else if (monitor_store_station_list(db, "air", &stations, err)) {
        goto out;
    }
    size_t ndays = (size_t)(to_day - from_day + 1);
    out->from_day = from_day;
    out->to_day = to_day;
    out->days = (int)ndays;
    int y, m, d;
    civil_of_day(from_day, &y, &m, &d);
    out->limits = monitor_limit_set_for_date(y, m, d);
    acc = xcalloc(ndays, sizeof(*acc));
    if (accumulate_days(db, &stations, from_day, ndays, acc, err))
        goto out;
    values = xmalloc(ndays * sizeof(*values));
    for (size_t i = 0; i < ndays; i++) {
        struct monitor_aqi_input in;
        struct monitor_aqi_result r;
        memset(&in, 0, sizeof(in));
        static const enum monitor_indicator ind[] = {MONITOR_SO2_24H,  MONITOR_NO2_24H,
                                                     MONITOR_PM10_24H, MONITOR_CO_24H,
                                                     MONITOR_O3_8H,    MONITOR_PM2_5_24H};
        int64_t v;
        for (int p = 0; p < MONITOR_POLLUTANT_COUNT; p++)
            if (acc_value(&acc[i], p, &v))
                monitor_aqi_input_set(&in, ind[p], v);
        if (acc_value(&acc[i], MONITOR_POLLUTANT_COUNT, &v))
            monitor_aqi_input_set(&in, MONITOR_O3_1H, v);
        civil_of_day(from_day + (int64_t)i, &y, &m, &d);
        enum monitor_edition ed = monitor_edition_for_date(y, m, d);
        if (monitor_aqi(ed, MONITOR_REPORT_DAILY, MONITOR_HOURLY_PUBLISHED, &in, &r, err))
            goto out;
        /* HJ 663: a valid day has all six parameters (2012 published-as-NA days are not
         * counted); U2: an unpublishable 2026 day is no valid day either. */
        if (r.has_aqi && r.complete && r.publishable) {
            out->valid_days++;
            out->good_days += r.aqi <= 100;
            if (ed == MONITOR_EDITION_2026)
                out->days_2026++;
            else
                out->days_2012++;
        }
    }
    out->good_share = monitor_good_day_share(out->good_days, out->valid_days);
    bool all = true;
    for (int p = 0; p < MONITOR_POLLUTANT_COUNT; p++) {
        size_t n = 0;
        int64_t limit = 0;
        monitor_grade2_limit(out->limits, p, p == MONITOR_O3 ? MONITOR_AVG_8H : MONITOR_AVG_24H,
                             &limit);
        for (size_t i = 0; i < ndays; i++) {
            int64_t v;
            if (!acc_value(&acc[i], p, &v))
                continue;
            civil_of_day(from_day + (int64_t)i, &y, &m, &d);
            values[n++] = (struct monitor_day_value){m, v};
            out->exceed_days[p] += v > limit;
        }
        struct app_error e = {0};
        out->has_eval[p] =
            n > 0 && monitor_annual_evaluate(out->limits, p, values, n, &out->eval[p], &e) == 0;
        all &= out->has_eval[p];
    }
    out->six_comply = all && monitor_six_comply(out->eval);
    /* 同比: the same dates a year before. */
    int64_t pfrom = same_day_a_year_before(from_day), pto = same_day_a_year_before(to_day);
    size_t pdays = (size_t)(pto - pfrom + 1);
    prev = xcalloc(pdays, sizeof(*prev));
    if (accumulate_days(db, &stations, pfrom, pdays, prev, err))
        goto out;
    if (pm25_mean(acc, ndays, &out->pm25_mean) && pm25_mean(prev, pdays, &out->pm25_prev_mean) &&
        monitor_yoy_change(out->pm25_prev_mean, out->pm25_mean, &out->pm25_yoy) == 0)
        out->has_pm25_yoy = true;
    ret = 0;
out:
    free(values);
    free(acc);
    free(prev);
    monitor_station_list_release(&stations);
    return ret;
}

/* ---- series ------------------------------------------------------------------------------ */

void monitor_series_release(struct monitor_series *s)
{
    if (!s)
        return;
    free(s->items);
    memset(s, 0, sizeof(*s));
}

#define MAX_POINTS 10000

/* The value of an aggregate by its parameter's average, in millionths. */
static int64_t period_value(enum monitor_noise_average avg, const struct monitor_agg *a)
{
    if (avg == MONITOR_AVERAGE_MAXIMUM)
        return a->max;
    if (avg == MONITOR_AVERAGE_ENERGY && a->energy > 0)
        return llround(monitor_noise_leq_of_energy(a->energy, a->n) * (double)MONITOR_DEC_ONE);
    return monitor_dec_round_ratio(a->sum, a->n, 1);
}

static int series_put(void *ctx, const struct monitor_agg *a)
{
    struct monitor_series *s = ctx;
    if (s->len == MAX_POINTS)
        return -1;
    if (s->len == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->items = xrealloc(s->items, s->cap * sizeof(*s->items));
    }
    s->items[s->len++] =
        (struct monitor_point){a->period, a->n, period_value(s->average, a), a->min, a->max};
    return 0;
}

int monitor_series_get(struct db *db, const char *station, const char *parameter, bool daily,
                       int64_t from, int64_t to, struct monitor_series *out, struct app_error *err)
{
    struct monitor_station st;
    if (monitor_station_get(db, station, &st, err))
        return -1;
    const struct monitor_param *mp = parameter ? monitor_station_param(&st, parameter) : NULL;
    if (!mp)
        return app_fail(err, APP_ERR_INVALID, "unknown_parameter", "parameter", "站点 %s 无此参数",
                        st.code);
    out->average = monitor_noise_average_of(mp->name, mp->unit);
    if (daily) {
        int64_t f = monitor_day_of_hour(monitor_hour_of(from + 1));
        int64_t t = monitor_day_of_hour(monitor_hour_of(to + 1));
        return monitor_store_daily_scan(db, st.id, parameter, f, t, series_put, out, err);
    }
    return monitor_store_hourly_scan(db, st.id, parameter, from, to, series_put, out, err);
}

/* ---- noise ------------------------------------------------------------------------------- */

void monitor_noise_figures_release(struct monitor_noise_figures *f)
{
    if (!f)
        return;
    free(f->items);
    memset(f, 0, sizeof(*f));
}

struct noise_hours {
    int64_t first_end; /* hour ending 07:00 of D: the first day hour */
    double laeq[24];   /* 16 day hours, then 8 night hours */
    bool has[24];
    bool has_lmax;
    double lmax;
};

static int noise_put(void *ctx, const struct monitor_agg *a)
{
    struct noise_hours *h = ctx;
    int64_t i = (a->period - h->first_end) / 3600;
    if (i < 0 || i >= 24 || a->n <= 0)
        return 0;
    if (strcmp(a->parameter, "LAeq") == 0 && a->energy > 0) {
        /* GB 3096-2008 §3: the hour's Leq is the energy mean of its readings, never their
         * arithmetic mean ({60, 70} → 67.4 dB, not 65) */
        h->laeq[i] = monitor_noise_leq_of_energy(a->energy, a->n);
        h->has[i] = true;
    } else if (strcmp(a->parameter, "Lmax") == 0 && i >= 16) {
        /* 5.4: the night's Lmax is the highest reading, never an average */
        double v = (double)a->max / (double)MONITOR_DEC_ONE;
        if (!h->has_lmax || v > h->lmax)
            h->lmax = v;
        h->has_lmax = true;
    }
    return 0;
}

int monitor_noise_get(struct db *db, int64_t day, struct monitor_noise_figures *out,
                      struct app_error *err)
{
    struct monitor_station_list l = {0};
    memset(out, 0, sizeof(*out));
    if (monitor_store_station_list(db, "noise", &l, err))
        return -1;
    out->items = xcalloc(l.len ? l.len : 1, sizeof(*out->items));
    for (size_t s = 0; s < l.len; s++) {
        struct monitor_noise_figure *f = &out->items[out->len++];
        struct noise_hours h;
        memset(&h, 0, sizeof(h));
        h.first_end = day_start(day) + 7 * 3600;
        snprintf(f->station, sizeof(f->station), "%s", l.items[s].code);
        snprintf(f->name, sizeof(f->name), "%s", l.items[s].name);
        f->day = day;
        monitor_noise_zone_parse(l.items[s].zone, &f->zone, NULL);
        if (monitor_store_hourly_scan(db, l.items[s].id, NULL, h.first_end, h.first_end + 24 * 3600,
                                      noise_put, &h, err))
            goto fail;
        double dayv[16], night[8];
        size_t nd = 0, nn = 0;
        for (int i = 0; i < 24; i++)
            if (h.has[i]) {
                if (i < 16)
                    dayv[nd++] = h.laeq[i];
                else
                    night[nn++] = h.laeq[i];
            }
        struct monitor_noise_input in = {dayv, nd, night, nn, h.has_lmax, h.lmax};
        f->day_hours = (int)nd;
        f->night_hours = (int)nn;
        if (monitor_noise_evaluate(f->zone, &in, &f->result, err))
            goto fail;
    }
    monitor_station_list_release(&l);
    return 0;
fail:
    monitor_station_list_release(&l);
    monitor_noise_figures_release(out);
    return -1;
}

/* ---- water ------------------------------------------------------------------------------- */

void monitor_water_figures_release(struct monitor_water_figures *f)
{
    if (!f)
        return;
    free(f->items);
    memset(f, 0, sizeof(*f));
}

struct water_day {
    struct monitor_water_value v[MONITOR_WATER_ITEM_COUNT];
    size_t n;
};

static int water_put(void *ctx, const struct monitor_agg *a)
{
    struct water_day *w = ctx;
    enum monitor_water_item item;
    if (a->n <= 0 || w->n == MONITOR_WATER_ITEM_COUNT ||
        monitor_water_item_parse(a->parameter, &item, NULL))
        return 0;
    w->v[w->n++] = (struct monitor_water_value){item, monitor_dec_round_ratio(a->sum, a->n, 1)};
    return 0;
}

int monitor_water_get(struct db *db, int64_t day, struct monitor_water_figures *out,
                      struct app_error *err)
{
    struct monitor_station_list l = {0};
    memset(out, 0, sizeof(*out));
    if (monitor_store_station_list(db, "water", &l, err))
        return -1;
    out->items = xcalloc(l.len ? l.len : 1, sizeof(*out->items));
    for (size_t s = 0; s < l.len; s++) {
        struct monitor_water_figure *f = &out->items[out->len++];
        snprintf(f->station, sizeof(f->station), "%s", l.items[s].code);
        snprintf(f->name, sizeof(f->name), "%s", l.items[s].name);
        f->day = -1;
        f->result.target = l.items[s].target_class;
        bool found;
        int64_t d;
        if (monitor_store_latest_day(db, l.items[s].id, day, &d, &found, err))
            goto fail;
        if (!found)
            continue;
        struct water_day w = {0};
        if (monitor_store_daily_scan(db, l.items[s].id, NULL, d, d + 1, water_put, &w, err))
            goto fail;
        f->day = d;
        if (w.n && monitor_water_evaluate(MONITOR_WATER_RIVER, l.items[s].target_class, w.v, w.n,
                                          &f->result, err))
            goto fail;
    }
    monitor_station_list_release(&l);
    return 0;
fail:
    monitor_station_list_release(&l);
    monitor_water_figures_release(out);
    return -1;
}
