/* `zhizhi import osm` reads an OpenStreetMap file (and an elevation CSV) into the stored walking
 * network, with a progress line on a terminal; `zhizhi route` answers one walk between two
 * WGS84 points over the stored network. */
#include "lifecircle/lifecircle_cli.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "lifecircle/lifecircle.h"
#include "org/org.h"

static void progress(void *ctx, size_t nodes, size_t ways)
{
    (void)ctx;
    fprintf(stderr, "\r读取路网 节点 %zu 步行路段 %zu", nodes, ways);
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

static void print_error(const char *cmd, const struct app_error *err)
{
    fprintf(stderr, "zhizhi %s: %s%s%s (%s)\n", cmd, err->field, err->field[0] ? ": " : "",
            err->message, err->code_name[0] ? err->code_name : app_error_name(err->code));
}

int lifecircle_cli_import_osm(int argc, char **argv)
{
    struct app app;
    struct app_error err = {0};
    struct lifecircle_osm o = {0};
    struct lifecircle_import_result res = {0};
    struct buf eb = BUF_INIT;
    char *rest[64];
    const char *file = NULL, *elevation = NULL;
    int nrest;
    if (argc > 64)
        return CLI_USAGE;
    int rc = cli_open_app(argc, argv, &app, rest, &nrest);
    if (rc)
        return rc;
    rc = CLI_USAGE;
    for (int i = 0; i < nrest; i++) {
        if (strcmp(rest[i], "--elevation") == 0 && i + 1 < nrest)
            elevation = rest[++i];
        else if (strncmp(rest[i], "--elevation=", 12) == 0)
            elevation = rest[i] + 12;
        else if (strcmp(rest[i], "osm") == 0 && i == 0)
            continue;
        else if (!file && rest[i][0] != '-')
            file = rest[i];
        else {
            fprintf(stderr,
                    "usage: zhizhi import osm FILE.osm.pbf|FILE.osm [--elevation FILE.csv]\n");
            goto out;
        }
    }
    if (!file) {
        fprintf(stderr, "usage: zhizhi import osm FILE.osm.pbf|FILE.osm [--elevation FILE.csv]\n");
        goto out;
    }
    rc = CLI_FAIL;
    bool tty = isatty(STDERR_FILENO);
    if (lifecircle_osm_read(file, tty ? progress : NULL, NULL, &o, &err)) {
        if (tty)
            fputc('\n', stderr);
        print_error("import", &err);
        goto out;
    }
    if (tty)
        fputc('\n', stderr);
    if (elevation) {
        if (read_whole(elevation, &eb)) {
            fprintf(stderr, "zhizhi import: cannot read %s\n", elevation);
            goto out;
        }
        if (lifecircle_osm_elevation(&o, buf_cstr(&eb), eb.len, &res, &err)) {
            for (size_t i = 0; i < res.len; i++)
                fprintf(stderr, "zhizhi import: %s line %d: %s: %s (%s)\n", elevation,
                        res.items[i].line, res.items[i].field, res.items[i].reason,
                        res.items[i].code);
            print_error("import", &err);
            goto out;
        }
    }
    /* Facilities are located in the district's grids. */
    if (org_start(&app, &err)) {
        print_error("import", &err);
        goto out;
    }
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    int saved = lifecircle_network_save(&app, app.db, NULL, &o, base,
                                        "© OpenStreetMap contributors, ODbL 1.0", false, &err);
    org_stop(&app);
    if (saved) {
        print_error("import", &err);
        goto out;
    }
    json_t *j = json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:I}", "source", base, "nodes",
                          (json_int_t)o.n_nodes, "segments", (json_int_t)o.n_segs, "ways",
                          (json_int_t)o.ways, "steps", (json_int_t)o.steps, "elevators",
                          (json_int_t)o.elevators, "facilities", (json_int_t)o.pois.len);
    char *text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(j);
    if (text)
        puts(text);
    free(text);
    rc = CLI_OK;
out:
    lifecircle_osm_release(&o);
    lifecircle_import_result_release(&res);
    buf_release(&eb);
    cli_close_app(&app);
    return rc;
}

static int parse_coord(const char *s, double *out)
{
    char *end = NULL;
    if (!s || !*s)
        return -1;
    *out = strtod(s, &end);
    return *end ? -1 : 0;
}

int lifecircle_cli_route(int argc, char **argv)
{
    static const char usage[] =
        "usage: zhizhi route [--profile walk|elderly] FROM_LON FROM_LAT TO_LON TO_LAT [--json]\n";
    struct app app;
    struct app_error err = {0};
    char *rest[64];
    const char *pos[4];
    int nrest, npos = 0, profile = LC_PROFILE_WALK;
    bool as_json = false;
    if (cli_wants_help(argc, argv)) {
        fputs(usage, stdout);
        return CLI_OK;
    }
    if (argc > 64)
        return CLI_USAGE;
    int rc = cli_open_app(argc, argv, &app, rest, &nrest);
    if (rc)
        return rc;
    rc = CLI_USAGE;
    for (int i = 0; i < nrest; i++) {
        if (strcmp(rest[i], "--json") == 0)
            as_json = true;
        else if (strcmp(rest[i], "--profile") == 0 && i + 1 < nrest) {
            if ((profile = lc_profile_parse(rest[++i])) < 0) {
                fprintf(stderr, "zhizhi route: --profile must be walk or elderly\n");
                goto out;
            }
        } else if (npos < 4 && (rest[i][0] != '-' || (rest[i][1] >= '0' && rest[i][1] <= '9')))
            pos[npos++] = rest[i];
        else {
            fputs(usage, stderr);
            goto out;
        }
    }
    double c[4];
    if (npos != 4) {
        fputs(usage, stderr);
        goto out;
    }
    for (int i = 0; i < 4; i++)
        if (parse_coord(pos[i], &c[i])) {
            fprintf(stderr, "zhizhi route: %s is not a number\n", pos[i]);
            goto out;
        }
    rc = CLI_FAIL;
    struct lifecircle_route_result r;
    if (lifecircle_load(app.db, &err) ||
        lifecircle_route((enum lc_profile_id)profile, c[0], c[1], c[2], c[3], &r, &err)) {
        print_error("route", &err);
        goto out;
    }
    if (as_json) {
        json_t *j =
            json_pack("{s:f,s:f,s:f,s:s,s:f,s:f}", "minutes", r.minutes, "metres", r.metres,
                      "climb_m", r.climb_m, "profile", lc_profile_name((enum lc_profile_id)profile),
                      "snap_from_m", r.snap_from_m, "snap_to_m", r.snap_to_m);
        char *text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
        json_decref(j);
        if (text)
            puts(text);
        free(text);
    } else {
        printf("步行 %.1f 分钟，%.0f 米，爬升 %.0f 米（%s）\n", r.minutes, r.metres, r.climb_m,
               profile == LC_PROFILE_ELDERLY ? "老年人" : "一般步行");
    }
    rc = CLI_OK;
out:
    lifecircle_stop(&app);
    cli_close_app(&app);
    return rc;
}
