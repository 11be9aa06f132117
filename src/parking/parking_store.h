/* All SQL of the parking module: lots, plans and their members, bookings, gate keys and
 * events, overstay alerts and unmet searches. Store functions decide nothing. */
#ifndef PARKING_PARKING_STORE_H
#define PARKING_PARKING_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/db.h"
#include "core/error.h"
#include "parking/parking.h"

int parking_store_lot_insert(struct db *db, const struct parking_lot *l, int64_t now, int64_t *id,
                             struct app_error *err);
/* By code (id 0) or by id (code NULL); *found. */
int parking_store_lot_get(struct db *db, const char *code, int64_t id, struct parking_lot *out,
                          bool *found, struct app_error *err);
int parking_store_lot_list(struct db *db, struct parking_lot_list *out, struct app_error *err);

int parking_store_plan_insert(struct db *db, const struct parking_plan *p, int64_t now, int64_t *id,
                              struct app_error *err);
int parking_store_member_insert(struct db *db, int64_t plan_id, const char *plate,
                                struct app_error *err);
int parking_store_member_has(struct db *db, int64_t plan_id, const char *plate, bool *yes,
                             struct app_error *err);
/* Active plans of lot_id (0 = of every lot), by lot then id. */
int parking_store_plan_list(struct db *db, int64_t lot_id, struct parking_plan_list *out,
                            struct app_error *err);

/* Bookings of plan_id that may hold a space in [from, to) (booked, checked in, or completed
 * and left after from): start, end, status, out_at in a booking list. */
int parking_store_plan_holding(struct db *db, int64_t plan_id, int64_t from, int64_t to,
                               struct parking_booking_list *out, struct app_error *err);
/* The same for every plan at once, ordered by plan_id (plan_id, start, end, status, out_at). */
int parking_store_window_holding(struct db *db, int64_t from, int64_t to,
                                 struct parking_booking_list *out, struct app_error *err);
/* Does plate hold a booked or checked-in booking overlapping [from, to)? */
int parking_store_plate_busy(struct db *db, const char *plate, int64_t from, int64_t to, bool *busy,
                             struct app_error *err);
int parking_store_booking_insert(struct db *db, const struct parking_booking *b,
                                 const char *token_hash, int64_t created_by, int64_t *id,
                                 struct app_error *err);
int parking_store_booking_get(struct db *db, int64_t id, struct parking_booking *out,
                              char token_hash[65], bool *found, struct app_error *err);
int parking_store_booking_update(struct db *db, const struct parking_booking *b,
                                 struct app_error *err);
/* Bookings overlapping [from, to) (0 = open) of lot_code (NULL = any) in grids under scope
 * ("" = all), newest start first. */
int parking_store_booking_list(struct db *db, const char *scope, const char *lot_code, int64_t from,
                               int64_t to, long limit, struct parking_booking_list *out,
                               struct app_error *err);
/* The booked booking of plate at lot whose start lies in [lo, hi], earliest first. */
int parking_store_booking_arriving(struct db *db, int64_t lot_id, const char *plate, int64_t lo,
                                   int64_t hi, struct parking_booking *out, bool *found,
                                   struct app_error *err);
/* The checked-in booking of plate at lot, latest first. */
int parking_store_booking_inside(struct db *db, int64_t lot_id, const char *plate,
                                 struct parking_booking *out, bool *found, struct app_error *err);

int parking_store_key_insert(struct db *db, int64_t lot_id, const char *hash, int64_t now,
                             struct app_error *err);
int parking_store_key_find(struct db *db, const char *hash, int64_t *lot_id, bool *found,
                           struct app_error *err);

/* Owner keys (only digests): insert, and the lot of an unrevoked one. */
int parking_store_owner_key_insert(struct db *db, int64_t lot_id, const char *hash,
                                   const char *label, int64_t now, struct app_error *err);
int parking_store_owner_key_find(struct db *db, const char *hash, int64_t *lot_id, bool *found,
                                 struct app_error *err);
/* One plan by id, active or withdrawn; *found. */
int parking_store_plan_get(struct db *db, int64_t id, struct parking_plan *out, bool *found,
                           struct app_error *err);
/* Write a plan's spaces, windows, price, label and active flag (updated_at, withdrawn_at). */
int parking_store_plan_update(struct db *db, const struct parking_plan *p, int64_t now,
                              struct app_error *err);

int parking_store_gate_insert(struct db *db, int64_t lot_id, const char *plate,
                              const char *direction, int64_t at, int64_t booking_id, bool synthetic,
                              int64_t *id, struct app_error *err);

int parking_store_alert_insert(struct db *db, const struct parking_booking *b, int minutes,
                               int64_t at, int64_t *id, struct app_error *err);
int parking_store_alert_set_event(struct db *db, int64_t id, const char *code,
                                  struct app_error *err);
int parking_store_overstays_since(struct db *db, const char *plate, int64_t since, int64_t *n,
                                  struct app_error *err);
int parking_store_alert_list(struct db *db, const char *scope, long limit,
                             struct parking_alert_list *out, struct app_error *err);

int parking_store_unmet_bump(struct db *db, const char *grid, int64_t day, struct app_error *err);
/* Add n searches (the demo: synthetic). */
int parking_store_unmet_add(struct db *db, const char *grid, int64_t day, int n, bool synthetic,
                            struct app_error *err);

/* Bookings of the lots in scope that overlap [from, to), any status. */
int parking_store_span_bookings(struct db *db, const char *scope, int64_t from, int64_t to,
                                struct parking_booking_list *out, struct app_error *err);
/* Grids (in scope) with unmet searches over days [d0, d1], most first, at most max. */
int parking_store_unmet_top(struct db *db, const char *scope, int64_t d0, int64_t d1, long max,
                            struct parking_figures *f, struct app_error *err);

#endif
