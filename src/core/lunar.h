/* The Chinese calendar dates behind the statutory public holidays, computed astronomically:
 * new moons and the sun's apparent ecliptic longitude (Jean Meeus, "Astronomical Algorithms",
 * 2nd ed., 1998: ch. 25 for the sun, ch. 49 for the new moon), with months and the leap month
 * placed by the rules of GB/T 33661-2017 《农历的编算和颁行》 in Beijing time (UTC+8). Pure
 * functions; used by core/calendar.c for years whose State Council notice is not yet in. */
#ifndef CORE_LUNAR_H
#define CORE_LUNAR_H

#include <stdint.h>

/* Years the computation is checked for (unit tests against published dates). */
#define LUNAR_FIRST_YEAR 1901
#define LUNAR_LAST_YEAR 2099

/* The lunar-calendar dates of a Gregorian year, as day numbers (clock_days_from_civil) in
 * Beijing time. */
struct lunar_year {
    int64_t chuxi;    /* 除夕: last day of the 12th lunar month before 正月初一 */
    int64_t chunjie;  /* 春节: 正月初一 */
    int64_t qingming; /* 清明: the day the sun's apparent longitude reaches 15° */
    int64_t duanwu;   /* 端午: 五月初五 */
    int64_t zhongqiu; /* 中秋: 八月十五 */
    int leap_month;   /* the leap month of the lunar year that starts at 春节 (1..12), 0 = none */
};

/* Fill `out` for Gregorian `year`. Returns 0, or -1 for a year outside
 * LUNAR_FIRST_YEAR..LUNAR_LAST_YEAR. */
int lunar_year(int year, struct lunar_year *out);

/* Beijing-time day number of the moment in `year` when the sun's apparent longitude reaches
 * `longitude` degrees (0 = 春分, 15 = 清明, 270 = 冬至). */
int64_t lunar_solar_term_day(int year, double longitude);

/* The statutory public-holiday dates of 《全国年节及纪念日放假办法》 (as amended by State
 * Council decree 795, 2024, art. 2) for `year`, without any 调休: 元旦 1, 春节 4 (除夕 to
 * 初三), 清明 1, 劳动节 2 (05-01, 05-02), 端午 1, 中秋 1, 国庆 3 (10-01..10-03). Writes up to
 * 13 day numbers to days (distinct, ascending; 中秋 may fall on 国庆) and returns their count,
 * or -1 for a year outside the range. */
int lunar_statutory_holidays(int year, int64_t days[13]);

#endif
