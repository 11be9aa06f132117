/* The pure rules of the patrol module: coverage of a segment by a track within a buffer (inside,
 * outside, partial overlap, a crossing, a single point, refusals), frequency windows (month, 旬,
 * week in Shanghai days), compliance that never counts a running window as missed, gaps,
 * recurrence (反弹) and the "幸福河流" checklist. */
#include <stdlib.h>

#include "core/buf.h"
#include "core/clock.h"
#include "geo/geo.h"
#include "patrol/patrol.h"
#include "test.h"

#define LAT 29.55
/* metres north as degrees of latitude near LAT (WGS84 meridional radius) */
static double north(double m)
{
    return m / 110800.0 * 1.0;
}

static struct geo_point P(double lon, double lat) {
    return (struct geo_point){lon, lat};
}

static double
cover(struct geo_point *seg, size_t ns, struct geo_point *trk, size_t nt, double r)
{
    struct geo_line s = {seg, ns}, t = {trk, nt};
    struct geo_lines tl = {&t, 1};
    struct geo_coverage c;
    struct app_error err = {0};
    if (geo_line_coverage(&s, &tl, r, &c, &err))
        return -1;
    return c.share;
}

TEST(track_on_the_segment_covers_all)
{
    struct geo_point seg[] = {P(106.50, LAT), P(106.505, LAT), P(106.51, LAT)};
    struct geo_point trk[] = {P(106.50, LAT), P(106.51, LAT)};
    CHECK_NEAR(cover(seg, 3, trk, 2, 10), 1.0, 1e-9);
    /* 10 cm: a parallel of latitude bows a centimetre off the straight 1 km chord */
    CHECK_NEAR(cover(seg, 3, trk, 2, 0.1), 1.0, 1e-9);
}

TEST(parallel_track_inside_or_outside_the_buffer)
{
    struct geo_point seg[] = {P(106.50, LAT), P(106.51, LAT)};
    double off = north(30);
    struct geo_point trk[] = {P(106.50, LAT + off), P(106.51, LAT + off)};
    struct geo_line t = {trk, 2};
    double d = geo_line_distance_m(&t, P(106.505, LAT));
    CHECK_NEAR(d, 30.0, 0.3);
    CHECK_NEAR(cover(seg, 2, trk, 2, 50), 1.0, 1e-9);  /* 30 m away, buffer 50: inside */
    CHECK_NEAR(cover(seg, 2, trk, 2, 20), 0.0, 1e-12); /* buffer 20: outside */
    /* the ends of a parallel track stop the cover at its ends plus the buffer's round caps:
     * a track over the middle half covers half plus at most 2 x sqrt(50^2 - 30^2) = 80 m */
    struct geo_point mid[] = {P(106.5025, LAT + off), P(106.5075, LAT + off)};
    struct geo_line s = {seg, 2};
    double len = geo_line_length_m(&s);
    CHECK_NEAR(cover(seg, 2, mid, 2, 50), (len / 2 + 80) / len, 0.002);
}

TEST(partial_overlap)
{
    struct geo_point seg[] = {P(106.50, LAT), P(106.51, LAT)};
    /* the track walks the first half of the segment and turns away from the bank */
    struct geo_point trk[] = {P(106.50, LAT), P(106.505, LAT), P(106.505, LAT + north(500))};
    struct geo_line s = {seg, 2};
    double len = geo_line_length_m(&s);
    CHECK_NEAR(cover(seg, 2, trk, 3, 25), (len / 2 + 25) / len, 0.001);
    /* two separate stretches of the track over the same part count once */
    struct geo_point again[] = {P(106.50, LAT), P(106.505, LAT), P(106.50, LAT)};
    CHECK_NEAR(cover(seg, 2, again, 3, 25), (len / 2 + 25) / len, 0.001);
}

TEST(crossing_and_point_tracks)
{
    struct geo_point seg[] = {P(106.50, LAT), P(106.51, LAT)};
    struct geo_line s = {seg, 2};
    double len = geo_line_length_m(&s);
    /* a track crossing the bank at right angles covers 2 x buffer */
    struct geo_point cross[] = {P(106.505, LAT - north(200)), P(106.505, LAT + north(200))};
    CHECK_NEAR(cover(seg, 2, cross, 2, 40) * len, 80.0, 0.2);
    /* one point: a disc */
    struct geo_point one[] = {P(106.505, LAT)};
    CHECK_NEAR(cover(seg, 2, one, 1, 40) * len, 80.0, 0.2);
    /* a point 30 m off the bank: the chord 2 x sqrt(40^2 - 30^2) */
    struct geo_point off[] = {P(106.505, LAT + north(30))};
    CHECK_NEAR(cover(seg, 2, off, 1, 40) * len, 2 * sqrt(40.0 * 40 - 30.0 * 30), 0.3);
    /* a track far away */
    struct geo_point far[] = {P(106.60, LAT), P(106.61, LAT)};
    CHECK_NEAR(cover(seg, 2, far, 2, 100), 0.0, 1e-12);
}

TEST(coverage_refusals)
{
    struct geo_point seg[] = {P(106.50, LAT), P(106.51, LAT)};
    struct geo_point trk[] = {P(106.50, LAT)};
    struct geo_line s = {seg, 2}, s1 = {seg, 1}, t = {trk, 1};
    struct geo_lines tl = {&t, 1}, none = {NULL, 0};
    struct geo_coverage c;
    struct app_error err = {0};
    CHECK_INT(geo_line_coverage(&s, &tl, -1, &c, &err), -1);
    CHECK_STR(err.field, "buffer");
    CHECK_INT(geo_line_coverage(&s, &tl, NAN, &c, &err), -1);
    CHECK_STR(err.field, "buffer");
    CHECK_INT(geo_line_coverage(&s1, &tl, 10, &c, &err), -1);
    CHECK_STR(err.field, "segment");
    CHECK_INT(geo_line_coverage(&s, &none, 10, &c, &err), -1);
    CHECK_STR(err.field, "track");
    struct geo_point far[] = {P(108.0, LAT)};
    struct geo_line tf = {far, 1};
    struct geo_lines tfl = {&tf, 1};
    CHECK_INT(geo_line_coverage(&s, &tfl, 10, &c, &err), -1);
    CHECK_STR(err.field, "extent");
}

TEST(geojson_lines)
{
    struct geo_lines l;
    struct app_error err = {0};
    CHECK_INT(
        geo_lines_parse("{\"type\":\"LineString\",\"coordinates\":[[106.5,29.5],[106.6,29.6]]}",
                        "track", &l, &err),
        0);
    CHECK_INT(l.len, 1);
    CHECK_INT(l.items[0].n, 2);
    geo_lines_release(&l);
    CHECK_INT(geo_lines_parse("{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":"
                              "\"MultiLineString\",\"coordinates\":[[[1,2],[3,4]],[[5,6],[7,8]]]}}",
                              "track", &l, &err),
              0);
    CHECK_INT(l.len, 2);
    geo_lines_release(&l);
    CHECK_INT(geo_lines_parse("{\"type\":\"Point\",\"coordinates\":[1,2]}", "track", &l, &err), -1);
    CHECK_STR(err.field, "track");
    CHECK_INT(
        geo_lines_parse("{\"type\":\"LineString\",\"coordinates\":[[]]}", "segment", &l, &err), -1);
    CHECK_STR(err.field, "segment");
    CHECK_INT(geo_lines_parse("{\"type\":\"LineString\",\"coordinates\":[[500,2],[1,2]]}", "track",
                              &l, &err),
              -1);
    CHECK_INT(geo_lines_parse("not json", "track", &l, &err), -1);
}

static int64_t at(const char *s)
{
    int64_t t = 0;
    struct app_error err = {0};
    CHECK_INT(clock_parse(s, &t, "t", &err), 0);
    return t;
}

TEST(windows)
{
    int64_t a, b;
    patrol_window_of(PATROL_WINDOW_MONTH, at("2026-02-15T12:00:00+08:00"), &a, &b);
    CHECK_INT(a, at("2026-02-01T00:00:00+08:00"));
    CHECK_INT(b, at("2026-03-01T00:00:00+08:00"));
    /* Shanghai midnight belongs to the new month, a second before to the old */
    patrol_window_of(PATROL_WINDOW_MONTH, at("2026-03-01T00:00:00+08:00"), &a, &b);
    CHECK_INT(a, at("2026-03-01T00:00:00+08:00"));
    patrol_window_of(PATROL_WINDOW_MONTH, at("2026-02-28T23:59:59+08:00"), &a, &b);
    CHECK_INT(a, at("2026-02-01T00:00:00+08:00"));
    patrol_window_of(PATROL_WINDOW_MONTH, at("2026-12-31T20:00:00+08:00"), &a, &b);
    CHECK_INT(b, at("2027-01-01T00:00:00+08:00"));
    /* 旬: 1-10, 11-20, 21 to the end (8 days in February 2026, 11 in March) */
    patrol_window_of(PATROL_WINDOW_XUN, at("2026-02-10T23:00:00+08:00"), &a, &b);
    CHECK_INT(a, at("2026-02-01T00:00:00+08:00"));
    CHECK_INT(b, at("2026-02-11T00:00:00+08:00"));
    patrol_window_of(PATROL_WINDOW_XUN, at("2026-02-11T00:00:00+08:00"), &a, &b);
    CHECK_INT(a, at("2026-02-11T00:00:00+08:00"));
    CHECK_INT(b, at("2026-02-21T00:00:00+08:00"));
    patrol_window_of(PATROL_WINDOW_XUN, at("2026-02-25T08:00:00+08:00"), &a, &b);
    CHECK_INT(a, at("2026-02-21T00:00:00+08:00"));
    CHECK_INT(b, at("2026-03-01T00:00:00+08:00"));
    patrol_window_of(PATROL_WINDOW_XUN, at("2026-03-31T08:00:00+08:00"), &a, &b);
    CHECK_INT(b - a, 11 * 86400);
    /* weeks run Monday to Sunday: 2026-12-03 is a Thursday */
    patrol_window_of(PATROL_WINDOW_WEEK, at("2026-12-03T10:00:00+08:00"), &a, &b);
    CHECK_INT(a, at("2026-11-30T00:00:00+08:00"));
    CHECK_INT(b, at("2026-12-07T00:00:00+08:00"));
    /* 01:00 Monday Shanghai is still Sunday in UTC: the Shanghai week counts */
    patrol_window_of(PATROL_WINDOW_WEEK, at("2026-12-07T01:00:00+08:00"), &a, &b);
    CHECK_INT(a, at("2026-12-07T00:00:00+08:00"));
}

TEST(rules_per_level)
{
    CHECK_INT(patrol_rule_of(PATROL_LEVEL_DISTRICT).window, PATROL_WINDOW_MONTH);
    CHECK_INT(patrol_rule_of(PATROL_LEVEL_STREET).window, PATROL_WINDOW_XUN);
    CHECK_INT(patrol_rule_of(PATROL_LEVEL_COMMUNITY).window, PATROL_WINDOW_WEEK);
    CHECK_INT(patrol_level_parse("street"), PATROL_LEVEL_STREET);
    CHECK_INT(patrol_level_parse("city"), -1);
    CHECK_STR(patrol_level_label(PATROL_LEVEL_COMMUNITY), "社区级河长");
}

TEST(compliance_never_counts_a_running_window_as_missed)
{
    struct patrol_rule week = patrol_rule_of(PATROL_LEVEL_COMMUNITY);
    int64_t from = at("2026-11-02T00:00:00+08:00"); /* a Monday */
    int64_t now = at("2026-11-18T12:00:00+08:00");  /* Wednesday of the third week */
    int64_t t[] = {at("2026-11-03T10:00:00+08:00"), at("2026-11-05T10:00:00+08:00"),
                   at("2026-11-17T09:00:00+08:00")};
    struct patrol_window_count w[8];
    size_t n = 0;
    struct patrol_compliance c;
    patrol_compliance_compute(&week, t, 3, from, now, w, 8, &n, &c);
    CHECK_INT(n, 3);
    CHECK_INT(w[0].count, 2);
    CHECK(w[0].met && !w[1].met && w[2].met && w[2].running);
    CHECK_INT(c.windows, 3);
    CHECK_INT(c.met, 2);
    CHECK(c.current_met);
    CHECK_INT(c.last, t[2]);
    /* without the third patrol the running week is not yet missed */
    patrol_compliance_compute(&week, t, 2, from, now, w, 8, &n, &c);
    CHECK_INT(c.windows, 2);
    CHECK_INT(c.met, 1);
    CHECK(!c.current_met);
    CHECK_NEAR(c.rate, 0.5, 1e-12);
    /* a patrol after now does not count */
    int64_t later[] = {now + 3600};
    patrol_compliance_compute(&week, later, 1, from, now, NULL, 0, NULL, &c);
    CHECK_INT(c.met, 0);
    CHECK_INT(c.last, 0);
    /* a monthly rule over the same span: November is running and met */
    struct patrol_rule month = patrol_rule_of(PATROL_LEVEL_DISTRICT);
    patrol_compliance_compute(&month, t, 1, from, now, w, 8, &n, &c);
    CHECK_INT(n, 1);
    CHECK_INT(c.windows, 1);
    CHECK_NEAR(c.rate, 1.0, 1e-12);
    /* nothing at all: no window ended, nothing owed yet */
    patrol_compliance_compute(&month, NULL, 0, from, now, NULL, 0, NULL, &c);
    CHECK_INT(c.windows, 0);
    CHECK_NEAR(c.rate, 1.0, 1e-12);
}

TEST(gaps)
{
    int64_t d = 86400, from = at("2026-09-01T00:00:00+08:00");
    int64_t t[] = {from + 15 * d, from + 3 * d, from}; /* any order */
    struct patrol_gap g[4];
    size_t n = patrol_gaps(t, 3, from, from + 20 * d, 7, g, 4);
    CHECK_INT(n, 1);
    CHECK_INT(g[0].start, from + 3 * d);
    CHECK_INT(g[0].end, from + 15 * d);
    CHECK_NEAR(g[0].days, 12.0, 1e-9);
    CHECK(!g[0].open);
    /* the last patrol 10 days ago: a gap still open at now */
    n = patrol_gaps(t, 3, from, from + 26 * d, 7, g, 4);
    CHECK_INT(n, 2);
    CHECK(g[1].open);
    /* exactly 7 days is allowed */
    int64_t w[] = {from, from + 7 * d};
    CHECK_INT(patrol_gaps(w, 2, from, from + 7 * d, 7, g, 4), 0);
    /* never patrolled: the whole season is one open gap */
    n = patrol_gaps(NULL, 0, from, from + 30 * d, 7, g, 4);
    CHECK_INT(n, 1);
    CHECK(g[0].open);
}

TEST(recurrence)
{
    int64_t d = 86400, t0 = at("2026-09-01T10:00:00+08:00");
    double lon = 106.55, lat = LAT;
    struct patrol_place e[] = {
        {1, lon, lat + north(30), t0, t0 + 5 * d},     /* 30 m, closed on day 5 */
        {2, lon, lat + north(80), t0 + d, t0 + 2 * d}, /* 80 m away */
        {3, lon, lat + north(10), t0 + 2 * d, 0},      /* 10 m, still open */
    };
    /* found again on day 10: the closed one 30 m away recurs */
    CHECK_INT(patrol_recurrence_of(e, 3, lon, lat, t0 + 10 * d, 50), 1);
    /* on day 4 the first was not closed yet: no recurrence (the open one is no 反弹 either) */
    CHECK_INT(patrol_recurrence_of(e, 3, lon, lat, t0 + 4 * d, 50), 0);
    /* a wider radius takes the latest closed one */
    CHECK_INT(patrol_recurrence_of(e, 3, lon, lat, t0 + 10 * d, 100), 2);
    CHECK_INT(patrol_recurrence_of(e, 3, lon + 0.01, lat, t0 + 10 * d, 50), 0);
}

TEST(checklist)
{
    struct patrol_report r;
    memset(&r, 0, sizeof(r));
    r.segment.target_class = 2;
    r.water_class = 2;
    r.overall.windows = 10;
    r.overall.met = 9;
    r.overall.rate = 0.9;
    struct patrol_check c[PATROL_CHECKS];
    patrol_checklist(&r, c);
    CHECK_STR(c[0].item, "water");
    CHECK(c[0].ok && c[1].ok && c[2].ok && c[3].ok);
    r.water_class = 3;
    r.open_problems = 1;
    r.ngaps = 1;
    r.gaps[0].open = true;
    r.recurrences = 1;
    patrol_checklist(&r, c);
    CHECK(!c[0].ok && !c[1].ok && !c[2].ok && !c[3].ok);
    r.water_class = 0; /* no data is not compliance */
    patrol_checklist(&r, c);
    CHECK(!c[0].ok);
}

TEST(compliance_csv)
{
    struct patrol_report r;
    memset(&r, 0, sizeof(r));
    snprintf(r.segment.code, sizeof(r.segment.code), "CJ-YZ");
    snprintf(r.segment.name, sizeof(r.segment.name), "长江渝中段");
    snprintf(r.segment.river_name, sizeof(r.segment.river_name), "长江");
    r.segment.synthetic = true;
    r.overall = (struct patrol_compliance){.windows = 12, .met = 11, .rate = 11.0 / 12};
    struct patrol_chief_compliance c;
    memset(&c, 0, sizeof(c));
    c.chief.level = PATROL_LEVEL_STREET;
    snprintf(c.chief.name, sizeof(c.chief.name), "=HYPERLINK(\"x\")");
    snprintf(c.chief.title, sizeof(c.chief.title), "街道级河长, 副主任");
    c.rule = patrol_rule_of(PATROL_LEVEL_STREET);
    c.c = (struct patrol_compliance){.windows = 9, .met = 9, .rate = 1};
    r.chiefs = &c;
    r.nchiefs = 1;
    struct buf b = BUF_INIT;
    patrol_write_csv(&r, 1, &b);
    const char *s = buf_cstr(&b);
    CHECK(strncmp(s, "\xEF\xBB\xBF岸段编码,", 15) == 0);
    CHECK(strstr(s, "\r\nCJ-YZ,长江渝中段,长江,全段（联动）,,河长、网格员、志愿者合计,每周至少1次,"
                    "11,12,91.7,"));
    /* a formula stays text, a comma stays in its cell */
    CHECK(strstr(s, ",\"'=HYPERLINK(\"\"x\"\")\",\"街道级河长, 副主任\",每旬至少1次,9,9,100.0,"));
    CHECK(strstr(s, ",是\r\n"));
    buf_release(&b);
}

TEST_SUITE({"track_on_the_segment_covers_all", track_on_the_segment_covers_all},
           {"parallel_track_inside_or_outside_the_buffer",
            parallel_track_inside_or_outside_the_buffer},
           {"partial_overlap", partial_overlap},
           {"crossing_and_point_tracks", crossing_and_point_tracks},
           {"coverage_refusals", coverage_refusals}, {"geojson_lines", geojson_lines},
           {"windows", windows}, {"rules_per_level", rules_per_level},
           {"compliance_never_counts_a_running_window_as_missed",
            compliance_never_counts_a_running_window_as_missed},
           {"gaps", gaps}, {"recurrence", recurrence}, {"checklist", checklist},
           {"compliance_csv", compliance_csv});
