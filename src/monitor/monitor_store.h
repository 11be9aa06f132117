/* Storage of the monitor module: the only place its SQL lives. Same conventions as monitor.h:
 * values in millionths, times in Unix seconds, days since 1970-01-01 (Shanghai). */
#ifndef MONITOR_MONITOR_STORE_H
#define MONITOR_MONITOR_STORE_H

#include "monitor/monitor.h"

/* One aggregate row (hourly or daily). */
struct monitor_agg {
    char parameter[24];
    int64_t period;
    int n;
    int64_t sum, min, max;
    double energy; /* sound levels (unit dB…): Σ 10^(0.1·L) of the readings; 0 otherwise */
};
typedef int (*monitor_agg_fn)(void *ctx, const struct monitor_agg *a);

/* A page cache of 128 MiB for bulk seeding (big), or back to SQLite's default 2 MiB. */
int monitor_store_bulk_cache(struct db *db, bool big, struct app_error *err);

int monitor_store_department_exists(struct db *db, const char *code, bool *out,
                                    struct app_error *err);
/* Insert s and its parameters; sets s->id. APP_ERR_CONFLICT on a duplicate code. */
int monitor_store_station_insert(struct db *db, struct monitor_station *s, struct app_error *err);
/* By code (id 0) or by id (code NULL); *found false when missing. */
int monitor_store_station_get(struct db *db, const char *code, int64_t id,
                              struct monitor_station *out, bool *found, struct app_error *err);
int monitor_store_station_list(struct db *db, const char *kind, struct monitor_station_list *out,
                               struct app_error *err);
/* last_at = max(last_at, t). */
int monitor_store_station_touch(struct db *db, int64_t station_id, int64_t t,
                                struct app_error *err);

/* One reading to store (strings borrowed for the call). */
struct monitor_reading_row {
    int64_t station_id;
    const char *parameter;
    int64_t t, value;
    const char *flag; /* NULL or "" = none */
};

/* INSERT OR IGNORE rows[0..n), in that order (several rows per statement); inserted[i] tells
 * whether rows[i] was new. Of rows sharing a key only the first can be new, as with one insert
 * per row. Must run inside a transaction. */
int monitor_store_readings_insert(struct db *db, const struct monitor_reading_row *rows, size_t n,
                                  bool synthetic, bool *inserted, struct app_error *err);
/* INSERT OR IGNORE one reading; *inserted tells whether it was new. */
int monitor_store_reading_insert(struct db *db, int64_t station_id, const char *parameter,
                                 int64_t t, int64_t value, const char *flag, bool synthetic,
                                 bool *inserted, struct app_error *err);
/* Add a group of readings to an hourly / daily aggregate (upsert: n, sum and energy add up,
 * min and max widen). */
int monitor_store_hourly_add(struct db *db, int64_t station_id, const struct monitor_agg *a,
                             struct app_error *err);
int monitor_store_daily_add(struct db *db, int64_t station_id, const struct monitor_agg *a,
                            struct app_error *err);
/* Aggregates of a station (parameter NULL = all) with period in [from, to), in period order. */
int monitor_store_hourly_scan(struct db *db, int64_t station_id, const char *parameter,
                              int64_t from, int64_t to, monitor_agg_fn fn, void *ctx,
                              struct app_error *err);
int monitor_store_daily_scan(struct db *db, int64_t station_id, const char *parameter, int64_t from,
                             int64_t to, monitor_agg_fn fn, void *ctx, struct app_error *err);
/* Latest hour end <= before with any hourly aggregate of a station of kind. */
int monitor_store_latest_hour(struct db *db, const char *kind, int64_t before, int64_t *out,
                              bool *found, struct app_error *err);
/* Latest day <= before with a daily aggregate of the station. */
int monitor_store_latest_day(struct db *db, int64_t station_id, int64_t before, int64_t *out,
                             bool *found, struct app_error *err);

int monitor_store_rule_list(struct db *db, bool enabled_only, struct monitor_rule_list *out,
                            struct app_error *err);
int monitor_store_rule_get(struct db *db, int64_t id, struct monitor_rule *out, bool *found,
                           struct app_error *err);
int monitor_store_rule_insert(struct db *db, struct monitor_rule *r, struct app_error *err);
/* *found false when no rule has r->id. */
int monitor_store_rule_update(struct db *db, const struct monitor_rule *r, bool *found,
                              struct app_error *err);

/* The state of a rule at a station (zero when none), with open = an open alert exists. */
int monitor_store_rule_state_get(struct db *db, int64_t station_id, int64_t rule_id,
                                 struct monitor_rule_state *out, struct app_error *err);
int monitor_store_rule_state_put(struct db *db, int64_t station_id, int64_t rule_id,
                                 const struct monitor_rule_state *s, struct app_error *err);

/* Open an alert (the unique index keeps one open per station and rule: APP_ERR_CONFLICT). */
int monitor_store_alert_open(struct db *db, int64_t station_id, int64_t rule_id, const char *level,
                             int64_t at, const int64_t *value, int64_t *id, struct app_error *err);
/* Clear the open alert of station and rule; *id gets its id (0 when none was open). */
int monitor_store_alert_clear(struct db *db, int64_t station_id, int64_t rule_id, int64_t at,
                              const int64_t *value, int64_t *id, struct app_error *err);
int monitor_store_alert_set_event(struct db *db, int64_t id, const char *code,
                                  struct app_error *err);
int monitor_store_alert_set_noted(struct db *db, int64_t id, struct app_error *err);
int monitor_store_alert_get(struct db *db, int64_t id, struct monitor_alert *out,
                            struct app_error *err);
/* open_only / station (NULL = any) / limit; newest first. pending: only alerts whose event is
 * missing (open) or whose clearing note is missing (cleared, with an event). */
int monitor_store_alert_list(struct db *db, bool open_only, bool pending, const char *station,
                             long limit, struct monitor_alert_list *out, struct app_error *err);

/* ---- device keys ------------------------------------------------------------------------ */

/* Store a key's hash for a station; *id gets the key's id. */
int monitor_store_key_insert(struct db *db, int64_t station_id, const char *hash, int64_t now,
                             int64_t *id, struct app_error *err);
/* The valid (unrevoked) key with this hash: *found, its id and its station's code (32 bytes). */
int monitor_store_key_find(struct db *db, const char *hash, bool *found, int64_t *id,
                           char station[32], struct app_error *err);
/* Revoke the valid keys of a station (station_id > 0) or the one key key_id; *n gets how many. */
int monitor_store_key_revoke(struct db *db, int64_t station_id, int64_t key_id, int64_t now, int *n,
                             struct app_error *err);

#endif
