/* `zhizhi patrol coverage`: the coverage rule of the patrol module on two files (GeoJSON, or GPX
 * for the track as GPS loggers export it), without a database. */
#include "patrol/patrol_cli.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/buf.h"
#include "geo/geo.h"

static const char usage[] =
    "usage: zhizhi patrol coverage --buffer METRES SEGMENT.geojson TRACK.geojson|TRACK.gpx "
    "[--json]\n"
    "  the share (0..1) of the segment (a WGS84 LineString) within METRES of the track\n"
    "  (GeoJSON, or a GPX file: its trkseg and rte)\n";

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

static int load(const char *path, const char *what, struct geo_lines *out)
{
    struct buf b = BUF_INIT;
    struct app_error err = {0};
    if (read_file(path, &b)) {
        fprintf(stderr, "zhizhi patrol: cannot read %s %s\n", what, path);
        buf_release(&b);
        return 1;
    }
    const char *text = buf_cstr(&b);
    size_t skip = strspn(text, " \t\r\n");
    if (strncmp(text + skip, "\xEF\xBB\xBF", 3) == 0)
        skip += 3;
    int64_t first, last;
    int rc = text[skip] == '<' ? geo_gpx_parse(text, b.len, what, out, &first, &last, &err)
                               : geo_lines_parse(text, what, out, &err);
    buf_release(&b);
    if (rc) {
        fprintf(stderr, "zhizhi patrol: %s %s: %s\n", what, path, err.message);
        return 2;
    }
    return 0;
}

static int coverage(int argc, char **argv)
{
    const char *files[2] = {NULL, NULL};
    int nfiles = 0;
    bool json = false, have_buffer = false;
    double buffer = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            json = true;
        } else if (strcmp(argv[i], "--buffer") == 0 || strncmp(argv[i], "--buffer=", 9) == 0) {
            const char *v = argv[i][8] == '=' ? argv[i] + 9 : (i + 1 < argc ? argv[++i] : NULL);
            char *end = NULL;
            buffer = v ? strtod(v, &end) : NAN;
            if (!v || !*v || *end || !isfinite(buffer) || buffer < 0 ||
                buffer > GEO_COVERAGE_MAX_BUFFER_M) {
                fprintf(stderr, "zhizhi patrol: --buffer must be metres in 0..%.0f\n",
                        GEO_COVERAGE_MAX_BUFFER_M);
                return 2;
            }
            have_buffer = true;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "zhizhi patrol: unknown option %s\n%s", argv[i], usage);
            return 2;
        } else if (nfiles < 2) {
            files[nfiles++] = argv[i];
        } else {
            fprintf(stderr, "zhizhi patrol: too many arguments\n%s", usage);
            return 2;
        }
    }
    if (!have_buffer || nfiles != 2) {
        fprintf(stderr, "%s", usage);
        return 2;
    }
    struct geo_lines seg = {0}, track = {0};
    int rc = load(files[0], "segment", &seg);
    if (rc == 0)
        rc = load(files[1], "track", &track);
    if (rc == 0 && seg.len != 1) {
        fprintf(stderr, "zhizhi patrol: segment %s: must be one LineString\n", files[0]);
        rc = 2;
    }
    struct geo_coverage c;
    struct app_error err = {0};
    if (rc == 0 && geo_line_coverage(&seg.items[0], &track, buffer, &c, &err)) {
        fprintf(stderr, "zhizhi patrol: %s: %s\n", err.field, err.message);
        rc = 2;
    }
    if (rc == 0) {
        if (json) {
            json_t *j = json_pack("{s:f,s:f,s:f,s:f}", "coverage", c.share, "covered_m",
                                  c.covered_m, "length_m", c.length_m, "buffer_m", buffer);
            char *s = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(10));
            printf("%s\n", s);
            free(s);
            json_decref(j);
        } else {
            printf("coverage %.4f: %.1f m of %.1f m within %.1f m of the track\n", c.share,
                   c.covered_m, c.length_m, buffer);
        }
    }
    geo_lines_release(&seg);
    geo_lines_release(&track);
    return rc;
}

int patrol_cli_main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "coverage") == 0)
        return coverage(argc - 1, argv + 1);
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        printf("%s", usage);
        return 0;
    }
    fprintf(stderr, "%s", usage);
    return 2;
}
