/* Building the walking network from a small hand-made .osm file: which ways are kept, the
 * stairway's direction and step count, facilities by tag and level, the elevation CSV (by node
 * id and by coordinates, bad rows by line, all or nothing), and the stairs up slower than down
 * on the graph built from it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lifecircle/lifecircle.h"
#include "test.h"

/* Nodes 1–2–3 along a footway, a stairway 3→4 drawn downhill (incline=down, 60 steps), a
 * motorway 4–5 (not walkable), a footway with foot=no 1–5, a school and a day-care centre. */
static const char osm_xml[] =
    "<?xml version='1.0' encoding='UTF-8'?>\n"
    "<osm version='0.6' generator='hand'>\n"
    " <node id='1' lat='43.7300' lon='7.4200'/>\n"
    " <node id='2' lat='43.7300' lon='7.4210'/>\n"
    " <node id='3' lat='43.7300' lon='7.4220'><tag k='ele' v='40'/></node>\n"
    " <node id='4' lat='43.7302' lon='7.4220'/>\n"
    " <node id='5' lat='43.7310' lon='7.4230'/>\n"
    " <node id='9' lat='43.7305' lon='7.4205'>\n"
    "  <tag k='amenity' v='school'/><tag k='name' v='École du Port'/>\n"
    " </node>\n"
    " <node id='10' lat='43.7306' lon='7.4206'>\n"
    "  <tag k='amenity' v='social_facility'/><tag k='social_facility' v='day_care'/>\n"
    "  <tag k='social_facility:for' v='senior'/><tag k='name' v='Club des Anciens'/>\n"
    " </node>\n"
    " <way id='100'><nd ref='1'/><nd ref='2'/><nd ref='3'/><tag k='highway' v='footway'/></way>\n"
    " <way id='101'><nd ref='4'/><nd ref='3'/><tag k='highway' v='steps'/>"
    "<tag k='incline' v='down'/><tag k='step_count' v='60'/></way>\n"
    " <way id='102'><nd ref='4'/><nd ref='5'/><tag k='highway' v='motorway'/></way>\n"
    " <way id='103'><nd ref='1'/><nd ref='5'/><tag k='highway' v='path'/>"
    "<tag k='foot' v='no'/></way>\n"
    "</osm>\n";

static char *write_fixture(void)
{
    static char path[64];
    snprintf(path, sizeof(path), "/tmp/lc-osm-test-%d.osm", (int)getpid());
    FILE *f = fopen(path, "w");
    fputs(osm_xml, f);
    fclose(f);
    return path;
}

TEST(reads_walkable_ways_and_facilities)
{
    const char *path = write_fixture();
    struct lifecircle_osm o;
    struct app_error err = {0};
    CHECK(lifecircle_osm_read(path, NULL, NULL, &o, &err) == 0);
    CHECK_INT(o.n_nodes, 4); /* 1, 2, 3, 4: 5 is on no walkable way */
    CHECK_INT(o.n_segs, 3);
    CHECK_INT(o.steps, 1);
    CHECK_NEAR(o.nodes[2].ele, 40, 1e-9);
    CHECK(isnan(o.nodes[0].ele));
    const struct lc_segment *st = &o.segs[2];
    CHECK_INT(st->kind, LC_KIND_STEPS);
    CHECK_INT(o.nodes[st->a].osm_id, 4);
    CHECK_INT(st->incline, -1);
    CHECK_INT(st->step_count, 60);
    CHECK_INT(o.pois.len, 2);
    CHECK_STR(o.pois.items[0].category, "education");
    CHECK_INT(o.pois.items[0].level, 10);
    CHECK_STR(o.pois.items[0].kind, "小学");
    CHECK_STR(o.pois.items[1].category, "elderly");
    CHECK_INT(o.pois.items[1].level, 5);
    CHECK_STR(o.pois.items[1].ref, "node/10");
    /* The graph: climbing the stairs (3 → 4) is slower than coming down. */
    struct lc_profile p;
    lc_profile_default(LC_PROFILE_WALK, &p);
    struct lc_graph g;
    lc_graph_build(&g, o.nodes, o.n_nodes, o.segs, o.n_segs, &p);
    struct lc_route up, down;
    lc_route(&g, 0, 3, &up);
    lc_route(&g, 3, 0, &down);
    CHECK(up.found && down.found);
    CHECK(up.seconds > down.seconds);
    CHECK_NEAR(up.climb_m, 9.0, 1e-4); /* 60 steps × 0.15 m */
    lc_graph_release(&g);
    lifecircle_osm_release(&o);
    unlink(path);
}

/* A lift drawn as a node (highway=elevator) where a lower and an upper footway meet, a third
 * way through it at the upper level, and a lift node at the dead end of one way. */
static const char lift_xml[] =
    "<?xml version='1.0' encoding='UTF-8'?>\n"
    "<osm version='0.6' generator='hand'>\n"
    " <node id='1' lat='43.7300' lon='7.4200'/>\n"
    " <node id='2' lat='43.7300' lon='7.4201'><tag k='highway' v='elevator'/></node>\n"
    " <node id='3' lat='43.7300' lon='7.4202'/>\n"
    " <node id='4' lat='43.7301' lon='7.4201'/>\n"
    " <node id='5' lat='43.7310' lon='7.4210'><tag k='highway' v='elevator'/></node>\n"
    " <way id='100'><nd ref='1'/><nd ref='2'/><tag k='highway' v='footway'/></way>\n"
    " <way id='101'><nd ref='2'/><nd ref='3'/><tag k='highway' v='footway'/>"
    "<tag k='level' v='3'/></way>\n"
    " <way id='102'><nd ref='4'/><nd ref='2'/><nd ref='5'/><tag k='highway' v='footway'/>"
    "<tag k='level' v='3'/></way>\n"
    "</osm>\n";

TEST(elevator_nodes_are_rides_between_ways)
{
    char path[64];
    snprintf(path, sizeof(path), "/tmp/lc-lift-test-%d.osm", (int)getpid());
    FILE *f = fopen(path, "w");
    fputs(lift_xml, f);
    fclose(f);
    struct lifecircle_osm o;
    struct app_error err = {0};
    CHECK(lifecircle_osm_read(path, NULL, NULL, &o, &err) == 0);
    /* Node 2 is split into one copy per way (three), joined pairwise by rides; node 5 ends a
     * single way and stays a plain node. */
    CHECK_INT(o.elevator_nodes, 1);
    CHECK_INT(o.elevators, 1);
    CHECK_INT(o.elevator_copies, 2);
    CHECK_INT(o.n_nodes, 5 + 2);
    size_t rides = 0;
    for (size_t i = 0; i < o.n_segs; i++)
        if (o.segs[i].kind == LC_KIND_ELEVATOR) {
            rides++;
            CHECK_INT(o.nodes[o.segs[i].a].osm_id, 2);
            CHECK_INT(o.nodes[o.segs[i].b].osm_id, 2);
        }
    CHECK_INT(rides, 3);
    CHECK_INT(o.n_segs, 1 + 1 + 2 + 3);
    /* The height of the lift by its OSM id reaches every copy. */
    const char ele[] = "node_id,ele_m\n2,12\n";
    struct lifecircle_import_result res = {0};
    CHECK(lifecircle_osm_elevation(&o, ele, strlen(ele), &res, &err) == 0);
    for (size_t i = 0; i < o.n_nodes; i++)
        if (o.nodes[i].osm_id == 2)
            CHECK_NEAR(o.nodes[i].ele, 12, 1e-9);
    lifecircle_import_result_release(&res);
    /* Walking 1 → 3 changes way at the lift: a ride of the profile's time; 4 → 5 stays on its
     * way through the lift node and takes no ride. */
    struct lc_profile p;
    lc_profile_default(LC_PROFILE_WALK, &p);
    struct lc_graph g;
    lc_graph_build(&g, o.nodes, o.n_nodes, o.segs, o.n_segs, &p);
    struct lc_route a, b;
    lc_route(&g, 0, 2, &a); /* nodes are numbered in id order: 1 → 0, 3 → 2 */
    lc_route(&g, 3, 4, &b);
    CHECK(a.found && b.found);
    double walk = (lc_distance_m(7.4200, 43.73, 7.4201, 43.73) * 2) / p.v0;
    CHECK_NEAR(a.seconds, walk + p.elevator_s, 0.01);
    double through = (lc_distance_m(7.4201, 43.7301, 7.4201, 43.73) +
                      lc_distance_m(7.4201, 43.73, 7.4210, 43.7310)) /
                     p.v0;
    CHECK_NEAR(b.seconds, through, 0.01);
    lc_graph_release(&g);
    lifecircle_osm_release(&o);
    unlink(path);
}

TEST(refuses_bad_files)
{
    struct lifecircle_osm o;
    struct app_error err = {0};
    CHECK(lifecircle_osm_read("/nonexistent/x.osm", NULL, NULL, &o, &err) == -1);
    CHECK_STR(err.field, "file");
    CHECK(lifecircle_osm_read("/tmp/x.txt", NULL, NULL, &o, &err) == -1);
    CHECK_STR(err.code_name, "bad_suffix");
    /* A malformed XML file is refused too (tests/e2e/lifecircle.test.mjs): not here, since
     * readosm leaks its expat parser on that path and the sanitizer would report it. */
}

TEST(elevation_csv)
{
    const char *path = write_fixture();
    struct lifecircle_osm o;
    struct app_error err = {0};
    CHECK(lifecircle_osm_read(path, NULL, NULL, &o, &err) == 0);
    /* Bad rows: all reported by line, nothing applied. */
    const char bad[] = "node_id,ele_m\n1,30\nx,31\n999,5\n2,high\n";
    struct lifecircle_import_result res = {0};
    CHECK(lifecircle_osm_elevation(&o, bad, strlen(bad), &res, &err) == -1);
    CHECK_INT(res.len, 3);
    CHECK_INT(res.items[0].line, 3);
    CHECK_STR(res.items[0].field, "node_id");
    CHECK_STR(res.items[1].code, "unknown_node");
    CHECK_INT(res.items[2].line, 5);
    CHECK_STR(res.items[2].field, "ele_m");
    CHECK(isnan(o.nodes[0].ele));
    lifecircle_import_result_release(&res);
    const char good[] = "node_id,ele_m\n1,30\n2,35\n";
    CHECK(lifecircle_osm_elevation(&o, good, strlen(good), &res, &err) == 0);
    CHECK_NEAR(o.nodes[0].ele, 30, 1e-9);
    CHECK_NEAR(o.nodes[2].ele, 40, 1e-9); /* the ele tag stays */
    lifecircle_import_result_release(&res);
    /* By coordinates: a point on node 4 gives it its height outright. */
    const char pts[] = "lon,lat,ele_m\n7.4220,43.7302,55\n";
    CHECK(lifecircle_osm_elevation(&o, pts, strlen(pts), &res, &err) == 0);
    CHECK_NEAR(o.nodes[3].ele, 55, 1e-6);
    lifecircle_import_result_release(&res);
    const char hdr[] = "id,height\n1,2\n";
    CHECK(lifecircle_osm_elevation(&o, hdr, strlen(hdr), &res, &err) == -1);
    CHECK_STR(err.code_name, "bad_header");
    lifecircle_import_result_release(&res);
    lifecircle_osm_release(&o);
    unlink(path);
}

TEST(classify_and_requirements)
{
    char cat[16], kind[48];
    int level = 0;
    struct lifecircle_osm_tags t = {.amenity = "school", .name = "重庆市第二十九中学"};
    CHECK(lifecircle_classify_osm(&t, cat, sizeof(cat), &level, kind, sizeof(kind)));
    CHECK_STR(cat, "education");
    CHECK_INT(level, 15);
    struct lifecircle_osm_tags n = {.amenity = "nursing_home"};
    CHECK(lifecircle_classify_osm(&n, cat, sizeof(cat), &level, kind, sizeof(kind)));
    CHECK_STR(cat, "elderly");
    CHECK_INT(level, 15);
    struct lifecircle_osm_tags e = {.office = "employment_agency"};
    CHECK(lifecircle_classify_osm(&e, cat, sizeof(cat), &level, kind, sizeof(kind)));
    CHECK_STR(cat, "employment");
    struct lifecircle_osm_tags cafe = {.amenity = "cafe"};
    CHECK(!lifecircle_classify_osm(&cafe, cat, sizeof(cat), &level, kind, sizeof(kind)));
    CHECK_INT(lifecircle_category_parse("养老服务"), 4);
    CHECK_INT(lifecircle_category_parse("parking"), -1);
    CHECK_INT(lifecircle_level_index(10), 1);
    CHECK_INT(lifecircle_level_index(7), -1);
    /* Every requirement names a known category and level. */
    size_t nr;
    const struct lifecircle_requirement *r = lifecircle_requirements(&nr);
    CHECK(nr >= 9);
    for (size_t i = 0; i < nr; i++) {
        CHECK(lifecircle_category_parse(r[i].category) >= 0);
        CHECK(lifecircle_level_index(r[i].level) >= 0);
    }
    /* A gap: residents beyond the level's minutes. */
    struct lifecircle_area a = {.population = 100};
    a.covered[4][0] = 60;
    double u;
    CHECK(lifecircle_gap(&a, 4, 0, &u));
    CHECK_NEAR(u, 40, 1e-9);
    a.covered[4][0] = 100;
    CHECK(!lifecircle_gap(&a, 4, 0, &u));
}

TEST_SUITE({"reads_walkable_ways_and_facilities", reads_walkable_ways_and_facilities},
           {"elevator_nodes_are_rides_between_ways", elevator_nodes_are_rides_between_ways},
           {"refuses_bad_files", refuses_bad_files}, {"elevation_csv", elevation_csv},
           {"classify_and_requirements", classify_and_requirements});
