/* Polygons: the per-thread GEOS context, GeoJSON in/out, validation, geodesic area, datum
 * transform of whole shapes, bbox/centroid, exact point-in-ring tests and the tiling check used
 * when importing region boundaries. */
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "geo/geo_internal.h"

/* ---- per-thread context ---- */

static pthread_key_t ctx_key;
static pthread_once_t ctx_once = PTHREAD_ONCE_INIT;
static _Thread_local GEOSContextHandle_t tl_ctx;
static _Thread_local char tl_error[256];

static void ctx_destroy(void *p)
{
    GEOS_finish_r((GEOSContextHandle_t)p);
}

static void ctx_key_make(void)
{
    pthread_key_create(&ctx_key, ctx_destroy);
}

static void on_geos_error(const char *msg, void *userdata)
{
    (void)userdata;
    snprintf(tl_error, sizeof tl_error, "%s", msg);
}

GEOSContextHandle_t geo_ctx(void)
{
    if (!tl_ctx) {
        pthread_once(&ctx_once, ctx_key_make);
        tl_ctx = GEOS_init_r();
        GEOSContext_setErrorMessageHandler_r(tl_ctx, on_geos_error, NULL);
        pthread_setspecific(ctx_key, tl_ctx);
    }
    return tl_ctx;
}

const char *geo_last_error(void)
{
    return tl_error;
}

void geo_thread_done(void)
{
    if (tl_ctx) {
        pthread_setspecific(ctx_key, NULL);
        GEOS_finish_r(tl_ctx);
        tl_ctx = NULL;
    }
}

/* ---- shapes ---- */

struct geo_shape *geo_shape_wrap(GEOSGeometry *g)
{
    struct geo_shape *s = xcalloc(1, sizeof *s);
    s->g = g;
    return s;
}

void geo_shape_free(struct geo_shape *s)
{
    if (!s)
        return;
    if (s->g)
        GEOSGeom_destroy_r(geo_ctx(), s->g);
    free(s);
}

struct geo_shape *geo_shape_clone(const struct geo_shape *s)
{
    return geo_shape_wrap(GEOSGeom_clone_r(geo_ctx(), s->g));
}

GEOSGeometry *geo_geom_polygonal(GEOSContextHandle_t ctx, GEOSGeometry *g)
{
    if (!g)
        return NULL;
    int t = GEOSGeomTypeId_r(ctx, g);
    if (t == GEOS_POLYGON || t == GEOS_MULTIPOLYGON)
        return g;
    int n = GEOSGetNumGeometries_r(ctx, g);
    GEOSGeometry **parts = xcalloc((size_t)(n > 0 ? n : 1), sizeof *parts);
    unsigned k = 0;
    for (int i = 0; i < n; i++) {
        const GEOSGeometry *c = GEOSGetGeometryN_r(ctx, g, i);
        int ct = GEOSGeomTypeId_r(ctx, c);
        if (ct == GEOS_POLYGON && !GEOSisEmpty_r(ctx, c)) {
            parts[k++] = GEOSGeom_clone_r(ctx, c);
        } else if (ct == GEOS_MULTIPOLYGON || ct == GEOS_GEOMETRYCOLLECTION) {
            for (int j = 0; j < GEOSGetNumGeometries_r(ctx, c); j++) {
                const GEOSGeometry *cc = GEOSGetGeometryN_r(ctx, c, j);
                if (GEOSGeomTypeId_r(ctx, cc) == GEOS_POLYGON && !GEOSisEmpty_r(ctx, cc)) {
                    parts = xrealloc(parts, (size_t)(n + k + 1) * sizeof *parts);
                    parts[k++] = GEOSGeom_clone_r(ctx, cc);
                }
            }
        }
    }
    GEOSGeom_destroy_r(ctx, g);
    GEOSGeometry *out;
    if (k == 1)
        out = parts[0];
    else
        out = GEOSGeom_createCollection_r(ctx, GEOS_MULTIPOLYGON, parts, k);
    free(parts);
    return out;
}

/* GEOS 3.11's GeoJSON reader reads coords[0] of an empty position ("[]" as an element of a
 * coordinates array) without checking its size and crashes (found by fuzz/geo_fuzz.c). Such
 * text is refused before GEOS sees it: an empty array that is an element of another array
 * (after "[" or ","), outside strings. An empty ring or polygon is refused too; it is no
 * valid geometry anyway. */
int geo_json_has_empty_array_element(const char *s)
{
    char last = 0, before_open = 0;
    for (; *s; s++) {
        if (*s == '"') {
            for (s++; *s && *s != '"'; s++)
                if (*s == '\\' && s[1])
                    s++;
            if (!*s)
                break;
            last = '"';
            continue;
        }
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
            continue;
        if (*s == '[')
            before_open = last;
        else if (*s == ']' && last == '[' && (before_open == '[' || before_open == ','))
            return 1;
        last = *s;
    }
    return 0;
}

int geo_shape_parse(const char *geojson, struct geo_shape **out, struct app_error *err)
{
    GEOSContextHandle_t ctx = geo_ctx();
    *out = NULL;
    if (!geojson)
        return app_fail(err, APP_ERR_INVALID, "invalid_geojson", "geometry", "no geometry");
    if (geo_json_has_empty_array_element(geojson))
        return app_fail(err, APP_ERR_INVALID, "invalid_geojson", "geometry",
                        "unreadable GeoJSON: an empty position, ring or polygon");
    tl_error[0] = '\0';
    GEOSGeoJSONReader *r = GEOSGeoJSONReader_create_r(ctx);
    GEOSGeometry *g = GEOSGeoJSONReader_readGeometry_r(ctx, r, geojson);
    GEOSGeoJSONReader_destroy_r(ctx, r);
    if (!g)
        return app_fail(err, APP_ERR_INVALID, "invalid_geojson", "geometry",
                        "unreadable GeoJSON: %s", tl_error);
    int t = GEOSGeomTypeId_r(ctx, g);
    if (t == GEOS_GEOMETRYCOLLECTION) {
        /* Features and FeatureCollections come back as collections: accept all-polygonal. */
        for (int i = 0; i < GEOSGetNumGeometries_r(ctx, g); i++) {
            int ct = GEOSGeomTypeId_r(ctx, GEOSGetGeometryN_r(ctx, g, i));
            if (ct != GEOS_POLYGON && ct != GEOS_MULTIPOLYGON) {
                GEOSGeom_destroy_r(ctx, g);
                return app_fail(err, APP_ERR_INVALID, "invalid_geojson", "geometry",
                                "geometry must be a Polygon or MultiPolygon");
            }
        }
        g = geo_geom_polygonal(ctx, g);
        t = GEOSGeomTypeId_r(ctx, g);
    }
    if ((t != GEOS_POLYGON && t != GEOS_MULTIPOLYGON) || GEOSisEmpty_r(ctx, g)) {
        GEOSGeom_destroy_r(ctx, g);
        return app_fail(err, APP_ERR_INVALID, "invalid_geojson", "geometry",
                        "geometry must be a non-empty Polygon or MultiPolygon");
    }
    *out = geo_shape_wrap(g);
    return 0;
}

char *geo_shape_to_geojson(const struct geo_shape *s)
{
    GEOSContextHandle_t ctx = geo_ctx();
    GEOSGeoJSONWriter *w = GEOSGeoJSONWriter_create_r(ctx);
    char *txt = GEOSGeoJSONWriter_writeGeometry_r(ctx, w, s->g, -1);
    GEOSGeoJSONWriter_destroy_r(ctx, w);
    char *out = xstrdup(txt ? txt : "null");
    if (txt)
        GEOSFree_r(ctx, txt);
    return out;
}

int geo_shape_validate(const struct geo_shape *s, struct app_error *err)
{
    GEOSContextHandle_t ctx = geo_ctx();
    char v = GEOSisValid_r(ctx, s->g);
    if (v == 1)
        return 0;
    char *reason = GEOSisValidReason_r(ctx, s->g);
    app_fail(err, APP_ERR_INVALID, "invalid_geometry", "geometry", "%s",
             reason ? reason : "invalid geometry");
    if (reason)
        GEOSFree_r(ctx, reason);
    return -1;
}

/* ---- area ---- */

#define WGS84_A 6378137.0
#define WGS84_F (1.0 / 298.257223563)

/* Area of the ellipsoid between the equator and latitude phi, per radian of longitude. */
static double zone_area(double phi_deg)
{
    static const double e2 = WGS84_F * (2 - WGS84_F);
    double e = sqrt(e2);
    double b2 = WGS84_A * WGS84_A * (1 - e2);
    double s = sin(phi_deg * 3.14159265358979323846 / 180.0);
    return b2 * (s / (2 * (1 - e2 * s * s)) + log((1 + e * s) / (1 - e * s)) / (4 * e));
}

static double ring_area_m2(GEOSContextHandle_t ctx, const GEOSGeometry *ring)
{
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(ctx, ring);
    unsigned n = 0;
    if (!cs || !GEOSCoordSeq_getSize_r(ctx, cs, &n) || n < 4)
        return 0;
    double x0, y0;
    GEOSCoordSeq_getXY_r(ctx, cs, 0, &x0, &y0);
    /* Subtracting the first vertex's zone area keeps the sum small (no cancellation). */
    double f0 = zone_area(y0), sum = 0, px = 0, pf = 0;
    for (unsigned i = 0; i < n; i++) {
        double x, y;
        GEOSCoordSeq_getXY_r(ctx, cs, i, &x, &y);
        double fx = (x - x0) * 3.14159265358979323846 / 180.0, ff = zone_area(y) - f0;
        if (i > 0)
            sum += (fx - px) * (ff + pf) / 2;
        px = fx;
        pf = ff;
    }
    return fabs(sum);
}

static double polygon_area_m2(GEOSContextHandle_t ctx, const GEOSGeometry *p)
{
    double a = ring_area_m2(ctx, GEOSGetExteriorRing_r(ctx, p));
    int nh = GEOSGetNumInteriorRings_r(ctx, p);
    for (int i = 0; i < nh; i++)
        a -= ring_area_m2(ctx, GEOSGetInteriorRingN_r(ctx, p, i));
    return a;
}

double geo_geom_area_m2(GEOSContextHandle_t ctx, const GEOSGeometry *g)
{
    int t = GEOSGeomTypeId_r(ctx, g);
    if (t == GEOS_POLYGON)
        return GEOSisEmpty_r(ctx, g) ? 0 : polygon_area_m2(ctx, g);
    if (t == GEOS_MULTIPOLYGON || t == GEOS_GEOMETRYCOLLECTION) {
        double a = 0;
        for (int i = 0; i < GEOSGetNumGeometries_r(ctx, g); i++)
            a += geo_geom_area_m2(ctx, GEOSGetGeometryN_r(ctx, g, i));
        return a;
    }
    return 0;
}

double geo_shape_area_m2(const struct geo_shape *s)
{
    return geo_geom_area_m2(geo_ctx(), s->g);
}

/* ---- transforms and summaries ---- */

static int to_wgs84_cb(double *x, double *y, void *userdata)
{
    (void)userdata;
    struct geo_point p = geo_gcj02_to_wgs84((struct geo_point){*x, *y});
    *x = p.lon;
    *y = p.lat;
    return 1;
}

struct geo_shape *geo_shape_gcj02_to_wgs84(const struct geo_shape *s)
{
    GEOSContextHandle_t ctx = geo_ctx();
    GEOSGeometry *g = GEOSGeom_transformXY_r(ctx, s->g, to_wgs84_cb, NULL);
    if (!g) /* only on allocation failure inside GEOS */
        abort();
    return geo_shape_wrap(g);
}

struct geo_bbox geo_shape_bbox(const struct geo_shape *s)
{
    GEOSContextHandle_t ctx = geo_ctx();
    struct geo_bbox b = {0, 0, 0, 0};
    GEOSGeom_getXMin_r(ctx, s->g, &b.min_lon);
    GEOSGeom_getYMin_r(ctx, s->g, &b.min_lat);
    GEOSGeom_getXMax_r(ctx, s->g, &b.max_lon);
    GEOSGeom_getYMax_r(ctx, s->g, &b.max_lat);
    return b;
}

static struct geo_point point_of(GEOSContextHandle_t ctx, GEOSGeometry *pt)
{
    struct geo_point p = {0, 0};
    if (pt && !GEOSisEmpty_r(ctx, pt)) {
        GEOSGeomGetX_r(ctx, pt, &p.lon);
        GEOSGeomGetY_r(ctx, pt, &p.lat);
    }
    if (pt)
        GEOSGeom_destroy_r(ctx, pt);
    return p;
}

struct geo_point geo_shape_centroid(const struct geo_shape *s)
{
    GEOSContextHandle_t ctx = geo_ctx();
    return point_of(ctx, GEOSGetCentroid_r(ctx, s->g));
}

struct geo_point geo_shape_point_on_surface(const struct geo_shape *s)
{
    GEOSContextHandle_t ctx = geo_ctx();
    return point_of(ctx, GEOSPointOnSurface_r(ctx, s->g));
}

int geo_shape_num_parts(const struct geo_shape *s)
{
    GEOSContextHandle_t ctx = geo_ctx();
    return GEOSGeomTypeId_r(ctx, s->g) == GEOS_POLYGON ? 1 : GEOSGetNumGeometries_r(ctx, s->g);
}

/* ---- rings and exact point-in-polygon ---- */

static void rings_add(struct geo_rings *r, GEOSContextHandle_t ctx, const GEOSGeometry *ring)
{
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(ctx, ring);
    unsigned n = 0;
    if (!cs || !GEOSCoordSeq_getSize_r(ctx, cs, &n) || n == 0)
        return;
    r->rings = xrealloc(r->rings, (r->n + 1) * sizeof *r->rings);
    struct geo_ring *dst = &r->rings[r->n++];
    dst->n = n;
    dst->xy = xmalloc(2 * (size_t)n * sizeof(double));
    for (unsigned i = 0; i < n; i++)
        GEOSCoordSeq_getXY_r(ctx, cs, i, &dst->xy[2 * i], &dst->xy[2 * i + 1]);
}

static void rings_add_geom(struct geo_rings *r, GEOSContextHandle_t ctx, const GEOSGeometry *g)
{
    int t = GEOSGeomTypeId_r(ctx, g);
    if (t == GEOS_POLYGON) {
        if (GEOSisEmpty_r(ctx, g))
            return;
        rings_add(r, ctx, GEOSGetExteriorRing_r(ctx, g));
        for (int i = 0; i < GEOSGetNumInteriorRings_r(ctx, g); i++)
            rings_add(r, ctx, GEOSGetInteriorRingN_r(ctx, g, i));
    } else if (t == GEOS_MULTIPOLYGON || t == GEOS_GEOMETRYCOLLECTION) {
        for (int i = 0; i < GEOSGetNumGeometries_r(ctx, g); i++)
            rings_add_geom(r, ctx, GEOSGetGeometryN_r(ctx, g, i));
    }
}

void geo_rings_init(struct geo_rings *r, GEOSContextHandle_t ctx, const GEOSGeometry *g)
{
    memset(r, 0, sizeof *r);
    rings_add_geom(r, ctx, g);
    r->bbox = (struct geo_bbox){INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (size_t i = 0; i < r->n; i++)
        for (size_t j = 0; j < r->rings[i].n; j++) {
            double x = r->rings[i].xy[2 * j], y = r->rings[i].xy[2 * j + 1];
            r->bbox.min_lon = fmin(r->bbox.min_lon, x);
            r->bbox.max_lon = fmax(r->bbox.max_lon, x);
            r->bbox.min_lat = fmin(r->bbox.min_lat, y);
            r->bbox.max_lat = fmax(r->bbox.max_lat, y);
        }
}

void geo_rings_release(struct geo_rings *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->rings[i].xy);
    free(r->rings);
    memset(r, 0, sizeof *r);
}

int geo_rings_classify(const struct geo_rings *r, struct geo_point p)
{
    if (p.lon < r->bbox.min_lon || p.lon > r->bbox.max_lon || p.lat < r->bbox.min_lat ||
        p.lat > r->bbox.max_lat)
        return 0;
    int inside = 0;
    for (size_t i = 0; i < r->n; i++) {
        const double *xy = r->rings[i].xy;
        for (size_t j = 0; j + 1 < r->rings[i].n; j++) {
            double ax = xy[2 * j], ay = xy[2 * j + 1], bx = xy[2 * j + 2], by = xy[2 * j + 3];
            /* Canonical orientation (lower endpoint first) makes a shared edge compute the
             * same crossing in both polygons, so ties never go to both or neither. */
            if (ay > by || (ay == by && ax > bx)) {
                double t = ax;
                ax = bx;
                bx = t;
                t = ay;
                ay = by;
                by = t;
            }
            if (p.lon >= fmin(ax, bx) && p.lon <= fmax(ax, bx) && p.lat >= ay && p.lat <= by) {
                double cross = (bx - ax) * (p.lat - ay) - (by - ay) * (p.lon - ax);
                if (cross == 0)
                    return 2;
            }
            if ((ay > p.lat) != (by > p.lat)) {
                double x = ax + (p.lat - ay) * (bx - ax) / (by - ay);
                if (p.lon < x)
                    inside = !inside;
            }
        }
    }
    return inside;
}

int geo_shape_covers_point(const struct geo_shape *s, struct geo_point p)
{
    struct geo_rings r;
    geo_rings_init(&r, geo_ctx(), s->g);
    int c = geo_rings_classify(&r, p);
    geo_rings_release(&r);
    return c != 0;
}

/* ---- tiling check ---- */

void geo_tiling_report_release(struct geo_tiling_report *rep)
{
    if (!rep)
        return;
    free(rep->overlaps);
    free(rep->outside);
    free(rep->gaps);
    memset(rep, 0, sizeof *rep);
}

int geo_tiling_ok(const struct geo_tiling_report *rep)
{
    return rep->n_overlaps == 0 && rep->n_outside == 0 && rep->n_gaps == 0;
}

int geo_tiling_check(const struct geo_shape *parent, const struct geo_tile *children, size_t n,
                     double tolerance_m2, struct geo_tiling_report *rep, struct app_error *err)
{
    GEOSContextHandle_t ctx = geo_ctx();
    int ret = -1;
    GEOSGeometry **env = xcalloc(n ? n : 1, sizeof *env);
    const GEOSGeometry **geoms = xcalloc(n ? n : 1, sizeof *geoms);
    GEOSGeometry *coll = NULL, *uni = NULL, *gap = NULL;
    memset(rep, 0, sizeof *rep);

    for (size_t i = 0; i < n; i++)
        env[i] = GEOSEnvelope_r(ctx, children[i].shape->g);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++) {
            if (!GEOSIntersects_r(ctx, env[i], env[j]))
                continue;
            GEOSGeometry *x = GEOSIntersection_r(ctx, children[i].shape->g, children[j].shape->g);
            if (!x)
                goto fail;
            double a = geo_geom_area_m2(ctx, x);
            GEOSGeom_destroy_r(ctx, x);
            if (a > tolerance_m2) {
                rep->overlaps =
                    xrealloc(rep->overlaps, (rep->n_overlaps + 1) * sizeof *rep->overlaps);
                struct geo_tiling_overlap *o = &rep->overlaps[rep->n_overlaps++];
                snprintf(o->code_a, sizeof o->code_a, "%s", children[i].code);
                snprintf(o->code_b, sizeof o->code_b, "%s", children[j].code);
                o->area_m2 = a;
            }
        }
        GEOSGeometry *d = GEOSDifference_r(ctx, children[i].shape->g, parent->g);
        if (!d)
            goto fail;
        double a = geo_geom_area_m2(ctx, d);
        GEOSGeom_destroy_r(ctx, d);
        if (a > tolerance_m2) {
            rep->outside = xrealloc(rep->outside, (rep->n_outside + 1) * sizeof *rep->outside);
            struct geo_tiling_outside *o = &rep->outside[rep->n_outside++];
            snprintf(o->code, sizeof o->code, "%s", children[i].code);
            o->area_m2 = a;
        }
    }

    for (size_t i = 0; i < n; i++)
        geoms[i] = children[i].shape->g;
    /* A non-owning collection would need GEOSGeom_releaseCollection; clone for simplicity. */
    {
        GEOSGeometry **cl = xcalloc(n ? n : 1, sizeof *cl);
        for (size_t i = 0; i < n; i++)
            cl[i] = GEOSGeom_clone_r(ctx, geoms[i]);
        coll = GEOSGeom_createCollection_r(ctx, GEOS_GEOMETRYCOLLECTION, cl, (unsigned)n);
        free(cl);
    }
    uni = GEOSUnaryUnion_r(ctx, coll);
    if (!uni)
        goto fail;
    gap = geo_geom_polygonal(ctx, GEOSDifference_r(ctx, parent->g, uni));
    if (!gap)
        goto fail;
    rep->gap_total_m2 = geo_geom_area_m2(ctx, gap);
    int np = GEOSGeomTypeId_r(ctx, gap) == GEOS_POLYGON ? 1 : GEOSGetNumGeometries_r(ctx, gap);
    for (int i = 0; i < np; i++) {
        const GEOSGeometry *piece =
            GEOSGeomTypeId_r(ctx, gap) == GEOS_POLYGON ? gap : GEOSGetGeometryN_r(ctx, gap, i);
        double a = geo_geom_area_m2(ctx, piece);
        if (a <= tolerance_m2)
            continue;
        rep->gaps = xrealloc(rep->gaps, (rep->n_gaps + 1) * sizeof *rep->gaps);
        struct geo_tiling_gap *gp = &rep->gaps[rep->n_gaps++];
        gp->area_m2 = a;
        gp->where = point_of(ctx, GEOSPointOnSurface_r(ctx, piece));
    }
    ret = 0;
    goto out;
fail:
    app_fail(err, APP_ERR_INTERNAL, NULL, NULL, "tiling check failed: %s", geo_last_error());
    geo_tiling_report_release(rep);
out:
    for (size_t i = 0; i < n; i++)
        if (env[i])
            GEOSGeom_destroy_r(ctx, env[i]);
    free(env);
    free(geoms);
    if (coll)
        GEOSGeom_destroy_r(ctx, coll);
    if (uni)
        GEOSGeom_destroy_r(ctx, uni);
    if (gap)
        GEOSGeom_destroy_r(ctx, gap);
    return ret;
}
