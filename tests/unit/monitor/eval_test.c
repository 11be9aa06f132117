/* Tests of the HJ 663 evaluation rules and GB 3095 limits (monitor/eval.h): validity
 * thresholds, daily statistics, MDA8, the percentile worked examples, compliance, good days. */
#include <stdint.h>
#include <string.h>

#include "monitor/dec.h"
#include "monitor/eval.h"
#include "test.h"

static void fill(struct monitor_hour *h, int n, int valid, int value)
{
    for (int i = 0; i < n; i++) {
        h[i].valid = i < valid;
        h[i].value = MONITOR_DEC(value);
    }
}

TEST(daily_mean_validity)
{
    struct monitor_hour h[24];
    struct monitor_stat s;
    fill(h, 24, 20, 40);
    monitor_daily_mean(MONITOR_PM2_5, h, &s);
    CHECK(s.valid);
    CHECK_INT(s.n, 20);
    CHECK_INT(s.value, MONITOR_DEC(40));
    fill(h, 24, 19, 40);
    monitor_daily_mean(MONITOR_PM2_5, h, &s);
    CHECK(!s.valid);
    /* mean rounded once per GB/T 8170: 20 hours summing to 810 → 40.5 → 40 */
    fill(h, 24, 20, 40);
    h[0].value = MONITOR_DEC(50);
    monitor_daily_mean(MONITOR_PM2_5, h, &s);
    CHECK_INT(s.value, MONITOR_DEC(40)); /* 810 / 20 = 40.5 → 40 */
    h[1].value = MONITOR_DEC(60);
    monitor_daily_mean(MONITOR_PM2_5, h, &s);
    CHECK_INT(s.value, MONITOR_DEC(42)); /* 830 / 20 = 41.5 → 42 */
    /* CO to 0.1 mg/m³ */
    for (int i = 0; i < 24; i++) {
        h[i].valid = true;
        h[i].value = i < 12 ? 1000000 : 1100000;
    }
    monitor_daily_mean(MONITOR_CO, h, &s);
    CHECK_INT(s.value, 1000000); /* 1.05 → 1.0 */
}

TEST(o3_8h_validity)
{
    struct monitor_hour w[8];
    struct monitor_stat s;
    fill(w, 8, 6, 100);
    monitor_o3_8h_mean(w, &s);
    CHECK(s.valid);
    CHECK_INT(s.value, MONITOR_DEC(100));
    fill(w, 8, 5, 100);
    monitor_o3_8h_mean(w, &s);
    CHECK(!s.valid);
}

TEST(o3_mda8)
{
    struct monitor_hour h[24];
    struct monitor_stat s;
    for (int i = 0; i < 24; i++) {
        h[i].valid = true;
        h[i].value = MONITOR_DEC(i < 12 ? 100 : 180);
    }
    monitor_o3_mda8(h, MONITOR_DEC(160), &s);
    CHECK(s.valid);
    CHECK_INT(s.n, 17);
    CHECK_INT(s.value, MONITOR_DEC(180));
    /* windows ending 08:00..24:00 only: the first window is hours 1..8 */
    for (int i = 0; i < 24; i++)
        h[i].value = MONITOR_DEC(i < 8 ? 200 : 50);
    monitor_o3_mda8(h, MONITOR_DEC(160), &s);
    CHECK_INT(s.value, MONITOR_DEC(200));
    /* 13 valid windows: invalid unless above the limit. Hours 0..11 missing →
     * windows ending 18..24 have 8 valid hours, ending 16, 17 have 6, 7: 9 windows valid */
    for (int i = 0; i < 24; i++) {
        h[i].valid = i >= 10;
        h[i].value = MONITOR_DEC(100);
    }
    monitor_o3_mda8(h, MONITOR_DEC(160), &s);
    CHECK_INT(s.n, 9);
    CHECK(!s.valid);
    for (int i = 0; i < 24; i++)
        h[i].value = MONITOR_DEC(170);
    monitor_o3_mda8(h, MONITOR_DEC(160), &s);
    CHECK(s.valid); /* 170 > 160 */
    /* exactly 14 valid windows: hours 1..5 missing → the windows ending 08:00 (3 valid
     * hours), 09:00 (4) and 10:00 (5) are invalid, those ending 11:00 .. 24:00 valid */
    for (int i = 0; i < 24; i++) {
        h[i].valid = i >= 5;
        h[i].value = MONITOR_DEC(100);
    }
    monitor_o3_mda8(h, MONITOR_DEC(160), &s);
    CHECK_INT(s.n, 14);
    CHECK(s.valid);
}

TEST(percentile_worked_examples)
{
    /* HJ 663-2013 附录A worked examples of the reference */
    const int64_t a[] = {MONITOR_DEC(3), MONITOR_DEC(4), MONITOR_DEC(8),
                         MONITOR_DEC(2), MONITOR_DEC(5), MONITOR_DEC(4)};
    CHECK_INT(monitor_percentile(a, 6, 90, 1), MONITOR_DEC_TENTHS(65));
    CHECK_INT(monitor_percentile(a, 6, 90, 0), MONITOR_DEC(6)); /* 6.5 → 6 (even) */
    int64_t b[20];
    for (int i = 0; i < 20; i++)
        b[19 - i] = MONITOR_DEC(10 * (i + 1));
    CHECK_INT(monitor_percentile(b, 20, 95, 1), MONITOR_DEC_TENTHS(1905));
    /* n = 11, p = 90: k = 10 exactly → X(10) */
    int64_t c[11];
    for (int i = 0; i < 11; i++)
        c[i] = MONITOR_DEC(i + 1);
    CHECK_INT(monitor_percentile(c, 11, 90, 0), MONITOR_DEC(10));
    /* n = 365, p = 95: k = 346.8 → X(346) + 0.8·(X(347) - X(346)) */
    int64_t d[365];
    for (int i = 0; i < 365; i++)
        d[364 - i] = MONITOR_DEC(10 * (i + 1));
    /* X(346) = 3460, X(347) = 3470 → 3460 + 0.8·10 */
    CHECK_INT(monitor_percentile(d, 365, 95, 0), MONITOR_DEC(3468));
    /* n = 1 and p = 100 */
    CHECK_INT(monitor_percentile(a, 1, 95, 0), MONITOR_DEC(3));
    CHECK_INT(monitor_percentile(a, 6, 100, 0), MONITOR_DEC(8));
    CHECK_INT(monitor_eval_percentile(MONITOR_SO2), 98);
    CHECK_INT(monitor_eval_percentile(MONITOR_NO2), 98);
    CHECK_INT(monitor_eval_percentile(MONITOR_PM10), 95);
    CHECK_INT(monitor_eval_percentile(MONITOR_PM2_5), 95);
    CHECK_INT(monitor_eval_percentile(MONITOR_CO), 95);
    CHECK_INT(monitor_eval_percentile(MONITOR_O3), 90);
}

static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

/* A year of daily values: per month `per` days (capped at the month length). */
static size_t year(struct monitor_day_value *d, int per, int feb, int value)
{
    size_t n = 0;
    for (int m = 1; m <= 12; m++) {
        int k = m == 2 ? feb : per;
        for (int i = 0; i < k && i < mdays[m - 1]; i++)
            d[n++] = (struct monitor_day_value){m, MONITOR_DEC(value)};
    }
    return n;
}

TEST(annual_validity)
{
    struct monitor_day_value d[366];
    size_t n = year(d, 27, 25, 30);
    CHECK_INT(n, 322);
    CHECK(!monitor_annual_valid(d, n)); /* 322 < 324 */
    n = year(d, 28, 25, 30);
    CHECK_INT(n, 333);
    CHECK(monitor_annual_valid(d, n));
    n = year(d, 28, 24, 30);
    CHECK(!monitor_annual_valid(d, n)); /* February 24 < 25 */
    n = year(d, 31, 28, 30);
    d[0].month = 2; /* January 30 */
    CHECK(monitor_annual_valid(d, n));
    for (int i = 0; i < 4; i++)
        d[i].month = 3; /* January 27 */
    CHECK(monitor_annual_valid(d, n));
    d[4].month = 3; /* January 26 */
    CHECK(!monitor_annual_valid(d, n));
}

TEST(limits)
{
    int64_t v;
    CHECK(monitor_grade2_limit(MONITOR_LIMITS_2012, MONITOR_PM2_5, MONITOR_AVG_ANNUAL, &v) == 0);
    CHECK_INT(v, MONITOR_DEC(35));
    CHECK(monitor_grade2_limit(MONITOR_LIMITS_2026_TRANSITION, MONITOR_PM2_5, MONITOR_AVG_ANNUAL,
                               &v) == 0);
    CHECK_INT(v, MONITOR_DEC(30));
    CHECK(monitor_grade2_limit(MONITOR_LIMITS_2026_FINAL, MONITOR_PM2_5, MONITOR_AVG_24H, &v) == 0);
    CHECK_INT(v, MONITOR_DEC(50));
    CHECK(monitor_grade2_limit(MONITOR_LIMITS_2026_TRANSITION, MONITOR_PM10, MONITOR_AVG_24H, &v) ==
          0);
    CHECK_INT(v, MONITOR_DEC(120));
    CHECK(monitor_grade2_limit(MONITOR_LIMITS_2012, MONITOR_PM10, MONITOR_AVG_ANNUAL, &v) == 0);
    CHECK_INT(v, MONITOR_DEC(70));
    CHECK(monitor_grade2_limit(MONITOR_LIMITS_2026_FINAL, MONITOR_SO2, MONITOR_AVG_ANNUAL, &v) ==
          0);
    CHECK_INT(v, MONITOR_DEC(20));
    CHECK(monitor_grade2_limit(MONITOR_LIMITS_2026_FINAL, MONITOR_NO2, MONITOR_AVG_24H, &v) == 0);
    CHECK_INT(v, MONITOR_DEC(50));
    CHECK(monitor_grade2_limit(MONITOR_LIMITS_2012, MONITOR_CO, MONITOR_AVG_24H, &v) == 0);
    CHECK_INT(v, MONITOR_DEC(4));
    CHECK(monitor_grade2_limit(MONITOR_LIMITS_2012, MONITOR_O3, MONITOR_AVG_8H, &v) == 0);
    CHECK_INT(v, MONITOR_DEC(160));
    CHECK(monitor_grade2_limit(MONITOR_LIMITS_2012, MONITOR_CO, MONITOR_AVG_ANNUAL, &v) == -1);
    CHECK(monitor_grade2_limit(MONITOR_LIMITS_2012, MONITOR_O3, MONITOR_AVG_ANNUAL, &v) == -1);
    CHECK_INT(monitor_limit_set_for_date(2026, 2, 28), MONITOR_LIMITS_2012);
    CHECK_INT(monitor_limit_set_for_date(2026, 3, 1), MONITOR_LIMITS_2026_TRANSITION);
    CHECK_INT(monitor_limit_set_for_date(2030, 12, 31), MONITOR_LIMITS_2026_TRANSITION);
    CHECK_INT(monitor_limit_set_for_date(2031, 1, 1), MONITOR_LIMITS_2026_FINAL);
    CHECK_INT(monitor_limit_set_for_date(2026, 1, 1), MONITOR_LIMITS_2012); /* U1 */
}

TEST(annual_compliance)
{
    struct monitor_day_value d[366];
    struct monitor_annual_eval ev[MONITOR_POLLUTANT_COUNT];
    struct app_error err;
    size_t n = year(d, 31, 28, 30);
    CHECK_INT(n, 365);
    /* PM2.5 mean 30: complies with 2012 (35) and the 2026 transition (30), not final (25) */
    CHECK(monitor_annual_evaluate(MONITOR_LIMITS_2012, MONITOR_PM2_5, d, n, &ev[0], &err) == 0);
    CHECK(ev[0].valid && ev[0].complies && ev[0].has_mean);
    CHECK_INT(ev[0].mean, MONITOR_DEC(30));
    CHECK_INT(ev[0].percentile, 95);
    CHECK(monitor_annual_evaluate(MONITOR_LIMITS_2026_TRANSITION, MONITOR_PM2_5, d, n, &ev[0],
                                  &err) == 0);
    CHECK(ev[0].complies);
    CHECK(monitor_annual_evaluate(MONITOR_LIMITS_2026_FINAL, MONITOR_PM2_5, d, n, &ev[0], &err) ==
          0);
    CHECK(!ev[0].complies);
    /* the 95th percentile above 75 fails 2012 though the mean complies: 20 days at 100 of 365
     * → X(346) = X(347) = 100 */
    for (int i = 0; i < 20; i++)
        d[i].value = MONITOR_DEC(100);
    CHECK(monitor_annual_evaluate(MONITOR_LIMITS_2012, MONITOR_PM2_5, d, n, &ev[0], &err) == 0);
    CHECK_INT(ev[0].mean, MONITOR_DEC(34)); /* (345·30 + 20·100)/365 = 33.84 → 34 */
    CHECK_INT(ev[0].pct_value, MONITOR_DEC(100));
    CHECK(!ev[0].complies);
    /* 19 days at 100: X(346) = 30, X(347) = 100 → 30 + 0.8·70 = 86 */
    d[19].value = MONITOR_DEC(30);
    CHECK(monitor_annual_evaluate(MONITOR_LIMITS_2012, MONITOR_PM2_5, d, n, &ev[0], &err) == 0);
    CHECK_INT(ev[0].pct_value, MONITOR_DEC(86));
    CHECK(!ev[0].complies);
    /* 18 days at 100: X(346) = X(347) = 30 */
    d[18].value = MONITOR_DEC(30);
    CHECK(monitor_annual_evaluate(MONITOR_LIMITS_2012, MONITOR_PM2_5, d, n, &ev[0], &err) == 0);
    CHECK_INT(ev[0].pct_value, MONITOR_DEC(30));
    CHECK_INT(ev[0].mean, MONITOR_DEC(33)); /* 33.45 → 33 */
    CHECK(ev[0].complies);
    /* too few days: not valid, never compliant */
    CHECK(monitor_annual_evaluate(MONITOR_LIMITS_2012, MONITOR_PM2_5, d, 300, &ev[0], &err) == 0);
    CHECK(!ev[0].valid && !ev[0].complies);
    CHECK(monitor_annual_evaluate(MONITOR_LIMITS_2012, MONITOR_PM2_5, d, 0, &ev[0], &err) == -1);
    /* six parameters */
    n = year(d, 31, 28, 1);
    for (int p = 0; p < MONITOR_POLLUTANT_COUNT; p++)
        CHECK(monitor_annual_evaluate(MONITOR_LIMITS_2012, p, d, n, &ev[p], &err) == 0);
    CHECK(monitor_six_comply(ev));
    CHECK(!ev[MONITOR_CO].has_mean && !ev[MONITOR_O3].has_mean);
    for (size_t i = 0; i < n; i++)
        d[i].value = MONITOR_DEC(161);
    CHECK(monitor_annual_evaluate(MONITOR_LIMITS_2012, MONITOR_O3, d, n, &ev[MONITOR_O3], &err) ==
          0);
    CHECK(!ev[MONITOR_O3].complies);
    CHECK(!monitor_six_comply(ev));
}

TEST(good_days_and_yoy)
{
    CHECK_INT(monitor_good_day_share(27, 29), 931); /* 婺源 2023-09: 93.1 % */
    CHECK_INT(monitor_good_day_share(0, 0), -1);
    CHECK_INT(monitor_good_day_share(365, 365), 1000);
    CHECK_INT(monitor_good_day_share(1, 8), 125);  /* 12.5 exactly */
    CHECK_INT(monitor_good_day_share(1, 16), 62);  /* 6.25 → 6.2 (even) */
    CHECK_INT(monitor_good_day_share(3, 16), 188); /* 18.75 → 18.8 (even) */
    int64_t ch;
    CHECK(monitor_yoy_change(MONITOR_DEC(35), MONITOR_DEC(32), &ch) == 0);
    CHECK_INT(ch, -86); /* -8.571 % */
    CHECK(monitor_yoy_change(MONITOR_DEC(40), MONITOR_DEC(41), &ch) == 0);
    CHECK_INT(ch, 25);
    CHECK(monitor_yoy_change(0, MONITOR_DEC(41), &ch) == -1);
}

TEST_SUITE({"daily_mean_validity", daily_mean_validity}, {"o3_8h_validity", o3_8h_validity},
           {"o3_mda8", o3_mda8}, {"percentile_worked_examples", percentile_worked_examples},
           {"annual_validity", annual_validity}, {"limits", limits},
           {"annual_compliance", annual_compliance}, {"good_days_and_yoy", good_days_and_yoy});
