/* Point location in process: build the geo index over the grids of a GeoJSON FeatureCollection
 * (a `zhizhi export regions --format geojson` file), locate N uniformly random points of the
 * district's bounding box (fixed seed), print points/s. Optionally write the points as CSV
 * (id,lon,lat) so PostGIS can be timed over exactly the same points. A benchmark prints
 * figures; it never passes or fails on time. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "geo/geo.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t rng = 20261129;
static double rand01(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: geo_bench REGIONS.geojson N [POINTS.csv]\n");
        return 2;
    }
    long n = atol(argv[2]);
    json_error_t je;
    json_t *fc = json_load_file(argv[1], 0, &je);
    if (!fc) {
        fprintf(stderr, "geo_bench: %s line %d: %s\n", argv[1], je.line, je.text);
        return 1;
    }
    json_t *features = json_object_get(fc, "features");
    size_t nf = json_array_size(features), ng = 0;
    struct geo_index_entry *e = calloc(nf + 1, sizeof(*e));
    struct geo_shape **shapes = calloc(nf + 1, sizeof(*shapes));
    struct geo_bbox bb = {1e9, 1e9, -1e9, -1e9};
    for (size_t i = 0; i < nf; i++) {
        json_t *f = json_array_get(features, i);
        json_t *props = json_object_get(f, "properties");
        const char *level = json_string_value(json_object_get(props, "level"));
        if (!level || strcmp(level, "grid") != 0)
            continue;
        char *g =
            json_dumps(json_object_get(f, "geometry"), JSON_COMPACT | JSON_REAL_PRECISION(17));
        struct app_error err;
        if (geo_shape_parse(g, &shapes[ng], &err) == 0) {
            struct geo_bbox b = geo_shape_bbox(shapes[ng]);
            if (b.min_lon < bb.min_lon)
                bb.min_lon = b.min_lon;
            if (b.min_lat < bb.min_lat)
                bb.min_lat = b.min_lat;
            if (b.max_lon > bb.max_lon)
                bb.max_lon = b.max_lon;
            if (b.max_lat > bb.max_lat)
                bb.max_lat = b.max_lat;
            e[ng] = (struct geo_index_entry){
                (int64_t)ng, json_string_value(json_object_get(props, "code")), shapes[ng]};
            ng++;
        }
        free(g);
    }
    double t0 = now_s();
    struct geo_index *ix = geo_index_new(e, ng);
    double t_build = now_s() - t0;
    double *pts = malloc(sizeof(double) * 2 * (size_t)n);
    for (long i = 0; i < n; i++) {
        pts[2 * i] = bb.min_lon + rand01() * (bb.max_lon - bb.min_lon);
        pts[2 * i + 1] = bb.min_lat + rand01() * (bb.max_lat - bb.min_lat);
    }
    if (argc > 3) {
        FILE *out = fopen(argv[3], "w");
        for (long i = 0; out && i < n; i++)
            fprintf(out, "%ld,%.9f,%.9f\n", i, pts[2 * i], pts[2 * i + 1]);
        if (out)
            fclose(out);
    }
    long hits = 0;
    t0 = now_s();
    for (long i = 0; i < n; i++)
        hits += geo_index_locate(ix, (struct geo_point){pts[2 * i], pts[2 * i + 1]}) >= 0;
    double t = now_s() - t0;
    printf("grids %zu\nbbox %.6f %.6f %.6f %.6f\nindex_build_ms %.1f\npoints %ld\nhits %ld\n"
           "seconds %.3f\npoints_per_s %.0f\n",
           ng, bb.min_lon, bb.min_lat, bb.max_lon, bb.max_lat, t_build * 1e3, n, hits, t,
           (double)n / t);
    geo_index_free(ix);
    for (size_t i = 0; i < ng; i++)
        geo_shape_free(shapes[i]);
    free(shapes);
    free(e);
    free(pts);
    json_decref(fc);
    geo_thread_done();
    return 0;
}
