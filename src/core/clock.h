/* Time for the whole program: Unix seconds, shown in Asia/Shanghai (UTC+8, no daylight saving
 * since 1991, so a fixed offset is exact). Tests fix the clock with clock_set_fixed. */
#ifndef CORE_CLOCK_H
#define CORE_CLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define CLOCK_CN_OFFSET (8 * 3600)

/* Seconds since the epoch: the fixed value when one is set, else the real time. */
int64_t clock_now(void);
/* The real time, ignoring any fixed value (for logs and durations). */
int64_t clock_now_real(void);
/* Milliseconds from a monotonic clock, for measuring durations. */
double clock_mono_ms(void);
/* Fix clock_now() at t (t < 0 unfixes). */
void clock_set_fixed(int64_t t);
/* Shift clock_now() by s seconds from the real time (the test_clock_offset setting: end-to-end
 * tests restart the server with a later offset to play out an hour or a day). */
void clock_set_offset(int64_t s);

/* Format t as "2026-11-29T18:00:00+08:00" into out (at least 26 bytes). */
void clock_format_local(int64_t t, char *out, size_t n);
/* Format the Shanghai calendar date of t as "2026-11-29" (at least 11 bytes). */
void clock_format_date(int64_t t, char *out, size_t n);

/* Parse RFC 3339 / ISO 8601: "2026-11-29T18:00:00+08:00", "...Z", "2026-11-29 18:00[:00]"
 * (no zone = Asia/Shanghai) or a bare date "2026-11-29" (00:00 Shanghai). Returns 0 or -1 with
 * APP_ERR_INVALID naming field. */
int clock_parse(const char *s, int64_t *out, const char *field, struct app_error *err);

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t clock_days_from_civil(int y, int m, int d);
void clock_civil_from_days(int64_t days, int *y, int *m, int *d);
/* Day of week of a day number: 0 = Monday ... 6 = Sunday. */
int clock_weekday(int64_t days);
/* Parse "YYYY-MM-DD" strictly (valid month and day). Returns 0 or -1. */
int clock_parse_date(const char *s, int64_t *days);

#endif
