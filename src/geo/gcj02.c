/* Points and datums: WGS84 <-> GCJ-02 (the Chinese map datum used by the district outline and
 * by Chinese web maps) and haversine distance. Pure functions, thread-safe. */
#include <math.h>

#include "geo/geo.h"

/* The constants of the widely published GCJ-02 algorithm (Krasovsky 1940 ellipsoid). */
#define GCJ_A 6378245.0
#define GCJ_EE 0.00669342162296594323
#define EARTH_MEAN_RADIUS_M 6371008.8

static const double pi = 3.14159265358979323846;

int geo_out_of_china(struct geo_point p)
{
    return p.lon < 72.004 || p.lon > 137.8347 || p.lat < 0.8293 || p.lat > 55.8271;
}

static double transform_lat(double x, double y)
{
    double r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(fabs(x));
    r += (20.0 * sin(6.0 * x * pi) + 20.0 * sin(2.0 * x * pi)) * 2.0 / 3.0;
    r += (20.0 * sin(y * pi) + 40.0 * sin(y / 3.0 * pi)) * 2.0 / 3.0;
    r += (160.0 * sin(y / 12.0 * pi) + 320.0 * sin(y * pi / 30.0)) * 2.0 / 3.0;
    return r;
}

static double transform_lon(double x, double y)
{
    double r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(fabs(x));
    r += (20.0 * sin(6.0 * x * pi) + 20.0 * sin(2.0 * x * pi)) * 2.0 / 3.0;
    r += (20.0 * sin(x * pi) + 40.0 * sin(x / 3.0 * pi)) * 2.0 / 3.0;
    r += (150.0 * sin(x / 12.0 * pi) + 300.0 * sin(x / 30.0 * pi)) * 2.0 / 3.0;
    return r;
}

struct geo_point geo_wgs84_to_gcj02(struct geo_point wgs)
{
    if (geo_out_of_china(wgs))
        return wgs;
    double dlat = transform_lat(wgs.lon - 105.0, wgs.lat - 35.0);
    double dlon = transform_lon(wgs.lon - 105.0, wgs.lat - 35.0);
    double radlat = wgs.lat / 180.0 * pi;
    double magic = sin(radlat);
    magic = 1 - GCJ_EE * magic * magic;
    double sqrtmagic = sqrt(magic);
    dlat = (dlat * 180.0) / ((GCJ_A * (1 - GCJ_EE)) / (magic * sqrtmagic) * pi);
    dlon = (dlon * 180.0) / (GCJ_A / sqrtmagic * cos(radlat) * pi);
    struct geo_point g = {wgs.lon + dlon, wgs.lat + dlat};
    return g;
}

struct geo_point geo_gcj02_to_wgs84(struct geo_point gcj)
{
    if (geo_out_of_china(gcj))
        return gcj;
    /* The offset varies slowly (a few metres per kilometre), so fixed-point iteration
     * w <- w + (gcj - f(w)) converges by a factor of ~1e-3 per step. */
    struct geo_point w = gcj;
    for (int i = 0; i < 30; i++) {
        struct geo_point f = geo_wgs84_to_gcj02(w);
        double dx = gcj.lon - f.lon, dy = gcj.lat - f.lat;
        w.lon += dx;
        w.lat += dy;
        if (fabs(dx) < 1e-11 && fabs(dy) < 1e-11)
            break;
    }
    return w;
}

double geo_distance_m(struct geo_point a, struct geo_point b)
{
    double rad = pi / 180.0;
    double p1 = a.lat * rad, p2 = b.lat * rad;
    double dp = (b.lat - a.lat) * rad, dl = (b.lon - a.lon) * rad;
    double h = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2);
    if (h > 1.0)
        h = 1.0;
    return 2.0 * EARTH_MEAN_RADIUS_M * asin(sqrt(h));
}
