/* zhizhi import regions FILE: read a GeoJSON or CSV file of regions and import it as a whole
 * (org_import_run), reporting the first refusal with the feature index or line number. */
#include "org/org_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "org/org.h"
#include "org/org_api.h"

static int read_file(const char *path, struct buf *out)
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

/* GeoJSON by extension, else by a first non-blank '{'; everything else is CSV. */
static bool looks_like_geojson(const char *path, const struct buf *b)
{
    const char *dot = strrchr(path, '.');
    if (dot && (strcmp(dot, ".geojson") == 0 || strcmp(dot, ".json") == 0))
        return true;
    if (dot && strcmp(dot, ".csv") == 0)
        return false;
    for (size_t i = 0; i < b->len; i++)
        if (b->data[i] != ' ' && b->data[i] != '\n' && b->data[i] != '\r' && b->data[i] != '\t')
            return b->data[i] == '{';
    return false;
}

int org_cli_import(int argc, char **argv)
{
    struct app app;
    struct app_error err = {0};
    struct org_import imp;
    struct org_import_result res;
    struct buf b = BUF_INIT;
    char *rest[64], *pos[4];
    int nrest, npos = 0;
    const char *crs = NULL;
    if (argc > 64)
        return CLI_USAGE;
    int rc = cli_open_app(argc, argv, &app, rest, &nrest);
    if (rc)
        return rc;
    org_import_init(&imp);
    for (int i = 0; i < nrest; i++) {
        if (strcmp(rest[i], "--crs") == 0 && i + 1 < nrest)
            crs = rest[++i];
        else if (strncmp(rest[i], "--crs=", 6) == 0)
            crs = rest[i] + 6;
        else if (npos < 4)
            pos[npos++] = rest[i];
        else
            npos++;
    }
    rc = CLI_USAGE;
    if (npos != 2 || strcmp(pos[0], "regions") != 0) {
        fprintf(stderr, "usage: zhizhi import regions FILE [--crs wgs84|gcj02]\n");
        goto out;
    }
    if (org_import_set_crs(&imp, crs, "crs", &err)) {
        fprintf(stderr, "zhizhi import: --crs: %s\n", err.message);
        goto out;
    }
    rc = CLI_FAIL;
    if (read_file(pos[1], &b)) {
        fprintf(stderr, "zhizhi import: cannot read %s\n", pos[1]);
        goto out;
    }
    int bad = looks_like_geojson(pos[1], &b)
                  ? org_api_read_geojson(buf_cstr(&b), b.len, &imp, &err)
                  : org_import_parse_csv(buf_cstr(&b), b.len, &imp, &err);
    /* No index to rebuild here: a running server rebuilds its own on restart or its next
     * import. */
    if (bad || org_import_run(NULL, app.db, &imp, &res, &err)) {
        fprintf(stderr, "zhizhi import: %s%s%s (%s)\n", err.field, err.field[0] ? ": " : "",
                err.message, err.code_name[0] ? err.code_name : app_error_name(err.code));
        goto out;
    }
    printf("imported %zu regions: %zu new, %zu updated, %zu grids removed, %zu communities "
           "checked for tiling\n",
           imp.len, res.inserted, res.updated, res.grids_removed, res.communities_tiled);
    rc = CLI_OK;
out:
    buf_release(&b);
    org_import_release(&imp);
    cli_close_app(&app);
    return rc;
}
