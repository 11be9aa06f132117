/* Import validation: every refusal reason names its row and leaves the database exactly as it
 * was; accepted files insert, update, and replace a community's grids as a whole. */
#include "geo/geo.h"
#include "org_fixture.h"
#include "test.h"

/* A test street and community south-west of Yuzhong's demo: the community is the square
 * 106.500..106.502 × 29.500..29.502, cut into four quadrant grids. */
#define SQ(x0, y0, x1, y1)                                                                         \
    "\"{\"\"type\"\":\"\"Polygon\"\",\"\"coordinates\"\":[[[" #x0 "," #y0 "],[" #x1 "," #y0        \
    "],[" #x1 "," #y1 "],[" #x0 "," #y1 "],[" #x0 "," #y0 "]]]}\""
#define HEADER "level,code,name,parent_code,geometry\r\n"
#define STREET "street,500103099,测试街道,500103,\r\n"
#define COMMUNITY                                                                                  \
    "community,500103099001,测试社区,500103099," SQ(106.5, 29.5, 106.502, 29.502) "\r\n"
#define G1 "grid,500103099001001,第1网格,500103099001," SQ(106.5, 29.501, 106.501, 29.502) "\r\n"
#define G2 "grid,500103099001002,第2网格,500103099001," SQ(106.501, 29.501, 106.502, 29.502) "\r\n"
#define G3 "grid,500103099001003,第3网格,500103099001," SQ(106.5, 29.5, 106.501, 29.501) "\r\n"
#define G4 "grid,500103099001004,第4网格,500103099001," SQ(106.501, 29.5, 106.502, 29.501) "\r\n"
#define BASE HEADER STREET COMMUNITY G1 G2 G3 G4

static int import_csv(struct db *db, const char *text, struct org_import_result *res,
                      struct app_error *err)
{
    struct org_import imp;
    org_import_init(&imp);
    int rc = org_import_parse_csv(text, strlen(text), &imp, err);
    if (rc == 0)
        rc = org_import_run(NULL, db, &imp, res, err);
    org_import_release(&imp);
    return rc;
}

static int import_geojson(struct db *db, const char *text, struct org_import_result *res,
                          struct app_error *err)
{
    struct org_import imp;
    org_import_init(&imp);
    int rc = org_api_read_geojson(text, strlen(text), &imp, err);
    if (rc == 0)
        rc = org_import_run(NULL, db, &imp, res, err);
    org_import_release(&imp);
    return rc;
}

static size_t count_children(struct db *db, const char *parent)
{
    struct org_region_query q = {.parent = parent, .limit = 1000};
    struct org_region_list l = {0};
    struct app_error err = {0};
    bool more;
    org_region_list(db, &q, &l, &more, &err);
    size_t n = l.len;
    org_region_list_release(&l);
    return n;
}

TEST(accepts_and_replaces_grids_as_a_whole)
{
    struct db *db = fixture_db(false);
    struct org_import_result res;
    struct app_error err = {0};
    CHECK_INT(import_csv(db, "\xEF\xBB\xBF" BASE, &res, &err), 0);
    CHECK_INT(res.inserted, 6);
    CHECK_INT(res.updated, 0);
    CHECK_INT(res.communities_tiled, 1);
    CHECK_INT(count_children(db, "500103099001"), 4);
    struct org_region r;
    CHECK_INT(org_region_get(db, "500103099001001", &r, &err), 0);
    CHECK_NEAR(r.area_m2, 96.9 * 111.2 * 1.0, 300); /* 0.001° × 0.001° at 29.5° N */
    CHECK(r.has_geometry && !r.synthetic);
    org_region_release(&r);

    /* Two half grids replace the four quadrants: 001 and 002 are updated, 003 and 004 go. */
    const char *halves = HEADER "grid,500103099001001,北半,500103099001," SQ(
        106.5, 29.501, 106.502,
        29.502) "\n"
                "grid,500103099001002,南半,500103099001," SQ(106.5, 29.5, 106.502, 29.501) "\n";
    CHECK_INT(import_csv(db, halves, &res, &err), 0);
    CHECK_INT(res.updated, 2);
    CHECK_INT(res.grids_removed, 2);
    CHECK_INT(count_children(db, "500103099001"), 2);
    CHECK_INT(org_region_get(db, "500103099001003", &r, &err), -1);
    CHECK_INT(err.code, APP_ERR_NOT_FOUND);
    CHECK_INT(org_region_get(db, "500103099001001", &r, &err), 0);
    CHECK_STR(r.name, "北半");
    org_region_release(&r);
    db_close(db);
}

/* Import text that must be refused with code_name at field; the database must not change. */
static void refused(struct db *db, bool geojson, const char *text, const char *code_name,
                    const char *field, int line)
{
    struct org_import_result res;
    struct app_error err = {0};
    char *before = fixture_snapshot(db);
    int rc = geojson ? import_geojson(db, text, &res, &err) : import_csv(db, text, &res, &err);
    if (rc != -1 || strcmp(err.code_name, code_name) != 0 || strcmp(err.field, field) != 0) {
        fprintf(stderr, "    %s:%d: rc %d, %s at %s (%s); expected %s at %s\n", __FILE__, line, rc,
                err.code_name, err.field, err.message, code_name, field);
        test_failed_checks++;
    }
    char *after = fixture_snapshot(db);
    if (strcmp(before, after) != 0) {
        fprintf(stderr, "    %s:%d: the database changed after a refused import\n", __FILE__, line);
        test_failed_checks++;
    }
    free(before);
    free(after);
}
#define REFUSED(db, gj, text, code, field) refused(db, gj, text, code, field, __LINE__)

TEST(refusals_leave_database_unchanged)
{
    struct db *db = fixture_db(false);
    struct org_import_result res;
    struct app_error err = {0};
    CHECK_INT(import_csv(db, BASE, &res, &err), 0);

    /* unknown parent */
    REFUSED(db, false, HEADER STREET "community,500103098001,孤儿社区,500103098,\r\n",
            "unknown_parent", "line 3");
    /* code does not fit its level */
    REFUSED(db, false, HEADER "street,50010309,短编码街道,500103,\n", "invalid_code", "line 2");
    /* code does not extend its parent's code */
    REFUSED(db, false, HEADER "community,500103001001,错位社区,500103099,\n",
            "code_parent_mismatch", "line 2");
    /* unknown level */
    REFUSED(db, false, HEADER "county,500103099,x,500103,\n", "invalid_level", "line 2");
    /* duplicate code: reported at its second line */
    REFUSED(db, false, HEADER STREET STREET, "duplicate_code", "line 3");
    /* broken UTF-8 */
    REFUSED(db, false, HEADER STREET "community,500103099002,\xE6\xB8,500103099,\n", "invalid_utf8",
            "line 3");
    /* self-intersecting polygon (a bow tie) */
    REFUSED(db, false,
            HEADER "community,500103099001,测试社区,500103099,\"{\"\"type\"\":\"\"Polygon\"\","
                   "\"\"coordinates\"\":[[[106.5,29.5],[106.502,29.502],[106.502,29.5],"
                   "[106.5,29.502],[106.5,29.5]]]}\"\n",
            "invalid_geometry", "line 2");
    /* not a polygon at all */
    REFUSED(db, false,
            HEADER "community,500103099001,测试社区,500103099,\"{\"\"type\"\":\"\"Point\"\","
                   "\"\"coordinates\"\":[106.5,29.5]}\"\n",
            "invalid_geometry", "line 2");
    /* a grid without a boundary */
    REFUSED(db, false, HEADER "grid,500103099001005,无界网格,500103099001,\n", "missing_geometry",
            "line 2");
    /* overlap: grid 2 drawn over grid 1 (and so a gap where grid 2 should be) */
    REFUSED(db, false,
            HEADER G1 "grid,500103099001002,第2网格,500103099001," SQ(106.5, 29.501, 106.501,
                                                                      29.502) "\r\n" G3 G4,
            "tiling", "line 2");
    /* gap: grid 4 missing */
    REFUSED(db, false, HEADER G1 G2 G3, "tiling", "line 2");
    /* a grid reaching outside its community */
    REFUSED(db, false,
            HEADER G1 G2 G3
            "grid,500103099001004,第4网格,500103099001," SQ(106.501, 29.499, 106.502, 29.501) "\n",
            "tiling", "line 5");
    /* a level cannot change */
    REFUSED(db, false,
            HEADER "community,500103099001,测试社区,500103099,\n"
                   "grid,500103099001001,第1网格,500103099,\n",
            "code_parent_mismatch", "line 3");
    /* header without the required columns; wrong number of fields */
    REFUSED(db, false, "level,code,name\nstreet,500103099,x\n", "missing_column", "line 1");
    REFUSED(db, false, HEADER "street,500103099,x\n", "wrong_field_count", "line 2");
    REFUSED(db, false, "", "empty_import", "line 1");
    db_close(db);
}

TEST(geojson_refusals_name_the_member)
{
    struct db *db = fixture_db(false);
    /* wrong types */
    REFUSED(db, true, "[]", "invalid_type", "type");
    REFUSED(db, true, "{\"type\":\"FeatureCollection\",\"features\":{}}", "invalid_type",
            "features");
    REFUSED(db, true,
            "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":"
            "{\"level\":\"street\",\"code\":\"500103099\",\"name\":\"x\",\"parent_code\":"
            "\"500103\"},\"geometry\":null},{\"type\":\"Feature\",\"properties\":{\"level\":"
            "\"street\",\"code\":500103098,\"name\":\"y\"},\"geometry\":null}]}",
            "invalid_type", "features[1].properties.code");
    REFUSED(db, true,
            "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":"
            "{\"level\":\"street\",\"code\":\"500103099\",\"name\":\"x\",\"parent_code\":"
            "\"500103\"},\"geometry\":\"POLYGON\"}]}",
            "invalid_type", "features[0].geometry");
    REFUSED(db, true, "{\"type\":\"FeatureCollection\",\"features\":[7]}", "invalid_type",
            "features[0]");
    /* malformed JSON names line and column */
    REFUSED(db, true, "{\"type\":\n\"FeatureCollection\",,}", "malformed_json", "body");
    /* a self-intersecting polygon, named by feature */
    REFUSED(db, true,
            "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":"
            "{\"level\":\"street\",\"code\":\"500103099\",\"name\":\"x\",\"parent_code\":"
            "\"500103\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[106.5,29.5],"
            "[106.502,29.502],[106.502,29.5],[106.5,29.502],[106.5,29.5]]]}}]}",
            "invalid_geometry", "features[0].geometry");
    /* unknown parent, named by feature */
    REFUSED(db, true,
            "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":"
            "{\"level\":\"community\",\"code\":\"500103098001\",\"name\":\"x\",\"parent_code\":"
            "\"500103098\"},\"geometry\":null}]}",
            "unknown_parent", "features[0].properties.parent_code");
    /* an unsupported coordinate reference system */
    REFUSED(db, true,
            "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":"
            "\"EPSG:3857\"}},\"features\":[]}",
            "unsupported_crs", "crs");
    /* broken UTF-8 inside a JSON string is malformed JSON (RFC 8259 §8.1) */
    REFUSED(db, true, "{\"type\":\"FeatureCollection\",\"features\":[{\"name\":\"\xE6\xB8\"}]}",
            "malformed_json", "body");
    db_close(db);
}

TEST(broken_utf8_in_rows)
{
    struct db *db = fixture_db(false);
    struct org_import imp;
    struct org_import_result res;
    struct app_error err = {0};
    org_import_init(&imp);
    struct org_import_row *r = org_import_add(&imp, "features[0]", false);
    r->level = strdup("street");
    r->code = strdup("500103099");
    r->name = strdup("\xC0\xAF");
    r->parent_code = strdup("500103");
    CHECK_INT(org_import_run(NULL, db, &imp, &res, &err), -1);
    CHECK_STR(err.code_name, "invalid_utf8");
    CHECK_STR(err.field, "features[0].properties.name");
    org_import_release(&imp);
    db_close(db);
}

TEST(gcj02_input_is_converted)
{
    struct db *db = fixture_db(false);
    struct org_import_result res;
    struct app_error err = {0};
    /* The test square given in GCJ-02: stored shifted back to WGS84 by a few hundred metres. */
    struct geo_point g = geo_wgs84_to_gcj02((struct geo_point){106.5, 29.5});
    char text[1024];
    snprintf(text, sizeof(text),
             "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":"
             "{\"name\":\"GCJ-02\"}},\"features\":[{\"type\":\"Feature\",\"properties\":"
             "{\"level\":\"street\",\"code\":\"500103099\",\"name\":\"x\",\"parent_code\":"
             "\"500103\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%.9f,%.9f],"
             "[%.9f,%.9f],[%.9f,%.9f],[%.9f,%.9f]]]}}]}",
             g.lon, g.lat, g.lon + 0.002, g.lat, g.lon, g.lat + 0.002, g.lon, g.lat);
    CHECK_INT(import_geojson(db, text, &res, &err), 0);
    struct org_region r;
    CHECK_INT(org_region_get(db, "500103099", &r, &err), 0);
    CHECK_NEAR(r.bbox[0], 106.5, 1e-6);
    CHECK_NEAR(r.bbox[1], 29.5, 1e-6);
    org_region_release(&r);

    /* The same through the flag (org_import_set_crs) with a CSV file. */
    struct org_import imp;
    org_import_init(&imp);
    CHECK_INT(org_import_set_crs(&imp, "gcj02", "crs", &err), 0);
    CHECK(imp.gcj02);
    CHECK_INT(org_import_set_crs(&imp, "bd09", "crs", &err), -1);
    CHECK_STR(err.field, "crs");
    org_import_release(&imp);
    db_close(db);
}

TEST(demo_export_imports_again_unchanged)
{
    struct db *db = fixture_db(true);
    char *before = fixture_snapshot(db);
    struct org_region_query q = {.limit = 1000000, .with_geometry = true};
    struct org_region_list l = {0};
    struct app_error err = {0};
    struct org_import_result res;
    struct buf csv = BUF_INIT, gj = BUF_INIT;
    bool more;
    CHECK_INT(org_region_list(db, &q, &l, &more, &err), 0);
    org_api_write_csv(&l, &csv);
    org_api_write_geojson(&l, &gj);
    CHECK(memcmp(csv.data, "\xEF\xBB\xBF", 3) == 0);
    CHECK(strstr(csv.data, "\r\n") != NULL);
    CHECK_INT(import_csv(db, buf_cstr(&csv), &res, &err), 0);
    CHECK_INT(res.inserted, 0);
    CHECK_INT(res.updated, l.len);
    CHECK_INT(res.grids_removed, 0);
    CHECK_INT(res.communities_tiled, 80);
    char *after = fixture_snapshot(db);
    CHECK(strcmp(before, after) == 0);
    free(after);
    CHECK_INT(import_geojson(db, buf_cstr(&gj), &res, &err), 0);
    CHECK_INT(res.updated, l.len);
    after = fixture_snapshot(db);
    CHECK(strcmp(before, after) == 0);
    free(after);
    free(before);
    buf_release(&csv);
    buf_release(&gj);
    org_region_list_release(&l);
    db_close(db);
}

TEST_SUITE({"accepts_and_replaces_grids_as_a_whole", accepts_and_replaces_grids_as_a_whole},
           {"refusals_leave_database_unchanged", refusals_leave_database_unchanged},
           {"geojson_refusals_name_the_member", geojson_refusals_name_the_member},
           {"broken_utf8_in_rows", broken_utf8_in_rows},
           {"gcj02_input_is_converted", gcj02_input_is_converted},
           {"demo_export_imports_again_unchanged", demo_export_imports_again_unchanged});
