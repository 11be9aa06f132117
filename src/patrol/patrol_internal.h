/* Internals of the patrol module shared by its files (patrol.c, rules.c, segment.c, the demo
 * generator demo.c). */
#ifndef PATROL_PATROL_INTERNAL_H
#define PATROL_PATROL_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

struct app;
struct db;
struct app_error;
struct auth_principal;
struct patrol_chief;
struct patrol_input;
struct patrol_result;

/* Store a patrol as patrol_record does, without the jurisdiction and time checks: who is a
 * synthetic principal (user_id 0: audited as the system), chief the chief row it counts for
 * (NULL: none); the patrol's own end is taken as the time it was recorded. */
int patrol_demo_record(struct app *app, struct db *db, const struct auth_principal *who,
                       const struct patrol_chief *chief, const struct patrol_input *in,
                       struct patrol_result *out, struct app_error *err);

/* NULL or "". */
bool patrol_empty(const char *s);

/* Begin a transaction unless the caller already holds one (*own says which); patrol_tx_end
 * commits or rolls back an own one after rc and returns rc (or -1 when the commit fails). */
int patrol_tx_begin(struct db *db, bool *own, struct app_error *err);
int patrol_tx_end(struct db *db, bool own, int rc, struct app_error *err);

/* The Asia/Shanghai calendar day of t (days since 1970-01-01). */
int64_t patrol_local_day(int64_t t);

#endif
