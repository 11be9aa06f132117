/* `zhizhi aqi`: parses the calculator's arguments into an AQI input, runs the HJ 633 rules of
 * monitor/aqi.h and prints the result as one JSON object; and `zhizhi import readings`. */
#include "monitor/monitor_cli.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "monitor/aqi.h"
#include "monitor/dec.h"
#include "monitor/monitor.h"
#include "org/org.h"

static const char usage[] =
    "usage: zhizhi aqi --edition 2012|2026 (--daily | --hourly [--hourly-method "
    "published|table4] | --iaqi) NAME=VALUE ...\n"
    "\n"
    "Compute IAQI, AQI, primary pollutants, level, category and colour per HJ 633-2012 or\n"
    "HJ 633-2026 and print one JSON object.\n"
    "\n"
    "  --edition 2012|2026   rules of HJ 633-2012 (data before 2026-03-01) or HJ 633-2026\n"
    "  --daily               daily report (2012: 24-h means, O3 max 1-h and max 8-h;\n"
    "                        2026: 24-h means and O3 max 8-h)\n"
    "  --hourly              real-time report (1-h values; PM 1-h on the 24-h breakpoints)\n"
    "  --hourly-method M     2012 only: published (default, as the national network\n"
    "                        published) or table4 (HJ 633-2012 Table 4 literally: O3 8-h,\n"
    "                        PM 24-h moving means)\n"
    "  --iaqi                only the IAQI of each value (aqi is null)\n"
    "\n"
    "NAME: SO2_24H SO2_1H NO2_24H NO2_1H PM10_24H PM10_1H CO_24H CO_1H O3_1H O3_8H\n"
    "      PM2_5_24H PM2_5_1H\n"
    "VALUE: a decimal number in ug/m3 (CO in mg/m3); for --daily O3_1H and O3_8H are the\n"
    "day's maxima, for --hourly the *_24H values are 24-h moving means.\n"
    "The AQI is computed from the values given; a NAME the report does not use has iaqi null.\n"
    "Exit status: 0 done, 2 bad usage or input.\n";

enum mode { MODE_NONE, MODE_DAILY, MODE_HOURLY, MODE_IAQI };

static int bad(const char *arg, const char *why)
{
    fprintf(stderr, "zhizhi aqi: %s: %s (see zhizhi aqi --help)\n", arg, why);
    return 2;
}

/* The value of option `name` given as "--name value" or "--name=value", or NULL. */
static const char *option_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) != 0)
        return NULL;
    if (argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (argv[*i][n] != '\0')
        return NULL;
    if (*i + 1 >= argc)
        return "";
    return argv[++*i];
}

static json_t *level_fields(json_t *o, bool has, int aqi)
{
    const struct monitor_aqi_level *lv = has ? monitor_aqi_level_of(aqi) : NULL;
    json_object_set_new(o, "level", lv ? json_string(lv->name) : json_null());
    json_object_set_new(o, "category", lv ? json_string(lv->category) : json_null());
    json_object_set_new(o, "color", lv ? json_string(lv->color) : json_null());
    return o;
}

int monitor_cli_aqi(int argc, char **argv)
{
    enum monitor_edition ed = 0;
    enum mode mode = MODE_NONE;
    enum monitor_hourly_method method = MONITOR_HOURLY_PUBLISHED;
    const char *method_arg = NULL;
    struct monitor_aqi_input in;
    enum monitor_indicator order[MONITOR_INDICATOR_COUNT];
    int given = 0;
    struct app_error err;

    memset(&in, 0, sizeof(in));
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        }
        if ((v = option_value(argc, argv, &i, "--edition"))) {
            if (strcmp(v, "2012") == 0)
                ed = MONITOR_EDITION_2012;
            else if (strcmp(v, "2026") == 0)
                ed = MONITOR_EDITION_2026;
            else
                return bad("--edition", "must be 2012 or 2026");
        } else if ((v = option_value(argc, argv, &i, "--hourly-method"))) {
            if (strcmp(v, "published") == 0)
                method = MONITOR_HOURLY_PUBLISHED;
            else if (strcmp(v, "table4") == 0)
                method = MONITOR_HOURLY_TABLE4;
            else
                return bad("--hourly-method", "must be published or table4");
            method_arg = v;
        } else if (strcmp(a, "--daily") == 0 || strcmp(a, "--hourly") == 0 ||
                   strcmp(a, "--iaqi") == 0) {
            if (mode != MODE_NONE)
                return bad(a, "give only one of --daily, --hourly, --iaqi");
            mode = a[2] == 'd' ? MODE_DAILY : a[2] == 'h' ? MODE_HOURLY : MODE_IAQI;
        } else if (a[0] == '-' && a[1] == '-') {
            return bad(a, "unknown option");
        } else {
            const char *eq = strchr(a, '=');
            char name[32];
            enum monitor_indicator ind;
            int64_t c;
            if (!eq || (size_t)(eq - a) >= sizeof(name))
                return bad(a, "expected NAME=VALUE");
            memcpy(name, a, (size_t)(eq - a));
            name[eq - a] = '\0';
            if (monitor_indicator_parse(name, &ind) < 0)
                return bad(a, "unknown NAME (SO2_24H SO2_1H NO2_24H NO2_1H PM10_24H PM10_1H "
                              "CO_24H CO_1H O3_1H O3_8H PM2_5_24H PM2_5_1H)");
            if (in.has[ind])
                return bad(a, "NAME given twice");
            if (monitor_dec_parse(eq + 1, &c, name, &err) < 0)
                return bad(a, err.message);
            if (c < 0)
                return bad(a, "a concentration cannot be negative");
            monitor_aqi_input_set(&in, ind, c);
            order[given++] = ind;
        }
    }
    if (ed == 0)
        return bad("--edition", "missing (2012 or 2026)");
    if (mode == MODE_NONE)
        return bad("mode", "give one of --daily, --hourly, --iaqi");
    if (method_arg && mode != MODE_HOURLY)
        return bad("--hourly-method", "only with --hourly");
    if (method_arg && method == MONITOR_HOURLY_TABLE4 && ed != MONITOR_EDITION_2012)
        return bad("--hourly-method", "table4 exists only in HJ 633-2012 (--edition 2012)");
    if (given == 0)
        return bad("NAME=VALUE", "give at least one concentration");

    struct monitor_aqi_result res;
    memset(&res, 0, sizeof(res));
    res.edition = ed;
    if (mode == MODE_IAQI) {
        /* IAQI of each value on its own column; PM 1-h on the 24-h breakpoints as in the
         * default hourly method; the special rules of 表1/表3 notes apply */
        for (int k = 0; k < given; k++) {
            if (monitor_iaqi(ed, order[k], in.conc[order[k]], &res.iaqi[order[k]], &err) < 0)
                return bad(monitor_indicator_name(order[k]), err.message);
            if (res.iaqi[order[k]].over_range)
                res.over_range |= 1u << order[k];
        }
    } else if (monitor_aqi(ed, mode == MODE_DAILY ? MONITOR_REPORT_DAILY : MONITOR_REPORT_HOURLY,
                           method, &in, &res, &err) < 0) {
        return bad(err.field, err.message);
    }

    json_t *o = json_object();
    json_object_set_new(o, "edition", json_integer(ed));
    json_object_set_new(o, "aqi", res.has_aqi ? json_integer(res.aqi) : json_null());
    level_fields(o, res.has_aqi, res.aqi);
    json_t *primary = json_array();
    for (int p = 0; p < MONITOR_POLLUTANT_COUNT; p++) {
        if (res.primary & (1u << p))
            json_array_append_new(primary, json_string(monitor_pollutant_name(p)));
    }
    json_object_set_new(o, "primary", primary);
    json_t *over = json_array(), *iaqi = json_object();
    for (int k = 0; k < given; k++) {
        enum monitor_indicator ind = order[k];
        const struct monitor_iaqi *v = &res.iaqi[ind];
        if (res.over_range & (1u << ind))
            json_array_append_new(over, json_string(monitor_indicator_name(ind)));
        json_object_set_new(iaqi, monitor_indicator_name(ind),
                            v->computed ? json_integer(v->value) : json_null());
    }
    json_object_set_new(o, "over_range", over);
    json_object_set_new(o, "iaqi", iaqi);
    char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (!text) {
        fprintf(stderr, "zhizhi aqi: out of memory\n");
        return 1;
    }
    puts(text);
    free(text);
    fflush(stdout);
    return 0;
}

/* ---- zhizhi import readings FILE.csv ----------------------------------------------------- */

static void progress_bar(void *ctx, size_t done, size_t total)
{
    (void)ctx;
    int width = 30, filled = total ? (int)(done * (size_t)width / total) : width;
    fprintf(stderr, "\r导入读数 [%.*s%*s] %3d%% %zu/%zu", filled, "##############################",
            width - filled, "", total ? (int)(done * 100 / total) : 100, done, total);
    if (done == total)
        fputc('\n', stderr);
    fflush(stderr);
}

static int read_whole(const char *path, struct buf *out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        buf_append(out, chunk, n);
    int bad = ferror(f);
    fclose(f);
    return bad ? -1 : 0;
}

int monitor_cli_import_readings(int argc, char **argv)
{
    struct app app;
    struct app_error err = {0};
    struct monitor_ingest_result res = {0};
    struct buf b = BUF_INIT;
    char *rest[64], *pos[4];
    int nrest, npos = 0;
    if (argc > 64)
        return CLI_USAGE;
    int rc = cli_open_app(argc, argv, &app, rest, &nrest);
    if (rc)
        return rc;
    for (int i = 0; i < nrest; i++)
        if (npos < 4)
            pos[npos++] = rest[i];
        else
            npos++;
    rc = CLI_USAGE;
    if (npos != 2 || strcmp(pos[0], "readings") != 0) {
        fprintf(stderr, "usage: zhizhi import readings FILE.csv\n");
        goto out;
    }
    rc = CLI_FAIL;
    if (read_whole(pos[1], &b)) {
        fprintf(stderr, "zhizhi import: cannot read %s\n", pos[1]);
        goto out;
    }
    /* Alerts raised by imported readings open events, which are located in grids. */
    if (org_start(&app, &err)) {
        fprintf(stderr, "zhizhi import: %s\n", err.message);
        goto out;
    }
    bool tty = isatty(STDERR_FILENO);
    if (monitor_ingest_csv(&app, app.db, buf_cstr(&b), b.len, tty ? progress_bar : NULL, NULL, &res,
                           &err)) {
        fprintf(stderr, "zhizhi import: %s%s%s (%s)\n", err.field, err.field[0] ? ": " : "",
                err.message, err.code_name[0] ? err.code_name : app_error_name(err.code));
        org_stop(&app);
        goto out;
    }
    org_stop(&app);
    json_t *rej = json_array();
    for (size_t i = 0; i < res.nrejected; i++) {
        const struct monitor_reject *r = &res.rejected[i];
        json_array_append_new(rej, json_pack("{s:i,s:s,s:s,s:s}", "line", r->line, "field",
                                             r->field, "code", r->code, "reason", r->reason));
        fprintf(stderr, "zhizhi import: line %d: %s: %s (%s)\n", r->line, r->field, r->reason,
                r->code);
    }
    json_t *o = json_pack("{s:i,s:i,s:o,s:i,s:i}", "accepted", res.accepted, "duplicates",
                          res.duplicates, "rejected", rej, "alerts_opened", res.alerts_opened,
                          "alerts_cleared", res.alerts_cleared);
    char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (text)
        puts(text);
    free(text);
    /* Good rows are kept either way; a non-zero status tells scripts that some were refused. */
    rc = res.nrejected ? CLI_FAIL : CLI_OK;
out:
    monitor_ingest_result_release(&res);
    buf_release(&b);
    cli_close_app(&app);
    return rc;
}

/* ---- zhizhi station key ------------------------------------------------------------------ */

int monitor_cli_station(int argc, char **argv)
{
    struct app app;
    char *rest[16], *pos[4] = {0};
    int nrest, npos = 0;
    struct app_error err = {0};
    if (argc > 16)
        return CLI_USAGE;
    int rc = cli_open_app(argc, argv, &app, rest, &nrest);
    if (rc)
        return rc;
    for (int i = 0; i < nrest && npos < 4; i++)
        pos[npos++] = rest[i];
    char key[MONITOR_KEY_LEN + 1];
    int64_t id = 0;
    int n = 0;
    rc = CLI_USAGE;
    if (npos >= 2 && strcmp(pos[0], "key") == 0) {
        bool rotate = strcmp(pos[1], "rotate") == 0, revoke = strcmp(pos[1], "revoke") == 0;
        const char *station = rotate || revoke ? pos[2] : pos[1];
        if (!station || npos != (rotate || revoke ? 3 : 2)) {
            rc = CLI_USAGE;
        } else if (revoke) {
            /* A number names one key (the N of device-key:N in the audit log), else a station. */
            char *end;
            long long kid = strtoll(station, &end, 10);
            bool by_id = *station && !*end && kid > 0;
            rc = monitor_key_revoke(app.db, by_id ? NULL : station, by_id ? kid : 0, &n, &err)
                     ? CLI_FAIL
                     : CLI_OK;
            if (rc == CLI_OK)
                printf("%d key(s) revoked\n", n);
        } else {
            rc = monitor_key_issue(app.db, station, rotate, key, &id, &err) ? CLI_FAIL : CLI_OK;
            if (rc == CLI_OK) {
                /* The key alone on stdout, for scripts; its id on stderr. */
                printf("%s\n", key);
                fprintf(stderr,
                        "device key %lld for station %s%s (shown once; only its hash is "
                        "kept)\n",
                        (long long)id, station, rotate ? ", earlier keys revoked" : "");
            }
        }
    }
    if (rc == CLI_FAIL)
        fprintf(stderr, "zhizhi station: %s\n", err.message);
    else if (rc == CLI_USAGE)
        fprintf(stderr, "usage: zhizhi station key STATION | key rotate STATION | "
                        "key revoke STATION|KEY_ID\n");
    cli_close_app(&app);
    return rc;
}
