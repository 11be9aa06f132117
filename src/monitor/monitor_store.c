/* All SQL of the monitor module: stations, parameters, readings, hourly and daily aggregates,
 * early-warning rules, their per-station state and the alerts. Prepared and bound, never
 * formatted. */
#include "monitor/monitor_store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

static void bind_opt_int(sqlite3_stmt *st, int i, const int64_t *v)
{
    if (v)
        sqlite3_bind_int64(st, i, *v);
    else
        sqlite3_bind_null(st, i);
}

/* Step a statement that returns no rows and reset it. */
int monitor_store_bulk_cache(struct db *db, bool big, struct app_error *err)
{
    return db_exec(db, big ? "PRAGMA cache_size = -131072" : "PRAGMA cache_size = -2000", err);
}

int monitor_store_department_exists(struct db *db, const char *code, bool *out,
                                    struct app_error *err)
{
    static const char sql[] = "SELECT 1 FROM departments WHERE code = ?";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, code);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_fail(db, err);
    *out = rc == SQLITE_ROW;
    return 0;
}

/* ---- stations ---------------------------------------------------------------------------- */

int monitor_store_station_insert(struct db *db, struct monitor_station *s, struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO monitor_stations(code, name, kind, lon, lat, grid_code, street_code, "
        "department, zone, target_class, synthetic, created_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)";
    static const char psql[] = "INSERT INTO monitor_parameters(station_id, name, unit, min_value, "
                               "max_value, seq) VALUES(?,?,?,?,?,?)";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, s->code);
    db_bind_text(st, 2, s->name);
    db_bind_text(st, 3, monitor_kind_name(s->kind));
    sqlite3_bind_double(st, 4, s->lon);
    sqlite3_bind_double(st, 5, s->lat);
    db_bind_text(st, 6, s->grid);
    db_bind_text(st, 7, s->street);
    db_bind_text(st, 8, s->department);
    db_bind_text(st, 9, s->zone[0] ? s->zone : NULL);
    if (s->target_class)
        sqlite3_bind_int(st, 10, s->target_class);
    else
        sqlite3_bind_null(st, 10);
    sqlite3_bind_int(st, 11, s->synthetic);
    sqlite3_bind_int64(st, 12, s->created_at);
    if (db_step_done(db, st, err))
        return -1;
    s->id = sqlite3_last_insert_rowid(db_sqlite(db));
    for (int i = 0; i < s->nparams; i++) {
        sqlite3_stmt *p = db_stmt(db, psql, err);
        if (!p)
            return -1;
        sqlite3_bind_int64(p, 1, s->id);
        db_bind_text(p, 2, s->params[i].name);
        db_bind_text(p, 3, s->params[i].unit);
        sqlite3_bind_int64(p, 4, s->params[i].min);
        sqlite3_bind_int64(p, 5, s->params[i].max);
        sqlite3_bind_int(p, 6, i);
        if (db_step_done(db, p, err))
            return -1;
    }
    return 0;
}

#define STATION_COLUMNS                                                                            \
    "id, code, name, kind, lon, lat, grid_code, street_code, department, zone, target_class, "     \
    "last_at, created_at, synthetic"

static void read_station(sqlite3_stmt *st, struct monitor_station *s)
{
    memset(s, 0, sizeof(*s));
    s->id = sqlite3_column_int64(st, 0);
    db_copy_text(s->code, sizeof(s->code), st, 1);
    db_copy_text(s->name, sizeof(s->name), st, 2);
    monitor_kind_parse((const char *)sqlite3_column_text(st, 3), &s->kind);
    s->lon = sqlite3_column_double(st, 4);
    s->lat = sqlite3_column_double(st, 5);
    db_copy_text(s->grid, sizeof(s->grid), st, 6);
    db_copy_text(s->street, sizeof(s->street), st, 7);
    db_copy_text(s->department, sizeof(s->department), st, 8);
    db_copy_text(s->zone, sizeof(s->zone), st, 9);
    s->target_class = sqlite3_column_int(st, 10);
    s->has_last = sqlite3_column_type(st, 11) != SQLITE_NULL;
    s->last_at = sqlite3_column_int64(st, 11);
    s->created_at = sqlite3_column_int64(st, 12);
    s->synthetic = sqlite3_column_int(st, 13) != 0;
}

static int read_params(struct db *db, struct monitor_station *s, struct app_error *err)
{
    static const char sql[] = "SELECT name, unit, min_value, max_value FROM monitor_parameters "
                              "WHERE station_id = ? ORDER BY seq";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, s->id);
    int rc;
    s->nparams = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && s->nparams < MONITOR_MAX_PARAMS) {
        struct monitor_param *p = &s->params[s->nparams++];
        db_copy_text(p->name, sizeof(p->name), st, 0);
        db_copy_text(p->unit, sizeof(p->unit), st, 1);
        p->min = sqlite3_column_int64(st, 2);
        p->max = sqlite3_column_int64(st, 3);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, err);
}

int monitor_store_station_get(struct db *db, const char *code, int64_t id,
                              struct monitor_station *out, bool *found, struct app_error *err)
{
    static const char sql[] = "SELECT " STATION_COLUMNS " FROM monitor_stations "
                              "WHERE (?1 IS NOT NULL AND code = ?1) OR id = ?2";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, code);
    sqlite3_bind_int64(st, 2, code ? -1 : id);
    int rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW;
    if (*found)
        read_station(st, out);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_fail(db, err);
    return *found ? read_params(db, out, err) : 0;
}

int monitor_store_station_list(struct db *db, const char *kind, struct monitor_station_list *out,
                               struct app_error *err)
{
    static const char sql[] = "SELECT " STATION_COLUMNS " FROM monitor_stations "
                              "WHERE ?1 IS NULL OR kind = ?1 ORDER BY code";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, kind);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        XGROW(out);
        read_station(st, &out->items[out->len++]);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return db_fail(db, err);
    for (size_t i = 0; i < out->len; i++)
        if (read_params(db, &out->items[i], err))
            return -1;
    return 0;
}

int monitor_store_station_touch(struct db *db, int64_t station_id, int64_t t, struct app_error *err)
{
    static const char sql[] = "UPDATE monitor_stations SET last_at = ?2 WHERE id = ?1 AND "
                              "(last_at IS NULL OR last_at < ?2)";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, station_id);
    sqlite3_bind_int64(st, 2, t);
    return db_step_done(db, st, err);
}

/* ---- readings and aggregates ------------------------------------------------------------ */

int monitor_store_reading_insert(struct db *db, int64_t station_id, const char *parameter,
                                 int64_t t, int64_t value, const char *flag, bool synthetic,
                                 bool *inserted, struct app_error *err)
{
    static const char sql[] = "INSERT OR IGNORE INTO monitor_readings(station_id, parameter, t, "
                              "value, flag, synthetic) VALUES(?,?,?,?,?,?)";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, station_id);
    sqlite3_bind_text(st, 2, parameter, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, t);
    sqlite3_bind_int64(st, 4, value);
    if (flag && *flag)
        sqlite3_bind_text(st, 5, flag, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 5);
    sqlite3_bind_int(st, 6, synthetic);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return db_fail(db, err);
    *inserted = sqlite3_changes(db_sqlite(db)) > 0;
    return 0;
}

/* Rows per statement of monitor_store_readings_insert: one statement (its cursor, bindings
 * and reset) serves many rows; RETURNING names the rows that were new. */
#define INSERT_GROUP 32
#define ROW1 "(?,?,?,?,?,?)"
#define ROW4 ROW1 "," ROW1 "," ROW1 "," ROW1
#define ROW16 ROW4 "," ROW4 "," ROW4 "," ROW4
#define ROW32 ROW16 "," ROW16

/* Rows g[0..k) sharing one statement: mark inserted[i] for the row keyed (station, param, t)
 * not yet marked, looking from *hint on (RETURNING gives the rows in insertion order in
 * practice, but the order is not promised). */
static void mark_inserted(const struct monitor_reading_row *g, size_t k, bool *inserted,
                          int64_t station_id, const char *param, int64_t t, size_t *hint)
{
    for (size_t j = 0; j < k; j++) {
        size_t i = (*hint + j) % k;
        if (!inserted[i] && g[i].t == t && g[i].station_id == station_id &&
            strcmp(g[i].parameter, param) == 0) {
            inserted[i] = true;
            *hint = i + 1;
            return;
        }
    }
}

int monitor_store_readings_insert(struct db *db, const struct monitor_reading_row *rows, size_t n,
                                  bool synthetic, bool *inserted, struct app_error *err)
{
    static const char sql[] =
        "INSERT OR IGNORE INTO monitor_readings(station_id, parameter, t, "
        "value, flag, synthetic) VALUES " ROW32 " RETURNING station_id, parameter, t";
    _Static_assert(INSERT_GROUP == 32, "ROW32 holds INSERT_GROUP rows");
    size_t i = 0;
    for (; i + INSERT_GROUP <= n; i += INSERT_GROUP) {
        const struct monitor_reading_row *g = rows + i;
        sqlite3_stmt *st = db_stmt(db, sql, err);
        if (!st)
            return -1;
        for (int k = 0; k < INSERT_GROUP; k++) {
            int b = k * 6;
            sqlite3_bind_int64(st, b + 1, g[k].station_id);
            sqlite3_bind_text(st, b + 2, g[k].parameter, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, b + 3, g[k].t);
            sqlite3_bind_int64(st, b + 4, g[k].value);
            if (g[k].flag && *g[k].flag)
                sqlite3_bind_text(st, b + 5, g[k].flag, -1, SQLITE_STATIC);
            sqlite3_bind_int(st, b + 6, synthetic);
            inserted[i + k] = false;
        }
        int rc;
        size_t hint = 0;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            mark_inserted(g, INSERT_GROUP, inserted + i, sqlite3_column_int64(st, 0),
                          (const char *)sqlite3_column_text(st, 1), sqlite3_column_int64(st, 2),
                          &hint);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            return db_fail(db, err);
    }
    for (; i < n; i++)
        if (monitor_store_reading_insert(db, rows[i].station_id, rows[i].parameter, rows[i].t,
                                         rows[i].value, rows[i].flag, synthetic, &inserted[i], err))
            return -1;
    return 0;
}

static int agg_add(struct db *db, const char *sql, int64_t station_id, const struct monitor_agg *a,
                   struct app_error *err)
{
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, station_id);
    sqlite3_bind_text(st, 2, a->parameter, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, a->period);
    sqlite3_bind_int(st, 4, a->n);
    sqlite3_bind_int64(st, 5, a->sum);
    sqlite3_bind_int64(st, 6, a->min);
    sqlite3_bind_int64(st, 7, a->max);
    sqlite3_bind_double(st, 8, a->energy);
    return db_step_done(db, st, err);
}

int monitor_store_hourly_add(struct db *db, int64_t station_id, const struct monitor_agg *a,
                             struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO monitor_hourly(station_id, parameter, hour, n, sum, min, max, energy) "
        "VALUES(?,?,?,?,?,?,?,?) ON CONFLICT(station_id, parameter, hour) DO UPDATE SET "
        "n = n + excluded.n, sum = sum + excluded.sum, min = min(min, excluded.min), "
        "max = max(max, excluded.max), energy = energy + excluded.energy";
    return agg_add(db, sql, station_id, a, err);
}

int monitor_store_daily_add(struct db *db, int64_t station_id, const struct monitor_agg *a,
                            struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO monitor_daily(station_id, parameter, day, n, sum, min, max, energy) "
        "VALUES(?,?,?,?,?,?,?,?) ON CONFLICT(station_id, parameter, day) DO UPDATE SET "
        "n = n + excluded.n, sum = sum + excluded.sum, min = min(min, excluded.min), "
        "max = max(max, excluded.max), energy = energy + excluded.energy";
    return agg_add(db, sql, station_id, a, err);
}

static int agg_scan(struct db *db, const char *sql, int64_t station_id, const char *parameter,
                    int64_t from, int64_t to, monitor_agg_fn fn, void *ctx, struct app_error *err)
{
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, station_id);
    db_bind_text(st, 2, parameter);
    sqlite3_bind_int64(st, 3, from);
    sqlite3_bind_int64(st, 4, to);
    int rc;
    int ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct monitor_agg a;
        db_copy_text(a.parameter, sizeof(a.parameter), st, 0);
        a.period = sqlite3_column_int64(st, 1);
        a.n = sqlite3_column_int(st, 2);
        a.sum = sqlite3_column_int64(st, 3);
        a.min = sqlite3_column_int64(st, 4);
        a.max = sqlite3_column_int64(st, 5);
        a.energy = sqlite3_column_double(st, 6);
        if (fn(ctx, &a)) {
            ret = app_fail(err, APP_ERR_TOO_LARGE, "too_many_points", NULL, "结果过多");
            break;
        }
    }
    sqlite3_reset(st);
    if (ret)
        return ret;
    return rc == SQLITE_DONE ? 0 : db_fail(db, err);
}

int monitor_store_hourly_scan(struct db *db, int64_t station_id, const char *parameter,
                              int64_t from, int64_t to, monitor_agg_fn fn, void *ctx,
                              struct app_error *err)
{
    /* per parameter of the station (CROSS JOIN keeps that loop outside), so that each is one
     * primary-key range */
    static const char all[] =
        "SELECT h.parameter, h.hour, h.n, h.sum, h.min, h.max, h.energy FROM monitor_parameters p "
        "CROSS JOIN monitor_hourly h ON h.station_id = p.station_id AND h.parameter = p.name "
        "AND h.hour >= ?3 AND h.hour < ?4 WHERE p.station_id = ?1 AND ?2 IS NULL "
        "ORDER BY h.hour";
    static const char one[] =
        "SELECT parameter, hour, n, sum, min, max, energy FROM monitor_hourly "
        "WHERE station_id = ?1 AND parameter = ?2 AND hour >= ?3 "
        "AND hour < ?4 ORDER BY hour";
    return agg_scan(db, parameter ? one : all, station_id, parameter, from, to, fn, ctx, err);
}

int monitor_store_daily_scan(struct db *db, int64_t station_id, const char *parameter, int64_t from,
                             int64_t to, monitor_agg_fn fn, void *ctx, struct app_error *err)
{
    static const char all[] =
        "SELECT d.parameter, d.day, d.n, d.sum, d.min, d.max, d.energy FROM monitor_parameters p "
        "CROSS JOIN monitor_daily d ON d.station_id = p.station_id AND d.parameter = p.name "
        "AND d.day >= ?3 AND d.day < ?4 WHERE p.station_id = ?1 AND ?2 IS NULL ORDER BY d.day";
    static const char one[] = "SELECT parameter, day, n, sum, min, max, energy FROM monitor_daily "
                              "WHERE station_id = ?1 AND parameter = ?2 AND day >= ?3 "
                              "AND day < ?4 ORDER BY day";
    return agg_scan(db, parameter ? one : all, station_id, parameter, from, to, fn, ctx, err);
}

static int latest(struct db *db, sqlite3_stmt *st, int64_t *out, bool *found, struct app_error *err)
{
    int rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL;
    if (*found)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, err);
}

int monitor_store_latest_hour(struct db *db, const char *kind, int64_t before, int64_t *out,
                              bool *found, struct app_error *err)
{
    /* Per station: the newest hour (primary-key seek), then the maximum over stations. */
    static const char sql[] =
        "SELECT max((SELECT max(h.hour) FROM monitor_hourly h WHERE h.station_id = s.id "
        "AND h.parameter = p.name AND h.hour <= ?2)) FROM monitor_stations s "
        "JOIN monitor_parameters p ON p.station_id = s.id WHERE s.kind = ?1";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, kind);
    sqlite3_bind_int64(st, 2, before);
    return latest(db, st, out, found, err);
}

int monitor_store_latest_day(struct db *db, int64_t station_id, int64_t before, int64_t *out,
                             bool *found, struct app_error *err)
{
    static const char sql[] =
        "SELECT max((SELECT max(d.day) FROM monitor_daily d WHERE d.station_id = p.station_id "
        "AND d.parameter = p.name AND d.day <= ?2)) FROM monitor_parameters p "
        "WHERE p.station_id = ?1";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, station_id);
    sqlite3_bind_int64(st, 2, before);
    return latest(db, st, out, found, err);
}

/* ---- rules ------------------------------------------------------------------------------- */

#define RULE_COLUMNS                                                                               \
    "id, name, station_kind, parameter, type, direction, level, threshold, clear_at, "             \
    "consecutive, stale_minutes, category, enabled, updated_at"

static void read_rule(sqlite3_stmt *st, struct monitor_rule *r)
{
    memset(r, 0, sizeof(*r));
    r->id = sqlite3_column_int64(st, 0);
    db_copy_text(r->name, sizeof(r->name), st, 1);
    monitor_kind_parse((const char *)sqlite3_column_text(st, 2), &r->kind);
    db_copy_text(r->parameter, sizeof(r->parameter), st, 3);
    monitor_rule_type_parse((const char *)sqlite3_column_text(st, 4), &r->type);
    const unsigned char *dir = sqlite3_column_text(st, 5);
    r->below = dir && strcmp((const char *)dir, "below") == 0;
    monitor_level_parse((const char *)sqlite3_column_text(st, 6), &r->level);
    r->threshold = sqlite3_column_int64(st, 7);
    r->has_clear = sqlite3_column_type(st, 8) != SQLITE_NULL;
    r->clear_at = sqlite3_column_int64(st, 8);
    r->consecutive = sqlite3_column_int(st, 9);
    r->stale_minutes = sqlite3_column_int(st, 10);
    db_copy_text(r->category, sizeof(r->category), st, 11);
    r->enabled = sqlite3_column_int(st, 12) != 0;
    r->updated_at = sqlite3_column_int64(st, 13);
}

int monitor_store_rule_list(struct db *db, bool enabled_only, struct monitor_rule_list *out,
                            struct app_error *err)
{
    static const char sql[] =
        "SELECT " RULE_COLUMNS " FROM monitor_rules WHERE enabled OR NOT ? ORDER BY id";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    sqlite3_bind_int(st, 1, enabled_only);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        XGROW(out);
        read_rule(st, &out->items[out->len++]);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, err);
}

int monitor_store_rule_get(struct db *db, int64_t id, struct monitor_rule *out, bool *found,
                           struct app_error *err)
{
    static const char sql[] = "SELECT " RULE_COLUMNS " FROM monitor_rules WHERE id = ?";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW;
    if (*found)
        read_rule(st, out);
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, err);
}

static void bind_rule(sqlite3_stmt *st, const struct monitor_rule *r)
{
    db_bind_text(st, 1, r->name);
    db_bind_text(st, 2, monitor_kind_name(r->kind));
    db_bind_text(st, 3, r->parameter);
    db_bind_text(st, 4, monitor_rule_type_name(r->type));
    db_bind_text(st, 5, r->below ? "below" : "above");
    db_bind_text(st, 6, monitor_level_name(r->level));
    if (r->type == MONITOR_RULE_STALE)
        sqlite3_bind_null(st, 7);
    else
        sqlite3_bind_int64(st, 7, r->threshold);
    bind_opt_int(st, 8, r->has_clear ? &r->clear_at : NULL);
    sqlite3_bind_int(st, 9, r->consecutive);
    if (r->type == MONITOR_RULE_STALE)
        sqlite3_bind_int(st, 10, r->stale_minutes);
    else
        sqlite3_bind_null(st, 10);
    db_bind_text(st, 11, r->category);
    sqlite3_bind_int(st, 12, r->enabled);
    sqlite3_bind_int64(st, 13, r->updated_at);
}

int monitor_store_rule_insert(struct db *db, struct monitor_rule *r, struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO monitor_rules(name, station_kind, parameter, type, direction, level, "
        "threshold, clear_at, consecutive, stale_minutes, category, enabled, updated_at) "
        "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    bind_rule(st, r);
    if (db_step_done(db, st, err))
        return -1;
    r->id = sqlite3_last_insert_rowid(db_sqlite(db));
    return 0;
}

int monitor_store_rule_update(struct db *db, const struct monitor_rule *r, bool *found,
                              struct app_error *err)
{
    static const char sql[] =
        "UPDATE monitor_rules SET name = ?1, station_kind = ?2, parameter = ?3, type = ?4, "
        "direction = ?5, level = ?6, threshold = ?7, clear_at = ?8, consecutive = ?9, "
        "stale_minutes = ?10, category = ?11, enabled = ?12, updated_at = ?13 WHERE id = ?14";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    bind_rule(st, r);
    sqlite3_bind_int64(st, 14, r->id);
    if (db_step_done(db, st, err))
        return -1;
    *found = sqlite3_changes(db_sqlite(db)) > 0;
    return 0;
}

int monitor_store_rule_state_get(struct db *db, int64_t station_id, int64_t rule_id,
                                 struct monitor_rule_state *out, struct app_error *err)
{
    static const char sql[] =
        "SELECT s.over_count, s.normal_count, s.last_t, s.last_value, "
        "EXISTS(SELECT 1 FROM monitor_alerts a WHERE a.station_id = ?1 AND a.rule_id = ?2 "
        "AND a.cleared_at IS NULL) FROM (SELECT 1) LEFT JOIN monitor_rule_state s "
        "ON s.station_id = ?1 AND s.rule_id = ?2";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, station_id);
    sqlite3_bind_int64(st, 2, rule_id);
    int rc = sqlite3_step(st);
    memset(out, 0, sizeof(*out));
    if (rc == SQLITE_ROW) {
        out->over_count = sqlite3_column_int(st, 0);
        out->normal_count = sqlite3_column_int(st, 1);
        out->has_last = sqlite3_column_type(st, 2) != SQLITE_NULL;
        out->last_t = sqlite3_column_int64(st, 2);
        out->last_value = sqlite3_column_int64(st, 3);
        out->open = sqlite3_column_int(st, 4) != 0;
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : db_fail(db, err);
}

int monitor_store_rule_state_put(struct db *db, int64_t station_id, int64_t rule_id,
                                 const struct monitor_rule_state *s, struct app_error *err)
{
    static const char sql[] =
        "INSERT OR REPLACE INTO monitor_rule_state(station_id, rule_id, over_count, "
        "normal_count, last_t, last_value) VALUES(?,?,?,?,?,?)";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, station_id);
    sqlite3_bind_int64(st, 2, rule_id);
    sqlite3_bind_int(st, 3, s->over_count);
    sqlite3_bind_int(st, 4, s->normal_count);
    bind_opt_int(st, 5, s->has_last ? &s->last_t : NULL);
    bind_opt_int(st, 6, s->has_last ? &s->last_value : NULL);
    return db_step_done(db, st, err);
}

/* ---- alerts ------------------------------------------------------------------------------ */

int monitor_store_alert_open(struct db *db, int64_t station_id, int64_t rule_id, const char *level,
                             int64_t at, const int64_t *value, int64_t *id, struct app_error *err)
{
    static const char sql[] = "INSERT INTO monitor_alerts(station_id, rule_id, level, opened_at, "
                              "open_value) VALUES(?,?,?,?,?)";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, station_id);
    sqlite3_bind_int64(st, 2, rule_id);
    db_bind_text(st, 3, level);
    sqlite3_bind_int64(st, 4, at);
    bind_opt_int(st, 5, value);
    if (db_step_done(db, st, err))
        return -1;
    *id = sqlite3_last_insert_rowid(db_sqlite(db));
    return 0;
}

int monitor_store_alert_clear(struct db *db, int64_t station_id, int64_t rule_id, int64_t at,
                              const int64_t *value, int64_t *id, struct app_error *err)
{
    static const char sql[] =
        "UPDATE monitor_alerts SET cleared_at = ?3, clear_value = ?4 WHERE station_id = ?1 AND "
        "rule_id = ?2 AND cleared_at IS NULL RETURNING id";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, station_id);
    sqlite3_bind_int64(st, 2, rule_id);
    sqlite3_bind_int64(st, 3, at);
    bind_opt_int(st, 4, value);
    int rc = sqlite3_step(st);
    *id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    if (rc == SQLITE_ROW)
        rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, err);
}

int monitor_store_alert_set_event(struct db *db, int64_t id, const char *code,
                                  struct app_error *err)
{
    static const char sql[] = "UPDATE monitor_alerts SET event_code = ? WHERE id = ?";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, code);
    sqlite3_bind_int64(st, 2, id);
    return db_step_done(db, st, err);
}

int monitor_store_alert_set_noted(struct db *db, int64_t id, struct app_error *err)
{
    static const char sql[] = "UPDATE monitor_alerts SET note_added = 1 WHERE id = ?";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    return db_step_done(db, st, err);
}

#define ALERT_SELECT                                                                               \
    "SELECT a.id, s.code, s.name, s.kind, s.grid_code, s.street_code, s.department, s.lon, "       \
    "s.lat, a.rule_id, r.name, r.parameter, r.category, a.level, a.opened_at, a.open_value, "      \
    "a.cleared_at, a.clear_value, a.event_code FROM monitor_alerts a "                             \
    "JOIN monitor_stations s ON s.id = a.station_id JOIN monitor_rules r ON r.id = a.rule_id "

static void read_alert(sqlite3_stmt *st, struct monitor_alert *a)
{
    memset(a, 0, sizeof(*a));
    a->id = sqlite3_column_int64(st, 0);
    db_copy_text(a->station, sizeof(a->station), st, 1);
    db_copy_text(a->station_name, sizeof(a->station_name), st, 2);
    monitor_kind_parse((const char *)sqlite3_column_text(st, 3), &a->kind);
    db_copy_text(a->grid, sizeof(a->grid), st, 4);
    db_copy_text(a->street, sizeof(a->street), st, 5);
    db_copy_text(a->department, sizeof(a->department), st, 6);
    a->lon = sqlite3_column_double(st, 7);
    a->lat = sqlite3_column_double(st, 8);
    a->rule_id = sqlite3_column_int64(st, 9);
    db_copy_text(a->rule_name, sizeof(a->rule_name), st, 10);
    db_copy_text(a->parameter, sizeof(a->parameter), st, 11);
    db_copy_text(a->category, sizeof(a->category), st, 12);
    monitor_level_parse((const char *)sqlite3_column_text(st, 13), &a->level);
    a->opened_at = sqlite3_column_int64(st, 14);
    a->has_open_value = sqlite3_column_type(st, 15) != SQLITE_NULL;
    a->open_value = sqlite3_column_int64(st, 15);
    a->cleared = sqlite3_column_type(st, 16) != SQLITE_NULL;
    a->cleared_at = sqlite3_column_int64(st, 16);
    a->has_clear_value = sqlite3_column_type(st, 17) != SQLITE_NULL;
    a->clear_value = sqlite3_column_int64(st, 17);
    db_copy_text(a->event_code, sizeof(a->event_code), st, 18);
}

int monitor_store_alert_get(struct db *db, int64_t id, struct monitor_alert *out,
                            struct app_error *err)
{
    static const char sql[] = ALERT_SELECT "WHERE a.id = ?";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_alert(st, out);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return app_fail(err, APP_ERR_NOT_FOUND, "alert_not_found", "id", "无此报警");
    return rc == SQLITE_ROW ? 0 : db_fail(db, err);
}

int monitor_store_alert_list(struct db *db, bool open_only, bool pending, const char *station,
                             long limit, struct monitor_alert_list *out, struct app_error *err)
{
    static const char sql[] =
        ALERT_SELECT "WHERE (NOT ?1 OR a.cleared_at IS NULL) AND (?2 IS NULL OR s.code = ?2) "
                     "AND (NOT ?4 OR (a.cleared_at IS NULL AND a.event_code IS NULL) OR "
                     "(a.cleared_at IS NOT NULL AND a.event_code IS NOT NULL AND "
                     "NOT a.note_added)) ORDER BY a.id DESC LIMIT ?3";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    sqlite3_bind_int(st, 1, open_only);
    db_bind_text(st, 2, station);
    sqlite3_bind_int64(st, 3, limit);
    sqlite3_bind_int(st, 4, pending);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        XGROW(out);
        read_alert(st, &out->items[out->len++]);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, err);
}

/* ---- device keys ------------------------------------------------------------------------ */

int monitor_store_key_insert(struct db *db, int64_t station_id, const char *hash, int64_t now,
                             int64_t *id, struct app_error *err)
{
    static const char sql[] = "INSERT INTO monitor_device_keys (station_id, hash, created_at) "
                              "VALUES (?1, ?2, ?3) RETURNING id";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, station_id);
    db_bind_text(st, 2, hash);
    sqlite3_bind_int64(st, 3, now);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    if (rc == SQLITE_ROW)
        rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, err);
}

int monitor_store_key_find(struct db *db, const char *hash, bool *found, int64_t *id,
                           char station[32], struct app_error *err)
{
    static const char sql[] = "SELECT k.id, s.code FROM monitor_device_keys k "
                              "JOIN monitor_stations s ON s.id = k.station_id "
                              "WHERE k.hash = ?1 AND k.revoked_at IS NULL";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, hash);
    int rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW;
    if (*found) {
        *id = sqlite3_column_int64(st, 0);
        db_copy_text(station, 32, st, 1);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, err);
}

int monitor_store_key_revoke(struct db *db, int64_t station_id, int64_t key_id, int64_t now, int *n,
                             struct app_error *err)
{
    static const char sql[] = "UPDATE monitor_device_keys SET revoked_at = ?3 "
                              "WHERE revoked_at IS NULL AND (station_id = ?1 OR id = ?2)";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, station_id > 0 ? station_id : -1);
    sqlite3_bind_int64(st, 2, key_id > 0 ? key_id : -1);
    sqlite3_bind_int64(st, 3, now);
    if (db_step_done(db, st, err))
        return -1;
    *n = sqlite3_changes(db_sqlite(db));
    return 0;
}
