/* Region-tree queries on the seeded demo, and the demo geography as stored: 744 synthetic grids
 * of 10,000–40,000 m², every level tiling its parent exactly (district ← streets ← communities
 * ← grids), codes nesting by prefix. */
#include "geo/geo.h"
#include "org_fixture.h"
#include "test.h"

static struct db *db;

static size_t count(const char *level, const char *parent)
{
    struct org_region_query q = {.level = level, .parent = parent, .limit = 100000};
    struct org_region_list l = {0};
    struct app_error err = {0};
    bool more;
    CHECK_INT(org_region_list(db, &q, &l, &more, &err), 0);
    size_t n = l.len;
    org_region_list_release(&l);
    return n;
}

TEST(tree_counts)
{
    db = fixture_db(true);
    CHECK_INT(count("city", NULL), 1);
    CHECK_INT(count("district", NULL), 1);
    CHECK_INT(count("street", NULL), 11);
    CHECK_INT(count("community", NULL), 80);
    CHECK_INT(count("grid", NULL), 744);
    CHECK_INT(count(NULL, "500103"), 11);
    CHECK_INT(count("community", "500103001"), count(NULL, "500103001"));
    CHECK(count("grid", "500103001003") > 0);
    CHECK_INT(count("grid", "500103"), 0); /* parent means direct children only */
}

TEST(paging_and_errors)
{
    struct org_region_query q = {.level = "grid", .limit = 500};
    struct org_region_list a = {0}, b = {0};
    struct app_error err = {0};
    bool more;
    CHECK_INT(org_region_list(db, &q, &a, &more, &err), 0);
    CHECK_INT(a.len, 500);
    CHECK(more);
    q.after = a.items[a.len - 1].code;
    CHECK_INT(org_region_list(db, &q, &b, &more, &err), 0);
    CHECK_INT(b.len, 244);
    CHECK(!more);
    CHECK(strcmp(b.items[0].code, a.items[a.len - 1].code) > 0);
    CHECK(a.items[0].geometry == NULL); /* not asked for */
    org_region_list_release(&a);
    org_region_list_release(&b);

    struct org_region_query bad = {.level = "planet", .limit = 10};
    CHECK_INT(org_region_list(db, &bad, &a, &more, &err), -1);
    CHECK_STR(err.field, "level");
    struct org_region r;
    CHECK_INT(org_region_get(db, "500103999", &r, &err), -1);
    CHECK_INT(err.code, APP_ERR_NOT_FOUND);
    CHECK_INT(org_region_get(db, "500103", &r, &err), 0);
    CHECK_STR(r.name, "渝中区");
    CHECK_STR(r.parent_code, "500000");
    CHECK(r.geometry != NULL);
    org_region_release(&r);
    struct org_person_list team = {0};
    CHECK_INT(org_team(db, "500103001", &team, &err), -1); /* a street is not a grid */
    CHECK_INT(err.code, APP_ERR_NOT_FOUND);
}

TEST(grids_sized_and_synthetic)
{
    struct org_region_query q = {.level = "grid", .limit = 100000};
    struct org_region_list l = {0};
    struct app_error err = {0};
    bool more;
    CHECK_INT(org_region_list(db, &q, &l, &more, &err), 0);
    size_t out_of_range = 0, not_synthetic = 0, bad_code = 0;
    for (size_t i = 0; i < l.len; i++) {
        /* the size rule of issue 2 §8: 10,000–40,000 m² */
        out_of_range += l.items[i].area_m2 < 10000 || l.items[i].area_m2 > 40000;
        not_synthetic += !l.items[i].synthetic;
        bad_code += !org_code_valid(ORG_GRID, l.items[i].code) ||
                    !org_code_within(l.items[i].code, l.items[i].parent_code);
    }
    CHECK_INT(out_of_range, 0);
    CHECK_INT(not_synthetic, 0);
    CHECK_INT(bad_code, 0);
    org_region_list_release(&l);
}

/* Children of parent (with their shapes) tile parent's stored shape within 1 m². */
static void check_tiles(const char *parent, const char *level)
{
    struct org_region p;
    struct org_region_query q = {
        .level = level, .parent = parent, .limit = 100000, .with_geometry = true};
    struct org_region_list l = {0};
    struct app_error err = {0};
    struct geo_shape *ps = NULL;
    bool more;
    CHECK_INT(org_region_get(db, parent, &p, &err), 0);
    CHECK_INT(geo_shape_parse(p.geometry, &ps, &err), 0);
    CHECK_INT(org_region_list(db, &q, &l, &more, &err), 0);
    struct geo_shape **shapes = calloc(l.len, sizeof(*shapes));
    struct geo_tile *tiles = calloc(l.len, sizeof(*tiles));
    for (size_t i = 0; i < l.len; i++) {
        CHECK_INT(geo_shape_parse(l.items[i].geometry, &shapes[i], &err), 0);
        tiles[i] = (struct geo_tile){l.items[i].code, shapes[i]};
    }
    struct geo_tiling_report rep = {0};
    CHECK_INT(geo_tiling_check(ps, tiles, l.len, 1.0, &rep, &err), 0);
    if (!geo_tiling_ok(&rep)) {
        fprintf(stderr, "    %s: %zu overlaps, %zu outside, %zu gaps (%.1f m²)\n", parent,
                rep.n_overlaps, rep.n_outside, rep.n_gaps, rep.gap_total_m2);
        test_failed_checks++;
    }
    geo_tiling_report_release(&rep);
    for (size_t i = 0; i < l.len; i++)
        geo_shape_free(shapes[i]);
    free(shapes);
    free(tiles);
    geo_shape_free(ps);
    org_region_list_release(&l);
    org_region_release(&p);
}

TEST(every_level_tiles_its_parent)
{
    check_tiles("500103", "street");
    struct org_region_query q = {.level = "street", .limit = 100};
    struct org_region_list streets = {0}, communities = {0};
    struct app_error err = {0};
    bool more;
    CHECK_INT(org_region_list(db, &q, &streets, &more, &err), 0);
    for (size_t i = 0; i < streets.len; i++)
        check_tiles(streets.items[i].code, "community");
    q.level = "community";
    CHECK_INT(org_region_list(db, &q, &communities, &more, &err), 0);
    for (size_t i = 0; i < communities.len; i++)
        check_tiles(communities.items[i].code, "grid");
    org_region_list_release(&streets);
    org_region_list_release(&communities);
    db_close(db);
    db = NULL;
}

TEST_SUITE({"tree_counts", tree_counts}, {"paging_and_errors", paging_and_errors},
           {"grids_sized_and_synthetic", grids_sized_and_synthetic},
           {"every_level_tiles_its_parent", every_level_tiles_its_parent});
