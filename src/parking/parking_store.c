/* All SQL of the parking module, through the store helper layer (core/db_row.h). */
#include "parking/parking_store.h"

#include <stddef.h>
#include <string.h>

#include "core/db_row.h"

static const struct db_column lot_cols[] = {
    DB_COL(INT64, struct parking_lot, id),
    DB_COL(CHARS, struct parking_lot, code),
    DB_COL(CHARS, struct parking_lot, name),
    DB_COL(INT, struct parking_lot, kind),
    DB_COL(DOUBLE, struct parking_lot, lon),
    DB_COL(DOUBLE, struct parking_lot, lat),
    DB_COL(DOUBLE, struct parking_lot, entrance_lon),
    DB_COL(DOUBLE, struct parking_lot, entrance_lat),
    DB_COL(CHARS, struct parking_lot, entrance),
    DB_COL(CHARS, struct parking_lot, grid),
    DB_COL(CHARS, struct parking_lot, street),
    DB_COL(INT, struct parking_lot, capacity),
    DB_COL(CHARS, struct parking_lot, owner),
    DB_COL(BOOL, struct parking_lot, synthetic),
};
static const struct db_row_map lot_map = DB_ROW_MAP(struct parking_lot, lot_cols);
#define LOT_SELECT                                                                                 \
    "SELECT id, code, name, kind, lon, lat, entrance_lon, entrance_lat, entrance, grid, street, "  \
    "capacity, owner, synthetic FROM parking_lots "

struct id_row {
    int64_t id;
};
static const struct db_column id_cols[] = {DB_COL(INT64, struct id_row, id)};
static const struct db_row_map id_map = DB_ROW_MAP(struct id_row, id_cols);

int parking_store_lot_insert(struct db *db, const struct parking_lot *l, int64_t now, int64_t *id,
                             struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO parking_lots (code, name, kind, lon, lat, entrance_lon, entrance_lat, "
        "entrance, grid, street, capacity, owner, synthetic, created_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) RETURNING id";
    struct id_row r;
    int rc =
        db_get(db, sql,
               DB_PARAMS(DB_TEXT(l->code), DB_TEXT(l->name), DB_INT(l->kind), DB_DOUBLE(l->lon),
                         DB_DOUBLE(l->lat), DB_DOUBLE(l->entrance_lon), DB_DOUBLE(l->entrance_lat),
                         DB_TEXT(l->entrance), DB_TEXT(l->grid), DB_TEXT(l->street),
                         DB_INT(l->capacity), DB_TEXT(l->owner), DB_INT(l->synthetic), DB_INT(now)),
               &id_map, &r, NULL, err);
    *id = r.id;
    return rc;
}

int parking_store_lot_get(struct db *db, const char *code, int64_t id, struct parking_lot *out,
                          bool *found, struct app_error *err)
{
    static const char by_code[] = LOT_SELECT "WHERE code = ?1";
    static const char by_id[] = LOT_SELECT "WHERE id = ?1";
    if (code)
        return db_get(db, by_code, DB_PARAMS(DB_TEXT(code)), &lot_map, out, found, err);
    return db_get(db, by_id, DB_PARAMS(DB_INT(id)), &lot_map, out, found, err);
}

int parking_store_lot_list(struct db *db, struct parking_lot_list *out, struct app_error *err)
{
    static const char sql[] = LOT_SELECT "ORDER BY code";
    return db_list(db, sql, DB_NO_PARAMS, &lot_map, DB_LIST(out), -1, NULL, err);
}

static const struct db_column plan_cols[] = {
    DB_COL(INT64, struct parking_plan, id),
    DB_COL(INT64, struct parking_plan, lot_id),
    DB_COL(INT, struct parking_plan, spaces),
    DB_COL(CHARS, struct parking_plan, windows),
    DB_COL(INT, struct parking_plan, price_fen),
    DB_COL(CHARS, struct parking_plan, audience),
    DB_COL(CHARS, struct parking_plan, audience_label),
    DB_COL(BOOL, struct parking_plan, active),
    DB_COL(BOOL, struct parking_plan, synthetic),
};
static const struct db_row_map plan_map = DB_ROW_MAP(struct parking_plan, plan_cols);

int parking_store_plan_insert(struct db *db, const struct parking_plan *p, int64_t now, int64_t *id,
                              struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO parking_plans (lot_id, spaces, windows, price_fen, audience, audience_label, "
        "active, synthetic, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?8) RETURNING id";
    struct id_row r;
    int rc = db_get(db, sql,
                    DB_PARAMS(DB_INT(p->lot_id), DB_INT(p->spaces), DB_TEXT(p->windows),
                              DB_INT(p->price_fen), DB_TEXT(p->audience),
                              DB_TEXT(p->audience_label), DB_INT(p->synthetic), DB_INT(now)),
                    &id_map, &r, NULL, err);
    *id = r.id;
    return rc;
}

int parking_store_member_insert(struct db *db, int64_t plan_id, const char *plate,
                                struct app_error *err)
{
    static const char sql[] =
        "INSERT OR IGNORE INTO parking_plan_members (plan_id, plate) VALUES (?1, ?2)";
    return db_run(db, sql, DB_PARAMS(DB_INT(plan_id), DB_TEXT(plate)), err);
}

int parking_store_member_has(struct db *db, int64_t plan_id, const char *plate, bool *yes,
                             struct app_error *err)
{
    static const char sql[] =
        "SELECT plan_id FROM parking_plan_members WHERE plan_id = ?1 AND plate = ?2";
    struct id_row r;
    return db_get(db, sql, DB_PARAMS(DB_INT(plan_id), DB_TEXT(plate)), &id_map, &r, yes, err);
}

int parking_store_plan_list(struct db *db, int64_t lot_id, struct parking_plan_list *out,
                            struct app_error *err)
{
    static const char one[] = "SELECT id, lot_id, spaces, windows, price_fen, audience, "
                              "audience_label, active, synthetic FROM parking_plans "
                              "WHERE lot_id = ?1 AND active = 1 ORDER BY id";
    static const char all[] = "SELECT id, lot_id, spaces, windows, price_fen, audience, "
                              "audience_label, active, synthetic FROM parking_plans "
                              "WHERE active = 1 ORDER BY lot_id, id";
    if (lot_id)
        return db_list(db, one, DB_PARAMS(DB_INT(lot_id)), &plan_map, DB_LIST(out), -1, NULL, err);
    return db_list(db, all, DB_NO_PARAMS, &plan_map, DB_LIST(out), -1, NULL, err);
}

static const struct db_column booking_cols[] = {
    DB_COL(INT64, struct parking_booking, id),
    DB_COL(INT64, struct parking_booking, lot_id),
    DB_COL(INT64, struct parking_booking, plan_id),
    DB_COL(CHARS, struct parking_booking, lot_code),
    DB_COL(CHARS, struct parking_booking, lot_name),
    DB_COL(CHARS, struct parking_booking, grid),
    DB_COL(CHARS, struct parking_booking, plate),
    DB_COL(INT64, struct parking_booking, start),
    DB_COL(INT64, struct parking_booking, end),
    DB_COL(INT, struct parking_booking, status),
    DB_COL(INT64, struct parking_booking, created_at),
    DB_COL(INT64, struct parking_booking, in_at),
    DB_COL(INT64, struct parking_booking, out_at),
    DB_COL(INT, struct parking_booking, overstay_minutes),
    DB_COL(INT, struct parking_booking, price_fen),
    DB_COL(BOOL, struct parking_booking, synthetic),
};
static const struct db_row_map booking_map = DB_ROW_MAP(struct parking_booking, booking_cols);
#define BOOKING_SELECT                                                                             \
    "SELECT b.id, b.lot_id, b.plan_id, l.code, l.name, l.grid, b.plate, b.start_at, b.end_at, "    \
    "b.status, b.created_at, b.in_at, b.out_at, b.overstay_minutes, b.price_fen, b.synthetic "     \
    "FROM parking_bookings b JOIN parking_lots l ON l.id = b.lot_id "

/* The bare columns of a booking (no join), for the capacity check on the hot path. */
static const struct db_column hold_cols[] = {
    DB_COL(INT64, struct parking_booking, start),
    DB_COL(INT64, struct parking_booking, end),
    DB_COL(INT, struct parking_booking, status),
    DB_COL(INT64, struct parking_booking, out_at),
};
static const struct db_row_map hold_map = DB_ROW_MAP(struct parking_booking, hold_cols);

int parking_store_plan_holding(struct db *db, int64_t plan_id, int64_t from, int64_t to,
                               struct parking_booking_list *out, struct app_error *err)
{
    static const char sql[] =
        "SELECT start_at, end_at, status, out_at FROM parking_bookings "
        "WHERE plan_id = ?1 AND start_at < ?3 AND ((status = 0 AND end_at > ?2) OR status = 1 "
        "OR (status = 2 AND out_at > ?2))";
    return db_list(db, sql, DB_PARAMS(DB_INT(plan_id), DB_INT(from), DB_INT(to)), &hold_map,
                   DB_LIST(out), -1, NULL, err);
}

static const struct db_column plan_hold_cols[] = {
    DB_COL(INT64, struct parking_booking, plan_id), DB_COL(INT64, struct parking_booking, start),
    DB_COL(INT64, struct parking_booking, end),     DB_COL(INT, struct parking_booking, status),
    DB_COL(INT64, struct parking_booking, out_at),
};
static const struct db_row_map plan_hold_map = DB_ROW_MAP(struct parking_booking, plan_hold_cols);

int parking_store_window_holding(struct db *db, int64_t from, int64_t to,
                                 struct parking_booking_list *out, struct app_error *err)
{
    static const char sql[] =
        "SELECT plan_id, start_at, end_at, status, out_at FROM parking_bookings "
        "WHERE start_at < ?2 AND ((status = 0 AND end_at > ?1) OR status = 1 "
        "OR (status = 2 AND out_at > ?1)) ORDER BY plan_id";
    return db_list(db, sql, DB_PARAMS(DB_INT(from), DB_INT(to)), &plan_hold_map, DB_LIST(out), -1,
                   NULL, err);
}

int parking_store_plate_busy(struct db *db, const char *plate, int64_t from, int64_t to, bool *busy,
                             struct app_error *err)
{
    static const char sql[] = "SELECT id FROM parking_bookings WHERE plate = ?1 "
                              "AND status IN (0, 1) AND start_at < ?3 AND end_at > ?2 LIMIT 1";
    struct id_row r;
    return db_get(db, sql, DB_PARAMS(DB_TEXT(plate), DB_INT(from), DB_INT(to)), &id_map, &r, busy,
                  err);
}

int parking_store_booking_insert(struct db *db, const struct parking_booking *b,
                                 const char *token_hash, int64_t created_by, int64_t *id,
                                 struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO parking_bookings (lot_id, plan_id, plate, start_at, end_at, status, "
        "token_hash, created_by, created_at, in_at, out_at, overstay_minutes, price_fen, "
        "synthetic) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) "
        "RETURNING id";
    struct id_row r;
    int rc =
        db_get(db, sql,
               DB_PARAMS(DB_INT(b->lot_id), DB_INT(b->plan_id), DB_TEXT(b->plate), DB_INT(b->start),
                         DB_INT(b->end), DB_INT(b->status), DB_TEXT_OPT(token_hash),
                         DB_INT_OPT(created_by), DB_INT(b->created_at), DB_INT_OPT(b->in_at),
                         DB_INT_OPT(b->out_at), DB_INT(b->overstay_minutes), DB_INT(b->price_fen),
                         DB_INT(b->synthetic)),
               &id_map, &r, NULL, err);
    *id = r.id;
    return rc;
}

struct token_row {
    char hash[65];
};
static const struct db_column token_cols[] = {DB_COL(CHARS, struct token_row, hash)};
static const struct db_row_map token_map = DB_ROW_MAP(struct token_row, token_cols);

int parking_store_booking_get(struct db *db, int64_t id, struct parking_booking *out,
                              char token_hash[65], bool *found, struct app_error *err)
{
    static const char sql[] = BOOKING_SELECT "WHERE b.id = ?1";
    static const char tok[] = "SELECT token_hash FROM parking_bookings WHERE id = ?1";
    struct token_row t;
    if (db_get(db, sql, DB_PARAMS(DB_INT(id)), &booking_map, out, found, err) ||
        db_get(db, tok, DB_PARAMS(DB_INT(id)), &token_map, &t, NULL, err))
        return -1;
    memcpy(token_hash, t.hash, sizeof(t.hash));
    return 0;
}

int parking_store_booking_update(struct db *db, const struct parking_booking *b,
                                 struct app_error *err)
{
    static const char sql[] = "UPDATE parking_bookings SET status = ?2, in_at = ?3, out_at = ?4, "
                              "overstay_minutes = ?5 WHERE id = ?1";
    return db_run(db, sql,
                  DB_PARAMS(DB_INT(b->id), DB_INT(b->status), DB_INT_OPT(b->in_at),
                            DB_INT_OPT(b->out_at), DB_INT(b->overstay_minutes)),
                  err);
}

int parking_store_booking_list(struct db *db, const char *scope, const char *lot_code, int64_t from,
                               int64_t to, long limit, struct parking_booking_list *out,
                               struct app_error *err)
{
    static const char sql[] =
        BOOKING_SELECT "WHERE substr(l.grid, 1, length(?1)) = ?1 AND (?2 IS NULL OR l.code = ?2) "
                       "AND (?3 = 0 OR b.end_at > ?3) AND (?4 = 0 OR b.start_at < ?4) "
                       "ORDER BY b.start_at DESC, b.id DESC LIMIT ?5";
    return db_list(
        db, sql,
        DB_PARAMS(DB_TEXT(scope), DB_TEXT_OPT(lot_code), DB_INT(from), DB_INT(to), DB_INT(limit)),
        &booking_map, DB_LIST(out), -1, NULL, err);
}

int parking_store_booking_arriving(struct db *db, int64_t lot_id, const char *plate, int64_t lo,
                                   int64_t hi, struct parking_booking *out, bool *found,
                                   struct app_error *err)
{
    static const char sql[] =
        BOOKING_SELECT "WHERE b.lot_id = ?1 AND b.plate = ?2 AND b.status = 0 "
                       "AND b.start_at BETWEEN ?3 AND ?4 ORDER BY b.start_at LIMIT 1";
    return db_get(db, sql, DB_PARAMS(DB_INT(lot_id), DB_TEXT(plate), DB_INT(lo), DB_INT(hi)),
                  &booking_map, out, found, err);
}

int parking_store_booking_inside(struct db *db, int64_t lot_id, const char *plate,
                                 struct parking_booking *out, bool *found, struct app_error *err)
{
    static const char sql[] = BOOKING_SELECT "WHERE b.lot_id = ?1 AND b.plate = ?2 "
                                             "AND b.status = 1 ORDER BY b.in_at DESC LIMIT 1";
    return db_get(db, sql, DB_PARAMS(DB_INT(lot_id), DB_TEXT(plate)), &booking_map, out, found,
                  err);
}

int parking_store_key_insert(struct db *db, int64_t lot_id, const char *hash, int64_t now,
                             struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO parking_gate_keys (lot_id, hash, created_at) VALUES (?1, ?2, ?3)";
    return db_run(db, sql, DB_PARAMS(DB_INT(lot_id), DB_TEXT(hash), DB_INT(now)), err);
}

int parking_store_key_find(struct db *db, const char *hash, int64_t *lot_id, bool *found,
                           struct app_error *err)
{
    static const char sql[] =
        "SELECT lot_id FROM parking_gate_keys WHERE hash = ?1 AND revoked_at IS NULL";
    struct id_row r = {0};
    int rc = db_get(db, sql, DB_PARAMS(DB_TEXT(hash)), &id_map, &r, found, err);
    *lot_id = r.id;
    return rc;
}

int parking_store_owner_key_insert(struct db *db, int64_t lot_id, const char *hash,
                                   const char *label, int64_t now, struct app_error *err)
{
    static const char sql[] = "INSERT INTO parking_owner_keys (lot_id, hash, label, created_at) "
                              "VALUES (?1, ?2, ?3, ?4)";
    return db_run(
        db, sql, DB_PARAMS(DB_INT(lot_id), DB_TEXT(hash), DB_TEXT(label ? label : ""), DB_INT(now)),
        err);
}

int parking_store_owner_key_find(struct db *db, const char *hash, int64_t *lot_id, bool *found,
                                 struct app_error *err)
{
    static const char sql[] =
        "SELECT lot_id FROM parking_owner_keys WHERE hash = ?1 AND revoked_at IS NULL";
    struct id_row r = {0};
    int rc = db_get(db, sql, DB_PARAMS(DB_TEXT(hash)), &id_map, &r, found, err);
    *lot_id = r.id;
    return rc;
}

int parking_store_plan_get(struct db *db, int64_t id, struct parking_plan *out, bool *found,
                           struct app_error *err)
{
    static const char sql[] = "SELECT id, lot_id, spaces, windows, price_fen, audience, "
                              "audience_label, active, synthetic FROM parking_plans WHERE id = ?1";
    return db_get(db, sql, DB_PARAMS(DB_INT(id)), &plan_map, out, found, err);
}

int parking_store_plan_update(struct db *db, const struct parking_plan *p, int64_t now,
                              struct app_error *err)
{
    static const char sql[] =
        "UPDATE parking_plans SET spaces = ?2, windows = ?3, price_fen = ?4, audience_label = ?5, "
        "active = ?6, updated_at = ?7, withdrawn_at = CASE WHEN ?6 = 0 THEN ?7 END WHERE id = ?1";
    return db_run(db, sql,
                  DB_PARAMS(DB_INT(p->id), DB_INT(p->spaces), DB_TEXT(p->windows),
                            DB_INT(p->price_fen), DB_TEXT(p->audience_label), DB_INT(p->active),
                            DB_INT(now)),
                  err);
}

int parking_store_gate_insert(struct db *db, int64_t lot_id, const char *plate,
                              const char *direction, int64_t at, int64_t booking_id, bool synthetic,
                              int64_t *id, struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO parking_gate_events (lot_id, plate, direction, at, booking_id, synthetic) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id";
    struct id_row r;
    int rc = db_get(db, sql,
                    DB_PARAMS(DB_INT(lot_id), DB_TEXT(plate), DB_TEXT(direction), DB_INT(at),
                              DB_INT_OPT(booking_id), DB_INT(synthetic)),
                    &id_map, &r, NULL, err);
    *id = r.id;
    return rc;
}

int parking_store_alert_insert(struct db *db, const struct parking_booking *b, int minutes,
                               int64_t at, int64_t *id, struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO parking_alerts (lot_id, booking_id, plate, minutes, at, synthetic) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id";
    struct id_row r;
    int rc = db_get(db, sql,
                    DB_PARAMS(DB_INT(b->lot_id), DB_INT(b->id), DB_TEXT(b->plate), DB_INT(minutes),
                              DB_INT(at), DB_INT(b->synthetic)),
                    &id_map, &r, NULL, err);
    *id = r.id;
    return rc;
}

int parking_store_alert_set_event(struct db *db, int64_t id, const char *code,
                                  struct app_error *err)
{
    static const char sql[] = "UPDATE parking_alerts SET event_code = ?2 WHERE id = ?1";
    return db_run(db, sql, DB_PARAMS(DB_INT(id), DB_TEXT(code)), err);
}

int parking_store_overstays_since(struct db *db, const char *plate, int64_t since, int64_t *n,
                                  struct app_error *err)
{
    static const char sql[] = "SELECT count(*) FROM parking_alerts WHERE plate = ?1 AND at >= ?2";
    struct id_row r = {0};
    int rc = db_get(db, sql, DB_PARAMS(DB_TEXT(plate), DB_INT(since)), &id_map, &r, NULL, err);
    *n = r.id;
    return rc;
}

static const struct db_column alert_cols[] = {
    DB_COL(INT64, struct parking_alert, id),       DB_COL(INT64, struct parking_alert, at),
    DB_COL(CHARS, struct parking_alert, lot_code), DB_COL(CHARS, struct parking_alert, lot_name),
    DB_COL(CHARS, struct parking_alert, grid),     DB_COL(CHARS, struct parking_alert, plate),
    DB_COL(INT, struct parking_alert, minutes),    DB_COL(CHARS, struct parking_alert, event_code),
    DB_COL(BOOL, struct parking_alert, synthetic),
};
static const struct db_row_map alert_map = DB_ROW_MAP(struct parking_alert, alert_cols);

int parking_store_alert_list(struct db *db, const char *scope, long limit,
                             struct parking_alert_list *out, struct app_error *err)
{
    static const char sql[] =
        "SELECT a.id, a.at, l.code, l.name, l.grid, a.plate, a.minutes, a.event_code, "
        "a.synthetic FROM parking_alerts a JOIN parking_lots l ON l.id = a.lot_id "
        "WHERE substr(l.grid, 1, length(?1)) = ?1 ORDER BY a.at DESC, a.id DESC LIMIT ?2";
    return db_list(db, sql, DB_PARAMS(DB_TEXT(scope), DB_INT(limit)), &alert_map, DB_LIST(out), -1,
                   NULL, err);
}

int parking_store_unmet_bump(struct db *db, const char *grid, int64_t day, struct app_error *err)
{
    static const char sql[] = "INSERT INTO parking_unmet (grid, day, searches) VALUES (?1, ?2, 1) "
                              "ON CONFLICT(grid, day) DO UPDATE SET searches = searches + 1";
    return db_run(db, sql, DB_PARAMS(DB_TEXT(grid), DB_INT(day)), err);
}

int parking_store_unmet_add(struct db *db, const char *grid, int64_t day, int n, bool synthetic,
                            struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO parking_unmet (grid, day, searches, synthetic) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT(grid, day) DO UPDATE SET searches = searches + ?3";
    return db_run(db, sql, DB_PARAMS(DB_TEXT(grid), DB_INT(day), DB_INT(n), DB_INT(synthetic)),
                  err);
}

int parking_store_span_bookings(struct db *db, const char *scope, int64_t from, int64_t to,
                                struct parking_booking_list *out, struct app_error *err)
{
    static const char sql[] =
        BOOKING_SELECT "WHERE substr(l.grid, 1, length(?1)) = ?1 AND b.start_at < ?3 "
                       "AND b.end_at > ?2 - 86400 ORDER BY b.lot_id, b.start_at";
    return db_list(db, sql, DB_PARAMS(DB_TEXT(scope), DB_INT(from), DB_INT(to)), &booking_map,
                   DB_LIST(out), -1, NULL, err);
}

static const struct db_column demand_cols[] = {
    DB_COL(CHARS, struct parking_demand, grid),
    DB_COL(CHARS, struct parking_demand, name),
    DB_COL(INT64, struct parking_demand, searches),
};
static const struct db_row_map demand_map = DB_ROW_MAP(struct parking_demand, demand_cols);

int parking_store_unmet_top(struct db *db, const char *scope, int64_t d0, int64_t d1, long max,
                            struct parking_figures *f, struct app_error *err)
{
    static const char sql[] =
        "SELECT u.grid, coalesce(r.name, u.grid), sum(u.searches) AS n FROM parking_unmet u "
        "LEFT JOIN regions r ON r.code = u.grid WHERE substr(u.grid, 1, length(?1)) = ?1 "
        "AND u.day BETWEEN ?2 AND ?3 GROUP BY u.grid ORDER BY n DESC, u.grid LIMIT ?4";
    return db_list(db, sql, DB_PARAMS(DB_TEXT(scope), DB_INT(d0), DB_INT(d1), DB_INT(max)),
                   &demand_map, (void *)&f->demand, &f->ndemand, &f->demand_cap, -1, NULL, err);
}
