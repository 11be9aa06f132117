/* clock_parse: RFC 3339 with offsets, Z, the Shanghai default zone, bare dates, and refusals
 * that name the field. */
#include "core/clock.h"
#include "test.h"

TEST(parses_forms)
{
    int64_t t = 0;
    struct app_error err = {0};
    /* 2026-11-29T10:00:00Z = 1795946400 */
    CHECK_INT(clock_parse("2026-11-29T10:00:00Z", &t, "at", &err), 0);
    CHECK_INT(t, 1795946400);
    CHECK_INT(clock_parse("2026-11-29T18:00:00+08:00", &t, "at", &err), 0);
    CHECK_INT(t, 1795946400);
    CHECK_INT(clock_parse("2026-11-29 18:00", &t, "at", &err), 0); /* no zone = Shanghai */
    CHECK_INT(t, 1795946400);
    CHECK_INT(clock_parse("2026-11-29T05:00:00.250-05:00", &t, "at", &err), 0);
    CHECK_INT(t, 1795946400);
    CHECK_INT(clock_parse("2026-11-29", &t, "at", &err), 0); /* 00:00 Shanghai */
    CHECK_INT(t, 1795946400 - 18 * 3600);
    char out[32];
    clock_format_local(1795946400, out, sizeof(out));
    CHECK_STR(out, "2026-11-29T18:00:00+08:00");
}

TEST(refuses_and_names_field)
{
    int64_t t = 0;
    struct app_error err = {0};
    const char *bad[] = {"",
                         "2026-13-01",
                         "2026-02-30",
                         "2026-11-29T24:00",
                         "2026-11-29T18:00x",
                         "29/11/2026",
                         "2026-11-29T18:00:00+8",
                         "2026-11-29T18:00:00+08:99",
                         "2026-11-29T18:00:00+15:00",
                         "2026-11-29T18:0"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        memset(&err, 0, sizeof(err));
        CHECK_INT(clock_parse(bad[i], &t, "due_at", &err), -1);
        CHECK_STR(err.field, "due_at");
        CHECK_STR(err.code_name, "invalid_time");
    }
    CHECK_INT(clock_parse(NULL, &t, "due_at", &err), -1);
}

TEST(leap_days)
{
    int64_t d;
    CHECK_INT(clock_parse_date("2028-02-29", &d), 0);
    CHECK_INT(clock_parse_date("2026-02-29", &d), -1);
    int y, m, dd;
    clock_civil_from_days(clock_days_from_civil(2000, 2, 29), &y, &m, &dd);
    CHECK_INT(y * 10000 + m * 100 + dd, 20000229);
    CHECK_INT(clock_weekday(clock_days_from_civil(2026, 11, 29)), 6); /* a Sunday */
}

TEST_SUITE({"parses_forms", parses_forms}, {"refuses_and_names_field", refuses_and_names_field},
           {"leap_days", leap_days});
