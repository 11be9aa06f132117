/* Tests for shapes: GeoJSON in/out, validation, geodesic area, datum transform, tiling check. */
#include <stdlib.h>

#include "geo/geo.h"
#include "test.h"
#include "yuzhong_fixture.h"

static struct geo_shape *parse(const char *json)
{
    struct geo_shape *s = NULL;
    struct app_error err = {0};
    if (geo_shape_parse(json, &s, &err) != 0)
        fprintf(stderr, "    parse failed: %s\n", err.message);
    return s;
}

static char *square(double x0, double y0, double d)
{
    char *s = malloc(256);
    snprintf(s, 256,
             "{\"type\":\"Polygon\",\"coordinates\":[[[%.7f,%.7f],[%.7f,%.7f],[%.7f,%.7f],"
             "[%.7f,%.7f],[%.7f,%.7f]]]}",
             x0, y0, x0 + d, y0, x0 + d, y0 + d, x0, y0 + d, x0, y0);
    return s;
}

TEST(parse_and_write_round_trip)
{
    struct geo_shape *s = parse("{\"type\":\"Polygon\",\"coordinates\":[[[106.5,29.5],[106.6,29.5],"
                                "[106.6,29.6],[106.5,29.5]]]}");
    CHECK(s != NULL);
    char *out = geo_shape_to_geojson(s);
    CHECK(strstr(out, "\"Polygon\"") != NULL);
    struct geo_shape *s2 = parse(out);
    CHECK(s2 != NULL);
    CHECK_NEAR(geo_shape_area_m2(s2), geo_shape_area_m2(s), 1e-6);
    free(out);
    geo_shape_free(s);
    geo_shape_free(s2);
}

TEST(parse_rejects_non_polygons)
{
    struct geo_shape *s = NULL;
    struct app_error err = {0};
    CHECK_INT(geo_shape_parse("{\"type\":\"Point\",\"coordinates\":[1,2]}", &s, &err), -1);
    CHECK_INT(err.code, APP_ERR_INVALID);
    CHECK_STR(err.code_name, "invalid_geojson");
    CHECK_STR(err.field, "geometry");
    CHECK(s == NULL);
    CHECK_INT(geo_shape_parse("{not json", &s, &err), -1);
    CHECK_INT(err.code, APP_ERR_INVALID);
    CHECK_INT(geo_shape_parse(NULL, &s, &err), -1);
}

TEST(feature_collection_is_flattened)
{
    struct geo_shape *s =
        parse("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
              "\"properties\":{},\"geometry\":{\"type\":\"Polygon\","
              "\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}}]}");
    CHECK(s != NULL);
    if (s)
        CHECK_INT(geo_shape_num_parts(s), 1);
    geo_shape_free(s);
}

TEST(validate_reports_self_intersection)
{
    struct geo_shape *bow = parse("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,1],[1,0],"
                                  "[0,1],[0,0]]]}");
    struct app_error err = {0};
    CHECK(bow != NULL);
    CHECK_INT(geo_shape_validate(bow, &err), -1);
    CHECK_INT(err.code, APP_ERR_INVALID);
    CHECK_STR(err.code_name, "invalid_geometry");
    CHECK(strstr(err.message, "Self-intersection") != NULL);
    geo_shape_free(bow);

    char *sq = square(106.5, 29.5, 0.01);
    struct geo_shape *ok = parse(sq);
    CHECK_INT(geo_shape_validate(ok, &err), 0);
    geo_shape_free(ok);
    free(sq);
}

TEST(area_of_a_square_and_a_hole)
{
    /* 0.01 x 0.01 degree square at 29.55N: 1113.2 m (lon, x cos) by 1108.5 m (lat). */
    char *sq = square(106.55, 29.55, 0.01);
    struct geo_shape *s = parse(sq);
    double a = geo_shape_area_m2(s);
    double expect = 0.01 * 111412.84 * cos(29.555 * M_PI / 180) * 0.01 * 110849.0;
    CHECK(fabs(a - expect) / expect < 0.002);
    geo_shape_free(s);
    free(sq);

    struct geo_shape *h =
        parse("{\"type\":\"Polygon\",\"coordinates\":[[[106.5,29.5],[106.52,29.5],"
              "[106.52,29.52],[106.5,29.52],[106.5,29.5]],[[106.505,29.505],"
              "[106.505,29.515],[106.515,29.515],[106.515,29.505],[106.505,29.505]]]}");
    struct geo_shape *outer = parse("{\"type\":\"Polygon\",\"coordinates\":[[[106.5,29.5],"
                                    "[106.52,29.5],[106.52,29.52],[106.5,29.52],[106.5,29.5]]]}");
    CHECK_NEAR(geo_shape_area_m2(h) / geo_shape_area_m2(outer), 0.75, 1e-3);
    geo_shape_free(h);
    geo_shape_free(outer);
}

TEST(district_outline_area_and_transform)
{
    struct geo_shape *gcj = parse(yuzhong_outline_gcj02);
    CHECK(gcj != NULL);
    struct geo_shape *wgs = geo_shape_gcj02_to_wgs84(gcj);
    double a1 = geo_shape_area_m2(gcj), a2 = geo_shape_area_m2(wgs);
    /* Yuzhong land ~18-24 km²; the datum shift barely changes the area (~0.2%) */
    CHECK(a1 > 15e6 && a1 < 25e6);
    CHECK(fabs(a1 - a2) / a1 < 5e-3); /* GCJ-02 scale varies a little */
    struct geo_point c1 = geo_shape_centroid(gcj), c2 = geo_shape_centroid(wgs);
    double shift = geo_distance_m(c1, c2);
    CHECK(shift > 100 && shift < 1000);
    struct geo_point pin = geo_shape_point_on_surface(wgs);
    CHECK(geo_shape_covers_point(wgs, pin));
    struct geo_bbox b = geo_shape_bbox(wgs);
    CHECK(b.min_lon < b.max_lon && b.min_lat < b.max_lat);
    CHECK(b.min_lon > 106.47 && b.max_lon < 106.60);
    struct app_error err = {0};
    CHECK_INT(geo_shape_validate(wgs, &err), 0);
    geo_shape_free(gcj);
    geo_shape_free(wgs);
}

TEST(tiling_check_finds_overlap_gap_and_outside)
{
    char *p = square(106.5, 29.5, 0.02);
    char *a = square(106.5, 29.5, 0.01), *b = square(106.51, 29.5, 0.01);
    char *c = square(106.5, 29.51, 0.01), *d = square(106.51, 29.51, 0.01);
    char *e = square(106.505, 29.505, 0.01); /* overlaps all four */
    struct geo_shape *P = parse(p), *A = parse(a), *B = parse(b), *C = parse(c), *D = parse(d),
                     *E = parse(e);
    struct geo_tiling_report rep;
    struct app_error err = {0};

    struct geo_tile good[] = {{"A", A}, {"B", B}, {"C", C}, {"D", D}};
    CHECK_INT(geo_tiling_check(P, good, 4, 1.0, &rep, &err), 0);
    CHECK(geo_tiling_ok(&rep));
    geo_tiling_report_release(&rep);

    struct geo_tile gap[] = {{"A", A}, {"B", B}, {"C", C}};
    CHECK_INT(geo_tiling_check(P, gap, 3, 1.0, &rep, &err), 0);
    CHECK_INT(rep.n_gaps, 1);
    CHECK_INT(rep.n_overlaps, 0);
    CHECK(rep.gap_total_m2 > 1e6);
    geo_tiling_report_release(&rep);

    struct geo_tile over[] = {{"A", A}, {"B", B}, {"C", C}, {"D", D}, {"E", E}};
    CHECK_INT(geo_tiling_check(P, over, 5, 1.0, &rep, &err), 0);
    CHECK_INT(rep.n_overlaps, 4);
    CHECK_STR(rep.overlaps[0].code_a, "A");
    CHECK_STR(rep.overlaps[0].code_b, "E");
    geo_tiling_report_release(&rep);

    struct geo_tile out[] = {{"A", A}, {"B", B}, {"C", C}, {"D", D}};
    CHECK_INT(geo_tiling_check(A, out, 4, 1.0, &rep, &err), 0);
    CHECK_INT(rep.n_outside, 3);
    geo_tiling_report_release(&rep);

    geo_shape_free(P);
    geo_shape_free(A);
    geo_shape_free(B);
    geo_shape_free(C);
    geo_shape_free(D);
    geo_shape_free(E);
    free(p);
    free(a);
    free(b);
    free(c);
    free(d);
    free(e);
    geo_thread_done();
}

TEST_SUITE({"parse_and_write_round_trip", parse_and_write_round_trip},
           {"parse_rejects_non_polygons", parse_rejects_non_polygons},
           {"feature_collection_is_flattened", feature_collection_is_flattened},
           {"validate_reports_self_intersection", validate_reports_self_intersection},
           {"area_of_a_square_and_a_hole", area_of_a_square_and_a_hole},
           {"district_outline_area_and_transform", district_outline_area_and_transform},
           {"tiling_check_finds_overlap_gap_and_outside",
            tiling_check_finds_overlap_gap_and_outside});
