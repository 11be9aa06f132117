/* The demo geography: Yuzhong has no public street, community or grid boundaries, so the demo
 * data set synthesises them inside the real district outline. Streets and communities come from
 * recursive area-exact cuts at jittered angles (fixed-seed PRNG), grids from a square lattice
 * with slivers merged. Everything is snapped to a 1e-7 degree grid so pieces share identical
 * borders and tile without gaps or overlaps. Output must be labelled synthetic wherever shown. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "geo/geo_internal.h"

#define PREC 1e-7
#define MAX_GRID_M2 40000.0
#define SLIVER_M2 5000.0
/* Issue 2 §8: grids of about 10,000–40,000 m². The rule is enforced on the geodesic area that is
 * stored and shown (geo_shape_area_m2), not on a planar estimate. */
#define MIN_GRID_M2 10000.0
/* A full lattice cell is sized a little under MAX_GRID_M2 so that the ±0.05% change of the
 * metre-per-degree factors across the district never pushes one over. */
#define CELL_TARGET_M2 39950.0

/* Approximate street areas (km²) and rough centres, from public encyclopaedia figures; they are
 * only demo weights and cut order, not survey data. */
static const struct {
    const char *code;
    double km2;
    double lon, lat;
} yuzhong_streets[] = {
    {"500103001", 1.52, 106.566, 29.556}, /* 七星岗 */
    {"500103003", 1.98, 106.577, 29.557}, /* 解放碑 */
    {"500103004", 2.19, 106.548, 29.553}, /* 两路口 */
    {"500103005", 1.57, 106.550, 29.565}, /* 上清寺 */
    {"500103007", 1.90, 106.545, 29.543}, /* 菜园坝 */
    {"500103008", 1.76, 106.565, 29.548}, /* 南纪门 */
    {"500103010", 1.16, 106.585, 29.563}, /* 朝天门 */
    {"500103011", 1.45, 106.557, 29.567}, /* 大溪沟 */
    {"500103012", 2.83, 106.522, 29.545}, /* 大坪 */
    {"500103013", 3.55, 106.515, 29.565}, /* 化龙桥 */
    {"500103014", 2.71, 106.505, 29.540}, /* 石油路 */
};

double geo_demo_yuzhong_street_weight(const char *street_code, struct geo_point *hint)
{
    for (size_t i = 0; i < sizeof yuzhong_streets / sizeof yuzhong_streets[0]; i++) {
        if (street_code && strcmp(street_code, yuzhong_streets[i].code) == 0) {
            if (hint)
                *hint = (struct geo_point){yuzhong_streets[i].lon, yuzhong_streets[i].lat};
            return yuzhong_streets[i].km2;
        }
    }
    if (hint)
        *hint = (struct geo_point){0, 0};
    return 0;
}

/* ---- deterministic randomness ---- */

static uint64_t seed_of(const char *s, uint64_t salt)
{
    uint64_t h = 1469598103934665603ULL ^ salt; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static double rand01(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL); /* splitmix64 */
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return (double)(z >> 11) / 9007199254740992.0;
}

/* ---- recursive area-exact partition ---- */

struct frame {
    GEOSContextHandle_t ctx;
    double lon0, lat0, c; /* local metric: x = (lon - lon0) * c, y = lat - lat0 */
};

struct part_item {
    const char *code;
    double weight;
    struct geo_point hint;
    int has_hint;
    size_t order;        /* input order, for stable sorting */
    GEOSGeometry **slot; /* where the result goes */
};

static GEOSGeometry *halfplane(const struct frame *f, double dx, double dy, double t0,
                               const struct geo_bbox *b)
{
    double x0 = (b->min_lon - f->lon0) * f->c, x1 = (b->max_lon - f->lon0) * f->c;
    double y0 = b->min_lat - f->lat0, y1 = b->max_lat - f->lat0;
    double cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
    double D = 2 * hypot(x1 - x0, y1 - y0) + 1e-3;
    /* Line through m = c + d*t0 with direction u; the kept side is d·q <= t0. */
    double mx = cx + dx * t0, my = cy + dy * t0, ux = -dy, uy = dx;
    double q[5][2] = {{mx + ux * D, my + uy * D},
                      {mx + ux * D - dx * D, my + uy * D - dy * D},
                      {mx - ux * D - dx * D, my - uy * D - dy * D},
                      {mx - ux * D, my - uy * D},
                      {mx + ux * D, my + uy * D}};
    GEOSCoordSequence *cs = GEOSCoordSeq_create_r(f->ctx, 5, 2);
    for (unsigned i = 0; i < 5; i++)
        GEOSCoordSeq_setXY_r(f->ctx, cs, i, q[i][0] / f->c + f->lon0, q[i][1] + f->lat0);
    GEOSGeometry *ring = GEOSGeom_createLinearRing_r(f->ctx, cs);
    return GEOSGeom_createPolygon_r(f->ctx, ring, NULL, 0);
}

static struct geo_bbox bbox_of(GEOSContextHandle_t ctx, const GEOSGeometry *g)
{
    struct geo_bbox b;
    GEOSGeom_getXMin_r(ctx, g, &b.min_lon);
    GEOSGeom_getYMin_r(ctx, g, &b.min_lat);
    GEOSGeom_getXMax_r(ctx, g, &b.max_lon);
    GEOSGeom_getYMax_r(ctx, g, &b.max_lat);
    return b;
}

static double planar_area(GEOSContextHandle_t ctx, const GEOSGeometry *g)
{
    double a = 0;
    GEOSArea_r(ctx, g, &a);
    return a;
}

/* Split p (consumed) among items[0..k) in proportion to their weights. */
static int partition(const struct frame *f, GEOSGeometry *p, struct part_item *items, size_t k,
                     uint64_t seed)
{
    GEOSContextHandle_t ctx = f->ctx;
    if (k == 1) {
        *items[0].slot = p;
        return 0;
    }
    struct geo_bbox b = bbox_of(ctx, p);
    double w = (b.max_lon - b.min_lon) * f->c, h = b.max_lat - b.min_lat;
    uint64_t st = seed;
    double ang = (w >= h ? 0.0 : 1.5707963267948966) + (rand01(&st) - 0.5) * 0.9;
    double dx = cos(ang), dy = sin(ang);

    /* Stable insertion sort by the hint's position along the cut normal. */
    for (size_t i = 1; i < k; i++) {
        struct part_item it = items[i];
        double ki =
            it.has_hint ? ((it.hint.lon - f->lon0) * f->c * dx + (it.hint.lat - f->lat0) * dy) : 0;
        size_t j = i;
        while (j > 0) {
            const struct part_item *pj = &items[j - 1];
            double kj = pj->has_hint
                            ? ((pj->hint.lon - f->lon0) * f->c * dx + (pj->hint.lat - f->lat0) * dy)
                            : 0;
            if (kj < ki || (kj == ki && pj->order < it.order))
                break;
            items[j] = items[j - 1];
            j--;
        }
        items[j] = it;
    }
    double total = 0;
    for (size_t i = 0; i < k; i++)
        total += items[i].weight;
    size_t split = 1;
    double best = INFINITY, acc = 0;
    for (size_t s = 1; s < k; s++) {
        acc += items[s - 1].weight;
        if (fabs(acc / total - 0.5) < best) {
            best = fabs(acc / total - 0.5);
            split = s;
        }
    }
    double frac = 0;
    for (size_t i = 0; i < split; i++)
        frac += items[i].weight;
    frac /= total;

    double area = planar_area(ctx, p);
    double half = hypot((b.max_lon - b.min_lon) * f->c, b.max_lat - b.min_lat) / 2 + 1e-9;
    double lo = -half, hi = half;
    for (int it = 0; it < 60; it++) {
        double mid = (lo + hi) / 2;
        GEOSGeometry *hp = halfplane(f, dx, dy, mid, &b);
        GEOSGeometry *x = GEOSIntersection_r(ctx, p, hp);
        GEOSGeom_destroy_r(ctx, hp);
        if (!x) {
            GEOSGeom_destroy_r(ctx, p);
            return -1;
        }
        double r = planar_area(ctx, x) / area;
        GEOSGeom_destroy_r(ctx, x);
        if (r < frac)
            lo = mid;
        else
            hi = mid;
        if (fabs(r - frac) < 1e-5)
            break;
    }
    GEOSGeometry *hp = halfplane(f, dx, dy, (lo + hi) / 2, &b);
    GEOSGeometry *a = geo_geom_polygonal(ctx, GEOSIntersectionPrec_r(ctx, p, hp, PREC));
    GEOSGeometry *rest = geo_geom_polygonal(ctx, GEOSDifferencePrec_r(ctx, p, hp, PREC));
    GEOSGeom_destroy_r(ctx, hp);
    GEOSGeom_destroy_r(ctx, p);
    if (!a || !rest) {
        if (a)
            GEOSGeom_destroy_r(ctx, a);
        if (rest)
            GEOSGeom_destroy_r(ctx, rest);
        return -1;
    }
    uint64_t s1 = seed * 31 + 7, s2 = seed * 37 + 11;
    if (partition(f, a, items, split, s1) != 0) {
        GEOSGeom_destroy_r(ctx, rest);
        return -1;
    }
    return partition(f, rest, items + split, k - split, s2);
}

/* ---- grids ---- */

/* Cutting pieces one at a time would leave T-junctions whose rounded vertices differ between
 * neighbours by up to half a grid step (square metres along a kilometre-long border). So all
 * borders and the lattice are noded together once (snap-rounded at PREC) and polygonized; every
 * face is then given to the community that holds it, and communities and streets are rebuilt as
 * unions of their faces: one arrangement, so every level tiles exactly. */

struct piece {
    GEOSGeometry *g;
    double area;
};

struct lattice {
    double x0, y0, dlon, dlat;
    long nx, ny;
};

static double snap(double v)
{
    return round(v / PREC) * PREC;
}

static double lat_x(const struct lattice *L, long i)
{
    return snap(L->x0 + (double)i * L->dlon);
}

static double lat_y(const struct lattice *L, long j)
{
    return snap(L->y0 - (double)j * L->dlat);
}

static GEOSGeometry *segment(GEOSContextHandle_t ctx, double x0, double y0, double x1, double y1)
{
    GEOSCoordSequence *cs = GEOSCoordSeq_create_r(ctx, 2, 2);
    GEOSCoordSeq_setXY_r(ctx, cs, 0, x0, y0);
    GEOSCoordSeq_setXY_r(ctx, cs, 1, x1, y1);
    return GEOSGeom_createLineString_r(ctx, cs);
}

static double shared_length(GEOSContextHandle_t ctx, const GEOSGeometry *a, const GEOSGeometry *b)
{
    GEOSGeometry *ba = GEOSBoundary_r(ctx, a), *bb = GEOSBoundary_r(ctx, b);
    double len = 0;
    GEOSGeometry *x = (ba && bb) ? GEOSIntersection_r(ctx, ba, bb) : NULL;
    if (x) {
        GEOSLength_r(ctx, x, &len);
        GEOSGeom_destroy_r(ctx, x);
    }
    if (ba)
        GEOSGeom_destroy_r(ctx, ba);
    if (bb)
        GEOSGeom_destroy_r(ctx, bb);
    return len;
}

/* Merge the smallest piece under GEO_DEMO_MIN_GRID_M2 into a neighbour until none is left:
 * prefer the neighbour with the longest shared border whose union stays <= MAX_GRID_M2; a piece
 * of at least SLIVER_M2 is left alone when no neighbour has room. */
static void merge_slivers(GEOSContextHandle_t ctx, struct piece *ps, size_t *n)
{
    size_t np = *n;
    char *stuck = xcalloc(np ? np : 1, 1);
    while (np > 1) {
        size_t s = np;
        for (size_t i = 0; i < np; i++)
            if (!stuck[i] && ps[i].area < GEO_DEMO_MIN_GRID_M2 &&
                (s == np || ps[i].area < ps[s].area))
                s = i;
        if (s == np)
            break;
        size_t fit = np, any = np, near = np;
        double fit_len = 0, any_area = INFINITY, near_d = INFINITY;
        for (size_t i = 0; i < np; i++) {
            if (i == s)
                continue;
            double d = INFINITY;
            GEOSDistance_r(ctx, ps[s].g, ps[i].g, &d);
            if (d < near_d) {
                near_d = d;
                near = i;
            }
            if (d > 0)
                continue;
            double len = shared_length(ctx, ps[s].g, ps[i].g);
            if (len <= 0)
                continue;
            if (ps[s].area + ps[i].area <= MAX_GRID_M2 && len > fit_len) {
                fit_len = len;
                fit = i;
            }
            if (ps[i].area < any_area) {
                any_area = ps[i].area;
                any = i;
            }
        }
        size_t t = fit;
        if (t == np && ps[s].area < SLIVER_M2)
            t = any != np ? any : near;
        if (t == np) {
            stuck[s] = 1;
            continue;
        }
        GEOSGeometry *u = geo_geom_polygonal(ctx, GEOSUnionPrec_r(ctx, ps[s].g, ps[t].g, PREC));
        if (!u) {
            stuck[s] = 1;
            continue;
        }
        GEOSGeom_destroy_r(ctx, ps[t].g);
        GEOSGeom_destroy_r(ctx, ps[s].g);
        ps[t].g = u;
        ps[t].area = geo_geom_area_m2(ctx, u);
        stuck[t] = 0;
        ps[s] = ps[np - 1];
        stuck[s] = stuck[np - 1];
        np--;
    }
    free(stuck);
    *n = np;
}

/* A new polygonal geometry: g clipped to the box [x0,x1] × [y0,y1]. */
static GEOSGeometry *clip_box(GEOSContextHandle_t ctx, const GEOSGeometry *g, double x0, double y0,
                              double x1, double y1)
{
    GEOSGeometry *box = GEOSGeom_createRectangle_r(ctx, x0, y0, x1, y1);
    GEOSGeometry *x = box ? GEOSIntersection_r(ctx, g, box) : NULL;
    if (box)
        GEOSGeom_destroy_r(ctx, box);
    return geo_geom_polygonal(ctx, x);
}

/* Cut g in two pieces of equal geodesic area by a line across its longer side (bisection on
 * the cut position). Both halves are clipped from g by boxes that share the cut line, so they
 * tile g. Returns 0 with *a and *b new, or -1. */
static int bisect(GEOSContextHandle_t ctx, const GEOSGeometry *g, GEOSGeometry **a,
                  GEOSGeometry **b)
{
    struct geo_bbox bb = bbox_of(ctx, g);
    double total = geo_geom_area_m2(ctx, g);
    double kx = cos((bb.min_lat + bb.max_lat) / 2 * 3.14159265358979323846 / 180.0);
    bool across_x = (bb.max_lon - bb.min_lon) * kx >= bb.max_lat - bb.min_lat;
    double lo = across_x ? bb.min_lon : bb.min_lat, hi = across_x ? bb.max_lon : bb.max_lat;
    double pad = 1e-3;
    for (int it = 0; it < 40; it++) {
        double mid = (lo + hi) / 2;
        GEOSGeometry *h =
            across_x ? clip_box(ctx, g, bb.min_lon - pad, bb.min_lat - pad, mid, bb.max_lat + pad)
                     : clip_box(ctx, g, bb.min_lon - pad, bb.min_lat - pad, bb.max_lon + pad, mid);
        double ah = h ? geo_geom_area_m2(ctx, h) : 0;
        if (h)
            GEOSGeom_destroy_r(ctx, h);
        if (ah < total / 2)
            lo = mid;
        else
            hi = mid;
    }
    double t = snap((lo + hi) / 2);
    if (across_x) {
        *a = clip_box(ctx, g, bb.min_lon - pad, bb.min_lat - pad, t, bb.max_lat + pad);
        *b = clip_box(ctx, g, t, bb.min_lat - pad, bb.max_lon + pad, bb.max_lat + pad);
    } else {
        *a = clip_box(ctx, g, bb.min_lon - pad, t, bb.max_lon + pad, bb.max_lat + pad);
        *b = clip_box(ctx, g, bb.min_lon - pad, bb.min_lat - pad, bb.max_lon + pad, t);
    }
    if (*a && *b && !GEOSisEmpty_r(ctx, *a) && !GEOSisEmpty_r(ctx, *b))
        return 0;
    if (*a)
        GEOSGeom_destroy_r(ctx, *a);
    if (*b)
        GEOSGeom_destroy_r(ctx, *b);
    return -1;
}

/* Make every piece satisfy MIN_GRID_M2 <= area <= MAX_GRID_M2 after merge_slivers: a piece still
 * under the minimum joins the neighbour with the longest shared border (whatever its size), then
 * any piece over the maximum is halved until none is. Both loops are bounded. */
static void enforce_sizes(GEOSContextHandle_t ctx, struct piece **pps, size_t *n)
{
    struct piece *ps = *pps;
    size_t np = *n;
    for (size_t round = 0; round < *n && np > 1; round++) {
        size_t s = np;
        for (size_t i = 0; i < np; i++)
            if (ps[i].area < MIN_GRID_M2 && (s == np || ps[i].area < ps[s].area))
                s = i;
        if (s == np)
            break;
        size_t t = np, near = np;
        double best = 0, near_d = INFINITY;
        for (size_t i = 0; i < np; i++) {
            if (i == s)
                continue;
            double d = INFINITY;
            GEOSDistance_r(ctx, ps[s].g, ps[i].g, &d);
            if (d < near_d) {
                near_d = d;
                near = i;
            }
            double len = d > 0 ? 0 : shared_length(ctx, ps[s].g, ps[i].g);
            if (len > best) {
                best = len;
                t = i;
            }
        }
        if (t == np)
            t = near;
        GEOSGeometry *u = geo_geom_polygonal(ctx, GEOSUnionPrec_r(ctx, ps[s].g, ps[t].g, PREC));
        if (!u)
            break;
        GEOSGeom_destroy_r(ctx, ps[t].g);
        GEOSGeom_destroy_r(ctx, ps[s].g);
        ps[t].g = u;
        ps[t].area = geo_geom_area_m2(ctx, u);
        ps[s] = ps[np - 1];
        np--;
    }
    for (size_t round = 0, limit = 4 * np + 4; round < limit; round++) {
        size_t big = np;
        for (size_t i = 0; i < np; i++)
            if (ps[i].area > MAX_GRID_M2 && (big == np || ps[i].area > ps[big].area))
                big = i;
        if (big == np)
            break;
        GEOSGeometry *a, *b;
        if (bisect(ctx, ps[big].g, &a, &b))
            break;
        ps = xrealloc(ps, (np + 1) * sizeof *ps);
        GEOSGeom_destroy_r(ctx, ps[big].g);
        ps[big].g = a;
        ps[big].area = geo_geom_area_m2(ctx, a);
        ps[np].g = b;
        ps[np].area = geo_geom_area_m2(ctx, b);
        np++;
    }
    *pps = ps;
    *n = np;
}

struct leaf {
    GEOSGeometry *approx; /* from the cuts, borrowed */
    struct geo_rings rings;
    struct piece *faces;
    size_t n_faces;
};

/* Node leaf borders and the lattice, polygonize, and hand each face to its leaf. */
static int assign_faces(GEOSContextHandle_t ctx, struct leaf *lv, size_t n_leaves,
                        const GEOSGeometry *district, const struct lattice *L)
{
    int ret = -1;
    size_t cap = n_leaves + (size_t)(L->nx + L->ny + 2), k = 0;
    GEOSGeometry **lines = xcalloc(cap, sizeof *lines);
    for (size_t i = 0; i < n_leaves; i++)
        lines[k++] = GEOSBoundary_r(ctx, lv[i].approx);
    for (long i = 0; i <= L->nx; i++)
        lines[k++] = segment(ctx, lat_x(L, i), lat_y(L, 0), lat_x(L, i), lat_y(L, L->ny));
    for (long j = 0; j <= L->ny; j++)
        lines[k++] = segment(ctx, lat_x(L, 0), lat_y(L, j), lat_x(L, L->nx), lat_y(L, j));
    GEOSGeometry *coll =
        GEOSGeom_createCollection_r(ctx, GEOS_GEOMETRYCOLLECTION, lines, (unsigned)k);
    free(lines);
    GEOSGeometry *noded = GEOSUnaryUnionPrec_r(ctx, coll, PREC);
    GEOSGeom_destroy_r(ctx, coll);
    if (!noded)
        return -1;
    const GEOSGeometry *in[1] = {noded};
    GEOSGeometry *faces = GEOSPolygonize_r(ctx, in, 1);
    GEOSGeom_destroy_r(ctx, noded);
    if (!faces)
        return -1;
    struct geo_rings drings;
    geo_rings_init(&drings, ctx, district);
    int nf = GEOSGetNumGeometries_r(ctx, faces);
    for (int f = 0; f < nf; f++) {
        const GEOSGeometry *face = GEOSGetGeometryN_r(ctx, faces, f);
        GEOSGeometry *pt = GEOSPointOnSurface_r(ctx, face);
        struct geo_point p = {0, 0};
        if (!pt)
            goto out;
        GEOSGeomGetX_r(ctx, pt, &p.lon);
        GEOSGeomGetY_r(ctx, pt, &p.lat);
        GEOSGeom_destroy_r(ctx, pt);
        size_t owner = n_leaves, hits = 0;
        for (size_t i = 0; i < n_leaves; i++) {
            if (geo_rings_classify(&lv[i].rings, p) == 1) {
                owner = i;
                hits++;
            }
        }
        if (hits != 1) {
            if (hits == 0 && geo_rings_classify(&drings, p) == 0)
                continue; /* a lattice cell outside the district */
            /* A face on a seam: give it to the leaf it overlaps most. */
            double best = 0;
            owner = n_leaves;
            for (size_t i = 0; i < n_leaves; i++) {
                GEOSGeometry *x = GEOSIntersection_r(ctx, face, lv[i].approx);
                double a = x ? geo_geom_area_m2(ctx, x) : 0;
                if (x)
                    GEOSGeom_destroy_r(ctx, x);
                if (a > best) {
                    best = a;
                    owner = i;
                }
            }
            if (owner == n_leaves)
                continue;
        }
        struct leaf *o = &lv[owner];
        o->faces = xrealloc(o->faces, (o->n_faces + 1) * sizeof *o->faces);
        o->faces[o->n_faces].g = GEOSGeom_clone_r(ctx, face);
        o->faces[o->n_faces].area = geo_geom_area_m2(ctx, face);
        o->n_faces++;
    }
    ret = 0;
out:
    geo_rings_release(&drings);
    GEOSGeom_destroy_r(ctx, faces);
    return ret;
}

/* Union of pieces (borrowed); a new geometry. */
static GEOSGeometry *union_of(GEOSContextHandle_t ctx, GEOSGeometry *const *gs, size_t n)
{
    GEOSGeometry **cl = xcalloc(n ? n : 1, sizeof *cl);
    for (size_t i = 0; i < n; i++)
        cl[i] = GEOSGeom_clone_r(ctx, gs[i]);
    GEOSGeometry *coll = GEOSGeom_createCollection_r(ctx, GEOS_GEOMETRYCOLLECTION, cl, (unsigned)n);
    free(cl);
    GEOSGeometry *u = geo_geom_polygonal(ctx, GEOSUnaryUnionPrec_r(ctx, coll, PREC));
    GEOSGeom_destroy_r(ctx, coll);
    return u;
}

/* ---- output ---- */

static void unit_fill(GEOSContextHandle_t ctx, struct geo_demo_unit *u, const GEOSGeometry *g)
{
    GEOSGeoJSONWriter *w = GEOSGeoJSONWriter_create_r(ctx);
    char *txt = GEOSGeoJSONWriter_writeGeometry_r(ctx, w, g, -1);
    GEOSGeoJSONWriter_destroy_r(ctx, w);
    u->geojson = xstrdup(txt ? txt : "null");
    if (txt)
        GEOSFree_r(ctx, txt);
    u->area_m2 = geo_geom_area_m2(ctx, g);
    GEOSGeometry *pt = GEOSPointOnSurface_r(ctx, g);
    if (pt) {
        GEOSGeomGetX_r(ctx, pt, &u->center.lon);
        GEOSGeomGetY_r(ctx, pt, &u->center.lat);
        GEOSGeom_destroy_r(ctx, pt);
    }
}

static int unit_cmp(const void *a, const void *b)
{
    const struct geo_demo_unit *x = a, *y = b;
    if (x->level != y->level)
        return (int)x->level - (int)y->level;
    return strcmp(x->code, y->code);
}

struct grid_key {
    size_t piece;
    long row;
    double lon;
};

static int grid_key_cmp(const void *a, const void *b)
{
    const struct grid_key *x = a, *y = b;
    if (x->row != y->row)
        return x->row < y->row ? -1 : 1;
    if (x->lon != y->lon)
        return x->lon < y->lon ? -1 : 1;
    return x->piece < y->piece ? -1 : (x->piece > y->piece);
}

static char *short_name(const char *name)
{
    static const char suffix[] = "居民委员会";
    size_t n = strlen(name), m = sizeof suffix - 1;
    if (n > m && strcmp(name + n - m, suffix) == 0)
        return xstrndup(name, n - m);
    return xstrdup(name);
}

void geo_demo_result_release(struct geo_demo_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->len; i++) {
        free(r->items[i].name);
        free(r->items[i].geojson);
    }
    free(r->items);
    memset(r, 0, sizeof *r);
}

static struct geo_demo_unit *push_unit(struct geo_demo_result *r)
{
    r->items = xrealloc(r->items, (r->len + 1) * sizeof *r->items);
    struct geo_demo_unit *u = &r->items[r->len++];
    memset(u, 0, sizeof *u);
    return u;
}

/* Number the grids of one community (GB/T 30428.1: rows north to south by latitude band of the
 * centroid, then west to east) and append them to out. */
static void emit_grids(GEOSContextHandle_t ctx, const struct geo_demo_community *c,
                       const struct piece *ps, size_t np, const struct lattice *L,
                       struct geo_demo_result *out)
{
    struct grid_key *keys = xcalloc(np ? np : 1, sizeof *keys);
    for (size_t p = 0; p < np; p++) {
        double cy = 0;
        GEOSGeometry *cen = GEOSGetCentroid_r(ctx, ps[p].g);
        GEOSGeomGetX_r(ctx, cen, &keys[p].lon);
        GEOSGeomGetY_r(ctx, cen, &cy);
        GEOSGeom_destroy_r(ctx, cen);
        keys[p].piece = p;
        keys[p].row = (long)floor((L->y0 - cy) / L->dlat);
    }
    qsort(keys, np, sizeof *keys, grid_key_cmp);
    char *sn = short_name(c->name ? c->name : c->code);
    for (size_t p = 0; p < np; p++) {
        struct geo_demo_unit *gu = push_unit(out);
        gu->level = GEO_DEMO_GRID;
        snprintf(gu->code, sizeof gu->code, "%s%03zu", c->code, p + 1);
        snprintf(gu->parent_code, sizeof gu->parent_code, "%s", c->code);
        char nm[256];
        snprintf(nm, sizeof nm, "%s第%zu网格", sn, p + 1);
        gu->name = xstrdup(nm);
        gu->row = (int)keys[p].row;
        unit_fill(ctx, gu, ps[keys[p].piece].g);
        out->n_grids++;
    }
    free(sn);
    free(keys);
}

int geo_demo_generate(const struct geo_shape *district, const char *district_code,
                      const struct geo_demo_street *streets, size_t n_streets,
                      const struct geo_demo_community *communities, size_t n_communities,
                      struct geo_demo_result *out, struct app_error *err)
{
    GEOSContextHandle_t ctx = geo_ctx();
    int ret = -1;
    GEOSGeometry **street_g = xcalloc(n_streets ? n_streets : 1, sizeof *street_g);
    GEOSGeometry **comm_g = xcalloc(n_communities ? n_communities : 1, sizeof *comm_g);
    struct part_item *items = xcalloc(n_streets + n_communities + 1, sizeof *items);
    /* leaves: communities, then streets that have no community */
    struct leaf *lv = xcalloc(n_streets + n_communities + 1, sizeof *lv);
    size_t *leaf_street = xcalloc(n_streets + n_communities + 1, sizeof *leaf_street);
    long *leaf_comm = xcalloc(n_streets + n_communities + 1, sizeof *leaf_comm);
    size_t n_leaves = 0;
    GEOSGeometry *d = NULL;
    memset(out, 0, sizeof *out);

    if (n_streets == 0) {
        app_fail(err, APP_ERR_INVALID, "invalid_demo_input", "streets", "no streets");
        goto out;
    }
    for (size_t i = 0; i < n_streets; i++) {
        if (!streets[i].code || strlen(streets[i].code) >= 21 || !(streets[i].weight > 0)) {
            app_fail(err, APP_ERR_INVALID, "invalid_demo_input", "streets",
                     "street %zu needs a code and a positive weight", i);
            goto out;
        }
    }
    for (size_t i = 0; i < n_communities; i++) {
        size_t k = 0;
        while (k < n_streets && (!communities[i].street_code ||
                                 strcmp(streets[k].code, communities[i].street_code) != 0))
            k++;
        if (k == n_streets || !communities[i].code || strlen(communities[i].code) >= 21) {
            app_fail(err, APP_ERR_INVALID, "invalid_demo_input", "communities",
                     "community %zu: bad code or unknown street", i);
            goto out;
        }
    }

    d = geo_geom_polygonal(ctx, GEOSGeom_setPrecision_r(ctx, district->g, PREC, 0));
    if (!d || GEOSisEmpty_r(ctx, d)) {
        app_fail(err, APP_ERR_INTERNAL, NULL, NULL, "district: %s", geo_last_error());
        goto out;
    }
    struct geo_bbox db = bbox_of(ctx, d);
    struct frame f = {ctx, (db.min_lon + db.max_lon) / 2, (db.min_lat + db.max_lat) / 2, 0};
    f.c = cos(f.lat0 * 3.14159265358979323846 / 180.0);

    for (size_t i = 0; i < n_streets; i++) {
        items[i] = (struct part_item){streets[i].code,
                                      streets[i].weight,
                                      streets[i].hint,
                                      streets[i].hint.lon != 0 || streets[i].hint.lat != 0,
                                      i,
                                      &street_g[i]};
    }
    if (partition(&f, GEOSGeom_clone_r(ctx, d), items, n_streets,
                  seed_of(district_code ? district_code : "", 1)) != 0) {
        app_fail(err, APP_ERR_INTERNAL, NULL, NULL, "street cut failed: %s", geo_last_error());
        goto out;
    }

    for (size_t s = 0; s < n_streets; s++) {
        size_t k = 0;
        for (size_t i = 0; i < n_communities; i++) {
            if (strcmp(communities[i].street_code, streets[s].code) != 0)
                continue;
            items[k] = (struct part_item){communities[i].code, 1.0, {0, 0}, 0, i, &comm_g[i]};
            lv[n_leaves].approx = NULL;
            leaf_street[n_leaves] = s;
            leaf_comm[n_leaves++] = (long)i;
            k++;
        }
        if (k == 0) {
            leaf_street[n_leaves] = s;
            leaf_comm[n_leaves++] = -1;
            continue;
        }
        GEOSGeometry *sg = GEOSGeom_clone_r(ctx, street_g[s]);
        if (partition(&f, sg, items, k, seed_of(streets[s].code, 2)) != 0) {
            app_fail(err, APP_ERR_INTERNAL, NULL, NULL, "community cut failed: %s",
                     geo_last_error());
            goto out;
        }
    }
    for (size_t i = 0; i < n_leaves; i++) {
        lv[i].approx = leaf_comm[i] >= 0 ? comm_g[leaf_comm[i]] : street_g[leaf_street[i]];
        geo_rings_init(&lv[i].rings, ctx, lv[i].approx);
    }

    /* One lattice for the whole district, anchored at its north-west corner. */
    double mlat = 111132.92 - 559.82 * cos(2 * f.lat0 * 3.14159265358979323846 / 180.0);
    double mlon = 111412.84 * f.c;
    struct lattice L = {snap(db.min_lon) - 1e-6,
                        snap(db.max_lat) + 1e-6,
                        GEO_DEMO_LATTICE_M / mlon,
                        GEO_DEMO_LATTICE_M / mlat,
                        0,
                        0};
    {
        /* Scale the cell so that its geodesic area at the district's centre is CELL_TARGET_M2. */
        double cx = (db.min_lon + db.max_lon) / 2, cy = (db.min_lat + db.max_lat) / 2;
        GEOSGeometry *cell = GEOSGeom_createRectangle_r(ctx, cx, cy, cx + L.dlon, cy + L.dlat);
        double a = cell ? geo_geom_area_m2(ctx, cell) : 0;
        if (cell)
            GEOSGeom_destroy_r(ctx, cell);
        if (a > 0) {
            L.dlon *= sqrt(CELL_TARGET_M2 / a);
            L.dlat *= sqrt(CELL_TARGET_M2 / a);
        }
    }
    L.nx = (long)ceil((db.max_lon - L.x0) / L.dlon) + 1;
    L.ny = (long)ceil((L.y0 - db.min_lat) / L.dlat) + 1;
    if (assign_faces(ctx, lv, n_leaves, d, &L) != 0) {
        app_fail(err, APP_ERR_INTERNAL, NULL, NULL, "noding failed: %s", geo_last_error());
        goto out;
    }

    /* Rebuild every level bottom-up from the faces so all borders are the same vertices. */
    for (size_t s = 0; s < n_streets; s++) {
        GEOSGeometry **parts = NULL;
        size_t np = 0;
        for (size_t l = 0; l < n_leaves; l++) {
            if (leaf_street[l] != s)
                continue;
            merge_slivers(ctx, lv[l].faces, &lv[l].n_faces);
            enforce_sizes(ctx, &lv[l].faces, &lv[l].n_faces);
            GEOSGeometry **fg = xcalloc(lv[l].n_faces + 1, sizeof *fg);
            for (size_t p = 0; p < lv[l].n_faces; p++)
                fg[p] = lv[l].faces[p].g;
            GEOSGeometry *cu = union_of(ctx, fg, lv[l].n_faces);
            free(fg);
            if (!cu) {
                free(parts);
                app_fail(err, APP_ERR_INTERNAL, NULL, NULL, "union failed: %s", geo_last_error());
                goto out;
            }
            if (leaf_comm[l] >= 0) {
                const struct geo_demo_community *c = &communities[leaf_comm[l]];
                struct geo_demo_unit *u = push_unit(out);
                u->level = GEO_DEMO_COMMUNITY;
                snprintf(u->code, sizeof u->code, "%s", c->code);
                snprintf(u->parent_code, sizeof u->parent_code, "%s", c->street_code);
                u->name = xstrdup(c->name ? c->name : c->code);
                unit_fill(ctx, u, cu);
                out->n_communities++;
                emit_grids(ctx, c, lv[l].faces, lv[l].n_faces, &L, out);
            }
            parts = xrealloc(parts, (np + 1) * sizeof *parts);
            parts[np++] = cu;
        }
        GEOSGeometry *su = union_of(ctx, parts, np);
        for (size_t p = 0; p < np; p++)
            GEOSGeom_destroy_r(ctx, parts[p]);
        free(parts);
        if (!su) {
            app_fail(err, APP_ERR_INTERNAL, NULL, NULL, "union failed: %s", geo_last_error());
            goto out;
        }
        struct geo_demo_unit *u = push_unit(out);
        u->level = GEO_DEMO_STREET;
        snprintf(u->code, sizeof u->code, "%s", streets[s].code);
        snprintf(u->parent_code, sizeof u->parent_code, "%s", district_code ? district_code : "");
        u->name = xstrdup(streets[s].name ? streets[s].name : streets[s].code);
        unit_fill(ctx, u, su);
        GEOSGeom_destroy_r(ctx, su);
        out->n_streets++;
    }
    {
        /* The district as the union of its streets: the outline on the snapped arrangement. */
        GEOSGeometry **sg = xcalloc(out->n_streets + 1, sizeof *sg);
        size_t k = 0;
        for (size_t i = 0; i < out->len; i++) {
            if (out->items[i].level != GEO_DEMO_STREET)
                continue;
            struct geo_shape *tmp = NULL;
            if (geo_shape_parse(out->items[i].geojson, &tmp, NULL) == 0) {
                sg[k++] = tmp->g;
                tmp->g = NULL;
                geo_shape_free(tmp);
            }
        }
        GEOSGeometry *du = union_of(ctx, sg, k);
        for (size_t i = 0; i < k; i++)
            GEOSGeom_destroy_r(ctx, sg[i]);
        free(sg);
        if (!du) {
            app_fail(err, APP_ERR_INTERNAL, NULL, NULL, "union failed: %s", geo_last_error());
            goto out;
        }
        struct geo_demo_unit *u = push_unit(out);
        u->level = GEO_DEMO_DISTRICT;
        snprintf(u->code, sizeof u->code, "%s", district_code ? district_code : "");
        u->name = xstrdup(district_code ? district_code : "");
        unit_fill(ctx, u, du);
        GEOSGeom_destroy_r(ctx, du);
    }
    qsort(out->items, out->len, sizeof *out->items, unit_cmp);
    ret = 0;
out:
    if (ret != 0)
        geo_demo_result_release(out);
    for (size_t i = 0; i < n_leaves; i++) {
        geo_rings_release(&lv[i].rings);
        for (size_t p = 0; p < lv[i].n_faces; p++)
            GEOSGeom_destroy_r(ctx, lv[i].faces[p].g);
        free(lv[i].faces);
    }
    free(lv);
    free(leaf_street);
    free(leaf_comm);
    for (size_t i = 0; i < n_streets; i++)
        if (street_g[i])
            GEOSGeom_destroy_r(ctx, street_g[i]);
    for (size_t i = 0; i < n_communities; i++)
        if (comm_g[i])
            GEOSGeom_destroy_r(ctx, comm_g[i]);
    if (d)
        GEOSGeom_destroy_r(ctx, d);
    free(street_g);
    free(comm_g);
    free(items);
    return ret;
}
