/* Coverage of a river segment by patrol tracks: zhizhi's exact capsule-interval computation
 * (geo_line_coverage) beside GEOS on the same tangent-plane coordinates (GEOSBuffer of the track
 * with 8 segments per quarter circle, GEOSIntersection with the segment, GEOSLength). Reads the
 * segment (one GeoJSON LineString) and the tracks (one GeoJSON geometry a line) from files made
 * by bench/patrol_bench.sh from a demo database; prints calls/s of each and the largest
 * difference of the shares. A benchmark prints figures; it never passes or fails on time. */
#include <geos_c.h>
#include <math.h>
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

/* The same east-north tangent plane as src/geo/line.c (WGS84, ECEF, up dropped). */
static double x0_, y0_, z0_, slon, clon, slat, clat;
static void ecef(struct geo_point p, double *x, double *y, double *z)
{
    const double a = 6378137.0, f = 1 / 298.257223563, e2 = f * (2 - f), d = M_PI / 180;
    double sl = sin(p.lat * d), n = a / sqrt(1 - e2 * sl * sl);
    *x = n * cos(p.lat * d) * cos(p.lon * d);
    *y = n * cos(p.lat * d) * sin(p.lon * d);
    *z = n * (1 - e2) * sl;
}
static void plane(struct geo_point c)
{
    const double d = M_PI / 180;
    ecef(c, &x0_, &y0_, &z0_);
    slon = sin(c.lon * d), clon = cos(c.lon * d), slat = sin(c.lat * d), clat = cos(c.lat * d);
}
static void xy(struct geo_point p, double *e, double *n)
{
    double x, y, z;
    ecef(p, &x, &y, &z);
    x -= x0_, y -= y0_, z -= z0_;
    *e = -slon * x + clon * y;
    *n = -slat * clon * x - slat * slon * y + clat * z;
}

static GEOSGeometry *line_geom(GEOSContextHandle_t h, const struct geo_line *l)
{
    GEOSCoordSequence *cs = GEOSCoordSeq_create_r(h, (unsigned)l->n, 2);
    for (size_t i = 0; i < l->n; i++) {
        double e, n;
        xy(l->pts[i], &e, &n);
        GEOSCoordSeq_setXY_r(h, cs, (unsigned)i, e, n);
    }
    return GEOSGeom_createLineString_r(h, cs);
}

static char *slurp(FILE *f, size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    char *s = malloc(cap);
    size_t k;
    while ((k = fread(s + n, 1, cap - n - 1, f)) > 0) {
        n += k;
        if (cap - n < 2)
            s = realloc(s, cap *= 2);
    }
    s[n] = 0;
    *len = n;
    return s;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: patrol_bench SEGMENT.geojson TRACKS.txt BUFFER_M\n");
        return 2;
    }
    double r = atof(argv[3]);
    struct app_error err = {0};
    FILE *f = fopen(argv[1], "r");
    size_t len;
    char *text = f ? slurp(f, &len) : NULL;
    if (f)
        fclose(f);
    struct geo_lines seg = {0};
    if (!text || geo_lines_parse(text, "segment", &seg, &err) || seg.len != 1) {
        fprintf(stderr, "patrol_bench: bad segment %s\n", argv[1]);
        return 1;
    }
    free(text);
    struct geo_lines *tracks = NULL;
    size_t nt = 0;
    f = fopen(argv[2], "r");
    char *line = NULL;
    size_t cap = 0;
    while (f && getline(&line, &cap, f) > 0) {
        tracks = realloc(tracks, (nt + 1) * sizeof(*tracks));
        if (geo_lines_parse(line, "track", &tracks[nt], &err) == 0)
            nt++;
    }
    free(line);
    if (f)
        fclose(f);
    if (!nt) {
        fprintf(stderr, "patrol_bench: no tracks in %s\n", argv[2]);
        return 1;
    }
    size_t npts = 0;
    for (size_t i = 0; i < nt; i++)
        for (size_t k = 0; k < tracks[i].len; k++)
            npts += tracks[i].items[k].n;

    double *ours = calloc(nt, sizeof(double)), *peer = calloc(nt, sizeof(double));
    int reps = 20;
    double t0 = now_s();
    for (int rep = 0; rep < reps; rep++)
        for (size_t i = 0; i < nt; i++) {
            struct geo_coverage c;
            geo_line_coverage(&seg.items[0], &tracks[i], r, &c, &err);
            ours[i] = c.share;
        }
    double t_ours = (now_s() - t0) / (reps * (double)nt);

    GEOSContextHandle_t h = GEOS_init_r();
    t0 = now_s();
    for (int rep = 0; rep < reps; rep++)
        for (size_t i = 0; i < nt; i++) {
            /* the same plane centre as geo_line_coverage: the middle of both bounding boxes */
            double a = 1e9, b = 1e9, c = -1e9, d = -1e9;
            for (size_t k = 0; k < seg.items[0].n; k++) {
                struct geo_point p = seg.items[0].pts[k];
                a = fmin(a, p.lon), b = fmin(b, p.lat), c = fmax(c, p.lon), d = fmax(d, p.lat);
            }
            for (size_t k = 0; k < tracks[i].len; k++)
                for (size_t j = 0; j < tracks[i].items[k].n; j++) {
                    struct geo_point p = tracks[i].items[k].pts[j];
                    a = fmin(a, p.lon), b = fmin(b, p.lat), c = fmax(c, p.lon), d = fmax(d, p.lat);
                }
            plane((struct geo_point){(a + c) / 2, (b + d) / 2});
            GEOSGeometry *s = line_geom(h, &seg.items[0]);
            GEOSGeometry **parts = calloc(tracks[i].len, sizeof(*parts));
            for (size_t k = 0; k < tracks[i].len; k++)
                parts[k] = line_geom(h, &tracks[i].items[k]);
            GEOSGeometry *t = GEOSGeom_createCollection_r(h, GEOS_MULTILINESTRING, parts,
                                                          (unsigned)tracks[i].len);
            free(parts);
            GEOSGeometry *buf = GEOSBuffer_r(h, t, r, 8);
            GEOSGeometry *in = GEOSIntersection_r(h, s, buf);
            double li = 0, ls = 0;
            GEOSLength_r(h, in, &li);
            GEOSLength_r(h, s, &ls);
            peer[i] = ls > 0 ? li / ls : 0;
            GEOSGeom_destroy_r(h, in);
            GEOSGeom_destroy_r(h, buf);
            GEOSGeom_destroy_r(h, t);
            GEOSGeom_destroy_r(h, s);
        }
    double t_peer = (now_s() - t0) / (reps * (double)nt);
    double maxdiff = 0, mean = 0;
    for (size_t i = 0; i < nt; i++) {
        maxdiff = fmax(maxdiff, fabs(ours[i] - peer[i]));
        mean += ours[i] / (double)nt;
    }
    printf("tracks %zu points_per_track %.0f segment_points %zu buffer_m %.0f mean_share %.4f\n",
           nt, (double)npts / (double)nt, seg.items[0].n, r, mean);
    printf("zhizhi_us_per_track %.1f\n", t_ours * 1e6);
    printf("geos_us_per_track %.1f (%s, buffer quadsegs 8)\n", t_peer * 1e6, GEOSversion());
    printf("max_share_difference %.2e\n", maxdiff);
    printf("ratio geos/zhizhi time: %.1f\n", t_peer / t_ours);
    GEOS_finish_r(h);
    return 0;
}
