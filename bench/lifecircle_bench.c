/* The living circle's core search beside igraph and networkx: the nearest of K facilities for
 * every node of a W×W directed walking lattice (jittered 100 m blocks, synthetic hills, so the
 * two directions of a block differ), by lc_dijkstra (multi-source, binary heap) on the reversed
 * graph; then K bounded searches of 15 minutes counting facilities within reach. Writes the
 * arcs (u v seconds) and the sources for the peers (bench/lifecircle_peer.py) to run the same
 * graph. Prints figures; never fails on time. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/xalloc.h"
#include "lifecircle/network.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static uint64_t rs = 42;
static double rnd(void)
{
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return (double)(rs >> 11) / 9007199254740992.0;
}

int main(int argc, char **argv)
{
    int w = argc > 1 ? atoi(argv[1]) : 1000, k = argc > 2 ? atoi(argv[2]) : 500;
    const char *arcs_path = argc > 3 ? argv[3] : NULL;
    size_t n = (size_t)w * (size_t)w;
    struct lc_node *nodes = xmalloc(n * sizeof(*nodes));
    struct lc_segment *segs = xmalloc(2 * n * sizeof(*segs));
    size_t ns = 0;
    for (int r = 0; r < w; r++)
        for (int c = 0; c < w; c++) {
            double x = c * 100.0 + (rnd() - 0.5) * 30, y = r * 100.0 + (rnd() - 0.5) * 30;
            nodes[(size_t)r * w + c] =
                (struct lc_node){(int64_t)r * w + c, 106.5 + x / 96800.0, 29.5 + y / 111195.0,
                                 200 + 40 * sin(x / 700.0) * cos(y / 500.0)};
        }
    for (int r = 0; r < w; r++)
        for (int c = 0; c < w; c++) {
            uint32_t u = (uint32_t)(r * w + c);
            if (c + 1 < w)
                segs[ns++] = (struct lc_segment){.a = u, .b = u + 1, .grade = NAN};
            if (r + 1 < w)
                segs[ns++] = (struct lc_segment){.a = u,
                                                 .b = u + (uint32_t)w,
                                                 .kind = (uint8_t)(rnd() < 0.1 ? LC_KIND_STEPS : 0),
                                                 .grade = NAN};
        }
    struct lc_profile p;
    lc_profile_default(LC_PROFILE_WALK, &p);
    struct lc_graph g, rev;
    double t0 = now();
    lc_graph_build(&g, nodes, n, segs, ns, &p);
    lc_graph_reverse(&rev, &g);
    double t_build = now() - t0;
    uint32_t *src = xmalloc((size_t)k * sizeof(*src));
    for (int i = 0; i < k; i++)
        src[i] = (uint32_t)(rnd() * (double)n);
    double *dist = xmalloc(n * sizeof(*dist));
    t0 = now();
    lc_dijkstra(&rev, src, (size_t)k, 0, dist, NULL);
    double t_msd = now() - t0, sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += dist[i];
    uint32_t *count = xmalloc(n * sizeof(*count));
    t0 = now();
    lc_count_within(&rev, src, (size_t)k, 900, count);
    double t_cnt = now() - t0;
    size_t covered = 0;
    for (size_t i = 0; i < n; i++)
        covered += count[i] > 0;
    printf("nodes %zu\narcs %u\nsources %d\nbuild_s %.3f\nmsd_s %.3f\nmean_min %.3f\n"
           "count15_s %.3f\ncovered15 %.4f\n",
           n, g.m, k, t_build, t_msd, sum / (double)n / 60, t_cnt, (double)covered / (double)n);
    if (arcs_path) {
        FILE *f = fopen(arcs_path, "w");
        if (!f)
            return 1;
        fprintf(f, "%zu %u %d\n", n, g.m, k);
        for (int i = 0; i < k; i++)
            fprintf(f, "%u\n", src[i]);
        for (uint32_t u = 0; u < g.n; u++)
            for (uint32_t a = g.off[u]; a < g.off[u + 1]; a++)
                fprintf(f, "%u %u %.6f\n", u, g.to[a], g.sec[a]);
        fclose(f);
    }
    return 0;
}
