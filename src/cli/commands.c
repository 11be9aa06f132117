/* The subcommand table and the small commands of the foundation: init, version, backup,
 * locate, export regions and import regions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit_cli.h"
#include "auth/auth_cli.h"
#include "building/building_cli.h"
#include "cli/calendar_cli.h"
#include "cli/cli.h"
#include "component/component_cli.h"
#include "core/buf.h"
#include "core/log.h"
#include "dispatch/dispatch_cli.h"
#include "enterprise/enterprise_cli.h"
#include "geo/geo.h"
#include "http/system_api.h"
#include "lifecircle/lifecircle_cli.h"
#include "monitor/monitor_cli.h"
#include "org/org.h"
#include "org/org_api.h"
#include "org/org_cli.h"
#include "patrol/patrol_cli.h"
#include "renewal/renewal_cli.h"

int cli_serve(int argc, char **argv);

static int cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("zhizhi %s (SQLite %s)\n", ZHIZHI_VERSION, db_engine_version());
    return CLI_OK;
}

static int cmd_init(int argc, char **argv)
{
    struct app app;
    char *rest[64];
    int nrest;
    if (argc > 64)
        return CLI_USAGE;
    int rc = cli_open_app(argc, argv, &app, rest, &nrest);
    if (rc)
        return rc;
    printf("database %s ready, schema version %d\n", app.db_path, db_schema_version(app.db));
    cli_close_app(&app);
    return CLI_OK;
}

static int cmd_backup(int argc, char **argv)
{
    struct app app;
    struct app_error err = {0};
    char *rest[64];
    int nrest;
    if (argc > 64)
        return CLI_USAGE;
    int rc = cli_open_app(argc, argv, &app, rest, &nrest);
    if (rc)
        return rc;
    if (nrest != 1) {
        fprintf(stderr, "usage: zhizhi backup FILE\n");
        cli_close_app(&app);
        return CLI_USAGE;
    }
    rc = db_backup(app.db, rest[0], &err) ? CLI_FAIL : CLI_OK;
    if (rc)
        fprintf(stderr, "zhizhi backup: %s\n", err.message);
    else
        printf("backup written to %s\n", rest[0]);
    cli_close_app(&app);
    return rc;
}

static int parse_double(const char *s, double *out)
{
    char *end;
    *out = strtod(s, &end);
    return *s && !*end ? 0 : -1;
}

static int cmd_locate(int argc, char **argv)
{
    struct app app;
    struct app_error err = {0};
    char *rest[64];
    int nrest;
    const char *crs = "wgs84";
    double lon, lat;
    if (argc > 64)
        return CLI_USAGE;
    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], "--crs") == 0)
            crs = argv[i + 1];
    int rc = cli_open_app(argc, argv, &app, rest, &nrest);
    if (rc)
        return rc;
    /* rest holds LON LAT plus "--crs VALUE" which are not setting flags. */
    char *pos[4];
    int npos = 0;
    for (int i = 0; i < nrest; i++) {
        if (strcmp(rest[i], "--crs") == 0) {
            i++;
            continue;
        }
        if (npos < 4)
            pos[npos++] = rest[i];
    }
    rc = CLI_USAGE;
    if (npos != 2 || parse_double(pos[0], &lon) || parse_double(pos[1], &lat) ||
        (strcmp(crs, "wgs84") && strcmp(crs, "gcj02"))) {
        fprintf(stderr, "usage: zhizhi locate LON LAT [--crs wgs84|gcj02]\n");
        goto out;
    }
    if (strcmp(crs, "gcj02") == 0) {
        struct geo_point w = geo_gcj02_to_wgs84((struct geo_point){lon, lat});
        lon = w.lon;
        lat = w.lat;
    }
    rc = CLI_FAIL;
    if (org_start(&app, &err))
        goto fail;
    struct org_location loc;
    if (org_locate(&app, app.db, lon, lat, &loc, &err))
        goto fail;
    printf("grid      %s %s\ncommunity %s %s\nstreet    %s %s\ndistrict  %s %s\n", loc.grid.code,
           loc.grid.name, loc.community.code, loc.community.name, loc.street.code, loc.street.name,
           loc.district.code, loc.district.name);
    org_location_release(&loc);
    rc = CLI_OK;
    goto out;
fail:
    fprintf(stderr, "zhizhi locate: %s\n", err.message);
out:
    org_stop(&app);
    cli_close_app(&app);
    return rc;
}

static int cmd_export(int argc, char **argv)
{
    struct app app;
    struct app_error err = {0};
    char *rest[64];
    int nrest;
    const char *format = NULL;
    if (argc > 64)
        return CLI_USAGE;
    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], "--format") == 0)
            format = argv[i + 1];
    int rc = cli_open_app(argc, argv, &app, rest, &nrest);
    if (rc)
        return rc;
    int nobj = 0;
    for (int i = 0; i < nrest; i++) {
        if (strcmp(rest[i], "--format") == 0) {
            i++;
            continue;
        }
        nobj += strcmp(rest[i], "regions") == 0 ? 1 : 100;
    }
    if (nobj != 1 || !format || (strcmp(format, "csv") && strcmp(format, "geojson"))) {
        fprintf(stderr, "usage: zhizhi export regions --format geojson|csv\n");
        cli_close_app(&app);
        return CLI_USAGE;
    }
    struct org_region_query q = {.limit = 10000000, .with_geometry = true};
    struct org_region_list list = {0};
    bool more;
    rc = CLI_OK;
    if (org_region_list(app.db, &q, &list, &more, &err)) {
        fprintf(stderr, "zhizhi export: %s\n", err.message);
        rc = CLI_FAIL;
    } else {
        struct buf b = BUF_INIT;
        if (strcmp(format, "csv") == 0)
            org_api_write_csv(&list, &b);
        else
            org_api_write_geojson(&list, &b);
        fwrite(b.data, 1, b.len, stdout);
        buf_release(&b);
    }
    org_region_list_release(&list);
    cli_close_app(&app);
    return rc;
}

/* `import` dispatches on its object: readings (monitor) or regions (org). */
static int cmd_import(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "readings") == 0 && strncmp(argv[i - 1], "--", 2) != 0)
            return monitor_cli_import_readings(argc, argv);
    /* lifecircle: the walking network */
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "osm") == 0 && strncmp(argv[i - 1], "--", 2) != 0)
            return lifecircle_cli_import_osm(argc, argv);
    return org_cli_import(argc, argv);
}

const struct cli_command cli_commands[] = {
    {"serve", "[--print-config]", "serve the HTTP API and the browser apps", cli_serve},
    {"init", "[--admin-password-file FILE]",
     "create or migrate the database (seeding Yuzhong and the first admin when new)", cmd_init},
    {"import", "regions FILE [--crs wgs84|gcj02] | readings FILE.csv",
     "import regions and grids from GeoJSON or CSV (all or nothing), monitoring readings, or the "
     "walking network (osm FILE.osm.pbf|FILE.osm [--elevation FILE.csv])",
     cmd_import},
    {"export", "regions --format geojson|csv", "write the region tree to stdout", cmd_export},
    {"locate", "LON LAT [--crs wgs84|gcj02]", "find the grid, community and street of a point",
     cmd_locate},
    {"backup", "FILE", "copy the database with SQLite's online backup", cmd_backup},
    {"aqi",
     "--edition 2012|2026 (--daily | --hourly [--hourly-method published|table4] | --iaqi) "
     "NAME=VALUE ...",
     "compute IAQI/AQI per HJ 633 (prints one JSON object)", monitor_cli_aqi},
    {.name = "calendar",
     .usage = "add-workdays DATE N | is-workday DATE",
     .summary = "working days over the Chinese holiday calendar (调休 included)",
     .run = calendar_cli_main},
    {"user", "add|passwd|disable|list [USERNAME] [--role ROLE ...]",
     "manage accounts (zhizhi user --help shows the options)", auth_cli_main},
    {"station", "key STATION | key rotate STATION | key revoke STATION|KEY_ID",
     "issue, rotate or revoke a monitoring station's device keys", monitor_cli_station},
    {"audit", "verify", "check the hash chain of the audit log", audit_cli_main},
    /* component (issue 23) */
    {"component", "check-code CODE [--json]",
     "check a 16-digit component code (GB/T 30428.2) of this district", component_cli_main},
    {"version", "", "print the version", cmd_version},
    /* patrol */
    {"patrol", "coverage --buffer METRES SEGMENT.geojson TRACK.geojson [--json]",
     "share of a river segment within a buffer of a patrol track (WGS84 LineStrings)",
     patrol_cli_main},
    /* building economy */
    {"uscc", "check CODE [--json]", "check a 统一社会信用代码 (GB 32100-2015)", building_cli_uscc},
    /* enterprise services (issue 17) */
    {"policy", "run POLICY_FILE [--json]",
     "run a 免申即享 policy over the registry: eligible enterprises with each rule's result",
     enterprise_cli_policy},
    /* lifecircle */
    {"route", "[--profile walk|elderly] FROM_LON FROM_LAT TO_LON TO_LAT [--json]",
     "walking minutes, metres and climb between two WGS84 points (stairs up slower than down)",
     lifecircle_cli_route},
    /* renewal (issue 18) */
    {"finance",
     "npv --rate R FLOW0 FLOW1 ... | irr FLOW0 FLOW1 ... | pmt --rate R --periods N "
     "--principal P [--json]",
     "NPV (year 0 undiscounted), IRR and PMT as the spreadsheets compute them",
     renewal_cli_finance},
    {"vote", "tally --matter major|ordinary FILE.csv [--json]",
     "tally an owners' vote per 民法典 第二百七十八条 (CSV unit,owner,area,vote)",
     renewal_cli_vote},
    /* dispatch (issue 22) */
    {"dispatch", "train FILE.csv --model OUT | eval FILE.csv --model M [--json] | train",
     "train or evaluate the dispatch classifier on a label,text CSV (or train from closed events)",
     dispatch_cli_main},
    {NULL, NULL, NULL, NULL},
};
