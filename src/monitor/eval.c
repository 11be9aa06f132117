/* HJ 663 evaluation statistics and GB 3095 Grade II limits (see eval.h). All statistics are
 * exact ratios of integers rounded once per GB/T 8170, never stepwise. */
#include "monitor/eval.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "monitor/dec.h"

/* GB 3095 表1 Grade II (µg/m³; CO mg/m³); 0 = no limit for that averaging time.
 * Order of the last index: annual, 24 h, 8 h (O3 daily max), 1 h. */
static const int grade2[3][MONITOR_POLLUTANT_COUNT][4] =
    {
        [MONITOR_LIMITS_2012] =
            {
                [MONITOR_SO2] = {60, 150, 0, 500},
                [MONITOR_NO2] = {40, 80, 0, 200},
                [MONITOR_PM10] = {70, 150, 0, 0},
                [MONITOR_CO] = {0, 4, 0, 10},
                [MONITOR_O3] = {0, 0, 160, 200},
                [MONITOR_PM2_5] = {35, 75, 0, 0},
            },
        [MONITOR_LIMITS_2026_TRANSITION] =
            {
                [MONITOR_SO2] = {60, 150, 0, 500},
                [MONITOR_NO2] = {40, 80, 0, 200},
                [MONITOR_PM10] = {60, 120, 0, 0},
                [MONITOR_CO] = {0, 4, 0, 10},
                [MONITOR_O3] = {0, 0, 160, 200},
                [MONITOR_PM2_5] = {30, 60, 0, 0},
            },
        [MONITOR_LIMITS_2026_FINAL] =
            {
                [MONITOR_SO2] = {20, 50, 0, 150},
                [MONITOR_NO2] = {30, 50, 0, 200},
                [MONITOR_PM10] = {50, 100, 0, 0},
                [MONITOR_CO] = {0, 4, 0, 10},
                [MONITOR_O3] = {0, 0, 160, 200},
                [MONITOR_PM2_5] = {25, 50, 0, 0},
            },
};

enum monitor_limit_set monitor_limit_set_for_date(int year, int month, int day)
{
    long key = (long)year * 10000 + month * 100 + day;
    if (key < 20260301L)
        return MONITOR_LIMITS_2012;
    /* GB 3095-2026: transition limits to 2030-12-31, final limits from 2031-01-01 */
    return key < 20310101L ? MONITOR_LIMITS_2026_TRANSITION : MONITOR_LIMITS_2026_FINAL;
}

int monitor_grade2_limit(enum monitor_limit_set set, enum monitor_pollutant p,
                         enum monitor_averaging avg, int64_t *out)
{
    assert((unsigned)set < 3 && (unsigned)p < MONITOR_POLLUTANT_COUNT && (unsigned)avg < 4);
    int v = grade2[set][p][avg];
    if (v == 0)
        return -1;
    *out = MONITOR_DEC(v);
    return 0;
}

int monitor_stat_places(enum monitor_pollutant p)
{
    /* HJ 633-2026 4.2.2 (and the HJ 663 rounding table, [R] for 2013): µg/m³ to integers,
     * CO to 0.1 mg/m³ */
    return p == MONITOR_CO ? 1 : 0;
}

static void mean_of(const struct monitor_hour *h, int len, int min_valid, int places,
                    struct monitor_stat *out)
{
    int64_t sum = 0;
    int n = 0;
    for (int i = 0; i < len; i++) {
        if (h[i].valid) {
            sum += h[i].value;
            n++;
        }
    }
    out->n = n;
    out->valid = n >= min_valid;
    out->value = n > 0 ? monitor_dec_round_ratio(sum, n, monitor_dec_step(places)) : 0;
}

void monitor_daily_mean(enum monitor_pollutant p, const struct monitor_hour hours[24],
                        struct monitor_stat *out)
{
    /* GB 3095 表4: a 24-h mean needs at least 20 hourly means of the natural day */
    mean_of(hours, 24, 20, monitor_stat_places(p), out);
}

void monitor_o3_8h_mean(const struct monitor_hour window[8], struct monitor_stat *out)
{
    /* GB 3095 表4: an 8-h mean needs at least 6 hourly means */
    mean_of(window, 8, 6, 0, out);
}

void monitor_o3_mda8(const struct monitor_hour hours[24], int64_t limit, struct monitor_stat *out)
{
    int64_t best_sum = 0;
    int best_n = 0, valid_windows = 0;
    memset(out, 0, sizeof(*out));
    /* HJ 663-2013 6.1.2: the 8-h means ending 08:00 .. 24:00, each wholly inside the day */
    for (int end = 8; end <= 24; end++) {
        int64_t sum = 0;
        int n = 0;
        for (int i = end - 8; i < end; i++) {
            if (hours[i].valid) {
                sum += hours[i].value;
                n++;
            }
        }
        if (n < 6)
            continue;
        valid_windows++;
        /* compare the exact means sum/n without rounding: sum * best_n > best_sum * n */
        if (best_n == 0 || sum * best_n > best_sum * n) {
            best_sum = sum;
            best_n = n;
        }
    }
    out->n = valid_windows;
    if (valid_windows == 0)
        return;
    out->value = monitor_dec_round_ratio(best_sum, best_n, MONITOR_DEC_ONE);
    /* fewer than 14 valid 8-h means: still valid when the maximum exceeds the limit */
    out->valid = valid_windows >= 14 || out->value > limit;
}

bool monitor_annual_valid(const struct monitor_day_value *days, size_t n)
{
    int per_month[13] = {0};
    for (size_t i = 0; i < n; i++) {
        if (days[i].month >= 1 && days[i].month <= 12)
            per_month[days[i].month]++;
    }
    /* GB 3095 表4: >= 324 daily means a year, >= 27 each month, >= 25 in February */
    if (n < 324)
        return false;
    for (int m = 1; m <= 12; m++) {
        if (per_month[m] < (m == 2 ? 25 : 27))
            return false;
    }
    return true;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int64_t monitor_percentile(const int64_t *values, size_t n, int p, int places)
{
    assert(n > 0 && p >= 0 && p <= 100);
    int64_t *x = xmalloc(n * sizeof(*x));
    memcpy(x, values, n * sizeof(*x));
    qsort(x, n, sizeof(*x), cmp_i64);
    /* HJ 663-2013 附录A, k in hundredths so an integral k is exact: k100 = 100 + (n-1)·p */
    int64_t k100 = 100 + (int64_t)(n - 1) * p;
    size_t s = (size_t)(k100 / 100); /* 1-based rank */
    int64_t frac = k100 % 100;
    int64_t num = x[s - 1] * 100;
    if (frac != 0) /* frac != 0 implies s < n */
        num += (x[s] - x[s - 1]) * frac;
    free(x);
    return monitor_dec_round_ratio(num, 100, monitor_dec_step(places));
}

int64_t monitor_mean(const int64_t *values, size_t n, int places)
{
    assert(n > 0);
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += values[i];
    return monitor_dec_round_ratio(sum, (int64_t)n, monitor_dec_step(places));
}

int monitor_eval_percentile(enum monitor_pollutant p)
{
    /* HJ 663-2013 表: SO2, NO2 98th; PM10, PM2.5, CO 95th; O3 MDA8 90th (U3) */
    switch (p) {
    case MONITOR_SO2:
    case MONITOR_NO2:
        return 98;
    case MONITOR_O3:
        return 90;
    default:
        return 95;
    }
}

int monitor_annual_evaluate(enum monitor_limit_set set, enum monitor_pollutant p,
                            const struct monitor_day_value *days, size_t n,
                            struct monitor_annual_eval *out, struct app_error *err)
{
    memset(out, 0, sizeof(*out));
    out->pollutant = p;
    if (n == 0)
        return app_fail(err, APP_ERR_INVALID, "no_data", "days", "no daily values for %s",
                        monitor_pollutant_name(p));
    for (size_t i = 0; i < n; i++) {
        if (days[i].month < 1 || days[i].month > 12)
            return app_fail(err, APP_ERR_INVALID, "invalid_month", "month",
                            "month %d is outside 1..12", days[i].month);
    }
    int places = monitor_stat_places(p);
    int64_t *v = xmalloc(n * sizeof(*v));
    for (size_t i = 0; i < n; i++)
        v[i] = days[i].value;
    out->valid = monitor_annual_valid(days, n);
    out->has_mean = monitor_grade2_limit(set, p, MONITOR_AVG_ANNUAL, &out->mean_limit) == 0;
    if (out->has_mean)
        out->mean = monitor_mean(v, n, places);
    out->percentile = monitor_eval_percentile(p);
    monitor_grade2_limit(set, p, p == MONITOR_O3 ? MONITOR_AVG_8H : MONITOR_AVG_24H,
                         &out->pct_limit);
    out->pct_value = monitor_percentile(v, n, out->percentile, places);
    free(v);
    /* values are compared after rounding (GB/T 8170 修约后比较) */
    out->complies = out->valid && (!out->has_mean || out->mean <= out->mean_limit) &&
                    out->pct_value <= out->pct_limit;
    return 0;
}

bool monitor_six_comply(const struct monitor_annual_eval ev[MONITOR_POLLUTANT_COUNT])
{
    for (int i = 0; i < MONITOR_POLLUTANT_COUNT; i++) {
        if (!ev[i].complies)
            return false;
    }
    return true;
}

int64_t monitor_good_day_share(int good_days, int valid_days)
{
    if (valid_days <= 0)
        return -1;
    /* HJ 663 达标天数比例, one decimal (GB/T 8170) */
    return monitor_dec_percent_tenths(good_days, valid_days);
}

int monitor_yoy_change(int64_t prev, int64_t cur, int64_t *tenths_percent)
{
    if (prev <= 0)
        return -1;
    *tenths_percent = monitor_dec_percent_tenths(cur - prev, prev);
    return 0;
}
