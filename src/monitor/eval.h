/* Air-quality evaluation per HJ 663 with the GB 3095 Grade II limits: data validity, daily
 * statistics (means, O3 8-h and daily maximum 8-h means), annual means and percentiles,
 * compliance of the six parameters, the share of good days and year-on-year change.
 * Pure functions over plain values in millionths (see monitor/dec.h). */
#ifndef MONITOR_EVAL_H
#define MONITOR_EVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "monitor/aqi.h"

/* Which GB 3095 limits apply. */
enum monitor_limit_set {
    MONITOR_LIMITS_2012,            /* GB 3095-2012 (to 2026-02-28) */
    MONITOR_LIMITS_2026_TRANSITION, /* GB 3095-2026 过渡期 2026-03-01 .. 2030-12-31 */
    MONITOR_LIMITS_2026_FINAL,      /* GB 3095-2026 from 2031-01-01 */
};

enum monitor_averaging {
    MONITOR_AVG_ANNUAL,
    MONITOR_AVG_24H,
    MONITOR_AVG_8H, /* O3 daily maximum 8-h mean */
    MONITOR_AVG_1H,
};

/* The limit set for a period starting on the given date (Beijing time). U1: how HJ 663-2026
 * treats a period straddling 2026-03-01 is unknown; we follow the reference's rule that a
 * period is judged by the edition in force when it starts (so calendar year 2026 → 2012). */
enum monitor_limit_set monitor_limit_set_for_date(int year, int month, int day);

/* The Grade II (二级, 二类区) limit of a pollutant for an averaging time, in millionths of
 * µg/m³ (CO mg/m³), into *out. Returns 0, or -1 when GB 3095 sets none (e.g. CO annual). */
int monitor_grade2_limit(enum monitor_limit_set set, enum monitor_pollutant p,
                         enum monitor_averaging avg, int64_t *out);

/* Decimal places statistics are rounded to (GB/T 8170): 0 for µg/m³, 1 for CO in mg/m³. */
int monitor_stat_places(enum monitor_pollutant p);

/* One hourly value (end-of-hour label); invalid hours are ignored by every statistic. */
struct monitor_hour {
    bool valid;
    int64_t value;
};

/* A statistic: valid per the data-validity rule, n = number of valid inputs it used,
 * value rounded per monitor_stat_places (meaningful when n > 0). */
struct monitor_stat {
    bool valid;
    int n;
    int64_t value;
};

/* Daily (24-h) mean of SO2, NO2, CO, PM10 or PM2.5 from the 24 hours of a natural day:
 * valid with at least 20 valid hours (GB 3095 表4). */
void monitor_daily_mean(enum monitor_pollutant p, const struct monitor_hour hours[24],
                        struct monitor_stat *out);

/* O3 8-h moving mean from hours t-7 .. t: valid with at least 6 valid hours (GB 3095 表4). */
void monitor_o3_8h_mean(const struct monitor_hour window[8], struct monitor_stat *out);

/* O3 daily maximum 8-h mean (MDA8) from the 24 hourly values of a natural day (index 0 = the
 * hour ending 01:00, index 23 = the hour ending 24:00): the maximum of the 17 8-h means ending
 * 08:00 .. 24:00; valid with at least 14 valid 8-h means, or with fewer when the result exceeds
 * limit (millionths; the O3 8-h limit) (HJ 663-2013 6.1.2). out->n = valid 8-h means. */
void monitor_o3_mda8(const struct monitor_hour hours[24], int64_t limit, struct monitor_stat *out);

/* A daily statistic of one calendar month (1..12) of the year evaluated. */
struct monitor_day_value {
    int month;
    int64_t value;
};

/* Annual data validity (GB 3095 表4): at least 324 daily values, at least 27 in every month
 * (25 in February). */
bool monitor_annual_valid(const struct monitor_day_value *days, size_t n);

/* The p-th percentile (0..100) of n > 0 values per HJ 663-2013 附录A: sort ascending,
 * k = 1 + (n-1)·p% (exactly, in hundredths), s = ⌊k⌋, m = X(s) + (X(s+1) - X(s))·(k - s),
 * rounded to `places` decimals per GB/T 8170. values is not modified. */
int64_t monitor_percentile(const int64_t *values, size_t n, int p, int places);

/* Arithmetic mean of n > 0 values rounded to `places` decimals per GB/T 8170. */
int64_t monitor_mean(const int64_t *values, size_t n, int places);

/* The percentile HJ 663 uses for a pollutant's short-term statistic: 98 (SO2, NO2), 95 (PM10,
 * PM2.5, CO) or 90 (O3, of the daily maximum 8-h means). */
int monitor_eval_percentile(enum monitor_pollutant p);

/* Annual evaluation of one pollutant (HJ 663 表: annual mean where GB 3095 sets an annual limit;
 * percentile of daily values against the 24-h limit, O3 of MDA8 against the 8-h limit). */
struct monitor_annual_eval {
    enum monitor_pollutant pollutant;
    bool valid;    /* enough data (monitor_annual_valid) */
    bool has_mean; /* an annual limit exists */
    int64_t mean;  /* rounded annual mean */
    int64_t mean_limit;
    int percentile;    /* 98, 95 or 90 */
    int64_t pct_value; /* rounded percentile */
    int64_t pct_limit;
    bool complies; /* valid, and every statistic <= its Grade II limit */
};

/* Evaluate the daily values (daily means; O3: MDA8) of one pollutant for a year against the
 * Grade II limits of set. Returns 0, or -1 with APP_ERR_INVALID ("no_data") when n == 0 or
 * ("invalid_month") when a month is outside 1..12. */
int monitor_annual_evaluate(enum monitor_limit_set set, enum monitor_pollutant p,
                            const struct monitor_day_value *days, size_t n,
                            struct monitor_annual_eval *out, struct app_error *err);

/* 六参数全面达标: all six evaluations (indexed by enum monitor_pollutant) comply. */
bool monitor_six_comply(const struct monitor_annual_eval ev[MONITOR_POLLUTANT_COUNT]);

/* 优良天数比例 (达标天数比例) = good days (AQI <= 100) / valid days, in tenths of a percent
 * rounded per GB/T 8170 (27 of 29 → 931 = 93.1 %). Returns -1 when valid_days <= 0. U2: a
 * 2026 day whose AQI is not publishable (5.3.1) is not a valid day — callers pass it neither
 * as good nor as valid. */
int64_t monitor_good_day_share(int good_days, int valid_days);

/* Year-on-year change (cur - prev) / prev in tenths of a percent, GB/T 8170; negative means a
 * fall (for PM2.5 an improvement: 同比改善 = -change). Returns 0, or -1 when prev <= 0. */
int monitor_yoy_change(int64_t prev, int64_t cur, int64_t *tenths_percent);

#endif
