/* Clock and calendar-date arithmetic in Asia/Shanghai, without the C library's time zone state. */
#include "core/clock.h"

#include <ctype.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static _Atomic int64_t fixed_now = -1;
static _Atomic int64_t offset_s = 0;

int64_t clock_now_real(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec;
}

int64_t clock_now(void)
{
    int64_t f = atomic_load(&fixed_now);
    return f >= 0 ? f : clock_now_real() + atomic_load(&offset_s);
}

void clock_set_offset(int64_t s)
{
    atomic_store(&offset_s, s);
}

void clock_set_fixed(int64_t t)
{
    atomic_store(&fixed_now, t);
}

double clock_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* Howard Hinnant's days_from_civil / civil_from_days. */
int64_t clock_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void clock_civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

int clock_weekday(int64_t days)
{
    /* 1970-01-01 was a Thursday (3 when Monday is 0). */
    int64_t w = (days + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

static void split(int64_t t, int64_t *days, int *secs)
{
    int64_t local = t + CLOCK_CN_OFFSET;
    int64_t d = local / 86400, s = local % 86400;
    if (s < 0) {
        s += 86400;
        d--;
    }
    *days = d;
    *secs = (int)s;
}

void clock_format_local(int64_t t, char *out, size_t n)
{
    int64_t days;
    int secs, y, m, d;
    split(t, &days, &secs);
    clock_civil_from_days(days, &y, &m, &d);
    snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02d+08:00", y, m, d, secs / 3600, secs / 60 % 60,
             secs % 60);
}

void clock_format_date(int64_t t, char *out, size_t n)
{
    int64_t days;
    int secs, y, m, d;
    split(t, &days, &secs);
    clock_civil_from_days(days, &y, &m, &d);
    snprintf(out, n, "%04d-%02d-%02d", y, m, d);
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

int clock_parse_date(const char *s, int64_t *days)
{
    int y, m, d;
    if (strlen(s) < 10 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &m) || s[7] != '-' ||
        digits(s + 8, 2, &d))
        return -1;
    if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return -1;
    *days = clock_days_from_civil(y, m, d);
    return s[10] == '\0' ? 0 : -1;
}

int clock_parse(const char *s, int64_t *out, const char *field, struct app_error *err)
{
    int64_t days;
    int hh = 0, mi = 0, ss = 0;
    int offset = CLOCK_CN_OFFSET;
    char date[11];
    if (!s || strlen(s) < 10)
        goto bad;
    memcpy(date, s, 10);
    date[10] = '\0';
    if (clock_parse_date(date, &days))
        goto bad;
    const char *p = s + 10;
    if (*p == 'T' || *p == ' ') {
        p++;
        if (digits(p, 2, &hh) || p[2] != ':' || digits(p + 3, 2, &mi))
            goto bad;
        p += 5;
        if (*p == ':') {
            if (digits(p + 1, 2, &ss))
                goto bad;
            p += 3;
            if (*p == '.') /* fractions of a second are dropped */
                for (p++; isdigit((unsigned char)*p); p++)
                    ;
        }
        if (hh > 23 || mi > 59 || ss > 60)
            goto bad;
        if (*p == 'Z') {
            offset = 0;
            p++;
        } else if (*p == '+' || *p == '-') {
            int oh, om;
            if (digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om) || oh > 14 || om > 59)
                goto bad;
            offset = (oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
            p += 6;
        }
    }
    if (*p != '\0')
        goto bad;
    *out = days * 86400 + hh * 3600 + mi * 60 + ss - offset;
    return 0;
bad:
    return app_fail(err, APP_ERR_INVALID, "invalid_time", field,
                    "%s: expected a time like 2026-11-29T18:00:00+08:00", field ? field : "time");
}
