/* Storage of the building economy: buildings, zones, enterprises, leases, yearly figures and the
 * evaluation's configuration. The only place the module's SQL lives (core/db_row.h). */
#ifndef BUILDING_BUILDING_STORE_H
#define BUILDING_BUILDING_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "building/building.h"
#include "core/db.h"
#include "core/error.h"

/* Whole tables in id order (figures: of years lo..hi). The caller frees items. */
int building_store_buildings(struct db *db, struct building_list *out, struct app_error *err);
int building_store_zones(struct db *db, struct building_zone_list *out, struct app_error *err);
int building_store_enterprises(struct db *db, struct building_enterprise_list *out,
                               struct app_error *err);
int building_store_leases(struct db *db, struct building_lease_list *out, struct app_error *err);
int building_store_figures(struct db *db, int lo, int hi, struct building_figure_list *out,
                           struct app_error *err);

/* The configuration rows into cfg (which starts from the defaults). */
int building_store_config(struct db *db, struct building_config *cfg, struct app_error *err);
/* Replace the configuration rows with cfg (inside the caller's transaction). */
int building_store_config_put(struct db *db, const struct building_config *cfg,
                              struct app_error *err);

/* One building by code; *found tells whether there was one. */
int building_store_get(struct db *db, const char *code, struct building *out, bool *found,
                       struct app_error *err);
/* Id of the building with code / the enterprise with uscc; 0 when none. */
int building_store_building_id(struct db *db, const char *code, int64_t *id, struct app_error *err);
int building_store_enterprise_id(struct db *db, const char *uscc, int64_t *id,
                                 struct app_error *err);
/* Does zone code exist? */
int building_store_zone_exists(struct db *db, const char *code, bool *exists,
                               struct app_error *err);

/* Insert or update by key (code; uscc; enterprise + building + start; enterprise + year). */
int building_store_building_put(struct db *db, const struct building *b, int64_t *id,
                                struct app_error *err);
int building_store_enterprise_put(struct db *db, const struct building_enterprise *e, int64_t *id,
                                  struct app_error *err);
int building_store_lease_put(struct db *db, const struct building_lease *l, struct app_error *err);
int building_store_figure_put(struct db *db, const struct building_figure *f,
                              struct app_error *err);
/* Does the lease (enterprise, building, start) / the figure (enterprise, year) exist? */
int building_store_lease_exists(struct db *db, const struct building_lease *l, bool *exists,
                                struct app_error *err);
int building_store_figure_exists(struct db *db, int64_t enterprise_id, int year, bool *exists,
                                 struct app_error *err);
/* The latest year of the figures, 0 when none. */
int building_store_latest_year(struct db *db, int *year, struct app_error *err);
/* The data version (migration 0112: bumped by every change the evaluation reads) and the
 * database's instance tag (16 hex digits, NUL-terminated). */
int building_store_data_version(struct db *db, char instance[24], int64_t *v,
                                struct app_error *err);
/* The number of buildings (to seed the demo only once). */
int building_store_count(struct db *db, int64_t *n, struct app_error *err);

#endif
