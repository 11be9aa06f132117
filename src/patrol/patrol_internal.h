/* Internals of the patrol module shared by patrol.c and the demo generator (demo.c). */
#ifndef PATROL_PATROL_INTERNAL_H
#define PATROL_PATROL_INTERNAL_H

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

#endif
