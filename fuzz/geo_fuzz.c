/* Fuzz GeoJSON shapes: geo_shape_parse on any text gives a shape or "invalid_geojson"; a parsed
 * shape validates or not without crashing, and a valid one has a GeoJSON form that parses
 * again and, within longitude/latitude range, a finite area. */
#include <assert.h>
#include <math.h>

#include "fuzz.h"
#include "geo/geo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);
    struct geo_shape *shape = NULL, *again = NULL;
    struct app_error err;
    if (geo_shape_parse(s, &shape, &err) == 0) {
        assert(shape);
        geo_shape_num_parts(shape);
        struct geo_bbox bb = geo_shape_bbox(shape);
        /* Area is defined on longitudes and latitudes, which imports check first. */
        bool lonlat =
            bb.min_lon >= -180 && bb.max_lon <= 180 && bb.min_lat >= -90 && bb.max_lat <= 90;
        if (geo_shape_validate(shape, &err) == 0) {
            double a = geo_shape_area_m2(shape);
            assert(!lonlat || (!isnan(a) && a >= 0));
            char *text = geo_shape_to_geojson(shape);
            assert(text);
            assert(geo_shape_parse(text, &again, &err) == 0);
            geo_shape_free(again);
            free(text);
            struct geo_shape *w = geo_shape_gcj02_to_wgs84(shape);
            geo_shape_free(w);
        } else {
            assert(strcmp(err.code_name, "invalid_geometry") == 0);
        }
        geo_shape_free(shape);
    } else {
        assert(err.code == APP_ERR_INVALID);
    }
    free(s);
    return 0;
}
