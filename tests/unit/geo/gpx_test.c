/* Tests for reading GPX tracks: segments and routes become lines, times bound the patrol, bad
 * files are refused with the field and the line. */
#include <string.h>

#include "geo/geo.h"
#include "test.h"

static const char two_segments[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<gpx version=\"1.1\" creator=\"t\" xmlns=\"http://www.topografix.com/GPX/1/1\">\n"
    "<trk><name>巡河</name><trkseg>\n"
    "<trkpt lat=\"29.55\" lon=\"106.50\"><time>2026-12-04T00:31:00Z</time></trkpt>\n"
    "<trkpt lat=\"29.551\" "
    "lon=\"106.501\"><ele>180</ele><time>2026-12-04T00:30:00.5Z</time></trkpt>\n"
    "</trkseg><trkseg>\n"
    "<trkpt lat=\"29.552\" lon=\"106.502\"><time> 2026-12-04T09:10:00+08:00 </time></trkpt>\n"
    "</trkseg></trk>\n"
    "<rte><rtept lat=\"29.56\" lon=\"106.51\"/><rtept lat=\"29.57\" lon=\"106.52\"/></rte>\n"
    "</gpx>\n";

TEST(segments_and_routes_become_lines_with_their_times)
{
    struct geo_lines l;
    struct app_error err = {0};
    int64_t first, last;
    CHECK_INT(geo_gpx_parse(two_segments, strlen(two_segments), "gpx", &l, &first, &last, &err), 0);
    CHECK_INT(l.len, 3);
    CHECK_INT(l.items[0].n, 2);
    CHECK_INT(l.items[1].n, 1);
    CHECK_INT(l.items[2].n, 2);
    CHECK_NEAR(l.items[0].pts[1].lon, 106.501, 1e-12);
    CHECK_NEAR(l.items[0].pts[1].lat, 29.551, 1e-12);
    /* the earliest and latest point times, whatever their order in the file */
    CHECK_INT(first, 1796344200); /* 2026-12-04T00:30:00Z */
    CHECK_INT(last, 1796346600);  /* 2026-12-04T01:10:00Z */
    geo_lines_release(&l);
}

static void refused(const char *gpx, const char *code, const char *line)
{
    struct geo_lines l;
    struct app_error err = {0};
    int64_t first, last;
    CHECK_INT(geo_gpx_parse(gpx, strlen(gpx), "gpx", &l, &first, &last, &err), -1);
    CHECK_INT(err.code, APP_ERR_INVALID);
    CHECK_STR(err.code_name, code);
    CHECK_STR(err.field, "gpx");
    if (line)
        CHECK(strstr(err.message, line) != NULL);
    CHECK_INT(l.len, 0);
}

TEST(bad_files_are_refused_with_the_line)
{
    refused("not xml at all", "invalid_gpx", NULL);
    refused("<gpx><trk><trkseg>\n<trkpt lat=\"29.5\" lon=\"106.5\"/>\n<trkpt lat=\"91\" "
            "lon=\"106.5\"/></trkseg></trk></gpx>",
            "invalid_point", "第 3 行");
    refused("<gpx><trk><trkseg><trkpt lat=\"29.5\"/></trkseg></trk></gpx>", "invalid_point", NULL);
    refused("<gpx><trk><trkseg><trkpt lat=\"29.5\" lon=\"106.5\"><time>soon</time></trkpt>"
            "</trkseg></trk></gpx>",
            "invalid_time", NULL);
    refused("<gpx><trk><name>x</name></trk></gpx>", "empty_track", NULL);
    refused("<gpx><trk><trkseg><trkpt lat=\"29.5\" lon=\"106.5\"/>", "invalid_gpx", NULL);
    /* an entity bomb starts with a DTD: none is read */
    refused("<?xml version=\"1.0\"?><!DOCTYPE gpx [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;\">]>"
            "<gpx><trk><trkseg><trkpt lat=\"29.5\" lon=\"106.5\"><name>&b;</name></trkpt>"
            "</trkseg></trk></gpx>",
            "invalid_gpx", NULL);
}

TEST_SUITE({"segments_and_routes_become_lines_with_their_times",
            segments_and_routes_become_lines_with_their_times},
           {"bad_files_are_refused_with_the_line", bad_files_are_refused_with_the_line});
