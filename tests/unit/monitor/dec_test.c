/* Tests of exact decimal parsing and GB/T 8170 rounding (monitor/dec.h). */
#include <stdint.h>

#include "monitor/dec.h"
#include "test.h"

TEST(parse_exact)
{
    int64_t v;
    struct app_error err;
    CHECK(monitor_dec_parse("35", &v, "x", &err) == 0);
    CHECK_INT(v, 35000000);
    CHECK(monitor_dec_parse("35.0", &v, "x", &err) == 0);
    CHECK_INT(v, 35000000);
    CHECK(monitor_dec_parse("2.2", &v, "x", &err) == 0);
    CHECK_INT(v, 2200000);
    CHECK(monitor_dec_parse("0.00005", &v, "x", &err) == 0);
    CHECK_INT(v, 50);
    CHECK(monitor_dec_parse("-0.25", &v, "x", &err) == 0);
    CHECK_INT(v, -250000);
    CHECK(monitor_dec_parse("007.5000000", &v, "x", &err) == 0);
    CHECK_INT(v, 7500000);
    static const char *const bad[] = {
        "",   "abc",  "1e3", "1.",  ".5",        "1.2.3",         " 1",
        "1 ", "0x10", "nan", "inf", "1.0000001", "1234567890123", "-"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        CHECK(monitor_dec_parse(bad[i], &v, "x", &err) == -1);
        CHECK_INT(err.code, APP_ERR_INVALID);
        CHECK_STR(err.field, "x");
    }
}

TEST(gbt8170_half_even)
{
    /* GB/T 8170: 40.5 → 40, 41.5 → 42; above half up; below half down */
    CHECK_INT(monitor_dec_round(MONITOR_DEC_TENTHS(405), 0), MONITOR_DEC(40));
    CHECK_INT(monitor_dec_round(MONITOR_DEC_TENTHS(415), 0), MONITOR_DEC(42));
    CHECK_INT(monitor_dec_round(40500001, 0), MONITOR_DEC(41));
    CHECK_INT(monitor_dec_round(40499999, 0), MONITOR_DEC(40));
    CHECK_INT(monitor_dec_round(2250000, 1), 2200000);
    CHECK_INT(monitor_dec_round(2350000, 1), 2400000);
    CHECK_INT(monitor_dec_round(-2500000, 0), -2000000);
    CHECK_INT(monitor_dec_round_ratio(1, 3, 1), 0);
    CHECK_INT(monitor_dec_round_ratio(2, 3, 1), 1);
    CHECK_INT(monitor_dec_ceil_div(1, 3), 1);
    CHECK_INT(monitor_dec_ceil_div(-1, 3), 0);
    CHECK_INT(monitor_dec_ceil_div(6, 3), 2);
    CHECK_INT(monitor_dec_percent_tenths(27, 29), 931);
    CHECK_INT(monitor_dec_exceed_multiple(MONITOR_DEC(90), MONITOR_DEC(75), 2), 200000);
    char s[32];
    CHECK_STR(monitor_dec_format(MONITOR_DEC_TENTHS(674), 1, s, sizeof(s)), "67.4");
    CHECK_STR(monitor_dec_format(-250000, 2, s, sizeof(s)), "-0.25");
    CHECK_STR(monitor_dec_format(MONITOR_DEC(35), 0, s, sizeof(s)), "35");
}

TEST_SUITE({"parse_exact", parse_exact}, {"gbt8170_half_even", gbt8170_half_even});
