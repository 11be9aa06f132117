/* Tests for the demo geography: determinism, counts, grid sizes, tiling at every level and the
 * GB/T 30428.1 numbering order of grids. */
#include <stdlib.h>
#include <time.h>

#include "geo/geo.h"
#include "test.h"
#include "yuzhong_fixture.h"

#define N_STREETS (sizeof yuzhong_streets_fx / sizeof yuzhong_streets_fx[0])
#define N_COMMS (sizeof yuzhong_communities_fx / sizeof yuzhong_communities_fx[0])

static struct geo_shape *district_wgs84(void)
{
    struct geo_shape *gcj = NULL;
    struct app_error err = {0};
    if (geo_shape_parse(yuzhong_outline_gcj02, &gcj, &err) != 0)
        return NULL;
    struct geo_shape *w = geo_shape_gcj02_to_wgs84(gcj);
    geo_shape_free(gcj);
    return w;
}

static int generate(struct geo_demo_result *r, double *seconds)
{
    struct geo_demo_street st[N_STREETS];
    struct geo_demo_community cm[N_COMMS];
    for (size_t i = 0; i < N_STREETS; i++) {
        st[i].code = yuzhong_streets_fx[i].code;
        st[i].name = yuzhong_streets_fx[i].name;
        st[i].weight = geo_demo_yuzhong_street_weight(st[i].code, &st[i].hint);
    }
    for (size_t i = 0; i < N_COMMS; i++) {
        cm[i].code = yuzhong_communities_fx[i].code;
        cm[i].name = yuzhong_communities_fx[i].name;
        cm[i].street_code = yuzhong_communities_fx[i].street;
    }
    struct geo_shape *d = district_wgs84();
    struct app_error err = {0};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = geo_demo_generate(d, "500103", st, N_STREETS, cm, N_COMMS, r, &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (seconds)
        *seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (rc != 0)
        fprintf(stderr, "    generate: %s\n", err.message);
    geo_shape_free(d);
    return rc;
}

static struct geo_demo_result result;
static int have_result;

static const struct geo_demo_result *get(void)
{
    if (!have_result) {
        double s = 0;
        CHECK_INT(generate(&result, &s), 0);
        printf("     generated %zu streets, %zu communities, %zu grids in %.3f s\n",
               result.n_streets, result.n_communities, result.n_grids, s);
        have_result = 1;
    }
    return &result;
}

TEST(counts_and_sizes)
{
    const struct geo_demo_result *r = get();
    CHECK_INT(r->n_streets, 11);
    CHECK_INT(r->n_communities, 80);
    CHECK(r->n_grids >= 300 && r->n_grids <= 900);
    double mn = INFINITY, mx = 0, sum = 0;
    for (size_t i = 0; i < r->len; i++) {
        const struct geo_demo_unit *u = &r->items[i];
        if (u->level != GEO_DEMO_GRID)
            continue;
        CHECK_INT(strlen(u->code), 15);
        CHECK(strncmp(u->code, u->parent_code, 12) == 0);
        CHECK(strstr(u->name, "第") != NULL && strstr(u->name, "网格") != NULL);
        CHECK(strstr(u->name, "居民委员会") == NULL);
        mn = fmin(mn, u->area_m2);
        mx = fmax(mx, u->area_m2);
        sum += u->area_m2;
    }
    printf("     grid area min %.0f max %.0f mean %.0f m²\n", mn, mx, sum / (double)r->n_grids);
    CHECK(mn >= 5000);
    CHECK(mx <= 45000);
}

TEST(street_areas_follow_weights)
{
    const struct geo_demo_result *r = get();
    double total_w = 0, total_a = 0;
    for (size_t i = 1; i <= r->n_streets; i++) {
        CHECK_INT(r->items[i].level, GEO_DEMO_STREET);
        total_w += geo_demo_yuzhong_street_weight(r->items[i].code, NULL);
        total_a += r->items[i].area_m2;
    }
    for (size_t i = 1; i <= r->n_streets; i++) {
        double want = geo_demo_yuzhong_street_weight(r->items[i].code, NULL) / total_w;
        CHECK_NEAR(r->items[i].area_m2 / total_a, want, 0.01);
    }
}

static struct geo_shape *shape_of(const struct geo_demo_unit *u)
{
    struct geo_shape *s = NULL;
    struct app_error err = {0};
    CHECK_INT(geo_shape_parse(u->geojson, &s, &err), 0);
    return s;
}

/* Check that the units of level `child` whose parent is `pcode` tile `parent`. */
static void check_tiles(const struct geo_demo_result *r, const struct geo_shape *parent,
                        const char *pcode, enum geo_demo_level child)
{
    struct geo_tile *tiles = calloc(r->len, sizeof *tiles);
    struct geo_shape **shapes = calloc(r->len, sizeof *shapes);
    size_t n = 0;
    for (size_t i = 0; i < r->len; i++) {
        if (r->items[i].level != child || strcmp(r->items[i].parent_code, pcode) != 0)
            continue;
        shapes[n] = shape_of(&r->items[i]);
        struct app_error err = {0};
        CHECK_INT(geo_shape_validate(shapes[n], &err), 0);
        tiles[n].code = r->items[i].code;
        tiles[n].shape = shapes[n];
        n++;
    }
    CHECK(n > 0);
    struct geo_tiling_report rep;
    struct app_error err = {0};
    CHECK_INT(geo_tiling_check(parent, tiles, n, 1.0, &rep, &err), 0);
    if (!geo_tiling_ok(&rep))
        fprintf(stderr, "    %s: %zu overlaps, %zu outside, %zu gaps (%.1f m²) at %.7f %.7f\n",
                pcode, rep.n_overlaps, rep.n_outside, rep.n_gaps, rep.gap_total_m2,
                rep.n_gaps ? rep.gaps[0].where.lon : 0, rep.n_gaps ? rep.gaps[0].where.lat : 0);
    CHECK(geo_tiling_ok(&rep));
    for (size_t i = 0; i < rep.n_overlaps; i++)
        fprintf(stderr, "      overlap %s %s %.2f m²\n", rep.overlaps[i].code_a,
                rep.overlaps[i].code_b, rep.overlaps[i].area_m2);
    for (size_t i = 0; i < rep.n_outside; i++)
        fprintf(stderr, "      outside %s %.2f m²\n", rep.outside[i].code, rep.outside[i].area_m2);
    geo_tiling_report_release(&rep);
    for (size_t i = 0; i < n; i++)
        geo_shape_free(shapes[i]);
    free(shapes);
    free(tiles);
}

TEST(tiling_at_every_level)
{
    const struct geo_demo_result *r = get();
    struct geo_shape *d = district_wgs84();
    CHECK_INT(r->items[0].level, GEO_DEMO_DISTRICT);
    struct geo_shape *dd = shape_of(&r->items[0]);
    /* the district unit is the input outline up to the 1e-7 degree snapping */
    struct geo_tile self = {"500103", dd};
    struct geo_tiling_report rep;
    struct app_error err = {0};
    CHECK_INT(geo_tiling_check(d, &self, 1, 1.0, &rep, &err), 0);
    CHECK(rep.gap_total_m2 < 100);
    CHECK(rep.n_overlaps == 0 && rep.n_outside <= 1);
    if (rep.n_outside)
        CHECK(rep.outside[0].area_m2 < 100);
    geo_tiling_report_release(&rep);
    CHECK(fabs(geo_shape_area_m2(dd) - geo_shape_area_m2(d)) < 100);
    geo_shape_free(dd);
    geo_shape_free(d);
    for (size_t i = 0; i < r->len; i++) {
        const struct geo_demo_unit *u = &r->items[i];
        if (u->level == GEO_DEMO_GRID)
            break;
        struct geo_shape *s = shape_of(u);
        check_tiles(r, s, u->code, (enum geo_demo_level)(u->level + 1));
        geo_shape_free(s);
    }
}

TEST(grid_numbering_north_to_south_west_to_east)
{
    const struct geo_demo_result *r = get();
    for (size_t i = 1; i < r->len; i++) {
        const struct geo_demo_unit *a = &r->items[i - 1], *b = &r->items[i];
        if (a->level != GEO_DEMO_GRID || b->level != GEO_DEMO_GRID ||
            strcmp(a->parent_code, b->parent_code) != 0) {
            if (b->level == GEO_DEMO_GRID)
                CHECK_STR(b->code + 12, "001");
            continue;
        }
        CHECK_INT(atoi(b->code + 12), atoi(a->code + 12) + 1);
        CHECK(a->row <= b->row);
        if (a->row == b->row) {
            struct geo_shape *sa = shape_of(a), *sb = shape_of(b);
            CHECK(geo_shape_centroid(sa).lon < geo_shape_centroid(sb).lon);
            geo_shape_free(sa);
            geo_shape_free(sb);
        }
    }
}

TEST(deterministic)
{
    const struct geo_demo_result *r = get();
    struct geo_demo_result again;
    CHECK_INT(generate(&again, NULL), 0);
    CHECK_INT(again.len, r->len);
    for (size_t i = 0; i < r->len && i < again.len; i++) {
        CHECK_STR(again.items[i].code, r->items[i].code);
        CHECK_STR(again.items[i].name, r->items[i].name);
        CHECK_STR(again.items[i].geojson, r->items[i].geojson);
    }
    geo_demo_result_release(&again);
}

TEST(rejects_bad_input)
{
    struct geo_demo_result r;
    struct app_error err = {0};
    struct geo_shape *d = district_wgs84();
    struct geo_demo_street st = {"500103001", "x", 1.0, {0, 0}};
    struct geo_demo_community cm = {"500103099001", "y", "500103999"};
    CHECK_INT(geo_demo_generate(d, "500103", &st, 1, &cm, 1, &r, &err), -1);
    CHECK_INT(err.code, APP_ERR_INVALID);
    CHECK_STR(err.code_name, "invalid_demo_input");
    CHECK_INT(geo_demo_generate(d, "500103", NULL, 0, NULL, 0, &r, &err), -1);
    geo_shape_free(d);
}

TEST(cleanup)
{
    geo_demo_result_release(&result);
    have_result = 0;
    geo_thread_done();
}

TEST_SUITE({"counts_and_sizes", counts_and_sizes},
           {"street_areas_follow_weights", street_areas_follow_weights},
           {"tiling_at_every_level", tiling_at_every_level},
           {"grid_numbering_north_to_south_west_to_east",
            grid_numbering_north_to_south_west_to_east},
           {"deterministic", deterministic}, {"rejects_bad_input", rejects_bad_input},
           {"cleanup", cleanup});
