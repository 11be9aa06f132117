/* `zhizhi calendar add-workdays DATE N`, `zhizhi calendar is-workday DATE` and `zhizhi calendar
 * import FILE`: the working-day calendar of core/calendar.h on the command line, and adding a
 * year's State Council notice to <data_dir>/cn-holidays.csv, recounting the open deadlines
 * that were counted over that year provisionally. */
#include "cli/calendar_cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "cli/cli.h"
#include "core/buf.h"
#include "core/calendar.h"
#include "core/clock.h"
#include "core/csv.h"
#include "core/xalloc.h"
#include "event/event.h"

static const char usage[] = "usage: zhizhi calendar add-workdays DATE N | zhizhi calendar "
                            "is-workday DATE | zhizhi calendar import FILE --data-dir DIR\n";

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

/* A line on stderr when the answer rests on a year without its State Council notice. */
static void note_provisional(const struct calendar *cal, int64_t from, int64_t to)
{
    if (calendar_span_provisional(cal, from * 86400 - CLOCK_CN_OFFSET,
                                  to * 86400 - CLOCK_CN_OFFSET))
        fputs("zhizhi calendar: 暂定：所涉年份的国务院节假日通知尚未导入，按法定节假日计算"
              "（无调休）\n",
              stderr);
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
        note_provisional(cal, day, day);
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
        note_provisional(cal, day, out);
        return CLI_OK;
    }
    fputs(usage, stderr);
    return CLI_USAGE;
fail:
    fprintf(stderr, "zhizhi calendar: %s (%s)\n", err.message,
            err.code_name[0] ? err.code_name : app_error_name(err.code));
    return CLI_USAGE;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct buf b = BUF_INIT;
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(&b, chunk, got);
    fclose(f);
    return buf_detach(&b, len);
}

static void put_field(struct buf *out, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        buf_puts(out, s);
        return;
    }
    buf_putc(out, '"');
    for (; *s; s++) {
        if (*s == '"')
            buf_putc(out, '"');
        buf_putc(out, *s);
    }
    buf_putc(out, '"');
}

/* Append the rows of csv whose year is in years[] (want_in) or not (!want_in) to out as
 * date,kind,name. */
static int copy_rows(const char *csv, size_t len, const bool *years, int y0, int y1, bool want_in,
                     struct buf *out, struct app_error *err)
{
    struct csv_reader r;
    int ret = -1, rc;
    csv_init(&r, csv, len);
    if (csv_next(&r, err) != 1)
        goto out;
    int ic_date = csv_column(&r, "date"), ic_kind = csv_column(&r, "kind");
    int ic_name = csv_column(&r, "name");
    if (ic_date < 0 || ic_kind < 0)
        goto out;
    while ((rc = csv_next(&r, err)) == 1) {
        if (r.nfields <= ic_date || r.nfields <= ic_kind)
            continue;
        int y = atoi(r.fields[ic_date]);
        bool in = y >= y0 && y <= y1 && years[y - y0];
        if (in != want_in)
            continue;
        put_field(out, r.fields[ic_date]);
        buf_putc(out, ',');
        put_field(out, r.fields[ic_kind]);
        buf_putc(out, ',');
        put_field(out, ic_name >= 0 && r.nfields > ic_name ? r.fields[ic_name] : "");
        buf_putc(out, '\n');
    }
    ret = rc < 0 ? -1 : 0;
out:
    csv_release(&r);
    return ret;
}

/* zhizhi calendar import FILE: the years of FILE replace the same years of the data
 * directory's cn-holidays.csv (written atomically), then open deadlines are recounted. */
static int import_main(int argc, char **argv, const char *file)
{
    struct app app;
    struct app_error err = {0};
    struct calendar imp = {0}, old = {0}, cal = {0};
    struct buf out = BUF_INIT;
    char *rest[64], *text = NULL, *cur = NULL, path[4200], tmp[4300];
    size_t len = 0, curlen = 0;
    int nrest, changed = 0, rc = cli_open_app(argc, argv, &app, rest, &nrest);
    bool *years = NULL;
    if (rc)
        return rc;
    rc = CLI_FAIL;
    if (!(text = slurp(file, &len))) {
        fprintf(stderr, "zhizhi calendar import: %s: 无法读取\n", file);
        rc = CLI_USAGE;
        goto out;
    }
    if (calendar_load(&imp, text, len, &err)) {
        fprintf(stderr, "zhizhi calendar import: %s: %s (%s)\n", file, err.message, err.code_name);
        rc = CLI_USAGE;
        goto out;
    }
    int y0 = imp.first_year, y1 = imp.official_last_year;
    years = xcalloc((size_t)(y1 - y0 + 1), sizeof *years);
    for (int y = y0; y <= y1; y++)
        years[y - y0] =
            !calendar_year_provisional(&imp, y) && calendar_check_year(&imp, y, NULL, NULL) == 0;
    if (calendar_load_dir(&old, app.cfg.data_dir, &err))
        goto fail;
    snprintf(path, sizeof path, "%s/cn-holidays.csv", app.cfg.data_dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    buf_puts(&out, "date,kind,name\n");
    if ((cur = slurp(path, &curlen)) && copy_rows(cur, curlen, years, y0, y1, false, &out, &err))
        goto fail;
    if (copy_rows(text, len, years, y0, y1, true, &out, &err))
        goto fail;
    FILE *f = fopen(tmp, "wb");
    if (!f || fwrite(out.data, 1, out.len, f) != out.len || fflush(f) || fsync(fileno(f))) {
        if (f)
            fclose(f);
        fprintf(stderr, "zhizhi calendar import: %s: 写入失败\n", tmp);
        goto out;
    }
    fclose(f);
    if (rename(tmp, path)) {
        fprintf(stderr, "zhizhi calendar import: %s: 写入失败\n", path);
        goto out;
    }
    if (calendar_load_dir(&cal, app.cfg.data_dir, &err))
        goto fail;
    for (int y = y0; y <= y1; y++) {
        char id[16], after[64];
        if (!years[y - y0])
            continue;
        snprintf(id, sizeof id, "%d", y);
        snprintf(after, sizeof after, "year=%d;official=1", y);
        struct audit_entry ae = {.action = "calendar.import",
                                 .object_type = "calendar",
                                 .object_id = id,
                                 .after = after};
        if (audit_append(app.db, &ae, &err))
            goto fail;
        printf("%d 年节假日安排已导入%s\n", y,
               calendar_year_provisional(&old, y) ? "（此前按法定节假日暂定计算）" : "");
    }
    if (event_recalendar(app.db, &old, &cal, clock_now(), &changed, &err))
        goto fail;
    printf("%d 件在办事件的期限已按正式工作日历重新计算\n", changed);
    rc = CLI_OK;
    goto out;
fail:
    fprintf(stderr, "zhizhi calendar import: %s\n", err.message);
out:
    free(text);
    free(cur);
    free(years);
    buf_release(&out);
    calendar_release(&imp);
    calendar_release(&old);
    calendar_release(&cal);
    cli_close_app(&app);
    return rc;
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
    if (strcmp(rest[0], "import") == 0) {
        config_release(&cfg);
        if (nrest != 2) {
            fputs(usage, stderr);
            return CLI_USAGE;
        }
        return import_main(argc, argv, rest[1]);
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
