/* Exact decimal numbers for the environmental standards: readings are parsed from decimal text
 * into integers in millionths, and every rounding the standards ask for (GB/T 8170 half-to-even,
 * HJ 633 round-up) is done on integers or exact ratios, never on binary floating point. */
#ifndef MONITOR_DEC_H
#define MONITOR_DEC_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

/* One unit of a scaled value: 1 µg/m³ (or mg/m³, mg/L, dB) is MONITOR_DEC_ONE millionths. */
#define MONITOR_DEC_ONE INT64_C(1000000)
#define MONITOR_DEC_PLACES 6
/* Whole numbers and tenths as scaled values, for tables written in the standards' units. */
#define MONITOR_DEC(x) ((int64_t)(x)*MONITOR_DEC_ONE)
#define MONITOR_DEC_TENTHS(x) ((int64_t)(x) * (MONITOR_DEC_ONE / 10))

/* Parse decimal text ("35", "35.0", "-0.25", "2.2") exactly into millionths in *out.
 * Accepted: an optional sign, at least one digit, optionally '.' and at least one digit;
 * at most 12 integer digits; more than 6 decimal places only when the extra ones are zeros.
 * Returns 0, or -1 with APP_ERR_INVALID ("invalid_number"), field = field (may be NULL). */
int monitor_dec_parse(const char *s, int64_t *out, const char *field, struct app_error *err);

/* The multiple of step nearest to num/den, rounded half to even on ties (GB/T 8170-2008 3.3:
 * exactly 5 → make the last kept digit even), returned in the units of num/den.
 * den > 0, step > 0 (e.g. step = MONITOR_DEC_ONE rounds millionths to whole units). */
int64_t monitor_dec_round_ratio(int64_t num, int64_t den, int64_t step);

/* The value of one unit in the last of `places` decimals (0..6), in millionths: 0 → 1000000,
 * 1 → 100000, ... 6 → 1. */
int64_t monitor_dec_step(int places);

/* Round a scaled value to `places` decimal places (0..6) per GB/T 8170 (half to even). */
int64_t monitor_dec_round(int64_t v, int places);

/* ceil(num/den) for den > 0, any sign of num (HJ 633 "进位取整"). */
int64_t monitor_dec_ceil_div(int64_t num, int64_t den);

/* Write v (millionths) with exactly `places` decimals (0..6) into out, truncating extra digits
 * (round first with monitor_dec_round). Returns out. */
char *monitor_dec_format(int64_t v, int places, char *out, size_t n);
/* The shortest exact decimal of a value in millionths: "2", "1.5", "0.035". */
void monitor_dec_format_short(int64_t v, char *out, size_t n);

/* num/den as a percentage in tenths of a percent (93.1 % → 931), GB/T 8170 half to even.
 * den > 0. */
int64_t monitor_dec_percent_tenths(int64_t num, int64_t den);

/* 超标倍数 (C - S) / S of a value c over a limit s (both millionths, s > 0), as millionths
 * rounded to `places` decimals per GB/T 8170. Meaningful only when c > s (HJ 663 / GB 3838). */
int64_t monitor_dec_exceed_multiple(int64_t c, int64_t s, int places);

#endif
