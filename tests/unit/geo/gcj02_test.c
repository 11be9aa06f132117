/* Tests for the WGS84/GCJ-02 conversions and haversine distance. */
#include "geo/geo.h"
#include "test.h"

/* Published pairs (WGS84 -> GCJ-02) from the eviltransform project's test table. */
TEST(forward_known_pairs)
{
    static const struct {
        double wlat, wlon, glat, glon;
    } pairs[] = {
        {31.1774276, 121.5272106, 31.17530398364597, 121.531541859215},
        {22.543847, 113.912316, 22.540796131694766, 113.9171764808363},
        {39.911954, 116.377817, 39.91334545536069, 116.38404722455657},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        struct geo_point g = geo_wgs84_to_gcj02((struct geo_point){pairs[i].wlon, pairs[i].wlat});
        CHECK_NEAR(g.lon, pairs[i].glon, 1e-8);
        CHECK_NEAR(g.lat, pairs[i].glat, 1e-8);
    }
}

TEST(offset_in_chongqing_is_hundreds_of_metres)
{
    struct geo_point w = {106.5516, 29.5630};
    struct geo_point g = geo_wgs84_to_gcj02(w);
    double d = geo_distance_m(w, g);
    CHECK(d > 100 && d < 1000);
}

TEST(round_trip_over_yuzhong_grid)
{
    double worst = 0;
    for (double lon = 106.49; lon <= 106.60 + 1e-9; lon += 0.005) {
        for (double lat = 29.53; lat <= 29.58 + 1e-9; lat += 0.0025) {
            struct geo_point w = {lon, lat};
            struct geo_point back = geo_gcj02_to_wgs84(geo_wgs84_to_gcj02(w));
            double e = geo_distance_m(w, back);
            if (e > worst)
                worst = e;
            /* and the other way round: the inverse really inverts the forward */
            struct geo_point g = {lon, lat};
            double e2 = geo_distance_m(g, geo_wgs84_to_gcj02(geo_gcj02_to_wgs84(g)));
            if (e2 > worst)
                worst = e2;
        }
    }
    CHECK(worst < 0.01);
}

TEST(outside_china_unchanged)
{
    struct geo_point paris = {2.3522, 48.8566};
    CHECK(geo_out_of_china(paris));
    struct geo_point g = geo_wgs84_to_gcj02(paris);
    CHECK(g.lon == paris.lon && g.lat == paris.lat);
    g = geo_gcj02_to_wgs84(paris);
    CHECK(g.lon == paris.lon && g.lat == paris.lat);
    CHECK(!geo_out_of_china((struct geo_point){106.55, 29.56}));
}

TEST(haversine)
{
    CHECK_NEAR(geo_distance_m((struct geo_point){106.55, 29.56}, (struct geo_point){106.55, 29.56}),
               0, 1e-9);
    /* one degree of latitude on the mean sphere: pi/180 * 6371008.8 */
    CHECK_NEAR(geo_distance_m((struct geo_point){0, 0}, (struct geo_point){0, 1}), 111195.08, 0.1);
    double d = geo_distance_m((struct geo_point){106.50, 29.55}, (struct geo_point){106.60, 29.55});
    CHECK_NEAR(d, 9674.0, 10.0); /* 0.1 deg of lon at 29.55N */
}

TEST_SUITE({"forward_known_pairs", forward_known_pairs},
           {"offset_in_chongqing_is_hundreds_of_metres", offset_in_chongqing_is_hundreds_of_metres},
           {"round_trip_over_yuzhong_grid", round_trip_over_yuzhong_grid},
           {"outside_china_unchanged", outside_china_unchanged}, {"haversine", haversine});
