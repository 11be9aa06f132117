/* HJ 633 AQI: the breakpoint tables of the 2012 and 2026 editions and the exact integer
 * interpolation, report indicator sets, primary pollutants and levels (see aqi.h). */
#include "monitor/aqi.h"

#include <assert.h>
#include <string.h>

#include "monitor/dec.h"

/* Breakpoint columns of HJ 633-2012 表1 / HJ 633-2026 表3. */
enum column {
    COL_SO2_24H,
    COL_SO2_1H,
    COL_NO2_24H,
    COL_NO2_1H,
    COL_PM10_24H,
    COL_CO_24H,
    COL_CO_1H,
    COL_O3_1H,
    COL_O3_8H,
    COL_PM2_5_24H,
    COL_COUNT
};

struct bp_column {
    int rows;  /* rows defined from IAQI 0 upward */
    int bp[8]; /* concentration at IAQI 0,50,100,150,200,300,400,500 (µg/m³; CO mg/m³) */
};

static const int iaqi_rows[8] = {0, 50, 100, 150, 200, 300, 400, 500};

/* HJ 633-2012 表1. SO2 1-h stops at 800 (note 2), O3 8-h at 800 (note 3). */
static const struct bp_column table_2012[COL_COUNT] = {
    [COL_SO2_24H] = {8, {0, 50, 150, 475, 800, 1600, 2100, 2620}},
    [COL_SO2_1H] = {5, {0, 150, 500, 650, 800}},
    [COL_NO2_24H] = {8, {0, 40, 80, 180, 280, 565, 750, 940}},
    [COL_NO2_1H] = {8, {0, 100, 200, 700, 1200, 2340, 3090, 3840}},
    [COL_PM10_24H] = {8, {0, 50, 150, 250, 350, 420, 500, 600}},
    [COL_CO_24H] = {8, {0, 2, 4, 14, 24, 36, 48, 60}},
    [COL_CO_1H] = {8, {0, 5, 10, 35, 60, 90, 120, 150}},
    [COL_O3_1H] = {8, {0, 160, 200, 300, 400, 800, 1000, 1200}},
    [COL_O3_8H] = {6, {0, 100, 160, 215, 265, 800}},
    [COL_PM2_5_24H] = {8, {0, 35, 75, 115, 150, 250, 350, 500}},
};

/* HJ 633-2026 表3: only the PM10 and PM2.5 columns changed (IAQI 100 at 120 and 60). */
static const struct bp_column table_2026[COL_COUNT] = {
    [COL_SO2_24H] = {8, {0, 50, 150, 475, 800, 1600, 2100, 2620}},
    [COL_SO2_1H] = {5, {0, 150, 500, 650, 800}},
    [COL_NO2_24H] = {8, {0, 40, 80, 180, 280, 565, 750, 940}},
    [COL_NO2_1H] = {8, {0, 100, 200, 700, 1200, 2340, 3090, 3840}},
    [COL_PM10_24H] = {8, {0, 50, 120, 250, 350, 420, 500, 600}},
    [COL_CO_24H] = {8, {0, 2, 4, 14, 24, 36, 48, 60}},
    [COL_CO_1H] = {8, {0, 5, 10, 35, 60, 90, 120, 150}},
    [COL_O3_1H] = {8, {0, 160, 200, 300, 400, 800, 1000, 1200}},
    [COL_O3_8H] = {6, {0, 100, 160, 215, 265, 800}},
    [COL_PM2_5_24H] = {8, {0, 35, 60, 115, 150, 250, 350, 500}},
};

static const struct {
    const char *name;
    enum monitor_pollutant pollutant;
    enum column column; /* PM 1-h values use the 24-h breakpoints (HJ 633-2026 4.2.4) */
} indicators[MONITOR_INDICATOR_COUNT] = {
    [MONITOR_SO2_24H] = {"SO2_24H", MONITOR_SO2, COL_SO2_24H},
    [MONITOR_SO2_1H] = {"SO2_1H", MONITOR_SO2, COL_SO2_1H},
    [MONITOR_NO2_24H] = {"NO2_24H", MONITOR_NO2, COL_NO2_24H},
    [MONITOR_NO2_1H] = {"NO2_1H", MONITOR_NO2, COL_NO2_1H},
    [MONITOR_PM10_24H] = {"PM10_24H", MONITOR_PM10, COL_PM10_24H},
    [MONITOR_PM10_1H] = {"PM10_1H", MONITOR_PM10, COL_PM10_24H},
    [MONITOR_CO_24H] = {"CO_24H", MONITOR_CO, COL_CO_24H},
    [MONITOR_CO_1H] = {"CO_1H", MONITOR_CO, COL_CO_1H},
    [MONITOR_O3_1H] = {"O3_1H", MONITOR_O3, COL_O3_1H},
    [MONITOR_O3_8H] = {"O3_8H", MONITOR_O3, COL_O3_8H},
    [MONITOR_PM2_5_24H] = {"PM2_5_24H", MONITOR_PM2_5, COL_PM2_5_24H},
    [MONITOR_PM2_5_1H] = {"PM2_5_1H", MONITOR_PM2_5, COL_PM2_5_24H},
};

static const char *const pollutant_names[MONITOR_POLLUTANT_COUNT] = {
    [MONITOR_SO2] = "SO2", [MONITOR_NO2] = "NO2", [MONITOR_PM10] = "PM10",
    [MONITOR_CO] = "CO",   [MONITOR_O3] = "O3",   [MONITOR_PM2_5] = "PM2.5",
};

const char *monitor_indicator_name(enum monitor_indicator ind)
{
    assert((unsigned)ind < MONITOR_INDICATOR_COUNT);
    return indicators[ind].name;
}

int monitor_indicator_parse(const char *name, enum monitor_indicator *out)
{
    for (int i = 0; i < MONITOR_INDICATOR_COUNT; i++) {
        if (strcmp(name, indicators[i].name) == 0) {
            *out = (enum monitor_indicator)i;
            return 0;
        }
    }
    return -1;
}

enum monitor_pollutant monitor_indicator_pollutant(enum monitor_indicator ind)
{
    assert((unsigned)ind < MONITOR_INDICATOR_COUNT);
    return indicators[ind].pollutant;
}

const char *monitor_pollutant_name(enum monitor_pollutant p)
{
    assert((unsigned)p < MONITOR_POLLUTANT_COUNT);
    return pollutant_names[p];
}

enum monitor_edition monitor_edition_for_date(int year, int month, int day)
{
    /* HJ 633-2026 / GB 3095-2026 in force from 2026-03-01 */
    long key = (long)year * 10000 + month * 100 + day;
    return key >= 20260301L ? MONITOR_EDITION_2026 : MONITOR_EDITION_2012;
}

enum monitor_edition monitor_edition_for_time(int64_t unix_seconds)
{
    /* 2026-03-01 00:00 +08:00 */
    return unix_seconds >= INT64_C(1772294400) ? MONITOR_EDITION_2026 : MONITOR_EDITION_2012;
}

/* 式1 with HJ 633-2012 6.2 / HJ 633-2026 4.2.6 "全部向上进位取整数", exactly on integers:
 * IAQI = IAQI_Lo + ceil((IAQI_Hi - IAQI_Lo) * (C - BP_Lo) / (BP_Hi - BP_Lo)). */
static void interpolate(const struct bp_column *col, int64_t c, struct monitor_iaqi *out)
{
    out->computed = true;
    out->over_range = false;
    if (c > MONITOR_DEC(col->bp[col->rows - 1])) {
        /* Above the top breakpoint: undefined by HJ 633 (U6); report 500, flagged, never
         * extrapolated. Only full columns get here; the SO2 1-h and O3 8-h columns are cut at
         * 800 by their own notes, handled before. */
        out->over_range = true;
        out->value = 500;
        return;
    }
    for (int i = 0; i + 1 < col->rows; i++) {
        int64_t lo = MONITOR_DEC(col->bp[i]), hi = MONITOR_DEC(col->bp[i + 1]);
        if (c <= hi) {
            /* the formula is continuous: at c == hi both segments give iaqi_rows[i + 1] */
            out->value = iaqi_rows[i] + (int)monitor_dec_ceil_div(
                                            (iaqi_rows[i + 1] - iaqi_rows[i]) * (c - lo), hi - lo);
            return;
        }
    }
    assert(0 && "unreachable");
}

int monitor_iaqi(enum monitor_edition ed, enum monitor_indicator ind, int64_t c,
                 struct monitor_iaqi *out, struct app_error *err)
{
    assert((unsigned)ind < MONITOR_INDICATOR_COUNT);
    memset(out, 0, sizeof(*out));
    if (c < 0)
        return app_fail(err, APP_ERR_INVALID, "negative_value", indicators[ind].name,
                        "%s: a concentration cannot be negative", indicators[ind].name);
    const struct bp_column *table = ed == MONITOR_EDITION_2026 ? table_2026 : table_2012;
    if (ed == MONITOR_EDITION_2026) {
        /* HJ 633-2026 4.2.2: concentrations rounded per GB/T 8170 to whole µg/m³, CO to
         * 0.1 mg/m³, before the IAQI. HJ 633-2012 states no such rounding (reference §1.3): a
         * 2012 value is used exactly as supplied (published data are integers, CO 0.1). */
        bool co = indicators[ind].pollutant == MONITOR_CO;
        c = monitor_dec_round(c, co ? 1 : 0);
    }
    if (ind == MONITOR_SO2_1H && c > MONITOR_DEC(800)) {
        if (ed == MONITOR_EDITION_2026) {
            out->computed = true; /* HJ 633-2026 表3 note b: counted as 200 */
            out->value = 200;
        }
        /* HJ 633-2012 表1 note 2: no IAQI from SO2 1-h; the SO2 24-h IAQI is reported */
        return 0;
    }
    if (ind == MONITOR_O3_8H && c > MONITOR_DEC(800)) {
        if (ed == MONITOR_EDITION_2026) {
            out->computed = true; /* HJ 633-2026 表3 note c: counted as 300 */
            out->value = 300;
        }
        /* HJ 633-2012 表1 note 3: no IAQI from O3 8-h; O3 is reported from its 1-h IAQI */
        return 0;
    }
    interpolate(&table[indicators[ind].column], c, out);
    return 0;
}

void monitor_aqi_input_set(struct monitor_aqi_input *in, enum monitor_indicator ind, int64_t c)
{
    assert((unsigned)ind < MONITOR_INDICATOR_COUNT);
    in->has[ind] = true;
    in->conc[ind] = c;
}

/* Indicator sets of each report, terminated by -1. */
static const int set_daily_2012[] = {
    MONITOR_SO2_24H, MONITOR_NO2_24H, MONITOR_PM10_24H,  MONITOR_CO_24H,
    MONITOR_O3_1H,   MONITOR_O3_8H,   MONITOR_PM2_5_24H, -1}; /* HJ 633-2012 5.1.2 */
static const int set_daily_2026[] = {MONITOR_SO2_24H,
                                     MONITOR_NO2_24H,
                                     MONITOR_PM10_24H,
                                     MONITOR_CO_24H,
                                     MONITOR_O3_8H,
                                     MONITOR_PM2_5_24H,
                                     -1}; /* HJ 633-2026 4.2.2 */
/* HJ 633-2026 4.2.3-4.2.4, and the 2012 national-network practice (reference §1.4, U7) */
static const int set_hourly_1h[] = {MONITOR_SO2_1H,
                                    MONITOR_NO2_1H,
                                    MONITOR_PM10_1H,
                                    MONITOR_CO_1H,
                                    MONITOR_O3_1H,
                                    MONITOR_PM2_5_1H,
                                    -1};
/* HJ 633-2012 5.1.3 表4: IAQI columns only for these seven */
static const int set_hourly_table4[] = {
    MONITOR_SO2_1H, MONITOR_NO2_1H,   MONITOR_CO_1H,     MONITOR_O3_1H,
    MONITOR_O3_8H,  MONITOR_PM10_24H, MONITOR_PM2_5_24H, -1};

static const int *report_set(enum monitor_edition ed, enum monitor_aqi_report report,
                             enum monitor_hourly_method method)
{
    if (report == MONITOR_REPORT_DAILY)
        return ed == MONITOR_EDITION_2026 ? set_daily_2026 : set_daily_2012;
    if (ed == MONITOR_EDITION_2012 && method == MONITOR_HOURLY_TABLE4)
        return set_hourly_table4;
    return set_hourly_1h;
}

static void count(struct monitor_aqi_result *out, enum monitor_indicator ind,
                  const struct monitor_iaqi *v)
{
    out->iaqi[ind] = *v;
    if (v->over_range)
        out->over_range |= 1u << ind;
    if (!out->has_aqi || v->value > out->aqi)
        out->aqi = v->value;
    out->has_aqi = true;
}

int monitor_aqi(enum monitor_edition ed, enum monitor_aqi_report report,
                enum monitor_hourly_method method, const struct monitor_aqi_input *in,
                struct monitor_aqi_result *out, struct app_error *err)
{
    memset(out, 0, sizeof(*out));
    out->edition = ed;
    out->complete = true;
    for (int i = 0; i < MONITOR_INDICATOR_COUNT; i++) {
        if (in->has[i] && in->conc[i] < 0)
            return app_fail(err, APP_ERR_INVALID, "negative_value", indicators[i].name,
                            "%s: a concentration cannot be negative", indicators[i].name);
    }
    for (const int *p = report_set(ed, report, method); *p >= 0; p++) {
        enum monitor_indicator ind = (enum monitor_indicator) * p;
        struct monitor_iaqi v;
        if (!in->has[ind]) {
            out->complete = false;
            continue;
        }
        if (monitor_iaqi(ed, ind, in->conc[ind], &v, err) < 0)
            return -1;
        if (v.computed) {
            count(out, ind, &v);
        } else if (ind == MONITOR_SO2_1H) {
            /* HJ 633-2012 表1 note 2: SO2 is reported from its 24-h (moving) mean */
            if (in->has[MONITOR_SO2_24H]) {
                if (monitor_iaqi(ed, MONITOR_SO2_24H, in->conc[MONITOR_SO2_24H], &v, err) < 0)
                    return -1;
                count(out, MONITOR_SO2_24H, &v);
            } else {
                out->complete = false;
            }
        }
        /* O3 8-h > 800 under 2012 (表1 note 3): dropped; O3 1-h, which both 2012 sets that
         * contain O3 8-h also count, represents O3. */
    }
    if (out->has_aqi) {
        out->level = monitor_aqi_level_of(out->aqi)->level;
        for (int i = 0; i < MONITOR_INDICATOR_COUNT; i++) {
            if (!out->iaqi[i].computed)
                continue;
            unsigned bit = 1u << indicators[i].pollutant;
            /* HJ 633-2012 4.4 / 2026 4.3.1: primary only when AQI > 50; ties all listed */
            if (out->aqi > 50 && out->iaqi[i].value == out->aqi)
                out->primary |= bit;
            /* HJ 633-2012 术语 超标污染物: IAQI > 100; the term is deleted by HJ 633-2026 */
            if (ed == MONITOR_EDITION_2012 && out->iaqi[i].value > 100)
                out->exceeding |= bit;
        }
    }
    /* U8: HJ 633-2026 gives the AQI range as 1-500 but its formula yields 0 when every
     * rounded concentration is 0; no clause says to clamp, so 0 is reported as computed
     * (still 一级 优). */
    if (ed == MONITOR_EDITION_2026)
        out->publishable = out->has_aqi && (out->complete || out->aqi > 100);
    else
        out->publishable = out->has_aqi;
    return 0;
}

static const struct monitor_aqi_level levels[6] = {
    {1, "一级", "优", "#00E400", "绿色"},       {2, "二级", "良", "#FFFF00", "黄色"},
    {3, "三级", "轻度污染", "#FF7E00", "橙色"}, {4, "四级", "中度污染", "#FF0000", "红色"},
    {5, "五级", "重度污染", "#99004C", "紫色"}, {6, "六级", "严重污染", "#7E0023", "褐红色"},
};

const struct monitor_aqi_level *monitor_aqi_level_of(int aqi)
{
    /* HJ 633-2012 表2 / HJ 633-2026 表1: 0(1)-50, 51-100, 101-150, 151-200, 201-300, >300 */
    if (aqi <= 50)
        return &levels[0];
    if (aqi <= 100)
        return &levels[1];
    if (aqi <= 150)
        return &levels[2];
    if (aqi <= 200)
        return &levels[3];
    if (aqi <= 300)
        return &levels[4];
    return &levels[5];
}
