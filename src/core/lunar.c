/* Astronomical new moons and solar terms, and from them the Chinese lunar dates of the
 * statutory holidays. Sources: Jean Meeus, "Astronomical Algorithms" (2nd ed., Willmann-Bell
 * 1998), ch. 25 (solar coordinates, lower accuracy, ~0.01°), ch. 49 (phases of the moon, with
 * the periodic and planetary corrections), ΔT from Espenak & Meeus, "Polynomial expressions
 * for Delta T" (NASA eclipse web site, 2006); month rules from GB/T 33661-2017. */
#include "core/lunar.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "core/clock.h"

#define PI 3.14159265358979323846
#define JD_UNIX_EPOCH 2440587.5 /* Julian Day of 1970-01-01 00:00 UTC */
#define TROPICAL_YEAR 365.2422
#define SYNODIC_MONTH 29.530588861

static double rad(double deg)
{
    return deg * PI / 180.0;
}

static double norm360(double x)
{
    x = fmod(x, 360.0);
    return x < 0 ? x + 360.0 : x;
}

/* ΔT = TT − UT in days (Espenak & Meeus polynomials for 1900–2150). */
static double delta_t(double year)
{
    double t = year - 2000, s;
    if (year < 1920) {
        double u = year - 1900;
        s = -2.79 + 1.494119 * u - 0.0598939 * u * u + 0.0061966 * u * u * u -
            0.000197 * u * u * u * u;
    } else if (year < 1941) {
        double u = year - 1920;
        s = 21.20 + 0.84493 * u - 0.076100 * u * u + 0.0020936 * u * u * u;
    } else if (year < 1961) {
        double u = year - 1950;
        s = 29.07 + 0.407 * u - u * u / 233 + u * u * u / 2547;
    } else if (year < 1986) {
        double u = year - 1975;
        s = 45.45 + 1.067 * u - u * u / 260 - u * u * u / 718;
    } else if (year < 2005) {
        s = 63.86 + 0.3345 * t - 0.060374 * t * t + 0.0017275 * t * t * t +
            0.000651814 * t * t * t * t + 0.00002373599 * t * t * t * t * t;
    } else if (year < 2050) {
        s = 62.92 + 0.32217 * t + 0.005589 * t * t;
    } else {
        double u = (year - 1820) / 100;
        s = -20 + 32 * u * u - 0.5628 * (2150 - year);
    }
    return s / 86400.0;
}

/* Beijing-time day number of a Julian Ephemeris Day. */
static int64_t local_day(double jde)
{
    double year = 2000 + (jde - 2451545.0) / 365.25;
    double jd = jde - delta_t(year);
    return (int64_t)floor(jd - JD_UNIX_EPOCH + 8.0 / 24.0);
}

/* Meeus ch. 25: the sun's apparent ecliptic longitude in degrees at jde. */
static double sun_longitude(double jde)
{
    double T = (jde - 2451545.0) / 36525.0;
    double L0 = 280.46646 + 36000.76983 * T + 0.0003032 * T * T;
    double M = rad(357.52911 + 35999.05029 * T - 0.0001537 * T * T);
    double C = (1.914602 - 0.004817 * T - 0.000014 * T * T) * sin(M) +
               (0.019993 - 0.000101 * T) * sin(2 * M) + 0.000289 * sin(3 * M);
    double omega = rad(125.04 - 1934.136 * T);
    return norm360(L0 + C - 0.00569 - 0.00478 * sin(omega));
}

/* The JDE near `guess` at which the apparent longitude is `target` (Newton steps on the mean
 * motion, which converge in a few iterations). */
static double solar_term_jde(double guess, double target)
{
    double jde = guess;
    for (int i = 0; i < 50; i++) {
        double d = fmod(target - sun_longitude(jde) + 540.0, 360.0) - 180.0;
        jde += d * TROPICAL_YEAR / 360.0;
        if (fabs(d) < 1e-7)
            break;
    }
    return jde;
}

/* JDE of about 20 March (sun at 0°) of `year`. */
static double equinox_guess(int year)
{
    return JD_UNIX_EPOCH + (double)clock_days_from_civil(year, 3, 20);
}

static double term_jde(int year, double longitude)
{
    return solar_term_jde(equinox_guess(year) + longitude / 360.0 * TROPICAL_YEAR, longitude);
}

int64_t lunar_solar_term_day(int year, double longitude)
{
    return local_day(term_jde(year, norm360(longitude)));
}

/* Meeus ch. 49: JDE of the new moon of lunation k (k = 0 is 2000-01-06). */
static double new_moon_jde(double k)
{
    double T = k / 1236.85, T2 = T * T, T3 = T2 * T, T4 = T3 * T;
    double jde =
        2451550.09766 + SYNODIC_MONTH * k + 0.00015437 * T2 - 0.000000150 * T3 + 0.00000000073 * T4;
    double E = 1 - 0.002516 * T - 0.0000074 * T2;
    double M = rad(2.5534 + 29.10535670 * k - 0.0000014 * T2 - 0.00000011 * T3);
    double Mp =
        rad(201.5643 + 385.81693528 * k + 0.0107582 * T2 + 0.00001238 * T3 - 0.000000058 * T4);
    double F =
        rad(160.7108 + 390.67050284 * k - 0.0016118 * T2 - 0.00000227 * T3 + 0.000000011 * T4);
    double O = rad(124.7746 - 1.56375588 * k + 0.0020672 * T2 + 0.00000215 * T3);
    jde += -0.40720 * sin(Mp) + 0.17241 * E * sin(M) + 0.01608 * sin(2 * Mp) +
           0.01039 * sin(2 * F) + 0.00739 * E * sin(Mp - M) - 0.00514 * E * sin(Mp + M) +
           0.00208 * E * E * sin(2 * M) - 0.00111 * sin(Mp - 2 * F) - 0.00057 * sin(Mp + 2 * F) +
           0.00056 * E * sin(2 * Mp + M) - 0.00042 * sin(3 * Mp) + 0.00042 * E * sin(M + 2 * F) +
           0.00038 * E * sin(M - 2 * F) - 0.00024 * E * sin(2 * Mp - M) - 0.00017 * sin(O) -
           0.00007 * sin(Mp + 2 * M) + 0.00004 * sin(2 * Mp - 2 * F) + 0.00004 * sin(3 * M) +
           0.00003 * sin(Mp + M - 2 * F) + 0.00003 * sin(2 * Mp + 2 * F) -
           0.00003 * sin(Mp + M + 2 * F) + 0.00003 * sin(Mp - M + 2 * F) -
           0.00002 * sin(Mp - M - 2 * F) - 0.00002 * sin(3 * Mp + M) + 0.00002 * sin(4 * Mp);
    /* The planetary arguments A1..A14 and their coefficients (Meeus table 49.B). */
    static const double arg[14][2] = {{299.77, 0.107408},  {251.88, 0.016321}, {251.83, 26.651886},
                                      {349.42, 36.412478}, {84.66, 18.206239}, {141.74, 53.303771},
                                      {207.14, 2.453732},  {154.84, 7.306860}, {34.52, 27.261239},
                                      {207.19, 0.121824},  {291.34, 1.844379}, {161.72, 24.198154},
                                      {239.56, 25.513099}, {331.55, 3.592518}};
    static const double coef[14] = {0.000325, 0.000165, 0.000164, 0.000126, 0.000110,
                                    0.000062, 0.000060, 0.000056, 0.000047, 0.000042,
                                    0.000040, 0.000037, 0.000035, 0.000023};
    for (int i = 0; i < 14; i++) {
        double a = arg[i][0] + arg[i][1] * k - (i == 0 ? 0.009173 * T2 : 0);
        jde += coef[i] * sin(rad(a));
    }
    return jde;
}

static int64_t new_moon_day(long k)
{
    return local_day(new_moon_jde((double)k));
}

/* The lunation whose new-moon day is the last one on or before `day`. */
static long lunation_on_or_before(int64_t day)
{
    double jd = JD_UNIX_EPOCH + (double)day;
    long k = (long)floor((jd - 2451550.09766) / SYNODIC_MONTH) + 1;
    while (new_moon_day(k) > day)
        k--;
    while (new_moon_day(k + 1) <= day)
        k++;
    return k;
}

int lunar_year(int year, struct lunar_year *out)
{
    if (year < LUNAR_FIRST_YEAR || year > LUNAR_LAST_YEAR)
        return -1;
    /* GB/T 33661-2017: the month holding 冬至 is the 11th; between two 11th months holding 13
     * new moons the first month without a 中气 (the sun at a multiple of 30°) is the leap
     * month. Days are Beijing dates: a month runs from its new-moon day to the day before the
     * next one. */
    double w1 = term_jde(year - 1, 270);
    int64_t ws1 = local_day(w1), ws2 = local_day(term_jde(year, 270));
    long k0 = lunation_on_or_before(ws1), k1 = lunation_on_or_before(ws2);
    int n = (int)(k1 - k0), leap_i = -1;
    if (n == 13)
        for (int i = 1; i < n; i++) {
            int64_t zq = local_day(solar_term_jde(w1 + i * TROPICAL_YEAR / 12, 270.0 + 30 * i));
            if (zq >= new_moon_day(k0 + i + 1)) {
                leap_i = i;
                break;
            }
        }
    int num = 11;
    *out = (struct lunar_year){0};
    for (int i = 1; i < n; i++) {
        bool leap = i == leap_i;
        if (!leap)
            num = num % 12 + 1;
        int64_t start = new_moon_day(k0 + i);
        if (leap) {
            if (num <= 10)
                out->leap_month = num; /* leaps of 11/12 belong to the lunar year before */
            continue;
        }
        if (num == 1) {
            out->chunjie = start;
            out->chuxi = start - 1;
        } else if (num == 5) {
            out->duanwu = start + 4;
        } else if (num == 8) {
            out->zhongqiu = start + 14;
        }
    }
    out->qingming = lunar_solar_term_day(year, 15);
    return out->chunjie && out->duanwu && out->zhongqiu ? 0 : -1;
}

static int cmp_day(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int lunar_statutory_holidays(int year, int64_t days[13])
{
    struct lunar_year ly;
    if (lunar_year(year, &ly))
        return -1;
    int64_t all[13] = {clock_days_from_civil(year, 1, 1),
                       ly.chuxi,
                       ly.chuxi + 1,
                       ly.chuxi + 2,
                       ly.chuxi + 3,
                       ly.qingming,
                       clock_days_from_civil(year, 5, 1),
                       clock_days_from_civil(year, 5, 2),
                       ly.duanwu,
                       ly.zhongqiu,
                       clock_days_from_civil(year, 10, 1),
                       clock_days_from_civil(year, 10, 2),
                       clock_days_from_civil(year, 10, 3)};
    qsort(all, 13, sizeof all[0], cmp_day);
    int n = 0;
    for (int i = 0; i < 13; i++)
        if (n == 0 || all[i] != days[n - 1])
            days[n++] = all[i];
    return n;
}
