/* Internals shared by the files of src/geo/: the per-thread GEOS context, the shape struct and
 * plain ring arrays for exact point-in-polygon. Not for use outside src/geo/. */
#ifndef GEO_GEO_INTERNAL_H
#define GEO_GEO_INTERNAL_H

#include <geos_c.h>

#include "geo/geo.h"

struct geo_shape {
    GEOSGeometry *g; /* Polygon or MultiPolygon, owned */
};

/* The calling thread's GEOS context, created on first use. */
GEOSContextHandle_t geo_ctx(void);
/* The last GEOS error message of this thread ("" when none). */
const char *geo_last_error(void);

/* True when GeoJSON text has an empty array as an element of another array (GEOS 3.11's
 * reader crashes on it; polygon.c explains). */
int geo_json_has_empty_array_element(const char *s);

/* Wrap g (ownership passes to the shape). */
struct geo_shape *geo_shape_wrap(GEOSGeometry *g);

/* Geodesic area in m² of any geometry (non-polygonal parts count 0). */
double geo_geom_area_m2(GEOSContextHandle_t ctx, const GEOSGeometry *g);

/* Keep only the polygons of g (which is consumed); returns a Polygon, a MultiPolygon, or an
 * empty MultiPolygon. NULL in gives NULL out. */
GEOSGeometry *geo_geom_polygonal(GEOSContextHandle_t ctx, GEOSGeometry *g);

/* All rings of a polygonal geometry as closed coordinate arrays, for even-odd tests. */
struct geo_ring {
    double *xy; /* x0 y0 x1 y1 ..., closed (first == last) */
    size_t n;   /* number of points */
};

struct geo_rings {
    struct geo_ring *rings;
    size_t n;
    struct geo_bbox bbox;
};

void geo_rings_init(struct geo_rings *r, GEOSContextHandle_t ctx, const GEOSGeometry *g);
void geo_rings_release(struct geo_rings *r);
/* 0 outside, 1 strictly inside, 2 on the boundary. */
int geo_rings_classify(const struct geo_rings *r, struct geo_point p);

#endif
