/* The walking model and the directed graph: how long each way segment takes to walk in each
 * direction for a profile, and the CSR graph built from the segments. Pure: no I/O. Sources:
 * ../shared/reference/lifecircle.md §2 (Tobler [S16], stair factors [S17], speeds [S12, S13]). */
#include "lifecircle/network.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

void lc_profile_default(enum lc_profile_id id, struct lc_profile *p)
{
    /* GB 50180-2018 表3.0.4 implies 0.83–1.1 m/s (300 m / 5 min … 1000 m / 15 min); r5r's
     * default walk speed is 1.0 m/s [S13]. Stairs: Simulex 0.35× up, 0.50× down [S17]. */
    *p = (struct lc_profile){
        .v0 = 1.0,
        .steps_up = 0.35,
        .steps_down = 0.50,
        .elevator_s = 45.0,
        .step_penalty_s = 0.0,
        .slope_clamp = 0.5,
        .riser_m = 0.15,
        .tread_m = 0.30,
    };
    if (id == LC_PROFILE_ELDERLY) {
        /* Older pedestrians' 15th percentile is 0.92 m/s [S12]; the reference recommends
         * 0.8 m/s, and a rest at each stair segment (our choice, configurable). */
        p->v0 = 0.8;
        p->step_penalty_s = 10.0;
    }
}

int lc_profile_parse(const char *name)
{
    if (!name || !*name || strcmp(name, "walk") == 0)
        return LC_PROFILE_WALK;
    if (strcmp(name, "elderly") == 0)
        return LC_PROFILE_ELDERLY;
    return -1;
}

const char *lc_profile_name(enum lc_profile_id id)
{
    return id == LC_PROFILE_ELDERLY ? "elderly" : "walk";
}

double lc_tobler_factor(double slope)
{
    /* W = 6·e^(−3.5·|S+0.05|) km/h, 5.04 km/h on the flat; divided by that [S16, S13b]. */
    return exp(0.175 - 3.5 * fabs(slope + 0.05));
}

double lc_edge_seconds(const struct lc_profile *p, enum lc_kind kind, double len_m, double rise_m,
                       int dir)
{
    if (kind == LC_KIND_ELEVATOR)
        return p->elevator_s;
    if (len_m < 0)
        len_m = 0;
    if (kind == LC_KIND_STEPS) {
        /* Tobler must not be used on stairs (it predicts 2.5× too slow at ~55 %): stair
         * factors instead; an unknown direction takes the slower climb both ways (§2.3). */
        double f = dir < 0 ? p->steps_down : p->steps_up;
        return len_m / (p->v0 * f) + p->step_penalty_s;
    }
    if (len_m <= 0)
        return 0;
    double s = rise_m / len_m;
    if (s > p->slope_clamp)
        s = p->slope_clamp;
    if (s < -p->slope_clamp)
        s = -p->slope_clamp;
    return len_m / (p->v0 * lc_tobler_factor(s));
}

double lc_distance_m(double lon1, double lat1, double lon2, double lat2)
{
    const double r = 6371008.8, d2r = M_PI / 180.0;
    double dlat = (lat2 - lat1) * d2r, dlon = (lon2 - lon1) * d2r;
    double a = sin(dlat / 2) * sin(dlat / 2) +
               cos(lat1 * d2r) * cos(lat2 * d2r) * sin(dlon / 2) * sin(dlon / 2);
    return 2 * r * asin(sqrt(a < 1 ? a : 1));
}

struct arc {
    uint32_t from, to;
    float sec, len, rise;
    uint8_t kind;
};

/* One direction of a segment: its rise and its time. sign is +1 for a → b, −1 for b → a. */
static struct arc arc_of(const struct lc_node *na, const struct lc_node *nb,
                         const struct lc_segment *s, uint32_t from, uint32_t to, int sign,
                         const struct lc_profile *p)
{
    double len = lc_distance_m(na->lon, na->lat, nb->lon, nb->lat);
    if (s->kind == LC_KIND_STEPS && len < 0.01 && s->step_count)
        len = s->step_count * p->tread_m;
    double rise_ab = 0; /* rise walking a → b */
    int dir_ab = 0;
    bool have = false;
    if (!isnan(na->ele) && !isnan(nb->ele)) {
        rise_ab = nb->ele - na->ele;
        have = true;
    }
    if (s->kind == LC_KIND_STEPS) {
        if (have)
            dir_ab = rise_ab > 0.1 ? 1 : rise_ab < -0.1 ? -1 : s->incline;
        else {
            dir_ab = s->incline;
            if (dir_ab && s->step_count)
                rise_ab = dir_ab * s->step_count * p->riser_m;
            else if (dir_ab) /* a typical flight: riser over tread */
                rise_ab = dir_ab * len * p->riser_m / p->tread_m;
        }
    } else if (!have && !isnan(s->grade)) {
        rise_ab = s->grade * len;
    }
    double rise = sign * rise_ab;
    int dir = sign * dir_ab;
    if (s->kind == LC_KIND_ELEVATOR)
        len = 0;
    return (struct arc){from,       to,          (float)lc_edge_seconds(p, s->kind, len, rise, dir),
                        (float)len, (float)rise, s->kind};
}

static void graph_from_arcs(struct lc_graph *g, size_t n, const struct arc *arcs, size_t m,
                            const double *lon, const double *lat)
{
    memset(g, 0, sizeof(*g));
    g->n = (uint32_t)n;
    g->m = (uint32_t)m;
    g->off = xcalloc(n + 1, sizeof(*g->off));
    g->to = xmalloc((m ? m : 1) * sizeof(*g->to));
    g->sec = xmalloc((m ? m : 1) * sizeof(*g->sec));
    g->len = xmalloc((m ? m : 1) * sizeof(*g->len));
    g->rise = xmalloc((m ? m : 1) * sizeof(*g->rise));
    g->kind = xmalloc(m ? m : 1);
    g->lon = xmalloc((n ? n : 1) * sizeof(double));
    g->lat = xmalloc((n ? n : 1) * sizeof(double));
    g->linked = xcalloc(n ? n : 1, 1);
    if (n) {
        memcpy(g->lon, lon, n * sizeof(double));
        memcpy(g->lat, lat, n * sizeof(double));
    }
    for (size_t i = 0; i < m; i++) {
        g->off[arcs[i].from + 1]++;
        g->linked[arcs[i].from] = g->linked[arcs[i].to] = 1;
    }
    for (size_t u = 0; u < n; u++)
        g->off[u + 1] += g->off[u];
    uint32_t *fill = xmalloc((n ? n : 1) * sizeof(*fill));
    if (n)
        memcpy(fill, g->off, n * sizeof(*fill));
    for (size_t i = 0; i < m; i++) { /* stable: arcs keep their input order per node */
        uint32_t k = fill[arcs[i].from]++;
        g->to[k] = arcs[i].to;
        g->sec[k] = arcs[i].sec;
        g->len[k] = arcs[i].len;
        g->rise[k] = arcs[i].rise;
        g->kind[k] = arcs[i].kind;
    }
    free(fill);
}

void lc_graph_build(struct lc_graph *g, const struct lc_node *nodes, size_t n_nodes,
                    const struct lc_segment *segs, size_t n_segs, const struct lc_profile *p)
{
    struct arc *arcs = xmalloc((2 * n_segs + 1) * sizeof(*arcs));
    size_t m = 0;
    for (size_t i = 0; i < n_segs; i++) {
        const struct lc_segment *s = &segs[i];
        if (s->a == s->b || s->a >= n_nodes || s->b >= n_nodes)
            continue;
        arcs[m++] = arc_of(&nodes[s->a], &nodes[s->b], s, s->a, s->b, 1, p);
        if (!s->oneway)
            arcs[m++] = arc_of(&nodes[s->a], &nodes[s->b], s, s->b, s->a, -1, p);
    }
    double *lon = xmalloc((n_nodes ? n_nodes : 1) * sizeof(double));
    double *lat = xmalloc((n_nodes ? n_nodes : 1) * sizeof(double));
    for (size_t i = 0; i < n_nodes; i++) {
        lon[i] = nodes[i].lon;
        lat[i] = nodes[i].lat;
    }
    graph_from_arcs(g, n_nodes, arcs, m, lon, lat);
    free(lon);
    free(lat);
    free(arcs);
}

void lc_graph_reverse(struct lc_graph *r, const struct lc_graph *g)
{
    struct arc *arcs = xmalloc((g->m + 1) * sizeof(*arcs));
    size_t m = 0;
    for (uint32_t u = 0; u < g->n; u++)
        for (uint32_t k = g->off[u]; k < g->off[u + 1]; k++)
            arcs[m++] = (struct arc){g->to[k], u, g->sec[k], g->len[k], -g->rise[k], g->kind[k]};
    graph_from_arcs(r, g->n, arcs, m, g->lon, g->lat);
    free(arcs);
}

void lc_graph_release(struct lc_graph *g)
{
    if (!g)
        return;
    free(g->off);
    free(g->to);
    free(g->sec);
    free(g->len);
    free(g->rise);
    free(g->kind);
    free(g->lon);
    free(g->lat);
    free(g->linked);
    memset(g, 0, sizeof(*g));
}

int64_t lc_graph_nearest(const struct lc_graph *g, double lon, double lat, double *dist_m)
{
    /* An equirectangular scan picks the node; haversine gives the reported distance. */
    double kx = cos(lat * M_PI / 180.0), best = INFINITY;
    int64_t at = -1;
    for (uint32_t u = 0; u < g->n; u++) {
        if (!g->linked[u])
            continue;
        double dx = (g->lon[u] - lon) * kx, dy = g->lat[u] - lat, d = dx * dx + dy * dy;
        if (d < best) {
            best = d;
            at = u;
        }
    }
    if (dist_m)
        *dist_m = at < 0 ? INFINITY : lc_distance_m(lon, lat, g->lon[at], g->lat[at]);
    return at;
}
