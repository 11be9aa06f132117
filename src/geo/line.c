/* Lines on the WGS84 ellipsoid: GeoJSON LineStrings in, lengths, the distance of a point to a
 * line, and the coverage of a river segment by a patrol track (share of the segment within a
 * buffer of the track), computed exactly in a local tangent plane (geo.h gives the error
 * bound). */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/xalloc.h"
#include "geo/geo_internal.h"

/* WGS84 */
#define WGS84_A 6378137.0
#define WGS84_F (1.0 / 298.257223563)
#define DEG (M_PI / 180.0)

void geo_line_release(struct geo_line *l)
{
    if (!l)
        return;
    free(l->pts);
    l->pts = NULL;
    l->n = 0;
}

void geo_lines_release(struct geo_lines *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->len; i++)
        geo_line_release(&l->items[i]);
    free(l->items);
    l->items = NULL;
    l->len = 0;
}

/* ---- GeoJSON in ---- */

static int add_linestring(GEOSContextHandle_t ctx, const GEOSGeometry *g, struct geo_lines *out)
{
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(ctx, g);
    unsigned int n = 0;
    if (!cs || !GEOSCoordSeq_getSize_r(ctx, cs, &n) || n == 0)
        return -1;
    struct geo_line l = {xcalloc(n, sizeof(struct geo_point)), n};
    for (unsigned int i = 0; i < n; i++) {
        double x = NAN, y = NAN;
        GEOSCoordSeq_getX_r(ctx, cs, i, &x);
        GEOSCoordSeq_getY_r(ctx, cs, i, &y);
        if (!isfinite(x) || !isfinite(y) || x < -180 || x > 180 || y < -90 || y > 90) {
            free(l.pts);
            return -1;
        }
        l.pts[i] = (struct geo_point){x, y};
    }
    out->items = xrealloc(out->items, (out->len + 1) * sizeof(*out->items));
    out->items[out->len++] = l;
    return 0;
}

/* Collect the LineStrings of g (MultiLineString and collections recursed); -1 on anything else. */
static int collect(GEOSContextHandle_t ctx, const GEOSGeometry *g, struct geo_lines *out)
{
    int t = GEOSGeomTypeId_r(ctx, g);
    if (t == GEOS_LINESTRING)
        return GEOSisEmpty_r(ctx, g) ? -1 : add_linestring(ctx, g, out);
    if (t == GEOS_MULTILINESTRING || t == GEOS_GEOMETRYCOLLECTION) {
        int k = GEOSGetNumGeometries_r(ctx, g);
        if (k <= 0)
            return -1;
        for (int i = 0; i < k; i++)
            if (collect(ctx, GEOSGetGeometryN_r(ctx, g, i), out))
                return -1;
        return 0;
    }
    return -1;
}

int geo_lines_parse(const char *geojson, const char *field, struct geo_lines *out,
                    struct app_error *err)
{
    GEOSContextHandle_t ctx = geo_ctx();
    memset(out, 0, sizeof(*out));
    if (!geojson || geo_json_has_empty_array_element(geojson))
        return app_fail(err, APP_ERR_INVALID, "invalid_geojson", field,
                        "unreadable GeoJSON line: missing or an empty position");
    GEOSGeoJSONReader *r = GEOSGeoJSONReader_create_r(ctx);
    GEOSGeometry *g = GEOSGeoJSONReader_readGeometry_r(ctx, r, geojson);
    GEOSGeoJSONReader_destroy_r(ctx, r);
    if (!g)
        return app_fail(err, APP_ERR_INVALID, "invalid_geojson", field,
                        "unreadable GeoJSON line: %s", geo_last_error());
    int rc = collect(ctx, g, out);
    GEOSGeom_destroy_r(ctx, g);
    if (rc || out->len == 0) {
        geo_lines_release(out);
        return app_fail(err, APP_ERR_INVALID, "invalid_geojson", field,
                        "geometry must be a non-empty LineString or MultiLineString of "
                        "lon/lat positions");
    }
    return 0;
}

void geo_shape_exterior_ring(const struct geo_shape *s, struct geo_line *out)
{
    GEOSContextHandle_t ctx = geo_ctx();
    memset(out, 0, sizeof(*out));
    const GEOSGeometry *p = s->g;
    if (GEOSGeomTypeId_r(ctx, p) == GEOS_MULTIPOLYGON)
        p = GEOSGetGeometryN_r(ctx, p, 0);
    const GEOSGeometry *ring = p ? GEOSGetExteriorRing_r(ctx, p) : NULL;
    if (!ring)
        return;
    struct geo_lines tmp = {0};
    if (add_linestring(ctx, ring, &tmp) == 0) {
        *out = tmp.items[0];
        free(tmp.items);
    }
}

char *geo_line_to_geojson(const struct geo_line *l)
{
    struct buf b = BUF_INIT;
    buf_puts(&b, "{\"type\":\"LineString\",\"coordinates\":[");
    for (size_t i = 0; i < l->n; i++)
        buf_printf(&b, "%s[%.7f,%.7f]", i ? "," : "", l->pts[i].lon, l->pts[i].lat);
    buf_puts(&b, "]}");
    char *s = xstrdup(buf_cstr(&b));
    buf_release(&b);
    return s;
}

/* ---- the local tangent plane ---- */

struct enu {
    double x0, y0, z0;             /* ECEF of the centre */
    double slon, clon, slat, clat; /* of the centre */
};

static void ecef(struct geo_point p, double *x, double *y, double *z)
{
    const double e2 = WGS84_F * (2 - WGS84_F);
    double sl = sin(p.lat * DEG), cl = cos(p.lat * DEG);
    double n = WGS84_A / sqrt(1 - e2 * sl * sl);
    *x = n * cl * cos(p.lon * DEG);
    *y = n * cl * sin(p.lon * DEG);
    *z = n * (1 - e2) * sl;
}

static void enu_init(struct enu *e, struct geo_point c)
{
    ecef(c, &e->x0, &e->y0, &e->z0);
    e->slon = sin(c.lon * DEG);
    e->clon = cos(c.lon * DEG);
    e->slat = sin(c.lat * DEG);
    e->clat = cos(c.lat * DEG);
}

/* East and north metres of p in the tangent plane (the up component is dropped: an orthogonal
 * projection onto the plane, which only shortens distances). */
static void enu_xy(const struct enu *e, struct geo_point p, double *east, double *north)
{
    double x, y, z;
    ecef(p, &x, &y, &z);
    double dx = x - e->x0, dy = y - e->y0, dz = z - e->z0;
    *east = -e->slon * dx + e->clon * dy;
    *north = -e->slat * e->clon * dx - e->slat * e->slon * dy + e->clat * dz;
}

double geo_ellipsoid_distance_m(struct geo_point a, struct geo_point b)
{
    struct enu e;
    enu_init(&e, (struct geo_point){(a.lon + b.lon) / 2, (a.lat + b.lat) / 2});
    double xa, ya, xb, yb;
    enu_xy(&e, a, &xa, &ya);
    enu_xy(&e, b, &xb, &yb);
    return hypot(xb - xa, yb - ya);
}

double geo_line_length_m(const struct geo_line *l)
{
    double s = 0;
    for (size_t i = 1; i < l->n; i++)
        s += geo_ellipsoid_distance_m(l->pts[i - 1], l->pts[i]);
    return s;
}

struct geo_point geo_line_point_at(const struct geo_line *l, double along)
{
    if (l->n == 0)
        return (struct geo_point){0, 0};
    if (along <= 0)
        return l->pts[0];
    for (size_t i = 1; i < l->n; i++) {
        double d = geo_ellipsoid_distance_m(l->pts[i - 1], l->pts[i]);
        if (along <= d && d > 0) {
            double t = along / d;
            return (struct geo_point){l->pts[i - 1].lon + t * (l->pts[i].lon - l->pts[i - 1].lon),
                                      l->pts[i - 1].lat + t * (l->pts[i].lat - l->pts[i - 1].lat)};
        }
        along -= d;
    }
    return l->pts[l->n - 1];
}

void geo_line_measure(const struct geo_line *l, double *cum)
{
    for (size_t i = 0; i < l->n; i++)
        cum[i] = i ? cum[i - 1] + geo_ellipsoid_distance_m(l->pts[i - 1], l->pts[i]) : 0;
}

struct geo_point geo_line_point_at_cum(const struct geo_line *l, const double *cum, double along)
{
    if (l->n == 0)
        return (struct geo_point){0, 0};
    if (along <= 0)
        return l->pts[0];
    if (along >= cum[l->n - 1])
        return l->pts[l->n - 1];
    size_t lo = 0, hi = l->n - 1; /* cum[lo] <= along < cum[hi] */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (cum[mid] <= along)
            lo = mid;
        else
            hi = mid;
    }
    double d = cum[hi] - cum[lo], t = d > 0 ? (along - cum[lo]) / d : 0;
    return (struct geo_point){l->pts[lo].lon + t * (l->pts[hi].lon - l->pts[lo].lon),
                              l->pts[lo].lat + t * (l->pts[hi].lat - l->pts[lo].lat)};
}

/* ---- planar pieces ---- */

struct xy {
    double x, y;
};

static double dot(struct xy a, struct xy b)
{
    return a.x * b.x + a.y * b.y;
}

static double cross(struct xy a, struct xy b)
{
    return a.x * b.y - a.y * b.x;
}

static struct xy sub(struct xy a, struct xy b)
{
    return (struct xy){a.x - b.x, a.y - b.y};
}

struct iv {
    double lo, hi;
};

/* Intersect [lo, hi] with {t : a + b t <= 0}. */
static void clip_linear(double a, double b, double *lo, double *hi)
{
    if (b == 0) {
        if (a > 0)
            *lo = 1, *hi = 0;
        return;
    }
    double t = -a / b;
    if (b > 0) {
        if (t < *hi)
            *hi = t;
    } else if (t > *lo) {
        *lo = t;
    }
}

/* {t in [0,1] : |p + t u - c| <= r} as an interval; false when empty. */
static bool disc(struct xy p, struct xy u, struct xy c, double r, struct iv *out)
{
    struct xy w = sub(p, c);
    double a = dot(u, u), b = 2 * dot(u, w), cc = dot(w, w) - r * r;
    double disc_ = b * b - 4 * a * cc;
    if (a == 0 || disc_ < 0)
        return false;
    double s = sqrt(disc_);
    double t1 = (-b - s) / (2 * a), t2 = (-b + s) / (2 * a);
    if (t1 < 0)
        t1 = 0;
    if (t2 > 1)
        t2 = 1;
    if (t1 > t2)
        return false;
    *out = (struct iv){t1, t2};
    return true;
}

/* {t in [0,1] : the point p + t u lies within r of the edge c-d}: one interval (the capsule
 * around c-d is convex), the hull of its pieces (the two end discs and the rectangle). */
static bool capsule(struct xy p, struct xy u, struct xy c, struct xy d, double r, struct iv *out)
{
    struct iv acc = {2, -1}, piece;
    if (disc(p, u, c, r, &piece))
        acc = piece;
    if (disc(p, u, d, r, &piece)) {
        if (piece.lo < acc.lo)
            acc.lo = piece.lo;
        if (piece.hi > acc.hi)
            acc.hi = piece.hi;
    }
    struct xy v = sub(d, c), w = sub(p, c);
    double len = sqrt(dot(v, v));
    if (len > 0) {
        double lo = 0, hi = 1;
        /* along the edge: 0 <= (w + t u).v <= len^2 */
        clip_linear(-dot(w, v), -dot(u, v), &lo, &hi);
        clip_linear(dot(w, v) - len * len, dot(u, v), &lo, &hi);
        /* across: |cross(v, w + t u)| <= r len */
        clip_linear(cross(v, w) - r * len, cross(v, u), &lo, &hi);
        clip_linear(-cross(v, w) - r * len, -cross(v, u), &lo, &hi);
        if (lo <= hi) {
            if (lo < acc.lo)
                acc.lo = lo;
            if (hi > acc.hi)
                acc.hi = hi;
        }
    }
    if (acc.lo > acc.hi)
        return false;
    *out = acc;
    return true;
}

static int iv_cmp(const void *a, const void *b)
{
    double x = ((const struct iv *)a)->lo, y = ((const struct iv *)b)->lo;
    return x < y ? -1 : x > y;
}

static void bbox_add(struct geo_bbox *b, struct geo_point p)
{
    if (p.lon < b->min_lon)
        b->min_lon = p.lon;
    if (p.lon > b->max_lon)
        b->max_lon = p.lon;
    if (p.lat < b->min_lat)
        b->min_lat = p.lat;
    if (p.lat > b->max_lat)
        b->max_lat = p.lat;
}

int geo_line_coverage(const struct geo_line *segment, const struct geo_lines *track,
                      double buffer_m, struct geo_coverage *out, struct app_error *err)
{
    memset(out, 0, sizeof(*out));
    if (!isfinite(buffer_m) || buffer_m < 0 || buffer_m > GEO_COVERAGE_MAX_BUFFER_M)
        return app_fail(err, APP_ERR_INVALID, "invalid_buffer", "buffer",
                        "buffer must be a number of metres in 0..%.0f", GEO_COVERAGE_MAX_BUFFER_M);
    if (!segment || segment->n < 2)
        return app_fail(err, APP_ERR_INVALID, "invalid_segment", "segment",
                        "the segment needs at least two points");
    size_t npts = 0;
    for (size_t i = 0; track && i < track->len; i++)
        npts += track->items[i].n;
    if (npts == 0)
        return app_fail(err, APP_ERR_INVALID, "invalid_track", "track", "the track has no point");

    struct geo_bbox bb = {1e9, 1e9, -1e9, -1e9};
    for (size_t i = 0; i < segment->n; i++)
        bbox_add(&bb, segment->pts[i]);
    for (size_t k = 0; k < track->len; k++)
        for (size_t i = 0; i < track->items[k].n; i++)
            bbox_add(&bb, track->items[k].pts[i]);
    struct enu e;
    enu_init(&e, (struct geo_point){(bb.min_lon + bb.max_lon) / 2, (bb.min_lat + bb.max_lat) / 2});

    struct xy *s = xcalloc(segment->n, sizeof(*s)), *t = xcalloc(npts, sizeof(*t));
    size_t *starts = xcalloc(track->len + 1, sizeof(*starts));
    struct iv *ivs = xcalloc(npts, sizeof(*ivs));
    int ret = -1;
    for (size_t i = 0; i < segment->n; i++)
        enu_xy(&e, segment->pts[i], &s[i].x, &s[i].y);
    size_t m = 0;
    for (size_t k = 0; k < track->len; k++) {
        starts[k] = m;
        for (size_t i = 0; i < track->items[k].n; i++, m++)
            enu_xy(&e, track->items[k].pts[i], &t[m].x, &t[m].y);
    }
    starts[track->len] = m;
    for (size_t i = 0; i < segment->n; i++)
        if (hypot(s[i].x, s[i].y) > GEO_COVERAGE_MAX_EXTENT_M) {
            app_fail(err, APP_ERR_INVALID, "too_large", "extent",
                     "segment and track must lie within %.0f km of their centre",
                     GEO_COVERAGE_MAX_EXTENT_M / 1000);
            goto out;
        }
    for (size_t i = 0; i < m; i++)
        if (hypot(t[i].x, t[i].y) > GEO_COVERAGE_MAX_EXTENT_M) {
            app_fail(err, APP_ERR_INVALID, "too_large", "extent",
                     "segment and track must lie within %.0f km of their centre",
                     GEO_COVERAGE_MAX_EXTENT_M / 1000);
            goto out;
        }

    double r = buffer_m;
    for (size_t i = 1; i < segment->n; i++) {
        struct xy p = s[i - 1], u = sub(s[i], s[i - 1]);
        double len = sqrt(dot(u, u));
        if (len == 0)
            continue;
        out->length_m += len;
        double ex0 = fmin(s[i - 1].x, s[i].x) - r, ex1 = fmax(s[i - 1].x, s[i].x) + r;
        double ey0 = fmin(s[i - 1].y, s[i].y) - r, ey1 = fmax(s[i - 1].y, s[i].y) + r;
        size_t niv = 0;
        for (size_t k = 0; k < track->len; k++) {
            size_t a = starts[k], b = starts[k + 1];
            for (size_t j = a; j < b; j++) {
                struct xy c = t[j], d = j + 1 < b ? t[j + 1] : t[j];
                if (j + 1 == b && b - a > 1)
                    break; /* the last point closes the previous edge */
                if (fmax(c.x, d.x) < ex0 || fmin(c.x, d.x) > ex1 || fmax(c.y, d.y) < ey0 ||
                    fmin(c.y, d.y) > ey1)
                    continue;
                struct iv iv;
                if (capsule(p, u, c, d, r, &iv))
                    ivs[niv++] = iv;
            }
        }
        qsort(ivs, niv, sizeof(*ivs), iv_cmp);
        double covered = 0, lo = 0, hi = -1;
        for (size_t k = 0; k < niv; k++) {
            if (ivs[k].lo > hi) {
                if (hi > lo)
                    covered += hi - lo;
                lo = ivs[k].lo;
                hi = ivs[k].hi;
            } else if (ivs[k].hi > hi) {
                hi = ivs[k].hi;
            }
        }
        if (hi > lo)
            covered += hi - lo;
        out->covered_m += covered * len;
    }
    if (out->length_m == 0) {
        app_fail(err, APP_ERR_INVALID, "invalid_segment", "segment", "the segment has no length");
        goto out;
    }
    out->share = out->covered_m / out->length_m;
    if (out->share > 1)
        out->share = 1;
    ret = 0;
out:
    free(s);
    free(t);
    free(starts);
    free(ivs);
    return ret;
}

double geo_line_distance_m(const struct geo_line *l, struct geo_point p)
{
    if (!l || l->n == 0)
        return INFINITY;
    struct enu e;
    enu_init(&e, p);
    double best = INFINITY;
    struct xy prev = {0, 0};
    for (size_t i = 0; i < l->n; i++) {
        struct xy q;
        enu_xy(&e, l->pts[i], &q.x, &q.y);
        double d = hypot(q.x, q.y);
        if (i > 0) {
            struct xy v = sub(q, prev);
            double vv = dot(v, v);
            if (vv > 0) {
                double tt = -dot(prev, v) / vv;
                if (tt > 0 && tt < 1)
                    d = fabs(cross(v, prev)) / sqrt(vv);
            }
        }
        if (d < best)
            best = d;
        prev = q;
    }
    return best;
}
