/* The walking model and the searches on hand-computed graphs: flat, slopes, a stairway up and
 * down, an elevator, the elderly profile, ties, unreachable nodes, one-way arcs; nearest
 * facility and count-within-T against a Floyd–Warshall oracle on random graphs; lazy greedy
 * MCLP against plain greedy and the brute-force optimum. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "lifecircle/network.h"
#include "test.h"

/* Nodes along the equator: 1e-3 degrees of longitude is 111.195 m here. */
#define DEG_M 111.19508

static struct lc_node node_at(double x_m, double ele)
{
    return (struct lc_node){0, x_m / DEG_M * 1e-3, 0.0, ele};
}

TEST(tobler_normalised)
{
    CHECK_NEAR(lc_tobler_factor(0), 1.0, 1e-12);
    /* The maximum, 6 km/h, is e^0.175 = 1.19125 × the flat (the reference's 1.19403 is a slip). */
    CHECK_NEAR(lc_tobler_factor(-0.05), 1.191246, 1e-6);
    CHECK_NEAR(lc_tobler_factor(0.15), exp(-0.525), 1e-12);
    CHECK(lc_tobler_factor(0.09) < lc_tobler_factor(-0.09)); /* uphill slower */
}

TEST(edge_seconds_walk)
{
    struct lc_profile p;
    lc_profile_default(LC_PROFILE_WALK, &p);
    CHECK_NEAR(lc_edge_seconds(&p, LC_KIND_FOOT, 100, 0, 0), 100.0, 1e-9);
    /* 张家花园: 1 km rising 90 m — the reference's 16.3 min up and 11.5 min down at 1.0 m/s
     * are the Tobler figures at 5.04 km/h (1.4 m/s); at 1.0 m/s both scale by 1.4/1.0. */
    double up = lc_edge_seconds(&p, LC_KIND_FOOT, 1000, 90, 0);
    double down = lc_edge_seconds(&p, LC_KIND_FOOT, 1000, -90, 0);
    CHECK_NEAR(up, 1000 / exp(0.175 - 3.5 * 0.14), 1e-6);
    CHECK_NEAR(down, 1000 / exp(0.175 - 3.5 * 0.04), 1e-6);
    CHECK(up > 1000 && down < 1000);
    /* Steps: 30 m of flight, 0.35× up, 0.5× down; unknown direction = up both ways. */
    CHECK_NEAR(lc_edge_seconds(&p, LC_KIND_STEPS, 30, 15, 1), 30 / 0.35, 1e-9);
    CHECK_NEAR(lc_edge_seconds(&p, LC_KIND_STEPS, 30, -15, -1), 60.0, 1e-9);
    CHECK_NEAR(lc_edge_seconds(&p, LC_KIND_STEPS, 30, 0, 0), 30 / 0.35, 1e-9);
    CHECK_NEAR(lc_edge_seconds(&p, LC_KIND_ELEVATOR, 0, 20, 1), 45.0, 1e-9);
    /* A grade beyond the clamp is taken as the clamp. */
    CHECK_NEAR(lc_edge_seconds(&p, LC_KIND_FOOT, 10, 9, 0),
               lc_edge_seconds(&p, LC_KIND_FOOT, 10, 5, 0), 1e-9);
}

TEST(edge_seconds_elderly)
{
    struct lc_profile p;
    lc_profile_default(LC_PROFILE_ELDERLY, &p);
    CHECK_NEAR(lc_edge_seconds(&p, LC_KIND_FOOT, 100, 0, 0), 125.0, 1e-9);
    CHECK_NEAR(lc_edge_seconds(&p, LC_KIND_STEPS, 30, 15, 1), 30 / (0.8 * 0.35) + 10, 1e-9);
    CHECK_INT(lc_profile_parse("elderly"), LC_PROFILE_ELDERLY);
    CHECK_INT(lc_profile_parse("walk"), LC_PROFILE_WALK);
    CHECK_INT(lc_profile_parse("bike"), -1);
}

/* 0 —foot 100 m— 1 —steps 30 m, incline=up from 1 to 2, 100 steps— 2 */
TEST(stair_up_slower_than_down)
{
    struct lc_node nodes[] = {node_at(0, NAN), node_at(100, NAN), node_at(130, NAN)};
    struct lc_segment segs[] = {
        {.a = 0, .b = 1, .kind = LC_KIND_FOOT, .grade = NAN},
        {.a = 1, .b = 2, .kind = LC_KIND_STEPS, .incline = 1, .grade = NAN, .step_count = 100},
    };
    struct lc_profile p;
    lc_profile_default(LC_PROFILE_WALK, &p);
    struct lc_graph g;
    lc_graph_build(&g, nodes, 3, segs, 2, &p);
    CHECK_INT(g.m, 4);
    struct lc_route up, down;
    lc_route(&g, 0, 2, &up);
    lc_route(&g, 2, 0, &down);
    CHECK(up.found && down.found);
    CHECK_NEAR(up.seconds, 100 + 30 / 0.35, 0.05);
    CHECK_NEAR(down.seconds, 100 + 30 / 0.5, 0.05);
    CHECK_NEAR(up.metres, 130, 0.05);
    CHECK_NEAR(up.climb_m, 15.0, 1e-4); /* 100 steps × 0.15 m */
    CHECK_NEAR(down.climb_m, 0.0, 1e-9);
    CHECK_INT(up.n_arcs, 2);
    /* The same flight tagged the other way round (way drawn downhill, incline=down). */
    struct lc_segment rev[] = {
        {.a = 0, .b = 1, .kind = LC_KIND_FOOT, .grade = NAN},
        {.a = 2, .b = 1, .kind = LC_KIND_STEPS, .incline = -1, .grade = NAN, .step_count = 100},
    };
    struct lc_graph g2;
    lc_graph_build(&g2, nodes, 3, rev, 2, &p);
    struct lc_route up2;
    lc_route(&g2, 0, 2, &up2);
    CHECK_NEAR(up2.seconds, up.seconds, 1e-6);
    lc_graph_release(&g);
    lc_graph_release(&g2);
}

/* Elevations beat tags: a footway climbing 10 m over 100 m, and a stairway whose direction
 * comes from the node heights alone. */
TEST(elevation_from_nodes)
{
    struct lc_node nodes[] = {node_at(0, 200), node_at(100, 210), node_at(130, 225)};
    struct lc_segment segs[] = {
        {.a = 0, .b = 1, .kind = LC_KIND_FOOT, .grade = -0.2f}, /* tag ignored: heights known */
        {.a = 1, .b = 2, .kind = LC_KIND_STEPS, .grade = NAN},
    };
    struct lc_profile p;
    lc_profile_default(LC_PROFILE_WALK, &p);
    struct lc_graph g;
    lc_graph_build(&g, nodes, 3, segs, 2, &p);
    struct lc_route up, down;
    lc_route(&g, 0, 2, &up);
    lc_route(&g, 2, 0, &down);
    double foot_up = 100 / lc_tobler_factor(0.1), foot_down = 100 / lc_tobler_factor(-0.1);
    CHECK_NEAR(up.seconds, foot_up + 30 / 0.35, 0.05);
    CHECK_NEAR(down.seconds, foot_down + 30 / 0.5, 0.05);
    CHECK_NEAR(up.climb_m, 25, 1e-3);
    lc_graph_release(&g);
}

/* Unknown stair direction: both ways take the climb; an elevator takes its fixed time. */
TEST(unknown_stairs_and_elevator)
{
    struct lc_node nodes[] = {node_at(0, NAN), node_at(30, NAN), node_at(30, NAN)};
    struct lc_segment segs[] = {
        {.a = 0, .b = 1, .kind = LC_KIND_STEPS, .grade = NAN},
        {.a = 1, .b = 2, .kind = LC_KIND_ELEVATOR, .grade = NAN},
    };
    struct lc_profile p;
    lc_profile_default(LC_PROFILE_WALK, &p);
    struct lc_graph g;
    lc_graph_build(&g, nodes, 3, segs, 2, &p);
    struct lc_route a, b;
    lc_route(&g, 0, 2, &a);
    lc_route(&g, 2, 0, &b);
    CHECK_NEAR(a.seconds, 30 / 0.35 + 45, 0.05);
    CHECK_NEAR(b.seconds, a.seconds, 1e-6);
    lc_graph_release(&g);
}

/* A tie (node 1 is 100 s from both sources), an unreachable island (3–4), a one-way arc. */
TEST(multi_source_tie_and_unreachable)
{
    struct lc_node nodes[] = {node_at(0, NAN),   node_at(100, NAN), node_at(200, NAN),
                              node_at(500, NAN), node_at(600, NAN), node_at(300, NAN)};
    struct lc_segment segs[] = {
        {.a = 0, .b = 1, .kind = LC_KIND_FOOT, .grade = NAN},
        {.a = 1, .b = 2, .kind = LC_KIND_FOOT, .grade = NAN},
        {.a = 3, .b = 4, .kind = LC_KIND_FOOT, .grade = NAN},
        {.a = 2, .b = 5, .kind = LC_KIND_FOOT, .oneway = 1, .grade = NAN},
    };
    struct lc_profile p;
    lc_profile_default(LC_PROFILE_WALK, &p);
    struct lc_graph g, r;
    lc_graph_build(&g, nodes, 6, segs, 4, &p);
    lc_graph_reverse(&r, &g);
    uint32_t src[] = {2, 0}; /* facilities at nodes 2 and 0 */
    double dist[6];
    int32_t origin[6];
    lc_dijkstra(&r, src, 2, 0, dist, origin);
    CHECK_NEAR(dist[1], 100, 0.05);
    CHECK_INT(origin[1], 0); /* tie: the lower source index, i.e. node 2 */
    CHECK_INT(origin[0], 1);
    CHECK(isinf(dist[3]) && isinf(dist[4]));
    CHECK_INT(origin[3], -1);
    /* 5 can reach no one: the one-way arc only leads into it. */
    CHECK(isinf(dist[5]));
    lc_dijkstra(&g, src, 2, 0, dist, origin); /* forward: 5 is reachable from 2 */
    CHECK_NEAR(dist[5], 100, 0.05);
    uint32_t count[6];
    lc_count_within(&r, src, 2, 100.5, count);
    CHECK_INT(count[1], 2);
    CHECK_INT(count[0], 1);
    CHECK_INT(count[3], 0);
    lc_count_within(&r, src, 2, 99, count);
    CHECK_INT(count[1], 0);
    CHECK_INT(count[2], 1);
    struct lc_route none;
    lc_route(&g, 0, 4, &none);
    CHECK(!none.found);
    /* Nearest walkable node; a limit cuts the search. */
    CHECK_INT(lc_graph_nearest(&g, nodes[4].lon + 1e-5, 0, NULL), 4);
    lc_dijkstra(&r, src, 2, 50, dist, origin);
    CHECK(isinf(dist[1]));
    lc_graph_release(&g);
    lc_graph_release(&r);
}

static uint64_t rng_state = 88172645463325252ull;
static double rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}

/* Random directed graphs: Floyd–Warshall is the oracle for nearest facility and count within. */
TEST(random_graphs_against_oracle)
{
    enum { N = 40 };
    struct lc_profile p;
    lc_profile_default(LC_PROFILE_WALK, &p);
    for (int trial = 0; trial < 30; trial++) {
        struct lc_node nodes[N];
        for (int i = 0; i < N; i++)
            nodes[i] = (struct lc_node){i, rnd() * 0.01, rnd() * 0.01,
                                        rnd() < 0.5 ? NAN : 300 + 50 * rnd()};
        struct lc_segment segs[3 * N];
        size_t ns = 0;
        for (int e = 0; e < 2 * N; e++) {
            uint32_t a = (uint32_t)(rnd() * N), b = (uint32_t)(rnd() * N);
            double k = rnd();
            segs[ns++] = (struct lc_segment){.a = a,
                                             .b = b,
                                             .kind = k < 0.2 ? LC_KIND_STEPS : LC_KIND_FOOT,
                                             .incline = (int8_t)(k < 0.1 ? 1 : 0),
                                             .oneway = rnd() < 0.2,
                                             .grade = rnd() < 0.3 ? (float)(rnd() - 0.5) / 5 : NAN,
                                             .step_count = (uint16_t)(k < 0.05 ? 40 : 0)};
        }
        struct lc_graph g, r;
        lc_graph_build(&g, nodes, N, segs, ns, &p);
        lc_graph_reverse(&r, &g);
        static double d[N][N];
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++)
                d[i][j] = i == j ? 0 : INFINITY;
        for (uint32_t u = 0; u < g.n; u++)
            for (uint32_t k = g.off[u]; k < g.off[u + 1]; k++)
                if (g.sec[k] < d[u][g.to[k]])
                    d[u][g.to[k]] = g.sec[k];
        for (int k = 0; k < N; k++)
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++)
                    if (d[i][k] + d[k][j] < d[i][j])
                        d[i][j] = d[i][k] + d[k][j];
        uint32_t src[5];
        for (int s = 0; s < 5; s++)
            src[s] = (uint32_t)(rnd() * N);
        double dist[N];
        lc_dijkstra(&r, src, 5, 0, dist, NULL);
        double limit = 600 + 600 * rnd();
        uint32_t count[N];
        lc_count_within(&r, src, 5, limit, count);
        for (int i = 0; i < N; i++) {
            double best = INFINITY;
            uint32_t c = 0;
            bool seen[N] = {0};
            for (int s = 0; s < 5; s++) {
                if (d[i][src[s]] < best)
                    best = d[i][src[s]];
                if (!seen[src[s]] && d[i][src[s]] <= limit)
                    c++;
                seen[src[s]] = true;
            }
            if (isinf(best))
                CHECK(isinf(dist[i]));
            else
                CHECK_NEAR(dist[i], best, 1e-6 * (1 + best));
            /* Duplicate facilities on one node count each (one per facility). */
            uint32_t dup = 0;
            for (int s = 0; s < 5; s++)
                for (int t = 0; t < s; t++)
                    if (src[s] == src[t] && d[i][src[s]] <= limit) {
                        dup++;
                        break;
                    }
            CHECK_INT(count[i], c + dup);
        }
        lc_graph_release(&g);
        lc_graph_release(&r);
    }
}

/* A line of 100 s arcs going east: the 150 s ring reaches halfway along the second arc. */
TEST(isochrone_ring)
{
    struct lc_node nodes[] = {node_at(0, NAN), node_at(100, NAN), node_at(200, NAN),
                              node_at(300, NAN)};
    struct lc_segment segs[] = {
        {.a = 0, .b = 1, .kind = LC_KIND_FOOT, .grade = NAN},
        {.a = 1, .b = 2, .kind = LC_KIND_FOOT, .grade = NAN},
        {.a = 2, .b = 3, .kind = LC_KIND_FOOT, .grade = NAN},
    };
    struct lc_profile p;
    lc_profile_default(LC_PROFILE_WALK, &p);
    struct lc_graph g;
    lc_graph_build(&g, nodes, 4, segs, 3, &p);
    uint32_t src[] = {0};
    double dist[4];
    lc_dijkstra(&g, src, 1, 0, dist, NULL);
    double ring[16];
    size_t reached = lc_isochrone(&g, dist, 150, nodes[0].lon, nodes[0].lat, 8, ring);
    CHECK_INT(reached, 2);
    CHECK_NEAR(ring[0], nodes[0].lon + 1.5 * (nodes[1].lon - nodes[0].lon), 1e-7);
    CHECK_NEAR(ring[8], nodes[0].lon, 1e-12); /* nothing to the west: the centre */
    lc_graph_release(&g);
}

/* Plain greedy, for comparison with the lazy one. */
static size_t plain_greedy(const double *w, size_t nd, const uint32_t *off, const uint32_t *cov,
                           size_t nc, size_t k, uint32_t *pick, double *gain)
{
    bool c[64] = {0};
    size_t n = 0;
    while (n < k) {
        double best = 0;
        int at = -1;
        for (size_t j = 0; j < nc; j++) {
            double g = 0;
            for (uint32_t q = off[j]; q < off[j + 1]; q++)
                if (!c[cov[q]])
                    g += w[cov[q]];
            if (g > best) {
                best = g;
                at = (int)j;
            }
        }
        if (at < 0)
            break;
        pick[n] = (uint32_t)at;
        gain[n++] = best;
        for (uint32_t q = off[at]; q < off[at + 1]; q++)
            c[cov[q]] = true;
    }
    (void)nd;
    return n;
}

TEST(mclp_known_optimum)
{
    /* Demand 0..5. A covers {0,1,2,3} (4), B {0,1,4} (1+1+2.5), C {2,3,5} (1+1+2.5).
     * k = 2: greedy takes B (4.5, first of the ties at 4.5) then C (4.5): 9, the optimum;
     * demand 0 already covered drops B's gain. */
    double w[] = {1, 1, 1, 1, 2.5, 2.5};
    uint32_t off[] = {0, 4, 7, 10};
    uint32_t cov[] = {0, 1, 2, 3, 0, 1, 4, 2, 3, 5};
    uint32_t pick[3];
    double gain[3];
    size_t n = lc_mclp_greedy(w, NULL, 6, off, cov, 3, 2, pick, gain);
    CHECK_INT(n, 2);
    CHECK_INT(pick[0], 1);
    CHECK_NEAR(gain[0], 4.5, 1e-12);
    CHECK_INT(pick[1], 2);
    CHECK_NEAR(gain[1], 4.5, 1e-12);
    /* Everyone covered after two picks: a third pick has no gain and is not made. */
    n = lc_mclp_greedy(w, NULL, 6, off, cov, 3, 3, pick, gain);
    CHECK_INT(n, 2);
    bool covered[] = {true, true, false, false, false, false};
    n = lc_mclp_greedy(w, covered, 6, off, cov, 3, 1, pick, gain);
    CHECK_INT(n, 1);
    CHECK_INT(pick[0], 2); /* C 4.5 beats B 2.5 and A 2 */
    /* Random instances: lazy = plain greedy, and ≥ (1 − 1/e) of the brute-force optimum. */
    for (int trial = 0; trial < 200; trial++) {
        enum { ND = 12, NC = 8 };
        double wt[ND];
        for (int i = 0; i < ND; i++)
            wt[i] = (double)(1 + (int)(rnd() * 5));
        uint32_t o[NC + 1] = {0}, cv[NC * ND];
        for (int j = 0; j < NC; j++) {
            o[j + 1] = o[j];
            for (int i = 0; i < ND; i++)
                if (rnd() < 0.3)
                    cv[o[j + 1]++] = (uint32_t)i;
        }
        uint32_t p1[3], p2[3];
        double g1[3], g2[3];
        size_t n1 = lc_mclp_greedy(wt, NULL, ND, o, cv, NC, 3, p1, g1);
        size_t n2 = plain_greedy(wt, ND, o, cv, NC, 3, p2, g2);
        CHECK_INT(n1, n2);
        double s1 = 0;
        for (size_t i = 0; i < n1 && i < n2; i++) {
            CHECK_INT(p1[i], p2[i]);
            CHECK_NEAR(g1[i], g2[i], 1e-12);
            s1 += g1[i];
        }
        double opt = 0;
        for (int a = 0; a < NC; a++)
            for (int b = a + 1; b < NC; b++)
                for (int c = b + 1; c < NC; c++) {
                    bool cc[ND] = {0};
                    int js[] = {a, b, c};
                    double s = 0;
                    for (int t = 0; t < 3; t++)
                        for (uint32_t q = o[js[t]]; q < o[js[t] + 1]; q++)
                            if (!cc[cv[q]]) {
                                cc[cv[q]] = true;
                                s += wt[cv[q]];
                            }
                    if (s > opt)
                        opt = s;
                }
        CHECK(s1 >= (1 - exp(-1)) * opt - 1e-9);
    }
}

TEST_SUITE({"tobler_normalised", tobler_normalised}, {"edge_seconds_walk", edge_seconds_walk},
           {"edge_seconds_elderly", edge_seconds_elderly},
           {"stair_up_slower_than_down", stair_up_slower_than_down},
           {"elevation_from_nodes", elevation_from_nodes},
           {"unknown_stairs_and_elevator", unknown_stairs_and_elevator},
           {"multi_source_tie_and_unreachable", multi_source_tie_and_unreachable},
           {"random_graphs_against_oracle", random_graphs_against_oracle},
           {"isochrone_ring", isochrone_ring}, {"mclp_known_optimum", mclp_known_optimum});
