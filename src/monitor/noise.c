/* GB 3096-2008 ambient noise rules (see noise.h). Logarithms are irrational, so Leq is computed
 * in double precision and judged on its value rounded to 0.1 dB, the precision levels are
 * reported with. */
#include "monitor/noise.h"

#include <assert.h>
#include <math.h>
#include <strings.h>

static const struct {
    const char *name;
    int day, night;
} zones[MONITOR_ZONE_COUNT] = {
    /* GB 3096-2008 表1. 4b: for railway trunk lines whose EIA was approved from 2011-01-01;
     * existing lines keep 70/55 for background noise without trains (表1 note), configure them as
     * 4a. */
    [MONITOR_ZONE_0] = {"0", 50, 40},   [MONITOR_ZONE_1] = {"1", 55, 45},
    [MONITOR_ZONE_2] = {"2", 60, 50},   [MONITOR_ZONE_3] = {"3", 65, 55},
    [MONITOR_ZONE_4A] = {"4a", 70, 55}, [MONITOR_ZONE_4B] = {"4b", 70, 60},
};

int monitor_noise_zone_parse(const char *s, enum monitor_noise_zone *out, struct app_error *err)
{
    for (int i = 0; s && i < MONITOR_ZONE_COUNT; i++) {
        if (strcasecmp(s, zones[i].name) == 0) {
            *out = (enum monitor_noise_zone)i;
            return 0;
        }
    }
    return app_fail(err, APP_ERR_INVALID, "invalid_zone", "zone",
                    "zone must be one of 0, 1, 2, 3, 4a, 4b");
}

const char *monitor_noise_zone_name(enum monitor_noise_zone z)
{
    assert((unsigned)z < MONITOR_ZONE_COUNT);
    return zones[z].name;
}

int monitor_noise_day_limit(enum monitor_noise_zone z)
{
    assert((unsigned)z < MONITOR_ZONE_COUNT);
    return zones[z].day;
}

int monitor_noise_night_limit(enum monitor_noise_zone z)
{
    assert((unsigned)z < MONITOR_ZONE_COUNT);
    return zones[z].night;
}

bool monitor_noise_is_day_hour(int hour)
{
    /* GB 3096-2008 昼间/夜间: 06:00-22:00 / 22:00-06:00 (U4: local governments may differ) */
    return hour >= 6 && hour < 22;
}

double monitor_noise_leq(const double *levels, const double *weights, size_t n)
{
    assert(n > 0);
    /* GB 3096-2008 §3: L_Aeq = 10·lg(1/T ∫ 10^(0.1·L_A) dt); never an arithmetic mean of dB.
     * Factor out the maximum so the sum cannot overflow. */
    double top = levels[0];
    for (size_t i = 1; i < n; i++)
        top = levels[i] > top ? levels[i] : top;
    double sum = 0, total = 0;
    for (size_t i = 0; i < n; i++) {
        double w = weights ? weights[i] : 1.0;
        sum += w * pow(10.0, 0.1 * (levels[i] - top));
        total += w;
    }
    return top + 10.0 * log10(sum / total);
}

bool monitor_noise_is_level_unit(const char *unit)
{
    return unit && strncasecmp(unit, "dB", 2) == 0;
}

enum monitor_noise_average monitor_noise_average_of(const char *name, const char *unit)
{
    static const char *const plain[] = {"Lmin", "L5", "L10", "L50", "L90", "L95"};
    if (!monitor_noise_is_level_unit(unit))
        return MONITOR_AVERAGE_ARITHMETIC;
    if (strcasecmp(name, "Lmax") == 0)
        return MONITOR_AVERAGE_MAXIMUM;
    for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
        if (strcasecmp(name, plain[i]) == 0)
            return MONITOR_AVERAGE_ARITHMETIC;
    return MONITOR_AVERAGE_ENERGY;
}

const char *monitor_noise_average_name(enum monitor_noise_average a)
{
    return a == MONITOR_AVERAGE_ENERGY    ? "energy"
           : a == MONITOR_AVERAGE_MAXIMUM ? "maximum"
                                          : "arithmetic";
}

double monitor_noise_energy(int64_t millionths)
{
    /* 10^(0.1·L) with L = millionths / 10^6; 140 dB gives 1e14, far from overflow */
    return pow(10.0, (double)millionths / 1e7);
}

double monitor_noise_leq_of_energy(double energy, int n)
{
    assert(n > 0 && energy > 0);
    /* GB 3096-2008 §3 for N equal intervals: Leq = 10·lg((1/N) Σ 10^(0.1·L_i)) */
    return 10.0 * log10(energy / n);
}

int monitor_noise_tenths(double level)
{
    /* nearbyint uses the default round-to-nearest-even mode (GB/T 8170 on exact halves) */
    return (int)nearbyint(level * 10.0);
}

static int check_levels(const double *v, size_t n, const char *field, struct app_error *err)
{
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(v[i]) || v[i] < 0)
            return app_fail(err, APP_ERR_INVALID, "invalid_level", field,
                            "%s: level %zu is not a finite non-negative dB value", field, i + 1);
    }
    return 0;
}

int monitor_noise_evaluate(enum monitor_noise_zone z, const struct monitor_noise_input *in,
                           struct monitor_noise_result *out, struct app_error *err)
{
    assert((unsigned)z < MONITOR_ZONE_COUNT);
    *out = (struct monitor_noise_result){0};
    if (check_levels(in->day_hours, in->day_len, "day", err) < 0 ||
        check_levels(in->night_hours, in->night_len, "night", err) < 0)
        return -1;
    if (in->has_night_lmax && (!isfinite(in->night_lmax) || in->night_lmax < 0))
        return app_fail(err, APP_ERR_INVALID, "invalid_level", "night_lmax",
                        "night_lmax is not a finite non-negative dB value");
    out->day_limit = zones[z].day;
    out->night_limit = zones[z].night;
    out->complies = true;
    if (in->day_len > 0) {
        /* 附录B (fixed-point monitoring): Ld = energy mean of the hourly Leq of 06-22 */
        out->has_day = true;
        out->ld = monitor_noise_tenths(monitor_noise_leq(in->day_hours, NULL, in->day_len));
        out->day_ok = out->ld <= out->day_limit * 10;
        out->day_excess = out->day_ok ? 0 : out->ld - out->day_limit * 10;
        out->complies = out->complies && out->day_ok;
    }
    if (in->night_len > 0) {
        out->has_night = true;
        out->ln = monitor_noise_tenths(monitor_noise_leq(in->night_hours, NULL, in->night_len));
        out->night_ok = out->ln <= out->night_limit * 10;
        out->night_excess = out->night_ok ? 0 : out->ln - out->night_limit * 10;
        out->complies = out->complies && out->night_ok;
    }
    if (in->has_night_lmax) {
        /* GB 3096-2008 5.4: night sudden noise Lmax at most 15 dB(A) over the night limit */
        out->has_lmax = true;
        out->lmax = monitor_noise_tenths(in->night_lmax);
        out->lmax_ok = out->lmax <= (out->night_limit + 15) * 10;
        out->complies = out->complies && out->lmax_ok;
    }
    return 0;
}
