/* The walking network of the 15-minute living circle and the pure computations over it: the
 * walking model (edge seconds per profile), the directed graph, multi-source and bounded
 * Dijkstra searches, routes, isochrones and the maximal covering location problem. No I/O:
 * values in, values out (docs/lifecircle.md; ../shared/reference/lifecircle.md §2–§4). */
#ifndef LIFECIRCLE_NETWORK_H
#define LIFECIRCLE_NETWORK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a way segment is, for the walking model. */
enum lc_kind {
    LC_KIND_FOOT = 0,     /* footway, path, pedestrian street, crossing, residential... */
    LC_KIND_STEPS = 1,    /* highway=steps */
    LC_KIND_ELEVATOR = 2, /* highway=elevator (a fixed time, either way) */
};

/* Walking profiles: a normal adult and an elderly walker. */
enum lc_profile_id {
    LC_PROFILE_WALK = 0,
    LC_PROFILE_ELDERLY = 1,
    LC_PROFILE_COUNT = 2,
};

/* The model's constants (all configurable; the defaults cite their sources in network.c). */
struct lc_profile {
    double v0;             /* m/s on the flat */
    double steps_up;       /* factor of v0 climbing steps (Simulex: 0.35) */
    double steps_down;     /* factor of v0 descending steps (Simulex: 0.50) */
    double elevator_s;     /* seconds for a ride, waiting included */
    double step_penalty_s; /* extra seconds per stair segment (elderly: rests) */
    double slope_clamp;    /* |S| beyond this on non-steps is taken as this (tag or data error) */
    double riser_m;        /* assumed riser height when only step_count is known */
    double tread_m;        /* assumed tread depth when a flight has no length */
};

/* The defaults of a profile; NULL-safe on unknown ids (walk). */
void lc_profile_default(enum lc_profile_id id, struct lc_profile *p);
/* "walk" / "elderly" → id; -1 when unknown. */
int lc_profile_parse(const char *name);
const char *lc_profile_name(enum lc_profile_id id);

/* Tobler's hiking function normalised to 1 on the flat: e^0.175 · e^(−3.5·|S+0.05|). S is the
 * signed grade (rise over horizontal run, uphill positive). */
double lc_tobler_factor(double slope);

/* Seconds to walk one directed segment of horizontal length len_m rising rise_m (negative:
 * descending). For steps, dir is +1 when the segment climbs, −1 when it descends and 0 when
 * the direction is unknown (then the slower climb is assumed both ways). Elevators take the
 * profile's fixed time. */
double lc_edge_seconds(const struct lc_profile *p, enum lc_kind kind, double len_m, double rise_m,
                       int dir);

/* A walkable node. ele is NaN when unknown. */
struct lc_node {
    int64_t osm_id;
    double lon, lat; /* WGS84 */
    double ele;      /* metres, NaN when unknown */
};

/* An undirected (or one-way) way segment between two nodes, as read from the map. */
struct lc_segment {
    uint32_t a, b;
    uint8_t kind;   /* enum lc_kind */
    int8_t incline; /* steps: +1 the way climbs from a to b, −1 descends, 0 unknown */
    uint8_t oneway; /* 1: only a → b may be walked */
    uint8_t pad;
    float grade;         /* numeric incline tag as a fraction a → b (NaN when none) */
    uint16_t step_count; /* 0 when unknown */
    uint16_t pad2;
};

/* The directed graph (CSR): arcs leaving node u are off[u] .. off[u+1]-1. */
struct lc_graph {
    uint32_t n, m;
    uint32_t *off;     /* n + 1 */
    uint32_t *to;      /* m */
    float *sec;        /* m: walking seconds */
    float *len;        /* m: horizontal metres */
    float *rise;       /* m: metres climbed (negative: descended) */
    uint8_t *kind;     /* m */
    double *lon, *lat; /* n: node positions (copies owned by the graph) */
    uint8_t *linked;   /* n: 1 when an arc leaves or enters the node */
};

/* Horizontal distance in metres between two WGS84 points (haversine). */
double lc_distance_m(double lon1, double lat1, double lon2, double lat2);

/* Build the forward directed graph of the segments under profile p: every segment gives a → b
 * and, unless one-way, b → a, each with its own time. The rise of an arc comes from the node
 * elevations when both are known, else from the grade tag, else (steps) from step_count ×
 * riser, else 0. Self-loops and segments naming missing nodes are skipped. The caller frees
 * with lc_graph_release. */
void lc_graph_build(struct lc_graph *g, const struct lc_node *nodes, size_t n_nodes,
                    const struct lc_segment *segs, size_t n_segs, const struct lc_profile *p);
/* The same graph with every arc turned round (for "time from each node to a facility"). */
void lc_graph_reverse(struct lc_graph *r, const struct lc_graph *g);
void lc_graph_release(struct lc_graph *g);

/* The node nearest to (lon, lat) that has at least one arc in or out, or -1 when none. *dist_m
 * (may be NULL) gets the snapping distance. */
int64_t lc_graph_nearest(const struct lc_graph *g, double lon, double lat, double *dist_m);

/* Dijkstra from many sources at once (each at time 0). dist[n] gets seconds (INFINITY when not
 * reached or beyond limit_s; limit_s <= 0: no limit); origin[n] (may be NULL) the index in src
 * of the source that reached the node (−1 when none; ties go to the lower source index). On
 * the reversed graph dist is the time from each node to its nearest source. */
void lc_dijkstra(const struct lc_graph *g, const uint32_t *src, size_t n_src, double limit_s,
                 double *dist, int32_t *origin);

/* How many of the sources each node reaches within limit_s seconds (on the reversed graph:
 * the number of facilities a node can walk to in time). count[n] is filled. */
void lc_count_within(const struct lc_graph *g, const uint32_t *src, size_t n_src, double limit_s,
                     uint32_t *count);

/* A route between two nodes: seconds, metres and metres climbed (sum of positive rises). */
struct lc_route {
    bool found;
    double seconds, metres, climb_m;
    size_t n_arcs;
};
void lc_route(const struct lc_graph *g, uint32_t from, uint32_t to, struct lc_route *out);

/* The isochrone of a search result: a star-shaped ring around centre (lon, lat) through the
 * farthest point reached within limit_s in each of n_sectors equal angular sectors, partial
 * arcs included (the point where the time runs out). ring gets n_sectors (lon, lat) pairs
 * (2·n_sectors doubles, caller-sized); a sector nothing reaches takes the centre. Returns the
 * number of nodes within the limit. */
size_t lc_isochrone(const struct lc_graph *g, const double *dist, double limit_s, double lon,
                    double lat, size_t n_sectors, double *ring);

/* The maximal covering location problem by lazy greedy (Church & ReVelle 1974; greedy reaches
 * ≥ 1 − 1/e of the optimum, Nemhauser–Wolsey–Fisher 1978). Demand i weighs weight[i] and is
 * already covered when covered[i] (may be NULL). Candidate j covers the demand indices
 * cover[cover_off[j] .. cover_off[j+1]-1]. Up to k picks, each with a positive gain, go to
 * pick[] and gain[] (caller-sized k); ties go to the lower candidate index. Returns the
 * number of picks. */
size_t lc_mclp_greedy(const double *weight, const bool *covered, size_t n_demand,
                      const uint32_t *cover_off, const uint32_t *cover, size_t n_cand, size_t k,
                      uint32_t *pick, double *gain);

#endif
