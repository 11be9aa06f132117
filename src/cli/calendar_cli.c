/* `zhizhi calendar add-workdays DATE N` and `zhizhi calendar is-workday DATE`: the working-day
 * calendar of core/calendar.h on the command line. */
#include "cli/calendar_cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/calendar.h"
#include "core/clock.h"

static const char usage[] =
    "usage: zhizhi calendar add-workdays DATE N | zhizhi calendar is-workday DATE\n";

static int parse_count(const char *s, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (!*s || *end || errno || v < 0 || v > 100000)
        return -1;
    *out = (int)v;
    return 0;
}

static int run(struct calendar *cal, char **pos, int npos)
{
    struct app_error err = {0};
    int64_t day, out;
    int n, y, m, d;
    bool work;
    if (npos < 2 || clock_parse_date(pos[1], &day)) {
        fprintf(stderr, "zhizhi calendar: %s: 日期应为 YYYY-MM-DD\n", npos < 2 ? "DATE" : pos[1]);
        return CLI_USAGE;
    }
    if (strcmp(pos[0], "is-workday") == 0 && npos == 2) {
        if (calendar_is_workday(cal, day, &work, &err))
            goto fail;
        puts(work ? "yes" : "no");
        return CLI_OK;
    }
    if (strcmp(pos[0], "add-workdays") == 0 && npos == 3) {
        if (parse_count(pos[2], &n)) {
            fprintf(stderr, "zhizhi calendar: %s: N 应为 0 到 100000 的整数\n", pos[2]);
            return CLI_USAGE;
        }
        if (calendar_add_workdays(cal, day, n, &out, &err))
            goto fail;
        clock_civil_from_days(out, &y, &m, &d);
        printf("%04d-%02d-%02d\n", y, m, d);
        return CLI_OK;
    }
    fputs(usage, stderr);
    return CLI_USAGE;
fail:
    fprintf(stderr, "zhizhi calendar: %s (%s)\n", err.message,
            err.code_name[0] ? err.code_name : app_error_name(err.code));
    return CLI_USAGE;
}

int calendar_cli_main(int argc, char **argv)
{
    struct config cfg;
    struct calendar cal;
    struct app_error err = {0};
    char *rest[64];
    int nrest, rc;
    if (argc > 64)
        return CLI_USAGE;
    if (cli_wants_help(argc, argv)) {
        fputs(usage, stdout);
        return CLI_OK;
    }
    rc = cli_load_config(argc, argv, &cfg, rest, &nrest);
    if (rc)
        goto out;
    if (nrest < 1) {
        fputs(usage, stderr);
        rc = CLI_USAGE;
        goto out;
    }
    if (calendar_load_dir(&cal, cfg.data_dir, &err)) {
        fprintf(stderr, "zhizhi calendar: %s\n", err.message);
        rc = CLI_USAGE;
        goto out;
    }
    rc = run(&cal, rest, nrest);
    calendar_release(&cal);
out:
    config_release(&cfg);
    return rc;
}
