/* The 15-minute living circle (15分钟生活圈, issue 19): service categories and GB 50180-2018
 * levels, the walking network imported from OpenStreetMap, facilities and residential demand,
 * and what planners ask of them — walking minutes to the nearest facility, coverage per
 * community, gaps, isochrones, routes, and where to build next (docs/lifecircle.md). The pure
 * graph computations are in lifecircle/network.h. */
#ifndef LIFECIRCLE_LIFECIRCLE_H
#define LIFECIRCLE_LIFECIRCLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "core/app.h"
#include "core/db.h"
#include "core/error.h"
#include "lifecircle/network.h"

/* ---- categories and levels (levels.c) -------------------------------------------------- */

#define LIFECIRCLE_LEVELS 3
#define LIFECIRCLE_CATEGORIES 5
/* 5, 10 and 15 minutes (GB 50180-2018 表3.0.4). */
extern const int lifecircle_levels[LIFECIRCLE_LEVELS];

struct lifecircle_category {
    const char *id;    /* "elderly" */
    const char *title; /* "养老服务" */
};
/* The five categories in a fixed order; *n gets their number. */
const struct lifecircle_category *lifecircle_categories(size_t *n);
/* The index of a category by id or Chinese title, -1 when unknown. */
int lifecircle_category_parse(const char *s);
/* 5 → 0, 10 → 1, 15 → 2; −1 otherwise. */
int lifecircle_level_index(int minutes);

/* A required (▲) facility of a category at a level, with the clause it comes from. */
struct lifecircle_requirement {
    const char *category;
    int level;
    const char *item;
    const char *source;
};
const struct lifecircle_requirement *lifecircle_requirements(size_t *n);

/* The OSM tags that decide a facility's category (NULL when absent). */
struct lifecircle_osm_tags {
    const char *amenity, *social_facility, *social_for, *healthcare, *office, *isced, *name;
};
/* Map tags to a category and level (§1.4 of the reference); false when not a facility. */
bool lifecircle_classify_osm(const struct lifecircle_osm_tags *t, char *category, size_t ncat,
                             int *level, char *kind, size_t nkind);

/* ---- facilities and demand --------------------------------------------------------------- */

struct lifecircle_facility {
    int64_t id;
    char category[16];
    int level;
    char kind[48];
    char name[128];
    double lon, lat; /* WGS84 */
    char region[24]; /* "" outside the district's regions */
    char source[8];  /* osm, csv, demo */
    char ref[32];
    bool synthetic;
};
struct lifecircle_facility_list {
    struct lifecircle_facility *items;
    size_t len, cap;
};

struct lifecircle_demand {
    int64_t id;
    char name[128];
    double lon, lat;
    int64_t population;
    char region[24];
    bool synthetic;
};
struct lifecircle_demand_list {
    struct lifecircle_demand *items;
    size_t len, cap;
};

/* One refused row of an import. */
struct lifecircle_row_error {
    int line;
    char field[32];
    char code[32];
    char reason[160];
};
struct lifecircle_import_result {
    size_t accepted;
    struct lifecircle_row_error *items;
    size_t len, cap;
};
void lifecircle_import_result_release(struct lifecircle_import_result *r);

/* ---- the OSM reader (osm.c) -------------------------------------------------------------- */

/* A pedestrian network read from a file, with the facilities its tags name. */
struct lifecircle_osm {
    struct lc_node *nodes;
    size_t n_nodes;
    struct lc_segment *segs;
    size_t n_segs;
    struct lifecircle_facility_list pois;
    size_t ways, steps, elevators, read_nodes;
    /* Elevators drawn as a node (highway=elevator) where ways meet: the node is split, one
     * copy per way (the copies are the last elevator_copies nodes, with the same OSM id), and
     * the copies are joined pairwise by elevator segments — a ride to change level. */
    size_t elevator_nodes, elevator_copies;
};

/* Read FILE.osm (XML) or FILE.osm.pbf with readosm: footways, paths, steps (incline,
 * step_count), elevators, crossings, pedestrian streets and the streets people walk along;
 * heights from `ele` tags. progress (may be NULL) is called now and then with the counts read.
 * Returns 0, or −1 with err (APP_ERR_INVALID field "file" when unreadable or malformed). */
int lifecircle_osm_read(const char *path, void (*progress)(void *ctx, size_t nodes, size_t ways),
                        void *ctx, struct lifecircle_osm *out, struct app_error *err);
/* Apply a per-node elevation CSV (header node_id,ele_m or lon,lat,ele_m; points are
 * interpolated to nodes by inverse distance within 300 m). All or nothing: every bad row goes
 * to res by line and nothing is applied; returns −1 with APP_ERR_INVALID then. */
int lifecircle_osm_elevation(struct lifecircle_osm *o, const char *csv, size_t len,
                             struct lifecircle_import_result *res, struct app_error *err);
void lifecircle_osm_release(struct lifecircle_osm *o);

/* ---- storing and loading --------------------------------------------------------------- */

/* Replace the stored network (and the facilities that came from OSM) with o, locate the
 * facilities in the district's regions, and audit it, in one transaction. actor may be NULL
 * (the command line). */
int lifecircle_network_save(struct app *app, struct db *db, const struct auth_principal *actor,
                            const struct lifecircle_osm *o, const char *source,
                            const char *attribution, bool synthetic, struct app_error *err);

/* Load the stored network into memory (both profiles, forward and reversed), replacing the
 * one loaded before. No stored network is not an error (the answers then say no_network).
 * Safe from any thread. */
int lifecircle_load(struct db *db, struct app_error *err);
int lifecircle_start(struct app *app, struct app_error *err);
void lifecircle_stop(struct app *app);

/* The loaded network in figures. */
struct lifecircle_network_info {
    bool loaded;
    char source[256];
    char attribution[256];
    bool synthetic;
    int64_t nodes, segments, steps, elevators, imported_at;
};
int lifecircle_network_info(struct db *db, struct lifecircle_network_info *out,
                            struct app_error *err);

/* ---- questions ------------------------------------------------------------------------- */

struct lifecircle_route_result {
    double minutes, metres, climb_m;
    double snap_from_m, snap_to_m;
};
/* The quickest walk between two WGS84 points, each snapped to the nearest walkable node.
 * APP_ERR_NOT_FOUND no_network / no_route; APP_ERR_INVALID naming the coordinate. */
int lifecircle_route(enum lc_profile_id profile, double from_lon, double from_lat, double to_lon,
                     double to_lat, struct lifecircle_route_result *out, struct app_error *err);

/* Coverage of one area (a community, a street, or the whole district) for each required
 * (category, level): population within the level's minutes of a facility of that level. */
struct lifecircle_area {
    char region[24];
    char name[128];
    double population;
    double covered[LIFECIRCLE_CATEGORIES][LIFECIRCLE_LEVELS];
};
struct lifecircle_coverage {
    struct lifecircle_area *items; /* items[0] is the total over what the caller may see */
    size_t len, cap;
    size_t demand_points, facilities;
};
/* Walking coverage seen by who (demand points in who's jurisdiction; facilities anywhere),
 * grouped by community (group_level "community") or street ("street"), within region (NULL:
 * all in scope). APP_ERR_NOT_FOUND when region is outside who's scope, no_network when none. */
int lifecircle_coverage(struct db *db, const struct auth_principal *who, enum lc_profile_id profile,
                        const char *region, const char *group_level,
                        struct lifecircle_coverage *out, struct app_error *err);
void lifecircle_coverage_release(struct lifecircle_coverage *c);
/* A gap: residents of the area beyond the level's minutes of a facility of the category
 * (indices into lifecircle_categories and lifecircle_levels). *uncovered (may be NULL) gets
 * their number. */
bool lifecircle_gap(const struct lifecircle_area *a, int category, int level_index,
                    double *uncovered);

/* An isochrone: the ring reached within minutes from a point (walking out) or of a facility
 * (who can walk to it: on the reversed graph). ring gets n pairs (lon, lat). */
struct lifecircle_isochrone {
    double lon, lat; /* the centre, snapped */
    size_t n;
    double ring[2 * 72];
    size_t nodes_reached;
};
int lifecircle_isochrone_point(enum lc_profile_id profile, double lon, double lat, double minutes,
                               struct lifecircle_isochrone *out, struct app_error *err);
int lifecircle_isochrone_facility(struct db *db, const struct auth_principal *who,
                                  enum lc_profile_id profile, int64_t facility, double minutes,
                                  struct lifecircle_isochrone *out, struct app_error *err);

/* Where to build next: up to k of the candidate sites (the demand points in who's scope) for
 * (category, level), lazy greedy MCLP over the population not yet covered. */
struct lifecircle_pick {
    int64_t demand_id;
    char name[128];
    double lon, lat;
    char region[24];
    double gain; /* residents newly within the level's minutes */
};
struct lifecircle_suggestion {
    struct lifecircle_pick *items;
    size_t len, cap;
    double population, covered_before, covered_after;
};
int lifecircle_suggest(struct db *db, const struct auth_principal *who, enum lc_profile_id profile,
                       const char *category, int level, int k, struct lifecircle_suggestion *out,
                       struct app_error *err);

/* Count within T (reach.c): how many facilities of a category (of one level, or any) each
 * demand point — a community's housing, a residential building — can walk to within minutes,
 * summed over residents per area. */
#define LIFECIRCLE_REACH_BINS 4 /* residents reaching 0, 1, 2, and 3 or more facilities */
struct lifecircle_reach_area {
    char region[24];
    char name[128];
    double population;
    size_t points;
    double reached; /* residents with at least one facility within the time */
    size_t points_reached;
    double by_count[LIFECIRCLE_REACH_BINS];
    double facility_sum; /* Σ residents × facilities reached; over population: the mean */
};
struct lifecircle_reach_point {
    int64_t demand_id;
    char name[128];
    size_t area; /* index into items */
    double population;
    uint32_t facilities; /* 0 when off the network */
};
struct lifecircle_reach {
    struct lifecircle_reach_area *items; /* items[0] is the total over what the caller sees */
    size_t len, cap;
    size_t facilities; /* facilities counted: of the category (and level), on the network */
    struct lifecircle_reach_point *points; /* every demand point counted, in id order */
    size_t n_points;
};
/* Count within minutes (0 < minutes ≤ 60) for category (id or Chinese title) at level (5, 10,
 * 15; 0: any level) under profile, over the demand in who's scope, within region (NULL: all),
 * grouped by community or street as lifecircle_coverage. APP_ERR_INVALID naming category,
 * level, minutes or group; APP_ERR_NOT_FOUND region outside the scope, no_network. */
int lifecircle_reach(struct db *db, const struct auth_principal *who, enum lc_profile_id profile,
                     const char *category, int level, double minutes, const char *region,
                     const char *group_level, struct lifecircle_reach *out, struct app_error *err);
void lifecircle_reach_release(struct lifecircle_reach *r);

/* Facilities in who's scope (outside the district: district-wide callers), by category. */
int lifecircle_facility_list(struct db *db, const struct auth_principal *who, const char *category,
                             struct lifecircle_facility_list *out, struct app_error *err);
/* Import an official list, CSV with header name,category,level,lon,lat[,kind,ref] (WGS84; the
 * category by id or Chinese title; level 5, 10 or 15), all or nothing, audited. A refused
 * import returns −1 with APP_ERR_INVALID and every bad row in res. */
int lifecircle_facility_import(struct app *app, struct db *db, const struct auth_principal *who,
                               const char *csv, size_t len, const char *request_id,
                               struct lifecircle_import_result *res, struct app_error *err);
/* Import residential demand, CSV name,population,lon,lat, all or nothing, replacing the
 * non-synthetic demand, audited. */
int lifecircle_demand_import(struct app *app, struct db *db, const struct auth_principal *who,
                             const char *csv, size_t len, const char *request_id,
                             struct lifecircle_import_result *res, struct app_error *err);

/* Seed hook: with demo, a synthetic hilly network inside Yuzhong with facilities and demand
 * (demo.c). */
int lifecircle_seed(struct app *app, struct db *db, bool demo, struct app_error *err);

#endif
