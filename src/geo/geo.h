/* Geography for zhizhi: points and the GCJ-02/WGS84 datums, polygons (GeoJSON in/out,
 * validation, geodesic area, tiling checks), a thread-safe point-location index and the
 * deterministic demo geography of Yuzhong. Pure computation over plain structs; GEOS is hidden
 * behind the opaque struct geo_shape so callers need no GEOS headers. All coordinates are
 * (lon, lat) in degrees; everything stored is WGS84 unless a name says gcj02. */
#ifndef GEO_GEO_H
#define GEO_GEO_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

struct geo_point {
    double lon, lat;
};

struct geo_bbox {
    double min_lon, min_lat, max_lon, max_lat;
};

/* ---- points and datums (gcj02.c) ------------------------------------------------------- */

/* True when p lies outside the rough rectangle of mainland China in which GCJ-02 applies;
 * the datum conversions leave such points unchanged. */
int geo_out_of_china(struct geo_point p);

/* WGS84 -> GCJ-02 (the published "Mars coordinates" algorithm, a = 6378245.0,
 * ee = 0.00669342162296594323). Identity outside China. */
struct geo_point geo_wgs84_to_gcj02(struct geo_point wgs);

/* GCJ-02 -> WGS84 by fixed-point iteration of the forward transform until the round trip
 * differs by < 1e-9 degrees (about 0.1 mm). Identity outside China. */
struct geo_point geo_gcj02_to_wgs84(struct geo_point gcj);

/* Great-circle distance in metres (haversine, WGS84 mean radius 6371008.8 m). */
double geo_distance_m(struct geo_point a, struct geo_point b);

/* ---- shapes (polygon.c) ------------------------------------------------------------------ */

/* An immutable Polygon or MultiPolygon. Read-only functions on one shape may run concurrently
 * from several threads. Each thread uses its own GEOS context, created on first use and
 * destroyed when the thread exits (or by geo_thread_done). */
struct geo_shape;

/* Parse a GeoJSON geometry (Polygon or MultiPolygon; a Feature or FeatureCollection whose
 * geometries are all polygonal is accepted and flattened to a MultiPolygon). Does not check
 * validity (see geo_shape_validate). On success *out is a new shape the caller frees with
 * geo_shape_free. Errors: APP_ERR_INVALID "invalid_geojson" (unparsable, empty, or not
 * polygonal), field "geometry". */
int geo_shape_parse(const char *geojson, struct geo_shape **out, struct app_error *err);

/* Free a shape; NULL is accepted. */
void geo_shape_free(struct geo_shape *s);

/* A deep copy; the caller frees it. */
struct geo_shape *geo_shape_clone(const struct geo_shape *s);

/* Serialise as a compact GeoJSON geometry. The caller frees the returned string. */
char *geo_shape_to_geojson(const struct geo_shape *s);

/* 0 when s is valid per OGC (GEOSisValidReason); otherwise -1 with APP_ERR_INVALID
 * "invalid_geometry", field "geometry", and the GEOS reason (e.g. "Self-intersection[x y]")
 * as the message. Rings also must close and every ring must have at least 4 points. */
int geo_shape_validate(const struct geo_shape *s, struct app_error *err);

/* Area in square metres of a lon/lat shape on the WGS84 ellipsoid (exact zone areas per edge,
 * trapezoidal in authalic latitude: error far below 0.1% for district-sized shapes). Holes
 * are subtracted. */
double geo_shape_area_m2(const struct geo_shape *s);

/* A new shape with every coordinate converted GCJ-02 -> WGS84; the caller frees it. */
struct geo_shape *geo_shape_gcj02_to_wgs84(const struct geo_shape *s);

/* The lon/lat bounding box of s. */
struct geo_bbox geo_shape_bbox(const struct geo_shape *s);

/* The area-weighted centroid (may fall outside a concave shape). */
struct geo_point geo_shape_centroid(const struct geo_shape *s);

/* A point guaranteed inside s (GEOSPointOnSurface), for labels and map pins. */
struct geo_point geo_shape_point_on_surface(const struct geo_shape *s);

/* True when p is inside s or on its boundary (exact crossing test, no GEOS). */
int geo_shape_covers_point(const struct geo_shape *s, struct geo_point p);

/* Number of polygons in s (1 for a Polygon). */
int geo_shape_num_parts(const struct geo_shape *s);

/* ---- tiling check (polygon.c) ------------------------------------------------------------ */

struct geo_tile {
    const char *code;              /* borrowed */
    const struct geo_shape *shape; /* borrowed */
};

struct geo_tiling_overlap {
    char code_a[32], code_b[32]; /* code_a < code_b in the input order */
    double area_m2;
};

struct geo_tiling_outside {
    char code[32]; /* a child that reaches beyond the parent */
    double area_m2;
};

struct geo_tiling_gap {
    struct geo_point where; /* a point inside the gap */
    double area_m2;
};

struct geo_tiling_report {
    struct geo_tiling_overlap *overlaps;
    size_t n_overlaps;
    struct geo_tiling_outside *outside;
    size_t n_outside;
    struct geo_tiling_gap *gaps;
    size_t n_gaps;
    double gap_total_m2; /* parent minus union of children, all pieces */
};

/* Check that children tile parent: every pair overlapping by more than tolerance_m2 (use 1.0),
 * every child reaching more than tolerance_m2 outside the parent, and every connected piece of
 * parent-minus-children larger than tolerance_m2 is listed in *rep (which the caller releases
 * with geo_tiling_report_release). Returns 0 when the check ran (look at rep->n_* for the
 * verdict), -1 on a GEOS failure (APP_ERR_INTERNAL). */
int geo_tiling_check(const struct geo_shape *parent, const struct geo_tile *children, size_t n,
                     double tolerance_m2, struct geo_tiling_report *rep, struct app_error *err);

/* True when rep lists no overlap, no outside part and no gap. */
int geo_tiling_ok(const struct geo_tiling_report *rep);

void geo_tiling_report_release(struct geo_tiling_report *rep);

/* ---- point location (index.c) ------------------------------------------------------------ */

struct geo_index_entry {
    int64_t id;
    const char *code;              /* borrowed during geo_index_new only (copied) */
    const struct geo_shape *shape; /* borrowed during geo_index_new only (copied) */
};

/* Point-location index over polygons. Thread-safety: after geo_index_new returns, any number
 * of threads may call geo_index_locate concurrently. Candidates come from a GEOS STRtree that
 * is built eagerly in geo_index_new and queried under a mutex (the query is a few microseconds;
 * GEOS trees and prepared geometries build state lazily and are not documented as thread-safe);
 * the exact test then runs lock-free on plain coordinate arrays copied at build time (ray
 * crossing with canonical edge orientation plus an on-segment test), so no prepared geometry
 * and no GEOS context is touched concurrently. */
struct geo_index;

/* Build an index from n entries (codes and shapes are copied). Returns a new index the caller
 * frees with geo_index_free; never NULL (n may be 0). */
struct geo_index *geo_index_new(const struct geo_index_entry *entries, size_t n);

void geo_index_free(struct geo_index *ix);

/* The id of the polygon that contains p, or -1 when p is outside all of them. A point inside
 * or on the boundary of several polygons (shared edge, shared vertex, overlap) resolves
 * deterministically to the one with the smallest code (strcmp), ties broken by smallest id. */
int64_t geo_index_locate(const struct geo_index *ix, struct geo_point p);

size_t geo_index_size(const struct geo_index *ix);

/* ---- lines and coverage (line.c) --------------------------------------------------------- */

/* A polyline of n >= 1 points (lon, lat WGS84). */
struct geo_line {
    struct geo_point *pts;
    size_t n;
};

/* Several polylines (a track broken where the signal was lost). */
struct geo_lines {
    struct geo_line *items;
    size_t len;
};

void geo_line_release(struct geo_line *l);
void geo_lines_release(struct geo_lines *l);

/* Parse GeoJSON lines: a LineString, a MultiLineString, a Feature with one of them, or a
 * FeatureCollection of such Features (every part kept in order). Every position must be a
 * finite lon in [-180, 180] and lat in [-90, 90]. On success *out holds new memory the caller
 * releases with geo_lines_release. Errors: APP_ERR_INVALID "invalid_geojson" (unreadable, empty,
 * not a line, out-of-range position), with `field` as the error's field. */
int geo_lines_parse(const char *geojson, const char *field, struct geo_lines *out,
                    struct app_error *err);

/* Parse a GPX document (text, len bytes) into lines: one per <trkseg> and per <rte>, WGS84.
 * *first and *last get the earliest and latest <time> of its points (Unix seconds), 0 when the
 * points carry none. out owns its points (geo_lines_release). APP_ERR_INVALID naming field:
 * "invalid_gpx" (not XML, not GPX, a DOCTYPE), "invalid_point", "invalid_time" (with the line
 * number in the message), "empty_track". */
int geo_gpx_parse(const char *text, size_t len, const char *field, struct geo_lines *out,
                  int64_t *first, int64_t *last, struct app_error *err);

/* The exterior ring of the first polygon of s (closed) as a line the caller releases. */
void geo_shape_exterior_ring(const struct geo_shape *s, struct geo_line *out);

/* A compact GeoJSON LineString (7 decimals) of l; the caller frees it. */
char *geo_line_to_geojson(const struct geo_line *l);

/* Length in metres of l on the WGS84 ellipsoid (sum of geo_line_edge_m over its edges). */
double geo_line_length_m(const struct geo_line *l);

/* Distance in metres between two nearby points on the WGS84 ellipsoid: the chord in a local
 * tangent plane at their midpoint (relative error below (d / 6335 km)^2 for a distance d; a
 * millimetre for 10 km). */
double geo_ellipsoid_distance_m(struct geo_point a, struct geo_point b);

/* Most distance from the projection centre coverage accepts (see geo_line_coverage). */
#define GEO_COVERAGE_MAX_EXTENT_M 50000.0
/* The largest buffer accepted. */
#define GEO_COVERAGE_MAX_BUFFER_M 5000.0

struct geo_coverage {
    double share;     /* covered_m / length_m, 0..1 */
    double covered_m; /* length of the segment within buffer_m of the track */
    double length_m;  /* length of the segment */
};

/* Which share of `segment` lies within buffer_m metres of `track` (any of its lines; a
 * one-point line is a point)? Exact planar geometry in a local tangent plane (east-north-up on
 * the WGS84 ellipsoid at the centre of the bounding box of both): for each segment edge, the
 * set of its points within the buffer of each track edge is one interval (the buffer of an
 * edge, a capsule, is convex), found in closed form; the intervals are merged and measured.
 * Error bound: for points within D of the centre, planar distances are shorter than the
 * ellipsoidal ones by a relative amount of at most (D / rho)^2, rho >= 6,335,439 m (the
 * smallest radius of curvature of WGS84): 2.5e-5 for D = 20 km, 6.3e-5 at the limit
 * GEO_COVERAGE_MAX_EXTENT_M. So the buffer is honoured to within buffer_m * 6.3e-5 and the
 * lengths to the same relative amount. Errors: APP_ERR_INVALID naming "buffer" (not finite,
 * < 0 or > GEO_COVERAGE_MAX_BUFFER_M), "segment" (fewer than 2 points or zero length), "track"
 * (no point) or "extent" (a point farther than GEO_COVERAGE_MAX_EXTENT_M from the centre). */
int geo_line_coverage(const struct geo_line *segment, const struct geo_lines *track,
                      double buffer_m, struct geo_coverage *out, struct app_error *err);

/* Shortest distance in metres from p to the line l (same local plane as geo_line_coverage;
 * l and p should lie within GEO_COVERAGE_MAX_EXTENT_M of each other). */
double geo_line_distance_m(const struct geo_line *l, struct geo_point p);

/* The point at `along` metres from the start of l (clamped to its ends). */
struct geo_point geo_line_point_at(const struct geo_line *l, double along);

/* cum[i] = metres from the start of l to its point i (cum has l->n entries), and the point at
 * `along` metres given those (binary search: for many points along one line). */
void geo_line_measure(const struct geo_line *l, double *cum);
struct geo_point geo_line_point_at_cum(const struct geo_line *l, const double *cum, double along);

/* ---- demo geography (demo.c) ------------------------------------------------------------- */

struct geo_demo_street {
    const char *code; /* 9 digits */
    const char *name;
    double weight;         /* relative area; see geo_demo_yuzhong_street_weight */
    struct geo_point hint; /* rough real centre to order the cuts; {0,0} = none */
};

struct geo_demo_community {
    const char *code;        /* 12 digits */
    const char *name;        /* e.g. "华一坡社区居民委员会" */
    const char *street_code; /* its street */
};

enum geo_demo_level {
    GEO_DEMO_DISTRICT = 0, /* the outline rebuilt as the union of the streets */
    GEO_DEMO_STREET = 1,
    GEO_DEMO_COMMUNITY = 2,
    GEO_DEMO_GRID = 3,
};

struct geo_demo_unit {
    enum geo_demo_level level;
    char code[24];        /* street 9 digits, community 12, grid 15 (community + serial) */
    char parent_code[24]; /* district code "500103" for streets */
    char *name;           /* owned by the result; grids: "<社区短名>第N网格" */
    char *geojson;        /* owned by the result: Polygon/MultiPolygon, WGS84 */
    double area_m2;
    struct geo_point center; /* point on surface */
    int row;                 /* grids: lattice row (north = 0) used for numbering; else 0 */
};

struct geo_demo_result {
    /* items[0] is the district (name = its code; store its geometry so that the streets tile
     * it exactly: it differs from the input outline only by the 1e-7 degree snapping, a few
     * square metres), then streets, communities and grids, each level sorted by code. */
    struct geo_demo_unit *items;
    size_t len;
    size_t n_streets, n_communities, n_grids;
};

/* Approximate side of the square lattice that cuts communities into grids, in metres. */
#define GEO_DEMO_LATTICE_M 200.0
/* Grid pieces below this area are merged into a neighbour when the union stays <= 40,000 m²;
 * pieces below 5,000 m² are merged regardless. Afterwards the size rule of issue 2 §8 is
 * enforced on the geodesic area: a piece still under 10,000 m² joins its longest-border
 * neighbour and a piece over 40,000 m² is halved by area, so every demo grid has
 * 10,000 <= area_m2 <= 40,000 (744 grids for Yuzhong). */
#define GEO_DEMO_MIN_GRID_M2 15000.0

/* Generate synthetic streets, communities and grids that tile district (WGS84). Streets get
 * areas proportional to their weights (recursive area-exact cuts at fixed-seed jittered angles,
 * ordered by the hints), communities equal shares of their street, grids are the community
 * cut by a GEO_DEMO_LATTICE_M lattice with slivers merged. Deterministic: same input, same
 * output. Every community's street must be in streets. On success out holds new memory the
 * caller releases with geo_demo_result_release. Errors: APP_ERR_INVALID "invalid_demo_input"
 * (no streets, unknown street code, code too long, non-positive weight), APP_ERR_INTERNAL on
 * a GEOS failure. The district code written as the streets' parent is district_code. */
int geo_demo_generate(const struct geo_shape *district, const char *district_code,
                      const struct geo_demo_street *streets, size_t n_streets,
                      const struct geo_demo_community *communities, size_t n_communities,
                      struct geo_demo_result *out, struct app_error *err);

void geo_demo_result_release(struct geo_demo_result *r);

/* Approximate real area in km² of a Yuzhong street (rough public figures, used only as demo
 * weights) and its rough centre in *hint (when non-NULL); 0 for an unknown code. */
double geo_demo_yuzhong_street_weight(const char *street_code, struct geo_point *hint);

/* Frees the calling thread's GEOS context now (it is also freed at thread exit). */
void geo_thread_done(void);

#endif
