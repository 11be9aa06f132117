/* Tests of the `zhizhi aqi` calculator (monitor/monitor_cli.h): its JSON output and its
 * usage errors, capturing stdout and stderr. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "monitor/monitor_cli.h"
#include "test.h"

static char out[4096], err_text[1024];

/* Run the calculator on a NULL-terminated argument list; returns its exit code. */
static int run(const char *const *args)
{
    char *argv[32];
    int argc = 0;
    argv[argc++] = (char *)"aqi";
    for (; *args; args++)
        argv[argc++] = (char *)*args;
    argv[argc] = NULL;
    fflush(stdout);
    fflush(stderr);
    FILE *fo = tmpfile(), *fe = tmpfile();
    int so = dup(1), se = dup(2);
    dup2(fileno(fo), 1);
    dup2(fileno(fe), 2);
    int rc = monitor_cli_aqi(argc, argv);
    fflush(stdout);
    fflush(stderr);
    dup2(so, 1);
    dup2(se, 2);
    close(so);
    close(se);
    size_t n;
    rewind(fo);
    n = fread(out, 1, sizeof(out) - 1, fo);
    out[n] = '\0';
    rewind(fe);
    n = fread(err_text, 1, sizeof(err_text) - 1, fe);
    err_text[n] = '\0';
    fclose(fo);
    fclose(fe);
    return rc;
}

TEST(daily_2012)
{
    const char *const a[] = {"--edition", "2012",      "--daily",   "PM2_5_24H=76",
                             "O3_8H=900", "O3_1H=300", "SO2_1H=10", NULL};
    CHECK_INT(run(a), 0);
    CHECK_STR(out, "{\"edition\":2012,\"aqi\":150,\"level\":\"三级\",\"category\":\"轻度污染\","
                   "\"color\":\"#FF7E00\",\"primary\":[\"O3\"],\"over_range\":[],"
                   "\"iaqi\":{\"PM2_5_24H\":102,\"O3_8H\":null,\"O3_1H\":150,\"SO2_1H\":null}}\n");
}

TEST(hourly_methods)
{
    const char *const a[] = {"--edition=2012", "--hourly",    "--hourly-method", "table4",
                             "SO2_1H=900",     "SO2_24H=300", "PM2_5_1H=80",     "PM2_5_24H=600",
                             "O3_8H=200",      NULL};
    CHECK_INT(run(a), 0);
    CHECK_STR(out, "{\"edition\":2012,\"aqi\":500,\"level\":\"六级\",\"category\":\"严重污染\","
                   "\"color\":\"#7E0023\",\"primary\":[\"PM2.5\"],\"over_range\":[\"PM2_5_24H\"],"
                   "\"iaqi\":{\"SO2_1H\":null,\"SO2_24H\":124,\"PM2_5_1H\":null,"
                   "\"PM2_5_24H\":500,\"O3_8H\":137}}\n");
    const char *const b[] = {"--hourly",      "--edition", "2012",      "PM2_5_1H=80",
                             "PM2_5_24H=600", "O3_8H=200", "O3_1H=100", NULL};
    CHECK_INT(run(b), 0);
    CHECK(strstr(out, "\"aqi\":107,") != NULL);
    CHECK(strstr(out, "\"iaqi\":{\"PM2_5_1H\":107,\"PM2_5_24H\":null,\"O3_8H\":null,"
                      "\"O3_1H\":32}") != NULL);
}

TEST(iaqi_mode)
{
    const char *const a[] = {"--edition",   "2026",        "--iaqi",
                             "SO2_1H=900",  "O3_8H=801",   "PM2_5_1H=60.5",
                             "CO_24H=2.25", "PM10_1H=700", NULL};
    CHECK_INT(run(a), 0);
    CHECK_STR(out, "{\"edition\":2026,\"aqi\":null,\"level\":null,\"category\":null,"
                   "\"color\":null,\"primary\":[],\"over_range\":[\"PM10_1H\"],"
                   "\"iaqi\":{\"SO2_1H\":200,\"O3_8H\":300,\"PM2_5_1H\":100,\"CO_24H\":55,"
                   "\"PM10_1H\":500}}\n");
    const char *const b[] = {"--edition", "2012", "--iaqi", "SO2_1H=900", "CO_24H=2.2", NULL};
    CHECK_INT(run(b), 0);
    CHECK(strstr(out, "\"iaqi\":{\"SO2_1H\":null,\"CO_24H\":55}") != NULL);
}

TEST(usage_errors)
{
    static const char *const cases[][6] = {
        {"--edition", "2013", "--daily", "PM2_5_24H=1", NULL},
        {"--daily", "PM2_5_24H=1", NULL},
        {"--edition", "2012", "PM2_5_24H=1", NULL},
        {"--edition", "2012", "--daily", "--hourly", "PM2_5_24H=1", NULL},
        {"--edition", "2012", "--daily", "PM2_5_24H=abc", NULL},
        {"--edition", "2012", "--daily", "PM25=1", NULL},
        {"--edition", "2012", "--daily", "PM2_5_24H=-3", NULL},
        {"--edition", "2012", "--daily", "PM2_5_24H=1", "PM2_5_24H=2", NULL},
        {"--edition", "2012", "--daily", NULL},
        {"--edition", "2026", "--hourly", "--hourly-method", "table4", NULL},
        {"--edition", "2012", "--daily", "--hourly-method", "published", NULL},
        {"--edition", "2012", "--hourly", "--hourly-method", "literal", NULL},
        {"--edition", "2012", "--daily", "--frobnicate", NULL},
        {"--edition", "2012", "--daily", "PM2_5_24H", NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        CHECK_INT(run(cases[i]), 2);
        CHECK_STR(out, "");
        /* one line on stderr */
        char *nl = strchr(err_text, '\n');
        CHECK(nl != NULL && nl[1] == '\0');
    }
    const char *const a[] = {"--edition", "2012", "--daily", "PM2_5_24H=abc", NULL};
    run(a);
    CHECK(strstr(err_text, "PM2_5_24H=abc") != NULL);
}

TEST(help)
{
    const char *const a[] = {"--help", NULL};
    CHECK_INT(run(a), 0);
    CHECK(strncmp(out, "usage: zhizhi aqi", 17) == 0);
}

TEST_SUITE({"daily_2012", daily_2012}, {"hourly_methods", hourly_methods}, {"iaqi_mode", iaqi_mode},
           {"usage_errors", usage_errors}, {"help", help});
