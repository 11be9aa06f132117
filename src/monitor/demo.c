/* Demo monitoring data for Yuzhong: air, noise and water stations, the two river sections and
 * early-warning devices at plausible points, a year of synthetic readings for air and noise
 * (hourly) and water (daily), 30 days for the early-warning devices, from a deterministic hash of
 * station, parameter and hour (so a given hour always gets the same value), and the live readings
 * of `live_demo` in which a sewer level rises over its threshold every few minutes so that an alert
 * and its event can be watched. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "monitor/dec.h"
#include "monitor/monitor.h"
#include "monitor/monitor_store.h"
#include "org/org.h"

struct demo_station {
    const char *code, *name, *kind;
    double lon, lat; /* WGS84 */
    const char *zone;
    int target;
    double factor; /* local level of pollution / noise */
};

static const struct demo_station demo_stations[] = {
    {"AQ-JFB", "解放碑空气站", "air", 106.5770, 29.5575, NULL, 0, 1.05},
    {"AQ-LLK", "两路口空气站", "air", 106.5470, 29.5530, NULL, 0, 1.00},
    {"AQ-DP", "大坪空气站", "air", 106.5220, 29.5520, NULL, 0, 0.95},
    {"AQ-SQS", "上清寺空气站", "air", 106.5400, 29.5480, NULL, 0, 0.98},
    {"NS-JFB", "解放碑商圈声环境监测点", "noise", 106.5800, 29.5530, "2", 0, 1.0},
    {"NS-BJL", "长江滨江路声环境监测点", "noise", 106.5700, 29.5480, "4a", 0, 1.0},
    {"NS-ZJHY", "张家花园声环境监测点", "noise", 106.5500, 29.5640, "1", 0, 1.0},
    {"WS-CJ", "长江渝中段", "water", 106.5170, 29.5400, NULL, 2, 1.0},
    {"WS-JLJ", "嘉陵江渝中段", "water", 106.5450, 29.5690, NULL, 2, 0.9},
    {"SW-MSL", "民生路污水管网液位计", "sewer", 106.5740, 29.5500, NULL, 0, 1.0},
    {"SW-XLJ", "兴隆街污水管网液位计", "sewer", 106.5650, 29.5600, NULL, 0, 0.9},
    {"SW-LTZ", "凉亭子污水管网液位计", "sewer", 106.5600, 29.5560, NULL, 0, 0.8},
    {"SW-ZSEL", "中山二路污水管网液位计", "sewer", 106.5400, 29.5480, NULL, 0, 0.85},
    {"MH-ZRL", "邹容路智能井盖", "manhole", 106.5800, 29.5530, NULL, 0, 1.0},
    {"MH-LHS", "罗汉寺智能井盖", "manhole", 106.5860, 29.5640, NULL, 0, 1.0},
    {"DU-HLQ", "化龙桥工地扬尘监测", "dust", 106.5080, 29.5450, NULL, 0, 1.0},
    {"FU-XLJ", "兴隆街餐饮油烟监测", "fume", 106.5650, 29.5600, NULL, 0, 1.0},
    {"RL-CTM", "朝天门水位站", "river_level", 106.5820, 29.5660, NULL, 0, 1.0},
};
#define NDEMO (sizeof(demo_stations) / sizeof(demo_stations[0]))
#define LIVE_SEWER "SW-MSL" /* the sensor whose level rises in the live demo */

/* ---- deterministic noise ----------------------------------------------------------------- */

static uint64_t mix(uint64_t x)
{
    /* splitmix64 finaliser */
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

static uint64_t key3(uint64_t a, uint64_t b, uint64_t c)
{
    return mix(mix(mix(a) ^ b) ^ c);
}

static double unit(uint64_t k)
{
    return (double)(k >> 11) / 9007199254740992.0; /* [0, 1) */
}

/* Smooth value noise in [0, 1) over x (in units of the feature length). */
static double smooth(uint64_t k, double x)
{
    double f = floor(x), t = x - f;
    double a = unit(key3(k, (uint64_t)(int64_t)f, 7)),
           b = unit(key3(k, (uint64_t)(int64_t)f + 1, 7));
    t = t * t * (3 - 2 * t);
    return a + (b - a) * t;
}

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* x rounded to `places` decimals as millionths. */
static int64_t dec_of(double x, int places)
{
    int64_t step = monitor_dec_step(places);
    double scaled = x * (double)MONITOR_DEC_ONE / (double)step;
    return (int64_t)llround(scaled) * step;
}

static double clampd(double x, double lo, double hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

/* The synthetic value of a parameter at a station for the hour ending hour_end (or the reading
 * time for live devices), with its decimal places. */
static int64_t demo_value(const struct demo_station *ds, const char *param, int64_t t)
{
    uint64_t ks = hash_str(ds->code), kp = hash_str(param);
    int64_t local = t - 1 + CLOCK_CN_OFFSET;
    double days = (double)local / 86400.0;
    int64_t hour_start = (local / 3600) % 24;
    double h = (double)hour_start;
    double doy = fmod(days, 365.2425);
    double season = cos(2 * M_PI * (doy - 15) / 365.2425); /* 1 mid-January, -1 mid-July */
    double episode = smooth(0xA11, days / 3.0);            /* regional multi-day episodes */
    double jitter = unit(key3(ks, kp, (uint64_t)(t / 60))) - 0.5;
    double f = ds->factor;
    if (strcmp(ds->kind, "air") == 0) {
        double pm25 = (36 + 22 * season) * (0.45 + 1.1 * episode) *
                      (1 + 0.15 * cos(2 * M_PI * (h - 9) / 24)) * f;
        if (strcmp(param, "PM2_5") == 0)
            return dec_of(clampd(pm25 * (1 + 0.3 * jitter), 3, 900), 0);
        if (strcmp(param, "PM10") == 0)
            return dec_of(clampd(pm25 * (1.5 + 0.3 * jitter) + 6, 5, 1500), 0);
        if (strcmp(param, "NO2") == 0) {
            double rush = 1 + 0.35 * exp(-pow(h - 8, 2) / 4) + 0.45 * exp(-pow(h - 19, 2) / 6);
            return dec_of(
                clampd((30 + 8 * season) * (0.75 + 0.5 * episode) * rush * f * (1 + 0.25 * jitter),
                       3, 800),
                0);
        }
        if (strcmp(param, "SO2") == 0)
            return dec_of(clampd((7 + 3 * season) * (1 + 0.4 * jitter) * f, 2, 200), 0);
        if (strcmp(param, "CO") == 0)
            return dec_of(
                clampd((0.7 + 0.25 * season + 0.35 * episode) * (1 + 0.2 * jitter), 0.2, 10), 1);
        if (strcmp(param, "O3") == 0) {
            double sun = fmax(0, sin(M_PI * (h - 7) / 14));
            double o3 = (55 - 30 * season) * (0.25 + 1.5 * sun) *
                        (0.6 + 0.8 * smooth(0x03, days / 4.0)) * (1 + 0.2 * jitter);
            return dec_of(clampd(o3, 2, 600), 0);
        }
    } else if (strcmp(ds->kind, "noise") == 0) {
        bool day = monitor_noise_is_day_hour((int)hour_start);
        double base = strcmp(ds->zone, "4a") == 0  ? (day ? 66 : 56)
                      : strcmp(ds->zone, "1") == 0 ? (day ? 51 : 42)
                                                   : (day ? 57 : 48);
        double laeq = base + 4 * jitter + 1.5 * (smooth(ks, days) - 0.5);
        if (strcmp(param, "LAeq") == 0)
            return dec_of(laeq, 1);
        return dec_of(laeq + 8 + 9 * unit(key3(ks, 99, (uint64_t)t)), 1); /* Lmax */
    } else if (strcmp(ds->kind, "water") == 0) {
        double w = smooth(ks ^ kp, days / 5.0);
        static const struct {
            const char *p;
            double lo, hi;
            int places;
        } items[] = {{"pH", 7.5, 8.2, 2},   {"DO", 6.8, 9.2, 2},   {"CODMn", 1.6, 3.2, 1},
                     {"COD", 7, 13, 0},     {"BOD5", 1.0, 2.4, 1}, {"NH3-N", 0.05, 0.32, 3},
                     {"TP", 0.05, 0.115, 3}};
        for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++)
            if (strcmp(items[i].p, param) == 0)
                return dec_of((items[i].lo + (items[i].hi - items[i].lo) * w) * f, items[i].places);
    } else if (strcmp(ds->kind, "sewer") == 0) {
        if (strcmp(param, "overflow") == 0)
            return 0;
        double rain = smooth(0x5A1, days * 2);
        double daily = 0.15 * exp(-pow(h - 8, 2) / 6) + 0.2 * exp(-pow(h - 20, 2) / 8);
        return dec_of(clampd((0.7 + 0.5 * rain * rain + daily) * f + 0.05 * jitter, 0.2, 1.45), 2);
    } else if (strcmp(ds->kind, "manhole") == 0) {
        return strcmp(param, "open") == 0 ? 0
                                          : dec_of(1 + 1.5 * unit(key3(ks, kp, (uint64_t)t)), 1);
    } else if (strcmp(ds->kind, "dust") == 0) {
        double v = 70 + 40 * smooth(ks, days * 2) + 25 * jitter;
        return strcmp(param, "TSP") == 0 ? dec_of(v * 1.8, 0) : dec_of(v, 0);
    } else if (strcmp(ds->kind, "fume") == 0) {
        double meal = exp(-pow(h - 12, 2) / 2) + exp(-pow(h - 18.5, 2) / 3);
        return dec_of(clampd(0.3 + 1.2 * meal + 0.2 * jitter, 0.05, 1.7), 2);
    } else if (strcmp(ds->kind, "river_level") == 0) {
        /* Yangtze at Chaotianmen: low water in winter, flood season in summer */
        return dec_of(168 - 7 * season + 3 * (smooth(ks, days / 6) - 0.5), 2); /* no jitter:
                                                  the rate-of-change rule would see it */
    }
    return 0;
}

/* ---- seeding ----------------------------------------------------------------------------- */

struct day_agg {
    struct monitor_agg a;
    int64_t station_id;
};

static int flush_day(struct db *db, struct day_agg *d, struct app_error *err)
{
    if (!d->a.n)
        return 0;
    int rc = monitor_store_daily_add(db, d->station_id, &d->a, err);
    d->a.n = 0;
    return rc;
}

static int put(struct db *db, const struct monitor_station *st, const char *param, int64_t t,
               int64_t v, struct day_agg *day, struct app_error *err)
{
    bool inserted;
    if (monitor_store_reading_insert(db, st->id, param, t, v, NULL, true, &inserted, err))
        return -1;
    if (!inserted)
        return 0;
    int64_t h = monitor_hour_of(t), d = monitor_day_of_hour(h);
    const struct monitor_param *mp = monitor_station_param(st, param);
    double energy = mp && monitor_noise_is_level_unit(mp->unit) ? monitor_noise_energy(v) : 0;
    struct monitor_agg a = {.period = h, .n = 1, .sum = v, .min = v, .max = v, .energy = energy};
    snprintf(a.parameter, sizeof(a.parameter), "%s", param);
    if (monitor_store_hourly_add(db, st->id, &a, err))
        return -1;
    if (day->a.n && (day->a.period != d || strcmp(day->a.parameter, param)) &&
        flush_day(db, day, err))
        return -1;
    if (!day->a.n) {
        day->a = a;
        day->a.period = d;
        day->station_id = st->id;
        return 0;
    }
    day->a.n++;
    day->a.sum += v;
    day->a.energy += energy;
    if (v < day->a.min)
        day->a.min = v;
    if (v > day->a.max)
        day->a.max = v;
    return 0;
}

#define DEMO_DAYS 365

int monitor_demo_seed(struct app *app, struct db *db, int64_t now, struct app_error *err)
{
    bool own_org = app->org == NULL;
    int ret = -1;
    if (own_org && org_start(app, err))
        return -1;
    /* readings are keyed by time, aggregates by station: both fit in a big cache */
    if (monitor_store_bulk_cache(db, true, err) || db_begin(db, err))
        goto out;
    int64_t last = now / 3600 * 3600, first = last - (int64_t)DEMO_DAYS * 86400 + 3600;
    size_t count = 0;
    for (size_t i = 0; i < NDEMO; i++) {
        const struct demo_station *ds = &demo_stations[i];
        struct monitor_station_input in = {.code = ds->code,
                                           .name = ds->name,
                                           .kind = ds->kind,
                                           .lon = ds->lon,
                                           .lat = ds->lat,
                                           .zone = ds->zone,
                                           .target_class = ds->target,
                                           .synthetic = true};
        struct monitor_station st;
        if (monitor_station_create(app, db, &in, &st, err))
            goto fail;
        bool daily = strcmp(ds->kind, "water") == 0 || strcmp(ds->kind, "manhole") == 0;
        /* The year matters for the statistics (air, noise, water); early-warning devices get
         * the last 30 days, which keeps seeding short. */
        bool recent =
            strcmp(ds->kind, "air") && strcmp(ds->kind, "noise") && strcmp(ds->kind, "water");
        /* Air goes back 400 days so that the last month has a 同比 (same dates a year
         * before). */
        int64_t from = recent                         ? last - 30 * 86400 + 3600
                       : strcmp(ds->kind, "air") == 0 ? last - 400 * 86400 + 3600
                                                      : first;
        for (int p = 0; p < st.nparams; p++) {
            struct day_agg day = {0};
            const char *param = st.params[p].name;
            bool night_only = strcmp(param, "Lmax") == 0;
            /* status channels (overflow, open) are all zeros in a calm year, TSP follows PM10:
             * not seeded, to keep seeding short */
            if (strcmp(param, "overflow") == 0 || strcmp(param, "TSP") == 0)
                continue;
            for (int64_t t = from; t <= last; t += 3600) {
                if (daily && (t + CLOCK_CN_OFFSET) % 86400 != 10 * 3600)
                    continue; /* one sample a day, at 10:00 */
                if (night_only &&
                    monitor_noise_is_day_hour((int)(((t - 3600 + CLOCK_CN_OFFSET) / 3600) % 24)))
                    continue;
                if (put(db, &st, param, t, demo_value(ds, param, t), &day, err))
                    goto fail;
                count++;
            }
            if (flush_day(db, &day, err))
                goto fail;
        }
        if (monitor_store_station_touch(db, st.id, last, err))
            goto fail;
    }
    if (db_commit(db, err))
        goto fail;
    log_info("monitor: %zu demo stations, %zu synthetic readings", NDEMO, count);
    ret = 0;
    goto out;
fail:
    db_rollback(db);
out:
    monitor_store_bulk_cache(db, false, NULL);
    if (own_org)
        org_stop(app);
    return ret;
}

/* ---- live -------------------------------------------------------------------------------- */

#define LIVE_CYCLE 240 /* seconds: the live sewer level is high for the first 40 of each cycle */

int monitor_demo_live(struct app *app, struct db *db, int64_t now, struct app_error *err)
{
    struct monitor_reading_in rows[NDEMO * 8];
    char times[NDEMO * 8][32], values[NDEMO * 8][40], params[NDEMO * 8][24];
    size_t n = 0;
    for (size_t i = 0; i < NDEMO; i++) {
        const struct demo_station *ds = &demo_stations[i];
        struct monitor_station st;
        struct app_error e = {0};
        if (monitor_station_get(db, ds->code, &st, &e))
            continue; /* removed or never seeded */
        bool hourly = strcmp(ds->kind, "air") == 0 || strcmp(ds->kind, "noise") == 0 ||
                      strcmp(ds->kind, "water") == 0;
        bool live = strcmp(ds->code, LIVE_SEWER) == 0;
        int64_t t = hourly ? now / 3600 * 3600 : live ? now : now / 60 * 60;
        for (int p = 0; p < st.nparams && n < NDEMO * 8; p++) {
            const char *param = st.params[p].name;
            if (strcmp(ds->kind, "water") == 0 || strcmp(ds->kind, "manhole") == 0 ||
                strcmp(param, "Lmax") == 0 || strcmp(param, "overflow") == 0)
                continue;
            int64_t v = demo_value(ds, param, t);
            if (live && strcmp(param, "level") == 0 && now % LIVE_CYCLE < 40)
                v = dec_of(2.1 + 0.2 * unit(key3(7, 7, (uint64_t)now)), 2);
            clock_format_local(t, times[n], sizeof(times[n]));
            monitor_dec_format(v, 6, values[n], sizeof(values[n]));
            /* st is reused for the next station: the row keeps its own copy of the name */
            snprintf(params[n], sizeof(params[n]), "%s", param);
            rows[n] = (struct monitor_reading_in){ds->code,  params[n], times[n],
                                                  values[n], NULL,      (int)n + 1};
            n++;
        }
    }
    struct monitor_ingest_result r = {0};
    int rc = monitor_ingest(app, db, rows, n, true, &r, err);
    for (size_t i = 0; rc == 0 && i < r.nrejected; i++) {
        const struct monitor_reading_in *row = &rows[r.rejected[i].line - 1];
        log_warn("monitor: live demo reading %s %s refused: %s", row->station, row->parameter,
                 r.rejected[i].code);
    }
    monitor_ingest_result_release(&r);
    return rc;
}
