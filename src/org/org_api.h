/* HTTP face of the org module: its route table, and the GeoJSON writer the CLI shares. */
#ifndef ORG_ORG_API_H
#define ORG_ORG_API_H

#include "core/buf.h"
#include "http/http.h"
#include "org/org.h"

extern const struct http_route org_routes[];

/* Append a GeoJSON FeatureCollection (RFC 7946) of the regions to out. */
void org_api_write_geojson(const struct org_region_list *regions, struct buf *out);
/* Append the regions as CSV with a UTF-8 BOM (for Excel/WPS): level, code, name, parent_code,
 * area_m2, center_lon, center_lat, synthetic, geometry. */
void org_api_write_csv(const struct org_region_list *regions, struct buf *out);
/* Read a GeoJSON FeatureCollection (RFC 7946) of regions into imp: each Feature's properties
 * level, code (or the Feature id), name, parent_code (or parent), synthetic, and its geometry.
 * A "crs" member naming GCJ-02 sets imp->gcj02. Errors (APP_ERR_INVALID): "malformed_json"
 * naming line and column (field "body"), "invalid_type" naming the member ("features[3]",
 * "features[3].properties.code", "crs"), "unsupported_crs". */
int org_api_read_geojson(const char *text, size_t len, struct org_import *imp,
                         struct app_error *err);

#endif
