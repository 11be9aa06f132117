/* Conformance tests of the HJ 633-2012 / HJ 633-2026 AQI rules: every breakpoint of both
 * editions, rounding at the boundaries, the special rules, report sets and the edition switch. */
#include <stdint.h>
#include <string.h>

#include "monitor/aqi.h"
#include "monitor/dec.h"
#include "test.h"


static int64_t dec(const char *s)
{
    int64_t v = 0;
    struct app_error err;
    CHECK(monitor_dec_parse(s, &v, "v", &err) == 0);
    return v;
}

/* IAQI, or -1 when not computed, or 1000 + 500 when over range */
static int iaqi(enum monitor_edition ed, enum monitor_indicator ind, const char *c)
{
    struct monitor_iaqi v;
    struct app_error err;
    CHECK(monitor_iaqi(ed, ind, dec(c), &v, &err) == 0);
    if (!v.computed)
        return -1;
    return v.over_range ? 1000 + v.value : v.value;
}

static const int rows[8] = {0, 50, 100, 150, 200, 300, 400, 500};

/* Transcribed from the reference: HJ 633-2012 表1 (and 2026 表3 where different). */
static const struct {
    enum monitor_indicator ind;
    int n;
    int bp2012[8];
    int bp2026[8];
} columns[] = {
    {MONITOR_SO2_24H,
     8,
     {0, 50, 150, 475, 800, 1600, 2100, 2620},
     {0, 50, 150, 475, 800, 1600, 2100, 2620}},
    {MONITOR_SO2_1H, 5, {0, 150, 500, 650, 800}, {0, 150, 500, 650, 800}},
    {MONITOR_NO2_24H,
     8,
     {0, 40, 80, 180, 280, 565, 750, 940},
     {0, 40, 80, 180, 280, 565, 750, 940}},
    {MONITOR_NO2_1H,
     8,
     {0, 100, 200, 700, 1200, 2340, 3090, 3840},
     {0, 100, 200, 700, 1200, 2340, 3090, 3840}},
    {MONITOR_PM10_24H,
     8,
     {0, 50, 150, 250, 350, 420, 500, 600},
     {0, 50, 120, 250, 350, 420, 500, 600}},
    {MONITOR_PM10_1H,
     8,
     {0, 50, 150, 250, 350, 420, 500, 600},
     {0, 50, 120, 250, 350, 420, 500, 600}},
    {MONITOR_CO_24H, 8, {0, 2, 4, 14, 24, 36, 48, 60}, {0, 2, 4, 14, 24, 36, 48, 60}},
    {MONITOR_CO_1H, 8, {0, 5, 10, 35, 60, 90, 120, 150}, {0, 5, 10, 35, 60, 90, 120, 150}},
    {MONITOR_O3_1H,
     8,
     {0, 160, 200, 300, 400, 800, 1000, 1200},
     {0, 160, 200, 300, 400, 800, 1000, 1200}},
    {MONITOR_O3_8H, 6, {0, 100, 160, 215, 265, 800}, {0, 100, 160, 215, 265, 800}},
    {MONITOR_PM2_5_24H,
     8,
     {0, 35, 75, 115, 150, 250, 350, 500},
     {0, 35, 60, 115, 150, 250, 350, 500}},
    {MONITOR_PM2_5_1H,
     8,
     {0, 35, 75, 115, 150, 250, 350, 500},
     {0, 35, 60, 115, 150, 250, 350, 500}},
};

static int64_t ceil_div(int64_t a, int64_t b)
{
    return a / b + (a % b != 0);
}

TEST(every_breakpoint_gives_its_iaqi)
{
    struct app_error err;
    for (size_t k = 0; k < sizeof(columns) / sizeof(columns[0]); k++) {
        for (int e = 0; e < 2; e++) {
            enum monitor_edition ed = e ? MONITOR_EDITION_2026 : MONITOR_EDITION_2012;
            const int *bp = e ? columns[k].bp2026 : columns[k].bp2012;
            for (int i = 0; i < columns[k].n; i++) {
                struct monitor_iaqi v;
                CHECK(monitor_iaqi(ed, columns[k].ind, MONITOR_DEC(bp[i]), &v, &err) == 0);
                CHECK(v.computed && !v.over_range);
                if (v.value != rows[i])
                    fprintf(stderr, "    %s %d at %d\n", monitor_indicator_name(columns[k].ind), ed,
                            bp[i]);
                CHECK_INT(v.value, rows[i]);
            }
        }
    }
}

TEST(just_above_each_breakpoint)
{
    struct app_error err;
    for (size_t k = 0; k < sizeof(columns) / sizeof(columns[0]); k++) {
        bool co = columns[k].ind == MONITOR_CO_24H || columns[k].ind == MONITOR_CO_1H;
        for (int i = 0; i + 1 < columns[k].n; i++) {
            struct monitor_iaqi v;
            /* 2012: no concentration rounding, so one millionth above rounds the IAQI up */
            const int *bp = columns[k].bp2012;
            CHECK(monitor_iaqi(MONITOR_EDITION_2012, columns[k].ind, MONITOR_DEC(bp[i]) + 1, &v,
                               &err) == 0);
            CHECK_INT(v.value, rows[i] + 1);
            /* 2026: concentrations are first rounded to 1 µg/m³ (CO 0.1 mg/m³) */
            bp = columns[k].bp2026;
            int64_t step = co ? MONITOR_DEC_ONE / 10 : MONITOR_DEC_ONE;
            CHECK(monitor_iaqi(MONITOR_EDITION_2026, columns[k].ind,
                               MONITOR_DEC(bp[i]) + step * 4 / 10, &v, &err) == 0);
            CHECK_INT(v.value, rows[i]);
            CHECK(monitor_iaqi(MONITOR_EDITION_2026, columns[k].ind, MONITOR_DEC(bp[i]) + step, &v,
                               &err) == 0);
            int64_t width = MONITOR_DEC(bp[i + 1] - bp[i]);
            CHECK_INT(v.value, rows[i] + ceil_div((int64_t)(rows[i + 1] - rows[i]) * step, width));
        }
    }
}

/* Every 0.1 step of every 2012 column against an independent computation in tenths: the
 * reference counts 82-97 double-precision off-by-ones among these. */
TEST(no_floating_point_off_by_one_at_any_tenth)
{
    for (size_t k = 0; k < sizeof(columns) / sizeof(columns[0]); k++) {
        const int *bp = columns[k].bp2012;
        int top = bp[columns[k].n - 1] * 10;
        for (int t = 0; t <= top; t++) {
            int i = 0;
            while (i + 2 < columns[k].n && t > bp[i + 1] * 10)
                i++;
            int64_t want = rows[i] + ceil_div((int64_t)(rows[i + 1] - rows[i]) * (t - bp[i] * 10),
                                              (int64_t)(bp[i + 1] - bp[i]) * 10);
            struct monitor_iaqi v;
            struct app_error err;
            CHECK(monitor_iaqi(MONITOR_EDITION_2012, columns[k].ind,
                               (int64_t)t * (MONITOR_DEC_ONE / 10), &v, &err) == 0);
            if (v.value != want) {
                CHECK_INT(v.value, want);
                return;
            }
        }
    }
}

/* Vectors of the reference (§1.3, §7: HJ 633-2012 expected values). */
TEST(reference_vectors_2012)
{
    enum monitor_edition e = MONITOR_EDITION_2012;
    CHECK_INT(iaqi(e, MONITOR_CO_24H, "2.2"), 55);      /* 55.00000000000001 in double */
    CHECK_INT(iaqi(e, MONITOR_SO2_24H, "2120.8"), 404); /* 404.00000000000006 in double */
    CHECK_INT(iaqi(e, MONITOR_PM2_5_24H, "36"), 52);
    CHECK_INT(iaqi(e, MONITOR_O3_1H, "161"), 52);
    CHECK_INT(iaqi(e, MONITOR_CO_24H, "2.5"), 63);
    CHECK_INT(iaqi(e, MONITOR_CO_24H, "3.9"), 98);
    CHECK_INT(iaqi(e, MONITOR_PM2_5_24H, "35.4"), 51);
    CHECK_INT(iaqi(e, MONITOR_PM2_5_24H, "37"), 53); /* 52.5 → 53 */
    CHECK_INT(iaqi(e, MONITOR_PM2_5_24H, "76"), 102);
    CHECK_INT(iaqi(e, MONITOR_PM2_5_24H, "35.0"), 50); /* "35.0" is exactly 35 */
    CHECK_INT(iaqi(e, MONITOR_PM10_24H, "151"), 101);  /* 100.5 → 101 */
    CHECK_INT(iaqi(e, MONITOR_NO2_24H, "81"), 101);    /* 100.5 → 101 */
    CHECK_INT(iaqi(e, MONITOR_PM2_5_24H, "0"), 0);
}

TEST(concentration_rounding_2026)
{
    enum monitor_edition e = MONITOR_EDITION_2026;
    /* GB/T 8170 half to even before the IAQI (HJ 633-2026 4.2.2) */
    CHECK_INT(iaqi(e, MONITOR_PM2_5_24H, "35.5"), 52);   /* → 36 */
    CHECK_INT(iaqi(e, MONITOR_PM2_5_24H, "34.5"), 49);   /* → 34: 48.57 → 49 */
    CHECK_INT(iaqi(e, MONITOR_PM2_5_24H, "60.5"), 100);  /* → 60 */
    CHECK_INT(iaqi(e, MONITOR_PM2_5_24H, "60.51"), 101); /* → 61 */
    CHECK_INT(iaqi(e, MONITOR_PM2_5_24H, "61.5"), 102);  /* → 62: 101.8 → 102 */
    CHECK_INT(iaqi(e, MONITOR_CO_24H, "2.25"), 55);      /* → 2.2 */
    CHECK_INT(iaqi(e, MONITOR_CO_24H, "2.35"), 60);      /* → 2.4 */
    CHECK_INT(iaqi(e, MONITOR_PM10_24H, "120.4"), 100);
    CHECK_INT(iaqi(e, MONITOR_PM10_24H, "121"), 101); /* 100.38 → 101 */
    /* 2012 uses the value as given */
    CHECK_INT(iaqi(MONITOR_EDITION_2012, MONITOR_PM2_5_24H, "34.5"), 50); /* 49.29 → 50 */
    CHECK_INT(iaqi(MONITOR_EDITION_2012, MONITOR_CO_24H, "2.25"), 57);    /* 56.25 → 57 */
}

TEST(special_rules)
{
    /* SO2 1-h above 800 */
    CHECK_INT(iaqi(MONITOR_EDITION_2012, MONITOR_SO2_1H, "800"), 200);
    CHECK_INT(iaqi(MONITOR_EDITION_2012, MONITOR_SO2_1H, "800.000001"), -1);
    CHECK_INT(iaqi(MONITOR_EDITION_2012, MONITOR_SO2_1H, "5000"), -1);
    CHECK_INT(iaqi(MONITOR_EDITION_2026, MONITOR_SO2_1H, "801"), 200);
    CHECK_INT(iaqi(MONITOR_EDITION_2026, MONITOR_SO2_1H, "800.4"), 200);
    CHECK_INT(iaqi(MONITOR_EDITION_2026, MONITOR_SO2_1H, "9000"), 200);
    /* O3 8-h above 800 */
    CHECK_INT(iaqi(MONITOR_EDITION_2012, MONITOR_O3_8H, "800"), 300);
    CHECK_INT(iaqi(MONITOR_EDITION_2012, MONITOR_O3_8H, "801"), -1);
    CHECK_INT(iaqi(MONITOR_EDITION_2026, MONITOR_O3_8H, "801"), 300);
    CHECK_INT(iaqi(MONITOR_EDITION_2026, MONITOR_O3_8H, "5000"), 300);
    /* above the top breakpoint: 500, flagged, never extrapolated */
    CHECK_INT(iaqi(MONITOR_EDITION_2012, MONITOR_PM2_5_24H, "500"), 500);
    CHECK_INT(iaqi(MONITOR_EDITION_2012, MONITOR_PM2_5_24H, "500.000001"), 1500);
    CHECK_INT(iaqi(MONITOR_EDITION_2012, MONITOR_PM2_5_24H, "900"), 1500);
    CHECK_INT(iaqi(MONITOR_EDITION_2026, MONITOR_PM2_5_24H, "500.5"), 500); /* → 500 */
    CHECK_INT(iaqi(MONITOR_EDITION_2026, MONITOR_PM2_5_24H, "501"), 1500);
    CHECK_INT(iaqi(MONITOR_EDITION_2012, MONITOR_CO_1H, "150.1"), 1500);
    CHECK_INT(iaqi(MONITOR_EDITION_2012, MONITOR_O3_1H, "1201"), 1500);

    struct monitor_iaqi v;
    struct app_error err;
    CHECK(monitor_iaqi(MONITOR_EDITION_2012, MONITOR_PM10_24H, -1, &v, &err) == -1);
    CHECK_INT(err.code, APP_ERR_INVALID);
    CHECK_STR(err.field, "PM10_24H");
}

static struct monitor_aqi_result run(enum monitor_edition ed, enum monitor_aqi_report r,
                                     enum monitor_hourly_method m, const char *const *pairs)
{
    struct monitor_aqi_input in;
    struct monitor_aqi_result res;
    struct app_error err;
    memset(&in, 0, sizeof(in));
    for (; *pairs; pairs += 2) {
        enum monitor_indicator ind;
        CHECK(monitor_indicator_parse(pairs[0], &ind) == 0);
        monitor_aqi_input_set(&in, ind, dec(pairs[1]));
    }
    CHECK(monitor_aqi(ed, r, m, &in, &res, &err) == 0);
    return res;
}

#define P(p) (1u << (p))

TEST(hourly_so2_fallback)
{
    const char *const a[] = {"SO2_1H", "900", "SO2_24H", "300", "PM2_5_1H", "30", NULL};
    struct monitor_aqi_result r =
        run(MONITOR_EDITION_2012, MONITOR_REPORT_HOURLY, MONITOR_HOURLY_PUBLISHED, a);
    CHECK(!r.iaqi[MONITOR_SO2_1H].computed);
    CHECK_INT(r.iaqi[MONITOR_SO2_24H].value, 124);
    CHECK_INT(r.aqi, 124);
    CHECK_INT(r.primary, P(MONITOR_SO2));
    CHECK_INT(r.exceeding, P(MONITOR_SO2));
    /* without the 24-h mean, SO2 is missing */
    const char *const b[] = {"SO2_1H", "900", "PM2_5_1H", "30", NULL};
    r = run(MONITOR_EDITION_2012, MONITOR_REPORT_HOURLY, MONITOR_HOURLY_PUBLISHED, b);
    CHECK_INT(r.aqi, 43);
    CHECK(!r.complete);
    CHECK_INT(r.primary, 0);
    /* 2026 counts 200 */
    r = run(MONITOR_EDITION_2026, MONITOR_REPORT_HOURLY, MONITOR_HOURLY_PUBLISHED, a);
    CHECK_INT(r.iaqi[MONITOR_SO2_1H].value, 200);
    CHECK(!r.iaqi[MONITOR_SO2_24H].computed);
    CHECK_INT(r.aqi, 200);
}

TEST(daily_o3_rule_and_sets)
{
    const char *const a[] = {"O3_8H", "900", "O3_1H", "300", "PM2_5_24H", "76", NULL};
    struct monitor_aqi_result r =
        run(MONITOR_EDITION_2012, MONITOR_REPORT_DAILY, MONITOR_HOURLY_PUBLISHED, a);
    CHECK(!r.iaqi[MONITOR_O3_8H].computed);
    CHECK_INT(r.iaqi[MONITOR_O3_1H].value, 150);
    CHECK_INT(r.aqi, 150);
    CHECK_INT(r.primary, P(MONITOR_O3));
    CHECK_INT(r.edition, MONITOR_EDITION_2012);
    /* 2026 daily: O3 8-h counted as 300, O3 1-h is not a daily indicator */
    r = run(MONITOR_EDITION_2026, MONITOR_REPORT_DAILY, MONITOR_HOURLY_PUBLISHED, a);
    CHECK_INT(r.iaqi[MONITOR_O3_8H].value, 300);
    CHECK(!r.iaqi[MONITOR_O3_1H].computed);
    CHECK_INT(r.aqi, 300);
    CHECK_INT(r.level, 5);
    CHECK_INT(r.exceeding, 0); /* 超标污染物 deleted in 2026 */
    CHECK_INT(r.edition, MONITOR_EDITION_2026);
}

TEST(hourly_methods_2012)
{
    /* PM 1-h on the 24-h breakpoints (published) vs 24-h moving means and O3 8-h (表4) */
    const char *const a[] = {
        "SO2_1H",  "10", "NO2_1H",   "40", "CO_1H",    "0.8", "O3_1H",     "180", "O3_8H", "170",
        "PM10_1H", "60", "PM10_24H", "90", "PM2_5_1H", "40",  "PM2_5_24H", "70",  NULL};
    struct monitor_aqi_result r =
        run(MONITOR_EDITION_2012, MONITOR_REPORT_HOURLY, MONITOR_HOURLY_PUBLISHED, a);
    CHECK_INT(r.aqi, 75); /* O3 1-h 180: 75 */
    CHECK_INT(r.primary, P(MONITOR_O3));
    CHECK(!r.iaqi[MONITOR_O3_8H].computed);
    CHECK(!r.iaqi[MONITOR_PM2_5_24H].computed);
    CHECK_INT(r.iaqi[MONITOR_PM2_5_1H].value, 57);
    CHECK(r.complete);
    r = run(MONITOR_EDITION_2012, MONITOR_REPORT_HOURLY, MONITOR_HOURLY_TABLE4, a);
    CHECK_INT(r.iaqi[MONITOR_O3_8H].value, 110); /* 170: 100 + 50·10/55 = 109.1 → 110 */
    CHECK_INT(r.iaqi[MONITOR_PM2_5_24H].value, 94);
    CHECK(!r.iaqi[MONITOR_PM2_5_1H].computed);
    CHECK_INT(r.aqi, 110);
    CHECK_INT(r.primary, P(MONITOR_O3));
    /* 2026 hourly = the published method with 2026 PM breakpoints; method is ignored */
    r = run(MONITOR_EDITION_2026, MONITOR_REPORT_HOURLY, MONITOR_HOURLY_TABLE4, a);
    CHECK(!r.iaqi[MONITOR_O3_8H].computed);
    CHECK_INT(r.iaqi[MONITOR_PM2_5_1H].value, 60); /* 50 + 50·5/25 */
    CHECK_INT(r.aqi, 75);
}

TEST(primary_pollutant_rules)
{
    /* AQI <= 50: no primary pollutant */
    const char *const a[] = {"PM2_5_24H", "35", "PM10_24H", "50", NULL};
    struct monitor_aqi_result r =
        run(MONITOR_EDITION_2012, MONITOR_REPORT_DAILY, MONITOR_HOURLY_PUBLISHED, a);
    CHECK_INT(r.aqi, 50);
    CHECK_INT(r.primary, 0);
    /* ties: all listed */
    const char *const b[] = {"PM2_5_24H", "75", "PM10_24H", "150", "NO2_24H", "20", NULL};
    r = run(MONITOR_EDITION_2012, MONITOR_REPORT_DAILY, MONITOR_HOURLY_PUBLISHED, b);
    CHECK_INT(r.aqi, 100);
    CHECK_INT(r.primary, P(MONITOR_PM2_5) | P(MONITOR_PM10));
    CHECK_INT(r.exceeding, 0); /* > 100 only */
    /* O3 1-h and 8-h tie: O3 once */
    const char *const c[] = {"O3_1H", "200", "O3_8H", "160", NULL};
    r = run(MONITOR_EDITION_2012, MONITOR_REPORT_DAILY, MONITOR_HOURLY_PUBLISHED, c);
    CHECK_INT(r.aqi, 100);
    CHECK_INT(r.primary, P(MONITOR_O3));
    CHECK_STR(monitor_pollutant_name(MONITOR_PM2_5), "PM2.5");
    /* a day in full */
    const char *const d[] = {"SO2_24H", "8",   "NO2_24H", "45", "PM10_24H",  "151", "CO_24H", "1.1",
                             "O3_1H",   "100", "O3_8H",   "90", "PM2_5_24H", "116", NULL};
    r = run(MONITOR_EDITION_2012, MONITOR_REPORT_DAILY, MONITOR_HOURLY_PUBLISHED, d);
    CHECK_INT(r.aqi, 152); /* PM2.5 116: 150 + 50/35 = 151.4 → 152 */
    CHECK_INT(r.primary, P(MONITOR_PM2_5));
    CHECK_INT(r.exceeding, P(MONITOR_PM2_5) | P(MONITOR_PM10));
    CHECK_INT(r.level, 4);
    CHECK(r.complete && r.publishable);
}

TEST(missing_data_2026)
{
    /* HJ 633-2026 5.3.1: incomplete reports are published only when AQI > 100 */
    const char *const a[] = {"PM2_5_24H", "50", NULL};
    struct monitor_aqi_result r =
        run(MONITOR_EDITION_2026, MONITOR_REPORT_DAILY, MONITOR_HOURLY_PUBLISHED, a);
    CHECK(r.has_aqi && !r.complete && !r.publishable);
    const char *const b[] = {"PM2_5_24H", "61", NULL};
    r = run(MONITOR_EDITION_2026, MONITOR_REPORT_DAILY, MONITOR_HOURLY_PUBLISHED, b);
    CHECK_INT(r.aqi, 101);
    CHECK(r.publishable);
    /* U8: all zero gives 0, not clamped */
    const char *const c[] = {"SO2_24H", "0",     "NO2_24H", "0",         "PM10_24H", "0", "CO_24H",
                             "0",       "O3_8H", "0",       "PM2_5_24H", "0.4",      NULL};
    r = run(MONITOR_EDITION_2026, MONITOR_REPORT_DAILY, MONITOR_HOURLY_PUBLISHED, c);
    CHECK_INT(r.aqi, 0);
    CHECK(r.complete && r.publishable);
    struct monitor_aqi_input in;
    struct app_error err;
    memset(&in, 0, sizeof(in));
    const struct monitor_aqi_result none =
        run(MONITOR_EDITION_2026, MONITOR_REPORT_DAILY, MONITOR_HOURLY_PUBLISHED,
            (const char *const[]){NULL});
    CHECK(!none.has_aqi && !none.publishable && none.level == 0);
    monitor_aqi_input_set(&in, MONITOR_SO2_1H, -5); /* negative, even if unused */
    CHECK(monitor_aqi(MONITOR_EDITION_2026, MONITOR_REPORT_DAILY, MONITOR_HOURLY_PUBLISHED, &in, &r,
                      &err) == -1);
    CHECK_STR(err.field, "SO2_1H");
}

TEST(over_range_aqi)
{
    const char *const a[] = {"PM2_5_24H", "650", "PM10_24H", "100", NULL};
    struct monitor_aqi_result r =
        run(MONITOR_EDITION_2012, MONITOR_REPORT_DAILY, MONITOR_HOURLY_PUBLISHED, a);
    CHECK_INT(r.aqi, 500);
    CHECK_INT(r.over_range, 1u << MONITOR_PM2_5_24H);
    CHECK_INT(r.level, 6);
}

TEST(levels_categories_colours)
{
    static const struct {
        int aqi, level;
        const char *name, *cat, *color;
    } t[] = {
        {0, 1, "一级", "优", "#00E400"},         {50, 1, "一级", "优", "#00E400"},
        {51, 2, "二级", "良", "#FFFF00"},        {100, 2, "二级", "良", "#FFFF00"},
        {101, 3, "三级", "轻度污染", "#FF7E00"}, {150, 3, "三级", "轻度污染", "#FF7E00"},
        {151, 4, "四级", "中度污染", "#FF0000"}, {200, 4, "四级", "中度污染", "#FF0000"},
        {201, 5, "五级", "重度污染", "#99004C"}, {300, 5, "五级", "重度污染", "#99004C"},
        {301, 6, "六级", "严重污染", "#7E0023"}, {500, 6, "六级", "严重污染", "#7E0023"},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        const struct monitor_aqi_level *l = monitor_aqi_level_of(t[i].aqi);
        CHECK_INT(l->level, t[i].level);
        CHECK_STR(l->name, t[i].name);
        CHECK_STR(l->category, t[i].cat);
        CHECK_STR(l->color, t[i].color);
    }
}

TEST(edition_switch)
{
    CHECK_INT(monitor_edition_for_date(2026, 2, 28), MONITOR_EDITION_2012);
    CHECK_INT(monitor_edition_for_date(2026, 3, 1), MONITOR_EDITION_2026);
    CHECK_INT(monitor_edition_for_date(2025, 12, 31), MONITOR_EDITION_2012);
    CHECK_INT(monitor_edition_for_date(2027, 1, 1), MONITOR_EDITION_2026);
    /* 2026-03-01 00:00 Beijing = 2026-02-28T16:00:00Z */
    CHECK_INT(monitor_edition_for_time(INT64_C(1772294399)), MONITOR_EDITION_2012);
    CHECK_INT(monitor_edition_for_time(INT64_C(1772294400)), MONITOR_EDITION_2026);
    /* the same PM2.5 day mean of 70 either side of the switch */
    CHECK_INT(iaqi(monitor_edition_for_date(2026, 2, 28), MONITOR_PM2_5_24H, "70"), 94);
    CHECK_INT(iaqi(monitor_edition_for_date(2026, 3, 1), MONITOR_PM2_5_24H, "70"), 110);
}

TEST(indicator_names)
{
    enum monitor_indicator ind;
    for (int i = 0; i < MONITOR_INDICATOR_COUNT; i++) {
        CHECK(monitor_indicator_parse(monitor_indicator_name(i), &ind) == 0);
        CHECK_INT(ind, i);
    }
    CHECK(monitor_indicator_parse("PM2.5_24H", &ind) == -1);
    CHECK(monitor_indicator_parse("so2_1h", &ind) == -1);
    CHECK_INT(monitor_indicator_pollutant(MONITOR_PM2_5_1H), MONITOR_PM2_5);
}

TEST_SUITE({"every_breakpoint_gives_its_iaqi", every_breakpoint_gives_its_iaqi},
           {"just_above_each_breakpoint", just_above_each_breakpoint},
           {"no_floating_point_off_by_one_at_any_tenth", no_floating_point_off_by_one_at_any_tenth},
           {"reference_vectors_2012", reference_vectors_2012},
           {"concentration_rounding_2026", concentration_rounding_2026},
           {"special_rules", special_rules}, {"hourly_so2_fallback", hourly_so2_fallback},
           {"daily_o3_rule_and_sets", daily_o3_rule_and_sets},
           {"hourly_methods_2012", hourly_methods_2012},
           {"primary_pollutant_rules", primary_pollutant_rules},
           {"missing_data_2026", missing_data_2026}, {"over_range_aqi", over_range_aqi},
           {"levels_categories_colours", levels_categories_colours},
           {"edition_switch", edition_switch}, {"indicator_names", indicator_names});
