/* Exact decimal parsing, formatting and rounding on integers in millionths (see dec.h). */
#include "monitor/dec.h"

#include <assert.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static int64_t floor_div(int64_t num, int64_t den)
{
    int64_t q = num / den;
    if ((num % den != 0) && ((num < 0) != (den < 0)))
        q--;
    return q;
}

int64_t monitor_dec_ceil_div(int64_t num, int64_t den)
{
    assert(den > 0);
    return -floor_div(-num, den);
}

int monitor_dec_parse(const char *s, int64_t *out, const char *field, struct app_error *err)
{
    const char *p = s;
    bool neg = false;
    int64_t ip = 0, fp = 0;
    int idigits = 0, fdigits = 0;

    if (!s)
        return app_fail(err, APP_ERR_INVALID, "invalid_number", field, "missing number");
    if (*p == '+' || *p == '-')
        neg = *p++ == '-';
    for (; *p >= '0' && *p <= '9'; p++) {
        if (ip == 0 && *p == '0')
            continue; /* leading zeros do not count towards the 12 digits */
        if (++idigits > 12)
            return app_fail(err, APP_ERR_INVALID, "invalid_number", field, "\"%s\" is too large",
                            s);
        ip = ip * 10 + (*p - '0');
    }
    if (p == s + (s[0] == '+' || s[0] == '-'))
        return app_fail(err, APP_ERR_INVALID, "invalid_number", field,
                        "\"%s\" is not a decimal number", s);
    if (*p == '.') {
        const char *d = ++p;
        for (; *p >= '0' && *p <= '9'; p++) {
            if (fdigits < MONITOR_DEC_PLACES) {
                fp = fp * 10 + (*p - '0');
                fdigits++;
            } else if (*p != '0') {
                return app_fail(err, APP_ERR_INVALID, "invalid_number", field,
                                "\"%s\" has more than %d decimal places", s, MONITOR_DEC_PLACES);
            }
        }
        if (p == d)
            return app_fail(err, APP_ERR_INVALID, "invalid_number", field,
                            "\"%s\" is not a decimal number", s);
    }
    if (*p != '\0')
        return app_fail(err, APP_ERR_INVALID, "invalid_number", field,
                        "\"%s\" is not a decimal number", s);
    for (; fdigits < MONITOR_DEC_PLACES; fdigits++)
        fp *= 10;
    *out = (ip * MONITOR_DEC_ONE + fp) * (neg ? -1 : 1);
    return 0;
}

int64_t monitor_dec_round_ratio(int64_t num, int64_t den, int64_t step)
{
    assert(den > 0 && step > 0);
    int64_t unit = den * step;
    int64_t q = floor_div(num, unit);
    int64_t r = num - q * unit; /* 0 <= r < unit */
    /* GB/T 8170-2008 3.3.1-3.3.3: below half down, above half up; exactly half → even */
    if (2 * r > unit || (2 * r == unit && (q % 2 != 0)))
        q++;
    return q * step;
}

static const int64_t pow10s[] = {1, 10, 100, 1000, 10000, 100000, 1000000};

int64_t monitor_dec_step(int places)
{
    assert(places >= 0 && places <= MONITOR_DEC_PLACES);
    return pow10s[MONITOR_DEC_PLACES - places];
}

int64_t monitor_dec_round(int64_t v, int places)
{
    assert(places >= 0 && places <= MONITOR_DEC_PLACES);
    return monitor_dec_round_ratio(v, 1, pow10s[MONITOR_DEC_PLACES - places]);
}

char *monitor_dec_format(int64_t v, int places, char *out, size_t n)
{
    assert(places >= 0 && places <= MONITOR_DEC_PLACES);
    uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    uint64_t ip = a / (uint64_t)MONITOR_DEC_ONE;
    uint64_t fp = (a % (uint64_t)MONITOR_DEC_ONE) / (uint64_t)pow10s[MONITOR_DEC_PLACES - places];
    if (places == 0)
        snprintf(out, n, "%s%llu", v < 0 ? "-" : "", (unsigned long long)ip);
    else
        snprintf(out, n, "%s%llu.%0*llu", v < 0 ? "-" : "", (unsigned long long)ip, places,
                 (unsigned long long)fp);
    return out;
}

int64_t monitor_dec_percent_tenths(int64_t num, int64_t den)
{
    return monitor_dec_round_ratio(num * 1000, den, 1);
}

int64_t monitor_dec_exceed_multiple(int64_t c, int64_t s, int places)
{
    assert(s > 0 && places >= 0 && places <= MONITOR_DEC_PLACES);
    return monitor_dec_round_ratio((c - s) * MONITOR_DEC_ONE, s,
                                   pow10s[MONITOR_DEC_PLACES - places]);
}

void monitor_dec_format_short(int64_t v, char *out, size_t n)
{
    /* the shortest exact decimal: strip trailing zeros of the 6 places */
    monitor_dec_format(v, 6, out, n);
    char *dot = strchr(out, '.');
    if (!dot)
        return;
    char *end = out + strlen(out) - 1;
    while (end > dot && *end == '0')
        *end-- = '\0';
    if (end == dot)
        *end = '\0';
}
