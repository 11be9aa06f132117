/* Shared inside src/parking/ only: the day arithmetic over the holiday calendar, secrets and
 * their digests, scope helpers, a booking's audit text and the capacity check of one plan, which
 * parking.c, booking.c, gate.c, availability.c and figures.c all use. */
#ifndef PARKING_PARKING_INTERNAL_H
#define PARKING_PARKING_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/db.h"
#include "core/error.h"
#include "parking/parking.h"

struct auth_principal;

#define PARKING_MAX_DAYS 96 /* days of a window's calendar: a figures span of 92 days, edges */

/* The Shanghai day number of t (days since 1970-01-01). */
int64_t parking_day_of(int64_t t);
/* Working-day flags for the days from parking_day_of(from) - 1 to parking_day_of(to) (at most
 * PARKING_MAX_DAYS): *first the first day, *n how many. */
int parking_workdays(int64_t from, int64_t to, int64_t *first, bool *flags, size_t *n,
                     struct app_error *err);
/* SHA-256 of s as 64 hex digits. */
void parking_sha256_hex(const char *s, char hex[65]);
/* prefix + 43 characters of base64url from 32 random bytes (sodium_init done by the caller). */
void parking_new_secret(const char *prefix, char *out, size_t size);
/* who holds action and grid lies in its scope (false for NULL). */
bool parking_in_scope(const struct auth_principal *who, const char *action, const char *grid);
/* who's scope region, "" for all. */
const char *parking_scope_of(const struct auth_principal *who);
/* The audit text of a booking. */
void parking_booking_text(const struct parking_booking *b, char *out, size_t n);
int parking_audit_booking(struct db *db, const struct auth_principal *who, const char *action,
                          const struct parking_booking *b, const char *before,
                          const char *request_id, struct app_error *err);
/* A booked booking whose car did not come within the grace period reads as no-show. */
void parking_effective_status(struct parking_booking *b, int64_t now);

/* The lot `code` whose plans the caller may change: the lot's owner (owner_lot_id, another lot:
 * 404), staff holding parking.manage with the lot in scope (404 otherwise), or the program itself
 * (who NULL, no owner: the demo). */
int parking_plan_lot(struct db *db, const struct auth_principal *who, int64_t owner_lot_id,
                     const char *code, struct parking_lot *lot, struct app_error *err);

/* Spaces of plan p free over all of [from, to) at now, given the bookings b[0..nb) that may hold
 * one of its spaces: 0 when its windows do not cover the window (*offered false). */
int parking_plan_free_of(const struct parking_plan *p, int64_t first_day, const bool *wd,
                         size_t ndays, int64_t from, int64_t to, int64_t now,
                         const struct parking_booking *b, size_t nb, bool *offered,
                         struct app_error *err);
/* The same, reading the plan's bookings from the store. */
int parking_plan_free(struct db *db, const struct parking_plan *p, int64_t first_day,
                      const bool *wd, size_t ndays, int64_t from, int64_t to, int64_t now,
                      bool *offered, struct app_error *err);

#endif
