/* Tests for the point-location index: inside, outside, holes, MultiPolygon parts, and the
 * deterministic resolution of points on shared edges and vertices, also from many threads. */
#include <pthread.h>
#include <stdlib.h>

#include "geo/geo.h"
#include "test.h"

static struct geo_shape *parse(const char *json)
{
    struct geo_shape *s = NULL;
    struct app_error err = {0};
    if (geo_shape_parse(json, &s, &err) != 0)
        fprintf(stderr, "    parse failed: %s\n", err.message);
    return s;
}

/* Two unit squares side by side (x 0..1 and 1..2), a square with a hole, and a MultiPolygon. */
static const char *left_sq =
    "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}";
static const char *right_sq =
    "{\"type\":\"Polygon\",\"coordinates\":[[[1,0],[2,0],[2,1],[1,1],[1,0]]]}";
static const char *holed = "{\"type\":\"Polygon\",\"coordinates\":[[[10,0],[13,0],[13,3],[10,3],"
                           "[10,0]],[[11,1],[12,1],[12,2],[11,2],[11,1]]]}";
static const char *multi = "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[20,0],[21,0],[21,1],"
                           "[20,1],[20,0]]],[[[30,0],[31,0],[31,1],[30,1],[30,0]]]]}";
/* Slanted shared edge from (0.3,5) to (1.7,7.1): a case floating point can get wrong. */
static const char *tri_a = "{\"type\":\"Polygon\",\"coordinates\":[[[0.3,5],[1.7,7.1],[0,7.1],"
                           "[0.3,5]]]}";
static const char *tri_b = "{\"type\":\"Polygon\",\"coordinates\":[[[0.3,5],[2,5],[1.7,7.1],"
                           "[0.3,5]]]}";

static struct geo_index *build(struct geo_shape **shapes)
{
    const char *src[] = {left_sq, right_sq, holed, multi, tri_a, tri_b};
    static const char *codes[] = {"B", "A", "C", "D", "F", "E"};
    struct geo_index_entry e[6];
    for (int i = 0; i < 6; i++) {
        shapes[i] = parse(src[i]);
        e[i] = (struct geo_index_entry){100 + i, codes[i], shapes[i]};
    }
    return geo_index_new(e, 6);
}

static void free_shapes(struct geo_shape **shapes)
{
    for (int i = 0; i < 6; i++)
        geo_shape_free(shapes[i]);
}

TEST(inside_outside_hole_multipart)
{
    struct geo_shape *sh[6];
    struct geo_index *ix = build(sh);
    CHECK_INT(geo_index_size(ix), 6);
    CHECK_INT(geo_index_locate(ix, (struct geo_point){0.5, 0.5}), 100);
    CHECK_INT(geo_index_locate(ix, (struct geo_point){1.5, 0.5}), 101);
    CHECK_INT(geo_index_locate(ix, (struct geo_point){5, 5}), -1);
    CHECK_INT(geo_index_locate(ix, (struct geo_point){-0.001, 0.5}), -1);
    CHECK_INT(geo_index_locate(ix, (struct geo_point){10.5, 0.5}), 102);
    CHECK_INT(geo_index_locate(ix, (struct geo_point){11.5, 1.5}), -1); /* in the hole */
    CHECK_INT(geo_index_locate(ix, (struct geo_point){11, 1.5}), 102);  /* on the hole's edge */
    CHECK_INT(geo_index_locate(ix, (struct geo_point){20.5, 0.5}), 103);
    CHECK_INT(geo_index_locate(ix, (struct geo_point){30.5, 0.5}), 103); /* second part */
    CHECK_INT(geo_index_locate(ix, (struct geo_point){25, 0.5}), -1);
    geo_index_free(ix);
    free_shapes(sh);
}

TEST(vertex_and_edge)
{
    struct geo_shape *sh[6];
    struct geo_index *ix = build(sh);
    CHECK_INT(geo_index_locate(ix, (struct geo_point){0, 0}), 100);   /* outer vertex */
    CHECK_INT(geo_index_locate(ix, (struct geo_point){0, 0.5}), 100); /* outer edge */
    CHECK_INT(geo_index_locate(ix, (struct geo_point){2, 1}), 101);
    CHECK_INT(geo_index_locate(ix, (struct geo_point){13, 3}), 102);
    CHECK_INT(geo_index_locate(ix, (struct geo_point){31, 0.5}), 103);
    geo_index_free(ix);
    free_shapes(sh);
}

TEST(shared_edge_goes_to_smallest_code)
{
    struct geo_shape *sh[6];
    struct geo_index *ix = build(sh);
    /* the squares share x = 1; the right one has the smaller code "A" */
    for (double y = 0; y <= 1.0; y += 0.125)
        CHECK_INT(geo_index_locate(ix, (struct geo_point){1, y}), 101);
    /* the slanted edge: every point along it resolves to exactly one triangle, every time */
    for (int i = 0; i <= 100; i++) {
        double t = i / 100.0;
        struct geo_point p = {0.3 + t * 1.4, 5 + t * 2.1};
        int64_t first = geo_index_locate(ix, p);
        CHECK(first == 104 || first == 105);
        CHECK_INT(geo_index_locate(ix, p), first);
        /* nudge just off the edge on each side: the owning triangle */
        struct geo_point l = {p.lon - 1e-9, p.lat}, r = {p.lon + 1e-9, p.lat};
        if (i > 0 && i < 100) {
            CHECK_INT(geo_index_locate(ix, l), 104);
            CHECK_INT(geo_index_locate(ix, r), 105);
        }
    }
    geo_index_free(ix);
    free_shapes(sh);
}

TEST(empty_index)
{
    struct geo_index *ix = geo_index_new(NULL, 0);
    CHECK_INT(geo_index_locate(ix, (struct geo_point){0, 0}), -1);
    geo_index_free(ix);
    geo_index_free(NULL);
}

struct worker {
    const struct geo_index *ix;
    int errors;
};

static void *run(void *arg)
{
    struct worker *w = arg;
    for (int i = 0; i < 20000; i++) {
        double x = (i % 200) / 100.0, y = ((i / 200) % 100) / 100.0;
        int64_t want = x < 1 ? 100 : 101; /* x = 1 is the shared edge: code "A" wins */
        if (geo_index_locate(w->ix, (struct geo_point){x, y}) != want)
            w->errors++;
    }
    return NULL;
}

TEST(concurrent_locate)
{
    struct geo_shape *sh[6];
    struct geo_index *ix = build(sh);
    pthread_t t[8];
    struct worker w[8];
    for (int i = 0; i < 8; i++) {
        w[i] = (struct worker){ix, 0};
        pthread_create(&t[i], NULL, run, &w[i]);
    }
    for (int i = 0; i < 8; i++) {
        pthread_join(t[i], NULL);
        CHECK_INT(w[i].errors, 0);
    }
    geo_index_free(ix);
    free_shapes(sh);
    geo_thread_done();
}

TEST_SUITE({"inside_outside_hole_multipart", inside_outside_hole_multipart},
           {"vertex_and_edge", vertex_and_edge},
           {"shared_edge_goes_to_smallest_code", shared_edge_goes_to_smallest_code},
           {"empty_index", empty_index}, {"concurrent_locate", concurrent_locate});
