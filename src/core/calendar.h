/* The working-day calendar: which Shanghai dates are working days (State Council holiday
 * notices with their 调休 make-up workdays, from data/cn-holidays.csv), and working-time
 * arithmetic over a fixed daily office schedule for event deadlines and handling durations.
 * Every function is pure over a loaded struct calendar. A year missing from the data (a gap, or
 * up to CALENDAR_PROVISIONAL_YEARS after the last year of the data) is *provisional*: its
 * working days come from the statutory holidays of 《全国年节及纪念日放假办法》 computed by
 * core/lunar.h, plus weekends, with no 调休, until the State Council notice is imported.
 * A year before the data or beyond that horizon is an error (code "calendar_year_missing"). */
#ifndef CORE_CALENDAR_H
#define CORE_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

struct app;

#define CALENDAR_MAX_SPANS 4
/* The default office schedule (Chongqing organs' winter hours): 08:30–12:00 and 14:00–17:30,
 * 7 working hours a day. Change it with calendar_set_schedule. */
#define CALENDAR_DEFAULT_SCHEDULE "08:30-12:00,14:00-17:30"

struct calendar_span {
    int start, end; /* seconds after local midnight, start < end */
};

/* Years after the last official one that are computed provisionally. */
#define CALENDAR_PROVISIONAL_YEARS 10

struct calendar {
    int first_year, last_year; /* range of covered years (official and provisional) */
    int official_last_year;    /* the last year with rows in the data */
    bool *covered;             /* [last_year - first_year + 1]: official or provisional */
    bool *provisional;         /* [last_year - first_year + 1]: computed, no notice yet */
    int64_t first_day;         /* day number (clock_days_from_civil) of first_year-01-01 */
    int64_t ndays;             /* days up to last_year-12-31 */
    unsigned char *kind;       /* per day: CALENDAR_WORK or CALENDAR_REST */
    int64_t *cum;              /* [ndays + 1]: working days before each day (prefix sums) */
    struct calendar_span spans[CALENDAR_MAX_SPANS];
    int nspans;
    int64_t day_seconds; /* working seconds in one working day */
};

enum { CALENDAR_REST = 0, CALENDAR_WORK = 1 };

/* Time-limit units of a deadline. Urgent classes count natural hours. */
enum calendar_unit {
    CALENDAR_WORK_HOURS,    /* working hours over the schedule, on working days only */
    CALENDAR_WORK_DAYS,     /* whole working days, counted after the end of the start day */
    CALENDAR_NATURAL_HOURS, /* clock hours, day and night */
    CALENDAR_NATURAL_DAYS,  /* 24-hour days */
};

/* Build cal from CSV text "date,kind,name" (kind holiday|workday; header required; a BOM is
 * skipped) with the default schedule. A year is covered when it has at least one row. Returns
 * 0, or -1 with APP_ERR_INVALID ("calendar_csv") naming the line. Release with
 * calendar_release. */
int calendar_load(struct calendar *cal, const char *csv, size_t len, struct app_error *err);
/* Like calendar_load over several CSV texts; a row of a later text overrides the same date of
 * an earlier one (used for <data_dir>/cn-holidays.csv over the embedded file). */
int calendar_load_many(struct calendar *cal, const char *const *csv, const size_t *len, int n,
                       struct app_error *err);
/* Load the embedded data/cn-holidays.csv and then <data_dir>/cn-holidays.csv when that file
 * exists (data_dir may be NULL), so a new year can be added without rebuilding. */
int calendar_load_dir(struct calendar *cal, const char *data_dir, struct app_error *err);
/* Free what calendar_load allocated; accepts a zeroed or released calendar. */
void calendar_release(struct calendar *cal);

/* Replace the daily schedule: "HH:MM-HH:MM[,HH:MM-HH:MM...]" (at most 4 ascending, disjoint
 * spans). Returns 0, or -1 with APP_ERR_INVALID ("calendar_schedule"), leaving cal unchanged. */
int calendar_set_schedule(struct calendar *cal, const char *spec, struct app_error *err);

/* 0 when `year` is covered, else -1 with APP_ERR_UNAVAILABLE, code "calendar_year_missing",
 * field `field` (may be NULL) and a Chinese message saying how to add the year. */
int calendar_check_year(const struct calendar *cal, int year, const char *field,
                        struct app_error *err);

/* Is `year` covered only provisionally (no State Council notice in the data)? False for an
 * official or an uncovered year. */
bool calendar_year_provisional(const struct calendar *cal, int year);
/* Does any Beijing date from instant `from` to instant `to` (either order) lie in a provisional
 * year? A deadline computed in working time over that span is provisional. */
bool calendar_span_provisional(const struct calendar *cal, int64_t from, int64_t to);

/* Is the date (day number, see clock_days_from_civil) a working day? Listed as workday (调休
 * 上班, even on a weekend) → yes; listed as holiday → no; else Monday–Friday. -1 with
 * calendar_year_missing when the year is not covered. */
int calendar_is_workday(const struct calendar *cal, int64_t day, bool *out, struct app_error *err);

/* The date of the n-th working day after the end of `day` (n >= 0; n = 0 gives `day`). Example:
 * 5 working days after Friday 2026-02-13 is Friday 2026-02-27. -1 with calendar_year_missing
 * when a year on the way is not covered, APP_ERR_INVALID for n < 0. */
int calendar_add_workdays(const struct calendar *cal, int64_t day, int n, int64_t *out,
                          struct app_error *err);

/* The instant at which `seconds` (>= 0) of working time have passed after `start` (Unix
 * seconds), counting only the schedule's spans on working days. A deadline that falls exactly
 * at the end of a span stays there (e.g. 17:30), not at the next morning. */
int calendar_add_work_seconds(const struct calendar *cal, int64_t start, int64_t seconds,
                              int64_t *out, struct app_error *err);

/* Working seconds between two instants (negative when to < from), e.g. for 平均处置时长. */
int calendar_work_seconds_between(const struct calendar *cal, int64_t from, int64_t to,
                                  int64_t *out, struct app_error *err);

/* The deadline of a time limit of `amount` (>= 0) `unit`s starting at `start`:
 * WORK_HOURS → calendar_add_work_seconds(amount h); WORK_DAYS → the end (24:00) of the
 * amount-th working day after the start day; NATURAL_HOURS/DAYS → start + amount h / days. */
int calendar_deadline(const struct calendar *cal, int64_t start, enum calendar_unit unit,
                      int amount, int64_t *out, struct app_error *err);

/* The process-wide calendar: the one installed by calendar_start, else the embedded
 * data/cn-holidays.csv loaded once on first use. Never NULL (the embedded file is checked by
 * the unit tests; a broken one aborts with a log line). Read-only; safe from any thread. */
const struct calendar *calendar_default(void);

/* Calendar status for the banner: `next_year` is the year after today's (Beijing time);
 * `provisional` is true from 1 November while next_year has no official rows, or whenever the
 * current year itself is provisional (then next_year is the current year). */
struct calendar_status {
    int next_year;
    bool provisional;
    int official_last_year;
};
void calendar_status_at(const struct calendar *cal, int64_t now, struct calendar_status *out);

/* Module start hook: load the embedded calendar plus <data_dir>/cn-holidays.csv when present,
 * and refuse to start (calendar_year_missing) only when the current year (clock_now) is not
 * covered even provisionally; warns when the current or next year is provisional. */
int calendar_start(struct app *app, struct app_error *err);
/* Reload <data_dir>/cn-holidays.csv when it changed since calendar_start or the last refresh
 * (size or modification time; `zhizhi calendar import` rewrites it) and install the result.
 * Returns 1 when a new calendar was installed, 0 when unchanged, -1 when the new file does not
 * load (the installed calendar stays). Replaced calendars are freed at calendar_stop, since
 * readers of calendar_default hold no reference. */
int calendar_refresh(struct app *app, struct app_error *err);

/* Module stop hook (the calendar stays usable; nothing to stop). */
void calendar_stop(struct app *app);

#endif
