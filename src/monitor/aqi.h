/* Air quality index per HJ 633-2012 and HJ 633-2026: breakpoint tables of both editions, IAQI
 * with exact decimal arithmetic, AQI, primary pollutants, level, category and colour, for the
 * daily and the hourly (real-time) report. Pure functions: values in, values out. */
#ifndef MONITOR_AQI_H
#define MONITOR_AQI_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"

/* The edition of the AQI rules (HJ 633) and the limits (GB 3095) a figure was computed with. */
enum monitor_edition {
    MONITOR_EDITION_2012 = 2012, /* HJ 633-2012, GB 3095-2012, HJ 663-2013 */
    MONITOR_EDITION_2026 = 2026, /* HJ 633-2026, GB 3095-2026, HJ 663-2026 */
};

/* The six basic pollutants (GB 3095 表1). */
enum monitor_pollutant {
    MONITOR_SO2,
    MONITOR_NO2,
    MONITOR_PM10,
    MONITOR_CO,
    MONITOR_O3,
    MONITOR_PM2_5,
    MONITOR_POLLUTANT_COUNT
};

/* Concentration indicators a report may use. Units µg/m³, CO mg/m³. In a daily report O3_1H
 * and O3_8H are the day's maxima; in an hourly report the *_24H values are 24-h moving means. */
enum monitor_indicator {
    MONITOR_SO2_24H,
    MONITOR_SO2_1H,
    MONITOR_NO2_24H,
    MONITOR_NO2_1H,
    MONITOR_PM10_24H,
    MONITOR_PM10_1H,
    MONITOR_CO_24H,
    MONITOR_CO_1H,
    MONITOR_O3_1H,
    MONITOR_O3_8H,
    MONITOR_PM2_5_24H,
    MONITOR_PM2_5_1H,
    MONITOR_INDICATOR_COUNT
};

enum monitor_aqi_report {
    MONITOR_REPORT_DAILY,  /* 日报: HJ 633-2012 5.1.2 / HJ 633-2026 4.2.2 */
    MONITOR_REPORT_HOURLY, /* 实时报: HJ 633-2012 5.1.3 / HJ 633-2026 4.2.3 */
};

/* How a 2012 hourly AQI is computed (open item U7). Ignored for the 2026 edition, whose
 * 4.2.3-4.2.4 rule is the same as MONITOR_HOURLY_PUBLISHED. */
enum monitor_hourly_method {
    /* What the national network published: SO2, NO2, CO, O3, PM10, PM2.5 1-h values, PM 1-h
     * values on the 24-h breakpoints, no O3 8-h IAQI. Reproduces CNEMC figures. Default. */
    MONITOR_HOURLY_PUBLISHED,
    /* HJ 633-2012 表4 literally: SO2/NO2/CO/O3 1-h, O3 8-h moving, PM10/PM2.5 24-h moving. */
    MONITOR_HOURLY_TABLE4,
};

/* Canonical name of an indicator ("PM2_5_24H"), and the reverse (exact match).
 * monitor_indicator_parse returns 0, or -1 when the name is unknown. */
const char *monitor_indicator_name(enum monitor_indicator ind);
int monitor_indicator_parse(const char *name, enum monitor_indicator *out);
/* The pollutant an indicator measures. */
enum monitor_pollutant monitor_indicator_pollutant(enum monitor_indicator ind);
/* Display name of a pollutant: "SO2", "NO2", "PM10", "CO", "O3", "PM2.5". */
const char *monitor_pollutant_name(enum monitor_pollutant p);

/* The edition in force on a calendar date (Beijing time): 2026 from 2026-03-01, else 2012.
 * A daily figure uses the date of its day; any period uses the date it starts on. */
enum monitor_edition monitor_edition_for_date(int year, int month, int day);
/* The edition for a period starting at Unix time t (seconds): 2026 from
 * 2026-03-01 00:00 Asia/Shanghai (= 2026-02-28T16:00:00Z). An hourly value labelled with its
 * end hour 2026-03-01 00:00 covers 23:00-24:00 of 02-28 and so is a 2012 value. */
enum monitor_edition monitor_edition_for_time(int64_t unix_seconds);

/* One IAQI. */
struct monitor_iaqi {
    bool computed;   /* false: the standard computes no IAQI from this value (shown as NA) */
    bool over_range; /* concentration above the column's top breakpoint: value is 500 (U6) */
    int value;       /* 0..500 when computed */
};

/* The IAQI of one indicator under edition ed, for concentration c in millionths
 * (see monitor/dec.h). 2026: c is first rounded per GB/T 8170 to whole µg/m³ (CO: 0.1 mg/m³).
 * PM10_1H/PM2_5_1H use the 24-h breakpoints (HJ 633-2026 4.2.4; the 2012 published practice).
 * SO2_1H > 800: 2012 not computed (caller falls back on SO2_24H), 2026 counted as 200.
 * O3_8H > 800: 2012 not computed (O3_1H represents O3), 2026 counted as 300.
 * Returns 0, or -1 with APP_ERR_INVALID ("negative_value") when c < 0. */
int monitor_iaqi(enum monitor_edition ed, enum monitor_indicator ind, int64_t c,
                 struct monitor_iaqi *out, struct app_error *err);

/* Concentrations fed to an AQI report; has[i] says whether conc[i] is given. */
struct monitor_aqi_input {
    bool has[MONITOR_INDICATOR_COUNT];
    int64_t conc[MONITOR_INDICATOR_COUNT]; /* millionths of µg/m³ (CO: of mg/m³) */
};

/* Set one concentration of an input (zero the input first). */
void monitor_aqi_input_set(struct monitor_aqi_input *in, enum monitor_indicator ind, int64_t c);

struct monitor_aqi_result {
    enum monitor_edition edition;
    /* Per indicator: computed only for the indicators the report counts (including the SO2
     * 24-h fallback); given values the report does not use are left not computed. */
    struct monitor_iaqi iaqi[MONITOR_INDICATOR_COUNT];
    bool has_aqi;        /* false when no counted indicator was given */
    int aqi;             /* max of the counted IAQIs (式2) */
    int level;           /* 1..6 (一级..六级), 0 without an AQI */
    unsigned primary;    /* bit (1u << pollutant): IAQI == AQI and AQI > 50 (4.4 / 4.3.1) */
    unsigned exceeding;  /* 2012 only, 超标污染物: bit per pollutant with IAQI > 100 */
    unsigned over_range; /* bit (1u << indicator) per value above its top breakpoint */
    bool complete;       /* every indicator of the report was given */
    /* The AQI may be published: 2012 whenever has_aqi (missing items are shown NA, 表3/表4
     * notes); 2026 when complete, or when AQI > 100 (HJ 633-2026 5.3.1). */
    bool publishable;
};

/* The AQI report of one period (a day or an hour) under edition ed. method matters only for
 * hourly 2012 reports. Daily 2012: SO2, NO2, PM10, CO, PM2.5 24-h, O3 max 1-h, O3 max 8-h.
 * Daily 2026: the same without O3 1-h. Hourly: see enum monitor_hourly_method.
 * Returns 0, or -1 with APP_ERR_INVALID when a given concentration is negative. */
int monitor_aqi(enum monitor_edition ed, enum monitor_aqi_report report,
                enum monitor_hourly_method method, const struct monitor_aqi_input *in,
                struct monitor_aqi_result *out, struct app_error *err);

/* 表2 / 附录A of HJ 633 (same in both editions). */
struct monitor_aqi_level {
    int level;        /* 1..6 */
    const char *name; /* "一级" .. "六级" */
    const char *category; /* "优", "良", "轻度污染", "中度污染", "重度污染", "严重污染" */
    const char *color;      /* "#00E400", "#FFFF00", "#FF7E00", "#FF0000", "#99004C", "#7E0023" */
    const char *color_name; /* "绿色" .. "褐红色" */
};

/* The level row for an AQI value (>= 0). Returns a pointer into a static table. */
const struct monitor_aqi_level *monitor_aqi_level_of(int aqi);

#endif
