/* All SQL of the patrol module: rivers, segments and the grids they pass, chiefs, patrols and
 * findings (with the state of the events the findings opened). */
#ifndef PATROL_PATROL_STORE_H
#define PATROL_PATROL_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/db.h"
#include "core/error.h"
#include "patrol/patrol.h"

struct patrol_time_list {
    int64_t *items;
    size_t len, cap;
};

struct patrol_place_list {
    struct patrol_place *items;
    size_t len, cap;
};

struct patrol_grid_row {
    char grid[24];
};
struct patrol_grid_list {
    struct patrol_grid_row *items;
    size_t len, cap;
};

/* Is a transaction open on db? */
bool patrol_store_in_tx(struct db *db);

int patrol_store_river_put(struct db *db, const char *code, const char *name, bool synthetic,
                           struct app_error *err);
int patrol_store_segment_insert(struct db *db, const struct patrol_segment *s,
                                struct app_error *err);
int patrol_store_segment_update(struct db *db, const struct patrol_segment *s,
                                struct app_error *err);
int patrol_store_segment_grids_clear(struct db *db, const char *segment, struct app_error *err);
int patrol_store_segment_grid_add(struct db *db, const char *segment, const char *grid,
                                  struct app_error *err);
/* *found false when there is no such segment. */
int patrol_store_segment_get(struct db *db, const char *code, struct patrol_segment *out,
                             bool *found, struct app_error *err);
/* Segments with a grid whose code starts with scope (NULL = every segment) or a chief whose
 * username is username ("" = none), by code. */
int patrol_store_segment_list(struct db *db, const char *scope, const char *username,
                              struct patrol_segment_list *out, struct app_error *err);
int patrol_store_segment_visible(struct db *db, const char *code, const char *scope,
                                 const char *username, bool *visible, struct app_error *err);
int patrol_store_segment_grids(struct db *db, const char *segment, struct patrol_grid_list *out,
                               struct app_error *err);

int patrol_store_chief_insert(struct db *db, const struct patrol_chief *c, int64_t *id,
                              struct app_error *err);
int patrol_store_chiefs(struct db *db, const char *segment, struct patrol_chief_list *out,
                        struct app_error *err);
/* A chief in office by id; *found false when none. */
int patrol_store_chief_get(struct db *db, int64_t id, struct patrol_chief *out, bool *found,
                           struct app_error *err);
/* Level, name, title, region and username of chief c->id (in office). */
int patrol_store_chief_update(struct db *db, const struct patrol_chief *c, struct app_error *err);
/* Chief id leaves office at now. */
int patrol_store_chief_end(struct db *db, int64_t id, int64_t now, struct app_error *err);
/* The chief row of segment whose account is username; *found false when none. */
int patrol_store_chief_of(struct db *db, const char *segment, const char *username,
                          struct patrol_chief *out, bool *found, struct app_error *err);

/* Insert p (p->id is set) with its track text. */
int patrol_store_patrol_insert(struct db *db, struct patrol_patrol *p, const char *track,
                               struct app_error *err);
int patrol_store_patrol_list(struct db *db, const char *segment, long limit,
                             struct patrol_patrol_list *out, struct app_error *err);
/* Start times of the segment's patrols since `from` with coverage >= min_coverage, by chief
 * (0 = any patrol), oldest first. */
int patrol_store_patrol_times(struct db *db, const char *segment, int64_t from, int64_t chief,
                              double min_coverage, struct patrol_time_list *out,
                              struct app_error *err);
int patrol_store_patrol_count(struct db *db, const char *segment, int64_t from, double min_coverage,
                              int *all, int *counting, struct app_error *err);

/* Insert f (f->id is set) with its description. */
int patrol_store_finding_insert(struct db *db, struct patrol_finding *f, const char *description,
                                struct app_error *err);
/* The segment's earlier findings with the closing time of their events. */
int patrol_store_places(struct db *db, const char *segment, struct patrol_place_list *out,
                        struct app_error *err);
/* The event code of finding id ("" when none). */
int patrol_store_finding_event(struct db *db, int64_t id, char *code, size_t n,
                               struct app_error *err);
int patrol_store_findings_of(struct db *db, int64_t patrol, struct patrol_finding_list *out,
                             struct app_error *err);
/* Findings since from, of them still open (their event neither closed nor final), and
 * recurrences. */
int patrol_store_finding_counts(struct db *db, const char *segment, int64_t from, int *all,
                                int *open, int *recurrences, struct app_error *err);

/* ---- running patrols ---- */

struct patrol_run_point_list {
    struct patrol_run_point *items;
    size_t len, cap;
};

/* who's run key with its point count; *found false when none. */
int patrol_store_run_get(struct db *db, int64_t user_id, const char *key, struct patrol_run *out,
                         bool *found, struct app_error *err);
/* Insert r (r->id is set). */
int patrol_store_run_insert(struct db *db, struct patrol_run *r, struct app_error *err);
/* Point seq of run, kept as it is when already stored. */
int patrol_store_run_point_put(struct db *db, int64_t run, int64_t seq,
                               const struct patrol_run_point *p, struct app_error *err);
int patrol_store_run_touch(struct db *db, int64_t run, int64_t now, struct app_error *err);
/* The run's points in track order. */
int patrol_store_run_points(struct db *db, int64_t run, struct patrol_run_point_list *out,
                            struct app_error *err);
int patrol_store_run_finish(struct db *db, int64_t run, int64_t patrol, int64_t now,
                            struct app_error *err);
/* Patrol id; *found false when none. */
int patrol_store_patrol_get(struct db *db, int64_t id, struct patrol_patrol *out, bool *found,
                            struct app_error *err);

#endif
