/* Searches over the walking graph: multi-source Dijkstra (nearest facility), bounded Dijkstra
 * per source (facilities within T), point-to-point routes and isochrone rings, and the lazy
 * greedy maximal covering location problem. Pure: no I/O (../shared/reference/lifecircle.md §3–§4).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "lifecircle/network.h"

/* A binary min-heap of (time, node, tag) with lazy deletion. */
struct heap_item {
    double d;
    uint32_t v;
    int32_t tag;
};
struct heap {
    struct heap_item *a;
    size_t n, cap;
};

static void heap_push(struct heap *h, double d, uint32_t v, int32_t tag)
{
    if (h->n == h->cap) {
        h->cap = h->cap ? 2 * h->cap : 1024;
        h->a = xrealloc(h->a, h->cap * sizeof(*h->a));
    }
    size_t i = h->n++;
    while (i) {
        size_t p = (i - 1) / 2;
        if (h->a[p].d <= d)
            break;
        h->a[i] = h->a[p];
        i = p;
    }
    h->a[i] = (struct heap_item){d, v, tag};
}

static struct heap_item heap_pop(struct heap *h)
{
    struct heap_item top = h->a[0], x = h->a[--h->n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && h->a[c + 1].d < h->a[c].d)
            c++;
        if (h->a[c].d >= x.d)
            break;
        h->a[i] = h->a[c];
        i = c;
    }
    if (h->n)
        h->a[i] = x;
    return top;
}

void lc_dijkstra(const struct lc_graph *g, const uint32_t *src, size_t n_src, double limit_s,
                 double *dist, int32_t *origin)
{
    int32_t *org = origin ? origin : xmalloc((g->n ? g->n : 1) * sizeof(*org));
    for (uint32_t i = 0; i < g->n; i++) {
        dist[i] = INFINITY;
        org[i] = -1;
    }
    struct heap h = {0};
    for (size_t i = 0; i < n_src; i++) {
        uint32_t s = src[i];
        if (s >= g->n || dist[s] == 0)
            continue; /* two facilities on one node: the first keeps it */
        dist[s] = 0;
        org[s] = (int32_t)i;
        heap_push(&h, 0, s, (int32_t)i);
    }
    while (h.n) {
        struct heap_item e = heap_pop(&h);
        if (e.d > dist[e.v] || e.tag != org[e.v])
            continue;
        for (uint32_t k = g->off[e.v]; k < g->off[e.v + 1]; k++) {
            double nd = e.d + g->sec[k];
            uint32_t v = g->to[k];
            if (limit_s > 0 && nd > limit_s)
                continue;
            /* Equal times: the lower source index wins, so results do not depend on order. */
            if (nd < dist[v] || (nd == dist[v] && e.tag < org[v])) {
                dist[v] = nd;
                org[v] = e.tag;
                heap_push(&h, nd, v, e.tag);
            }
        }
    }
    free(h.a);
    if (!origin)
        free(org);
}

void lc_count_within(const struct lc_graph *g, const uint32_t *src, size_t n_src, double limit_s,
                     uint32_t *count)
{
    double *dist = xmalloc((g->n ? g->n : 1) * sizeof(*dist));
    uint32_t *touched = xmalloc((g->n ? g->n : 1) * sizeof(*touched));
    for (uint32_t i = 0; i < g->n; i++) {
        dist[i] = INFINITY;
        count[i] = 0;
    }
    struct heap h = {0};
    /* One bounded search per source; its cost is the size of the ball, small for 15 min. */
    for (size_t f = 0; f < n_src; f++) {
        uint32_t s = src[f];
        if (s >= g->n)
            continue;
        size_t nt = 0;
        h.n = 0;
        dist[s] = 0;
        touched[nt++] = s;
        heap_push(&h, 0, s, 0);
        while (h.n) {
            struct heap_item e = heap_pop(&h);
            if (e.d > dist[e.v])
                continue;
            count[e.v]++;
            dist[e.v] = -1; /* settled: counted once */
            for (uint32_t k = g->off[e.v]; k < g->off[e.v + 1]; k++) {
                double nd = e.d + g->sec[k];
                uint32_t v = g->to[k];
                if (nd > limit_s || dist[v] < 0 || nd >= dist[v])
                    continue;
                if (dist[v] == INFINITY)
                    touched[nt++] = v;
                dist[v] = nd;
                heap_push(&h, nd, v, 0);
            }
        }
        for (size_t i = 0; i < nt; i++)
            dist[touched[i]] = INFINITY;
    }
    free(h.a);
    free(dist);
    free(touched);
}

void lc_route(const struct lc_graph *g, uint32_t from, uint32_t to, struct lc_route *out)
{
    memset(out, 0, sizeof(*out));
    if (from >= g->n || to >= g->n)
        return;
    double *dist = xmalloc(g->n * sizeof(*dist));
    uint32_t *pred = xmalloc(g->n * sizeof(*pred)); /* arc index into the node, UINT32_MAX none */
    for (uint32_t i = 0; i < g->n; i++) {
        dist[i] = INFINITY;
        pred[i] = UINT32_MAX;
    }
    struct heap h = {0};
    dist[from] = 0;
    heap_push(&h, 0, from, 0);
    while (h.n) {
        struct heap_item e = heap_pop(&h);
        if (e.d > dist[e.v])
            continue;
        if (e.v == to)
            break;
        for (uint32_t k = g->off[e.v]; k < g->off[e.v + 1]; k++) {
            double nd = e.d + g->sec[k];
            if (nd < dist[g->to[k]]) {
                dist[g->to[k]] = nd;
                pred[g->to[k]] = k;
                heap_push(&h, nd, g->to[k], 0);
            }
        }
    }
    if (dist[to] < INFINITY) {
        out->found = true;
        out->seconds = dist[to];
        /* Walk the predecessors back; the arc's tail is found by its CSR range. */
        for (uint32_t v = to; v != from;) {
            uint32_t k = pred[v];
            out->metres += g->len[k];
            if (g->rise[k] > 0)
                out->climb_m += g->rise[k];
            out->n_arcs++;
            uint32_t lo = 0, hi = g->n; /* the u with off[u] <= k < off[u+1] */
            while (hi - lo > 1) {
                uint32_t mid = lo + (hi - lo) / 2;
                if (g->off[mid] <= k)
                    lo = mid;
                else
                    hi = mid;
            }
            v = lo;
        }
    }
    free(h.a);
    free(dist);
    free(pred);
}

size_t lc_isochrone(const struct lc_graph *g, const double *dist, double limit_s, double lon,
                    double lat, size_t n_sectors, double *ring)
{
    /* Local metres around the centre (equirectangular; a district is a few km across). */
    const double my = 111195.0, mx = my * cos(lat * M_PI / 180.0);
    double *far = xcalloc(n_sectors, sizeof(*far));
    for (size_t s = 0; s < n_sectors; s++) {
        ring[2 * s] = lon;
        ring[2 * s + 1] = lat;
    }
    size_t reached = 0;
    for (uint32_t u = 0; u < g->n; u++) {
        if (!(dist[u] <= limit_s))
            continue;
        reached++;
        /* The node itself, and where the time runs out along each arc leaving it. */
        for (uint32_t k = g->off[u]; k <= g->off[u + 1]; k++) {
            double px = g->lon[u], py = g->lat[u];
            if (k < g->off[u + 1]) {
                uint32_t v = g->to[k];
                if (dist[u] + g->sec[k] <= limit_s || g->sec[k] <= 0)
                    continue; /* v itself is reached, or is drawn from its own entry */
                double f = (limit_s - dist[u]) / g->sec[k];
                px += f * (g->lon[v] - px);
                py += f * (g->lat[v] - py);
            }
            double dx = (px - lon) * mx, dy = (py - lat) * my, r = dx * dx + dy * dy;
            double a = atan2(dy, dx);
            if (a < 0)
                a += 2 * M_PI;
            size_t s = (size_t)(a / (2 * M_PI) * (double)n_sectors);
            if (s >= n_sectors)
                s = n_sectors - 1;
            if (r > far[s]) {
                far[s] = r;
                ring[2 * s] = px;
                ring[2 * s + 1] = py;
            }
        }
    }
    free(far);
    return reached;
}

/* Lazy greedy MCLP: a max-heap of stale gains; only the top is re-evaluated, since coverage is
 * submodular and gains can only shrink. */
struct gain_item {
    double gain;
    uint32_t cand;
    uint32_t round; /* the pick round the gain was computed in */
};

static bool gain_before(const struct gain_item *a, const struct gain_item *b)
{
    return a->gain > b->gain || (a->gain == b->gain && a->cand < b->cand);
}

static void gain_sift_down(struct gain_item *a, size_t n, size_t i)
{
    for (;;) {
        size_t c = 2 * i + 1, best = i;
        if (c < n && gain_before(&a[c], &a[best]))
            best = c;
        if (c + 1 < n && gain_before(&a[c + 1], &a[best]))
            best = c + 1;
        if (best == i)
            return;
        struct gain_item t = a[i];
        a[i] = a[best];
        a[best] = t;
        i = best;
    }
}

size_t lc_mclp_greedy(const double *weight, const bool *covered, size_t n_demand,
                      const uint32_t *cover_off, const uint32_t *cover, size_t n_cand, size_t k,
                      uint32_t *pick, double *gain)
{
    bool *cov = xcalloc(n_demand ? n_demand : 1, sizeof(*cov));
    if (covered && n_demand)
        memcpy(cov, covered, n_demand * sizeof(*cov));
    struct gain_item *h = xmalloc((n_cand ? n_cand : 1) * sizeof(*h));
    for (uint32_t j = 0; j < n_cand; j++) {
        double g = 0;
        for (uint32_t q = cover_off[j]; q < cover_off[j + 1]; q++)
            if (!cov[cover[q]])
                g += weight[cover[q]];
        h[j] = (struct gain_item){g, j, 0};
    }
    size_t n = n_cand;
    for (size_t i = n / 2; i-- > 0;)
        gain_sift_down(h, n, i);
    size_t picks = 0;
    uint32_t round = 0;
    while (picks < k && n) {
        if (h[0].round != round) {
            uint32_t j = h[0].cand;
            double g = 0;
            for (uint32_t q = cover_off[j]; q < cover_off[j + 1]; q++)
                if (!cov[cover[q]])
                    g += weight[cover[q]];
            h[0].gain = g;
            h[0].round = round;
            gain_sift_down(h, n, 0);
            continue;
        }
        if (h[0].gain <= 0)
            break;
        uint32_t j = h[0].cand;
        pick[picks] = j;
        gain[picks] = h[0].gain;
        picks++;
        for (uint32_t q = cover_off[j]; q < cover_off[j + 1]; q++)
            cov[cover[q]] = true;
        h[0] = h[--n];
        gain_sift_down(h, n, 0);
        round++;
    }
    free(h);
    free(cov);
    return picks;
}
