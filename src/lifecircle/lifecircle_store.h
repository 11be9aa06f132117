/* All SQL of the lifecircle module: the network's nodes and segments, facilities, demand. */
#ifndef LIFECIRCLE_LIFECIRCLE_STORE_H
#define LIFECIRCLE_LIFECIRCLE_STORE_H

#include "lifecircle/lifecircle.h"

/* Drop the stored network and the facilities that came from OSM. */
int lifecircle_store_network_clear(struct db *db, struct app_error *err);
/* A new network header row; *id gets its id. */
int lifecircle_store_network_add(struct db *db, const char *source, const char *attribution,
                                 bool synthetic, int64_t nodes, int64_t segments, int64_t steps,
                                 int64_t elevators, int64_t at, int64_t *id, struct app_error *err);
int lifecircle_store_node_add(struct db *db, int64_t idx, const struct lc_node *n,
                              struct app_error *err);
int lifecircle_store_segment_add(struct db *db, const struct lc_segment *s, struct app_error *err);
/* The newest network header; *found false when none. */
int lifecircle_store_network_get(struct db *db, struct lifecircle_network_info *out, bool *found,
                                 struct app_error *err);
/* Every node in idx order / every segment, into arrays the caller frees. */
int lifecircle_store_nodes(struct db *db, struct lc_node **out, size_t *n, struct app_error *err);
int lifecircle_store_segments(struct db *db, struct lc_segment **out, size_t *n,
                              struct app_error *err);

int lifecircle_store_facility_add(struct db *db, const struct lifecircle_facility *f, int64_t at,
                                  int64_t *id, struct app_error *err);
/* Facilities (category NULL: all) in id order. */
int lifecircle_store_facility_list(struct db *db, const char *category,
                                   struct lifecircle_facility_list *out, struct app_error *err);
int lifecircle_store_facility_get(struct db *db, int64_t id, struct lifecircle_facility *out,
                                  bool *found, struct app_error *err);

/* Delete the demand of one kind (synthetic or not). */
int lifecircle_store_demand_clear(struct db *db, bool synthetic, struct app_error *err);
int lifecircle_store_demand_add(struct db *db, const struct lifecircle_demand *d,
                                struct app_error *err);
int lifecircle_store_demand_list(struct db *db, struct lifecircle_demand_list *out,
                                 struct app_error *err);

#endif
