/* Ambient noise per GB 3096-2008: acoustic functional zone limits, energy-average equivalent
 * levels for day (06-22) and night (22-06), compliance, exceedance and the night maximum rule.
 * Pure functions; levels in dB(A) as doubles, judged on values rounded to 0.1 dB. */
#ifndef MONITOR_NOISE_H
#define MONITOR_NOISE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

/* 声环境功能区 (GB 3096-2008 4.1). */
enum monitor_noise_zone {
    MONITOR_ZONE_0,
    MONITOR_ZONE_1,
    MONITOR_ZONE_2,
    MONITOR_ZONE_3,
    MONITOR_ZONE_4A,
    MONITOR_ZONE_4B,
    MONITOR_ZONE_COUNT
};

/* Zone from its name "0", "1", "2", "3", "4a", "4b" (also "4A", "4B").
 * Returns 0, or -1 with APP_ERR_INVALID ("invalid_zone", field "zone"). */
int monitor_noise_zone_parse(const char *s, enum monitor_noise_zone *out, struct app_error *err);
/* Canonical name of a zone: "0" .. "4b". */
const char *monitor_noise_zone_name(enum monitor_noise_zone z);

/* GB 3096-2008 表1 limits in whole dB(A): day 50/55/60/65/70/70, night 40/45/50/55/55/60. */
int monitor_noise_day_limit(enum monitor_noise_zone z);
int monitor_noise_night_limit(enum monitor_noise_zone z);

/* Whether the hour starting at hour:00 (0..23) is 昼间 (06:00-22:00) rather than 夜间
 * (GB 3096-2008 昼间/夜间 definitions; a county-level government may set other hours, not modelled
 * here). */
bool monitor_noise_is_day_hour(int hour);

/* Energy-average equivalent level Leq = 10·lg(Σ w_i·10^(0.1·L_i) / Σ w_i) of n > 0 levels;
 * weights (durations) may be NULL for equal intervals. Unrounded. */
double monitor_noise_leq(const double *levels, const double *weights, size_t n);

/* How readings of a parameter are combined over an hour or a day. */
enum monitor_noise_average {
    MONITOR_AVERAGE_ARITHMETIC, /* concentrations, levels of water, ... */
    MONITOR_AVERAGE_ENERGY,     /* equivalent sound levels (LAeq, Leq, ...): GB 3096 §3 */
    MONITOR_AVERAGE_MAXIMUM     /* Lmax: the highest level, never an average */
};

/* The average of a parameter from its name and unit: a unit starting with "dB" makes it a sound
 * level — "Lmax" is combined by its maximum, the statistical levels L5/L10/L50/L90/L95 and
 * "Lmin" arithmetically (no energy meaning), every other level (LAeq, Leq, Ld, Ln, ...) by its
 * energy mean, since GB 3096-2008 forbids averaging decibels arithmetically. Any other unit:
 * arithmetic. */
enum monitor_noise_average monitor_noise_average_of(const char *name, const char *unit);
/* Whether a unit is a sound level (starts with "dB": dB, dB(A), dB(C)); aggregates of such
 * parameters keep their energy sum. */
bool monitor_noise_is_level_unit(const char *unit);
/* "arithmetic", "energy", "maximum". */
const char *monitor_noise_average_name(enum monitor_noise_average a);

/* The energy term 10^(0.1·L) of a level L given in millionths of a dB; the energy sum of several
 * readings is the sum of their terms. */
double monitor_noise_energy(int64_t millionths);
/* The equivalent level 10·lg(energy / n) of n > 0 readings whose energy terms sum to energy
 * (> 0), unrounded: {60, 70} → 67.403… dB. */
double monitor_noise_leq_of_energy(double energy, int n);

/* A level in tenths of a dB, rounded per GB/T 8170 (half to even): 67.40… → 674. */
int monitor_noise_tenths(double level);

/* One evaluation of a station for a day D: the day period 06-22 of D and the night
 * 22:00 D .. 06:00 D+1 (stored under D). */
struct monitor_noise_input {
    const double *day_hours; /* hourly Leq of the day period; day_len of them (16 when full) */
    size_t day_len;
    const double *night_hours; /* hourly Leq of the night period (8 when full) */
    size_t night_len;
    bool has_night_lmax;
    double night_lmax; /* highest A-weighted level of the night */
};

struct monitor_noise_result {
    bool has_day, has_night;
    int ld, ln;                   /* tenths of dB(A): energy means of the hourly Leq (附录B) */
    int day_limit, night_limit;   /* whole dB(A) */
    bool day_ok, night_ok;        /* Ld <= day limit, Ln <= night limit */
    int day_excess, night_excess; /* ΔL = L - limit in tenths of dB(A), > 0 only when over */
    bool has_lmax;
    int lmax;      /* tenths */
    bool lmax_ok;  /* 5.4: Lmax <= night limit + 15 dB(A) */
    bool complies; /* every evaluated item ok */
};

/* Evaluate a day and night of zone z. Periods with no hours are not evaluated.
 * Returns 0, or -1 with APP_ERR_INVALID ("invalid_level") for a non-finite or negative level. */
int monitor_noise_evaluate(enum monitor_noise_zone z, const struct monitor_noise_input *in,
                           struct monitor_noise_result *out, struct app_error *err);

#endif
