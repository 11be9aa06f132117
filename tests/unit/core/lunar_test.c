/* Unit tests of the astronomical lunar dates: 春节, 端午, 中秋 and 清明 against the dates the
 * State Council notices (data/cn-holidays.csv) and the published almanac (中国科学院紫金山天文台
 * 《中国天文年历》 as reprinted in the yearly notices) give, over several decades, and the
 * statutory holidays of 2025 and 2026 against the official files. */
#include <stdlib.h>

#include "core/calendar.h"
#include "core/clock.h"
#include "core/lunar.h"
#include "test.h"

static const char *date_str(int64_t day)
{
    static char out[4][16];
    static int slot;
    int y, m, d;
    char *s = out[slot++ % 4];
    clock_civil_from_days(day, &y, &m, &d);
    snprintf(s, 16, "%04d-%02d-%02d", y, m, d);
    return s;
}

/* 春节 (正月初一), 端午, 中秋 of each year. */
static const struct {
    int year;
    const char *chunjie, *duanwu, *zhongqiu;
} known[] = {
    {2000, "2000-02-05", "2000-06-06", "2000-09-12"},
    {2001, "2001-01-24", "2001-06-25", "2001-10-01"},
    {2004, "2004-01-22", "2004-06-22", "2004-09-28"},
    {2006, "2006-01-29", "2006-05-31", "2006-10-06"},
    {2008, "2008-02-07", "2008-06-08", "2008-09-14"},
    {2009, "2009-01-26", "2009-05-28", "2009-10-03"},
    {2010, "2010-02-14", "2010-06-16", "2010-09-22"},
    {2012, "2012-01-23", "2012-06-23", "2012-09-30"},
    {2014, "2014-01-31", "2014-06-02", "2014-09-08"},
    {2015, "2015-02-19", "2015-06-20", "2015-09-27"},
    {2016, "2016-02-08", "2016-06-09", "2016-09-15"},
    {2017, "2017-01-28", "2017-05-30", "2017-10-04"},
    {2018, "2018-02-16", "2018-06-18", "2018-09-24"},
    {2019, "2019-02-05", "2019-06-07", "2019-09-13"},
    {2020, "2020-01-25", "2020-06-25", "2020-10-01"},
    {2021, "2021-02-12", "2021-06-14", "2021-09-21"},
    {2022, "2022-02-01", "2022-06-03", "2022-09-10"},
    {2023, "2023-01-22", "2023-06-22", "2023-09-29"},
    {2024, "2024-02-10", "2024-06-10", "2024-09-17"},
    {2025, "2025-01-29", "2025-05-31", "2025-10-06"},
    {2026, "2026-02-17", "2026-06-19", "2026-09-25"},
    {2027, "2027-02-06", "2027-06-09", "2027-09-15"},
    {2028, "2028-01-26", "2028-05-28", "2028-10-03"},
    {2029, "2029-02-13", "2029-06-16", "2029-09-22"},
    {2030, "2030-02-03", "2030-06-05", "2030-09-12"},
};

TEST(lunar_festivals_match_the_almanac)
{
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        struct lunar_year ly;
        CHECK_INT(lunar_year(known[i].year, &ly), 0);
        CHECK_STR(date_str(ly.chunjie), known[i].chunjie);
        CHECK_STR(date_str(ly.duanwu), known[i].duanwu);
        CHECK_STR(date_str(ly.zhongqiu), known[i].zhongqiu);
        CHECK_INT(ly.chuxi, ly.chunjie - 1);
    }
}

TEST(spring_festival_more_years)
{
    /* Including 2034 after the 2033 闰十一月 (the "2033 problem" of the leap-month rule). */
    static const char *const cj[][2] = {
        {"2002", "2002-02-12"}, {"2003", "2003-02-01"}, {"2005", "2005-02-09"},
        {"2007", "2007-02-18"}, {"2011", "2011-02-03"}, {"2013", "2013-02-10"},
        {"2031", "2031-01-23"}, {"2032", "2032-02-11"}, {"2033", "2033-01-31"},
        {"2034", "2034-02-19"}, {"2035", "2035-02-08"}};
    for (size_t i = 0; i < sizeof cj / sizeof cj[0]; i++) {
        struct lunar_year ly;
        CHECK_INT(lunar_year(atoi(cj[i][0]), &ly), 0);
        CHECK_STR(date_str(ly.chunjie), cj[i][1]);
    }
}

TEST(leap_months)
{
    /* 闰四月 2020, 闰二月 2023, 闰六月 2025, 闰五月 2028, none in 2024 and 2026. */
    struct lunar_year ly;
    static const int want[][2] = {{2020, 4}, {2023, 2}, {2025, 6}, {2028, 5},
                                  {2024, 0}, {2026, 0}, {2017, 6}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        CHECK_INT(lunar_year(want[i][0], &ly), 0);
        CHECK_INT(ly.leap_month, want[i][1]);
    }
}

TEST(qingming_is_4_or_5_april)
{
    static const char *const qm[] = {"2016-04-04", "2017-04-04", "2018-04-05", "2019-04-05",
                                     "2020-04-04", "2021-04-04", "2022-04-05", "2023-04-05",
                                     "2024-04-04", "2025-04-04", "2026-04-05", "2027-04-05",
                                     "2028-04-04", "2029-04-04", "2030-04-05"};
    for (size_t i = 0; i < sizeof qm / sizeof qm[0]; i++)
        CHECK_STR(date_str(lunar_solar_term_day(2016 + (int)i, 15)), qm[i]);
    for (int y = LUNAR_FIRST_YEAR; y <= LUNAR_LAST_YEAR; y++) {
        int yy, m, d;
        clock_civil_from_days(lunar_solar_term_day(y, 15), &yy, &m, &d);
        CHECK(yy == y && m == 4 && (d == 4 || d == 5 || d == 6));
    }
    /* 冬至 2025 on 12-21, 2026 on 12-22. */
    CHECK_STR(date_str(lunar_solar_term_day(2025, 270)), "2025-12-21");
    CHECK_STR(date_str(lunar_solar_term_day(2026, 270)), "2026-12-22");
}

TEST(every_year_in_range_has_festivals_in_season)
{
    for (int y = LUNAR_FIRST_YEAR; y <= LUNAR_LAST_YEAR; y++) {
        struct lunar_year ly;
        int yy, m, d;
        CHECK_INT(lunar_year(y, &ly), 0);
        clock_civil_from_days(ly.chunjie, &yy, &m, &d);
        CHECK(yy == y && ((m == 1 && d >= 21) || (m == 2 && d <= 20)));
        clock_civil_from_days(ly.zhongqiu, &yy, &m, &d);
        CHECK(yy == y && ((m == 9 && d >= 7) || (m == 10 && d <= 8)));
    }
    struct lunar_year ly;
    CHECK_INT(lunar_year(LUNAR_FIRST_YEAR - 1, &ly), -1);
    CHECK_INT(lunar_year(LUNAR_LAST_YEAR + 1, &ly), -1);
}

TEST(statutory_days_are_in_the_official_2025_and_2026_files)
{
    /* Every computed statutory day of 2025 and 2026 is a holiday of the State Council notice
     * (the notice adds 调休 days around them, never drops one). */
    const struct calendar *cal = calendar_default();
    for (int y = 2025; y <= 2026; y++) {
        int64_t days[13];
        int n = lunar_statutory_holidays(y, days);
        CHECK_INT(n, 13);
        for (int i = 0; i < n; i++) {
            bool work = true;
            struct app_error err = {0};
            CHECK_INT(calendar_is_workday(cal, days[i], &work, &err), 0);
            if (work)
                fprintf(stderr, "    %s is a statutory holiday but a workday in the file\n",
                        date_str(days[i]));
            CHECK(!work);
        }
    }
    /* 2027 computed: 01-01, 02-05..02-08, 04-05, 05-01, 05-02, 06-09, 09-15, 10-01..10-03. */
    int64_t d27[13];
    CHECK_INT(lunar_statutory_holidays(2027, d27), 13);
    CHECK_STR(date_str(d27[0]), "2027-01-01");
    CHECK_STR(date_str(d27[1]), "2027-02-05");
    CHECK_STR(date_str(d27[4]), "2027-02-08");
    CHECK_STR(date_str(d27[5]), "2027-04-05");
    CHECK_STR(date_str(d27[8]), "2027-06-09");
    CHECK_STR(date_str(d27[9]), "2027-09-15");
    CHECK_STR(date_str(d27[12]), "2027-10-03");
    /* 2020: 中秋 on 10-01 merges with 国庆, 12 distinct days. */
    CHECK_INT(lunar_statutory_holidays(2020, d27), 12);
}

TEST_SUITE({"lunar_festivals_match_the_almanac", lunar_festivals_match_the_almanac},
           {"spring_festival_more_years", spring_festival_more_years}, {"leap_months", leap_months},
           {"qingming_is_4_or_5_april", qingming_is_4_or_5_april},
           {"every_year_in_range_has_festivals_in_season",
            every_year_in_range_has_festivals_in_season},
           {"statutory_days_are_in_the_official_2025_and_2026_files",
            statutory_days_are_in_the_official_2025_and_2026_files});
