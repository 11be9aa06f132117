/* All SQL of the event module: categories, routes, events, their append-only history,
 * attachments, daily code serials and the FTS5 trigram index. Statements are prepared once per
 * connection (db_stmt) and bound, never formatted. */
#include "event/event_store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "event/event_internal.h"

static int step_done(struct db *db, sqlite3_stmt *st, struct app_error *err)
{
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return db_fail(db, err);
    return 0;
}

bool event_store_in_tx(struct db *db)
{
    return !sqlite3_get_autocommit(db_sqlite(db));
}

/* ---- categories -------------------------------------------------------------------------- */

#define CATEGORY_COLUMNS                                                                          \
    "code, name, major, kind, board, department, unit, limit_verify, limit_dispatch, "            \
    "limit_handle, limit_check, self_handle, urgent"

static void read_category(sqlite3_stmt *st, struct event_category *c)
{
    memset(c, 0, sizeof(*c));
    db_copy_text(c->code, sizeof(c->code), st, 0);
    db_copy_text(c->name, sizeof(c->name), st, 1);
    db_copy_text(c->major, sizeof(c->major), st, 2);
    db_copy_text(c->kind, sizeof(c->kind), st, 3);
    db_copy_text(c->board, sizeof(c->board), st, 4);
    db_copy_text(c->department, sizeof(c->department), st, 5);
    const char *u = (const char *)sqlite3_column_text(st, 6);
    c->unit = u && strcmp(u, "wd") == 0  ? EVENT_LIMIT_WORK_DAYS
              : u && strcmp(u, "h") == 0 ? EVENT_LIMIT_HOURS
                                         : EVENT_LIMIT_WORK_HOURS;
    c->limit_verify = sqlite3_column_int(st, 7);
    c->limit_dispatch = sqlite3_column_int(st, 8);
    c->limit_handle = sqlite3_column_int(st, 9);
    c->limit_check = sqlite3_column_int(st, 10);
    c->self_handle = sqlite3_column_int(st, 11) != 0;
    c->urgent = sqlite3_column_int(st, 12) != 0;
}

int event_store_category_get(struct db *db, const char *code, struct event_category *out,
                             struct app_error *err)
{
    static const char sql[] = "SELECT " CATEGORY_COLUMNS " FROM event_categories WHERE code = ?";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, code);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_category(st, out);
        sqlite3_reset(st);
        return 0;
    }
    if (rc != SQLITE_DONE)
        return db_fail(db, err);
    return app_fail(err, APP_ERR_NOT_FOUND, "not_found", "category", "类别 %s 不存在",
                    code ? code : "");
}

int event_store_category_list(struct db *db, struct event_category_list *out,
                              struct app_error *err)
{
    static const char sql[] = "SELECT " CATEGORY_COLUMNS " FROM event_categories ORDER BY code";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    memset(out, 0, sizeof(*out));
    if (!st)
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        XGROW(out);
        read_category(st, &out->items[out->len++]);
    }
    if (rc != SQLITE_DONE) {
        event_category_list_release(out);
        return db_fail(db, err);
    }
    return 0;
}

int event_store_category_upsert(struct db *db, const struct event_category *c,
                                struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO event_categories(" CATEGORY_COLUMNS ") VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?) "
        "ON CONFLICT(code) DO UPDATE SET name=excluded.name, major=excluded.major, "
        "kind=excluded.kind, board=excluded.board, department=excluded.department, "
        "unit=excluded.unit, limit_verify=excluded.limit_verify, "
        "limit_dispatch=excluded.limit_dispatch, limit_handle=excluded.limit_handle, "
        "limit_check=excluded.limit_check, self_handle=excluded.self_handle, "
        "urgent=excluded.urgent";
    static const char *const units[] = {"wh", "wd", "h"};
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, c->code);
    db_bind_text(st, 2, c->name);
    db_bind_text(st, 3, c->major);
    db_bind_text(st, 4, c->kind);
    db_bind_text(st, 5, c->board);
    db_bind_text(st, 6, c->department);
    db_bind_text(st, 7, units[c->unit]);
    sqlite3_bind_int(st, 8, c->limit_verify);
    sqlite3_bind_int(st, 9, c->limit_dispatch);
    sqlite3_bind_int(st, 10, c->limit_handle);
    sqlite3_bind_int(st, 11, c->limit_check);
    sqlite3_bind_int(st, 12, c->self_handle);
    sqlite3_bind_int(st, 13, c->urgent);
    return step_done(db, st, err);
}

int event_store_category_count(struct db *db, long *out, struct app_error *err)
{
    static const char sql[] = "SELECT count(*) FROM event_categories";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    if (sqlite3_step(st) != SQLITE_ROW)
        return db_fail(db, err);
    *out = (long)sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return 0;
}

/* ---- routes ------------------------------------------------------------------------------ */

int event_store_route_find(struct db *db, const char *category, const char *grid, char *post,
                           size_t post_n, char *department, size_t dept_n,
                           struct app_error *err)
{
    /* The longest region code that is a prefix of the grid wins; an exact class beats '*'. */
    static const char sql[] =
        "SELECT post, department FROM event_routes "
        "WHERE (category = ?1 OR category = '*') AND substr(?2, 1, length(region)) = region "
        "ORDER BY length(region) DESC, category = '*' LIMIT 1";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, category);
    db_bind_text(st, 2, grid);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        db_copy_text(post, post_n, st, 0);
        db_copy_text(department, dept_n, st, 1);
        sqlite3_reset(st);
        return 1;
    }
    if (rc != SQLITE_DONE)
        return db_fail(db, err);
    return 0;
}

int event_store_route_put(struct db *db, const char *category, const char *region,
                          const char *post, const char *department, struct app_error *err)
{
    static const char sql[] =
        "INSERT OR REPLACE INTO event_routes(category, region, post, department) "
        "VALUES(?,?,?,?)";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, category);
    db_bind_text(st, 2, region);
    db_bind_text(st, 3, post ? post : "");
    db_bind_text(st, 4, department ? department : "");
    return step_done(db, st, err);
}

int event_store_route_list(struct db *db, const char *prefix, struct event_route_list *out,
                           struct app_error *err)
{
    static const char sql[] =
        "SELECT category, region, post, department FROM event_routes "
        "WHERE ?1 IS NULL OR substr(region, 1, length(?1)) = ?1 ORDER BY region, category";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    memset(out, 0, sizeof(*out));
    if (!st)
        return -1;
    db_bind_text(st, 1, prefix);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        XGROW(out);
        struct event_route *r = &out->items[out->len++];
        db_copy_text(r->category, sizeof(r->category), st, 0);
        db_copy_text(r->region, sizeof(r->region), st, 1);
        db_copy_text(r->post, sizeof(r->post), st, 2);
        db_copy_text(r->department, sizeof(r->department), st, 3);
    }
    if (rc != SQLITE_DONE) {
        event_route_list_release(out);
        return db_fail(db, err);
    }
    return 0;
}

int event_store_post_exists(struct db *db, const char *code, struct app_error *err)
{
    static const char sql[] = "SELECT 1 FROM posts WHERE code = ?";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, code);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return 1;
    return rc == SQLITE_DONE ? 0 : db_fail(db, err);
}

int event_store_next_serial(struct db *db, const char *prefix, int *serial,
                            struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO event_serials(prefix, last) VALUES(?, 1) "
        "ON CONFLICT(prefix) DO UPDATE SET last = last + 1 RETURNING last";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, prefix);
    if (sqlite3_step(st) != SQLITE_ROW)
        return db_fail(db, err);
    *serial = sqlite3_column_int(st, 0);
    sqlite3_reset(st);
    return 0;
}

int event_store_department_name(struct db *db, const char *code, char *out, size_t n,
                                struct app_error *err)
{
    static const char sql[] = "SELECT name FROM departments WHERE code = ?";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    out[0] = 0;
    if (!st)
        return -1;
    db_bind_text(st, 1, code);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        db_copy_text(out, n, st, 0);
        sqlite3_reset(st);
    } else if (rc != SQLITE_DONE)
        return db_fail(db, err);
    return 0;
}

/* ---- events ------------------------------------------------------------------------------ */

#define EVENT_COLUMNS                                                                             \
    "e.id, e.code, e.tracking, e.channel, e.category, c.name, e.title, e.description, e.lon, "    \
    "e.lat, e.grid, e.community, e.street, e.district, e.address, e.reporter_name, "              \
    "e.reporter_contact, e.reporter_user, e.urgency, e.state, e.prev_state, e.level, e.board, "   \
    "e.department, e.post, e.handler, e.created_at, e.updated_at, e.stage_started_at, e.due_at, " \
    "e.warn_at, e.handle_due_at, e.closed_at, e.alert, e.return_count, e.rework_count, "          \
    "e.reopen_count, e.escalations, e.extension_pending, e.extension_hours, e.satisfaction, "     \
    "e.merged_into, e.link_type, e.link_id, e.synthetic"
#define EVENT_FROM " FROM events e JOIN event_categories c ON c.code = e.category "
#define EVENT_NCOLS 45

static int col_enum(sqlite3_stmt *st, int col, int (*parse)(const char *))
{
    int v = parse((const char *)sqlite3_column_text(st, col));
    return v < 0 ? 0 : v;
}

static int alert_parse(const char *s)
{
    return s && strcmp(s, "red") == 0 ? EVENT_ALERT_RED
           : s && strcmp(s, "yellow") == 0 ? EVENT_ALERT_YELLOW
                                           : EVENT_ALERT_NONE;
}

static int sat_parse(const char *s)
{
    int v = event_satisfaction_parse(s);
    return v < 0 ? EVENT_SAT_NONE : v;
}

static void read_event(sqlite3_stmt *st, int base, struct event *e)
{
    int i = base;
    memset(e, 0, sizeof(*e));
    e->id = sqlite3_column_int64(st, i++);
    db_copy_text(e->code, sizeof(e->code), st, i++);
    db_copy_text(e->tracking, sizeof(e->tracking), st, i++);
    e->channel = (enum event_channel)col_enum(st, i++, event_channel_parse);
    db_copy_text(e->category, sizeof(e->category), st, i++);
    db_copy_text(e->category_name, sizeof(e->category_name), st, i++);
    db_copy_text(e->title, sizeof(e->title), st, i++);
    e->description = db_dup_text(st, i++);
    e->lon = sqlite3_column_double(st, i++);
    e->lat = sqlite3_column_double(st, i++);
    db_copy_text(e->grid, sizeof(e->grid), st, i++);
    db_copy_text(e->community, sizeof(e->community), st, i++);
    db_copy_text(e->street, sizeof(e->street), st, i++);
    db_copy_text(e->district, sizeof(e->district), st, i++);
    db_copy_text(e->address, sizeof(e->address), st, i++);
    db_copy_text(e->reporter_name, sizeof(e->reporter_name), st, i++);
    db_copy_text(e->reporter_contact, sizeof(e->reporter_contact), st, i++);
    e->reporter_user = sqlite3_column_int64(st, i++);
    e->urgency = (enum event_urgency)col_enum(st, i++, event_urgency_parse);
    e->state = (enum event_state)col_enum(st, i++, event_state_parse);
    e->prev_state = (enum event_state)col_enum(st, i++, event_state_parse);
    e->level = (enum event_level)col_enum(st, i++, event_level_parse);
    db_copy_text(e->board, sizeof(e->board), st, i++);
    db_copy_text(e->department, sizeof(e->department), st, i++);
    db_copy_text(e->post, sizeof(e->post), st, i++);
    db_copy_text(e->handler, sizeof(e->handler), st, i++);
    e->created_at = sqlite3_column_int64(st, i++);
    e->updated_at = sqlite3_column_int64(st, i++);
    e->stage_started_at = sqlite3_column_int64(st, i++);
    e->due_at = sqlite3_column_int64(st, i++);
    e->warn_at = sqlite3_column_int64(st, i++);
    e->handle_due_at = sqlite3_column_int64(st, i++);
    e->closed_at = sqlite3_column_int64(st, i++);
    e->alert = (enum event_alert)alert_parse((const char *)sqlite3_column_text(st, i++));
    e->return_count = sqlite3_column_int(st, i++);
    e->rework_count = sqlite3_column_int(st, i++);
    e->reopen_count = sqlite3_column_int(st, i++);
    e->escalations = sqlite3_column_int(st, i++);
    e->extension_pending = sqlite3_column_int(st, i++) != 0;
    e->extension_hours = sqlite3_column_int(st, i++);
    e->satisfaction =
        (enum event_satisfaction)sat_parse((const char *)sqlite3_column_text(st, i++));
    db_copy_text(e->merged_into, sizeof(e->merged_into), st, i++);
    db_copy_text(e->link_type, sizeof(e->link_type), st, i++);
    db_copy_text(e->link_id, sizeof(e->link_id), st, i++);
    e->synthetic = sqlite3_column_int(st, i++) != 0;
}

int event_store_insert(struct db *db, struct event *e, struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO events(code, tracking, channel, category, title, description, lon, lat, "
        "grid, community, street, district, address, reporter_name, reporter_contact, "
        "reporter_user, urgency, state, prev_state, level, board, created_at, updated_at, "
        "stage_started_at, due_at, warn_at, handle_due_at, alert, link_type, link_id, synthetic) "
        "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    int i = 1;
    db_bind_text(st, i++, e->code);
    db_bind_text(st, i++, e->tracking);
    db_bind_text(st, i++, event_channel_name(e->channel));
    db_bind_text(st, i++, e->category);
    db_bind_text(st, i++, e->title);
    db_bind_text(st, i++, e->description ? e->description : "");
    sqlite3_bind_double(st, i++, e->lon);
    sqlite3_bind_double(st, i++, e->lat);
    db_bind_text(st, i++, e->grid);
    db_bind_text(st, i++, e->community);
    db_bind_text(st, i++, e->street);
    db_bind_text(st, i++, e->district);
    db_bind_text(st, i++, e->address);
    db_bind_text(st, i++, e->reporter_name);
    db_bind_text(st, i++, e->reporter_contact);
    sqlite3_bind_int64(st, i++, e->reporter_user);
    db_bind_text(st, i++, event_urgency_name(e->urgency));
    db_bind_text(st, i++, event_state_name(e->state));
    db_bind_text(st, i++, event_state_name(e->prev_state));
    db_bind_text(st, i++, event_level_name(e->level));
    db_bind_text(st, i++, e->board);
    sqlite3_bind_int64(st, i++, e->created_at);
    sqlite3_bind_int64(st, i++, e->updated_at);
    sqlite3_bind_int64(st, i++, e->stage_started_at);
    sqlite3_bind_int64(st, i++, e->due_at);
    sqlite3_bind_int64(st, i++, e->warn_at);
    sqlite3_bind_int64(st, i++, e->handle_due_at);
    db_bind_text(st, i++, event_alert_name(e->alert));
    db_bind_text(st, i++, e->link_type);
    db_bind_text(st, i++, e->link_id);
    sqlite3_bind_int(st, i++, e->synthetic);
    if (step_done(db, st, err))
        return -1;
    e->id = sqlite3_last_insert_rowid(db_sqlite(db));
    return 0;
}

int event_store_update(struct db *db, const struct event *e, struct app_error *err)
{
    static const char sql[] =
        "UPDATE events SET state=?, prev_state=?, level=?, board=?, department=?, post=?, "
        "handler=?, updated_at=?, stage_started_at=?, due_at=?, warn_at=?, handle_due_at=?, "
        "closed_at=?, alert=?, return_count=?, rework_count=?, reopen_count=?, escalations=?, "
        "extension_pending=?, extension_hours=?, satisfaction=?, merged_into=?, urgency=? "
        "WHERE id=?";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    int i = 1;
    db_bind_text(st, i++, event_state_name(e->state));
    db_bind_text(st, i++, event_state_name(e->prev_state));
    db_bind_text(st, i++, event_level_name(e->level));
    db_bind_text(st, i++, e->board);
    db_bind_text(st, i++, e->department);
    db_bind_text(st, i++, e->post);
    db_bind_text(st, i++, e->handler);
    sqlite3_bind_int64(st, i++, e->updated_at);
    sqlite3_bind_int64(st, i++, e->stage_started_at);
    sqlite3_bind_int64(st, i++, e->due_at);
    sqlite3_bind_int64(st, i++, e->warn_at);
    sqlite3_bind_int64(st, i++, e->handle_due_at);
    sqlite3_bind_int64(st, i++, e->closed_at);
    db_bind_text(st, i++, event_alert_name(e->alert));
    sqlite3_bind_int(st, i++, e->return_count);
    sqlite3_bind_int(st, i++, e->rework_count);
    sqlite3_bind_int(st, i++, e->reopen_count);
    sqlite3_bind_int(st, i++, e->escalations);
    sqlite3_bind_int(st, i++, e->extension_pending);
    sqlite3_bind_int(st, i++, e->extension_hours);
    db_bind_text(st, i++, event_satisfaction_name(e->satisfaction));
    db_bind_text(st, i++, e->merged_into);
    db_bind_text(st, i++, event_urgency_name(e->urgency));
    sqlite3_bind_int64(st, i++, e->id);
    return step_done(db, st, err);
}

static int get_one(struct db *db, sqlite3_stmt *st, struct event *out, const char *what,
                   struct app_error *err)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_event(st, 0, out);
        sqlite3_reset(st);
        return 0;
    }
    if (rc != SQLITE_DONE)
        return db_fail(db, err);
    return app_fail(err, APP_ERR_NOT_FOUND, "not_found", NULL, "事件 %s 不存在", what);
}

int event_store_get(struct db *db, const char *code, struct event *out, struct app_error *err)
{
    static const char sql[] = "SELECT " EVENT_COLUMNS EVENT_FROM "WHERE e.code = ?";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, code);
    return get_one(db, st, out, code, err);
}

int event_store_get_by_tracking(struct db *db, const char *tracking, struct event *out,
                                struct app_error *err)
{
    static const char sql[] =
        "SELECT " EVENT_COLUMNS EVENT_FROM "WHERE e.tracking = ?1 OR e.code = ?1";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, tracking);
    return get_one(db, st, out, tracking, err);
}

int event_store_get_by_id(struct db *db, int64_t id, struct event *out, struct app_error *err)
{
    static const char sql[] = "SELECT " EVENT_COLUMNS EVENT_FROM "WHERE e.id = ?";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    return get_one(db, st, out, "", err);
}

static int read_list(struct db *db, sqlite3_stmt *st, struct event_list *out,
                     struct app_error *err)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        XGROW(out);
        read_event(st, 0, &out->items[out->len++]);
    }
    if (rc != SQLITE_DONE) {
        event_list_release(out);
        return db_fail(db, err);
    }
    return 0;
}

/* A substring of at least 3 characters uses the trigram index; shorter ones (two Chinese
 * characters, e.g. 噪声) fall back to LIKE, which the trigram tokenizer cannot serve. */
static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

/* The filters of a list; ?16 limit, ?20 offset. */
#define LIST_WHERE                                                                                 \
    "WHERE (?1 IS NULL OR e.state = ?1) "                                                          \
    "AND (?2 IS NULL OR (?2 = 1) = (e.state NOT IN ('closed','revisited','voided','merged'))) "    \
    "AND (?3 IS NULL OR e.category = ?3) AND (?4 IS NULL OR e.channel = ?4) "                      \
    "AND (?5 IS NULL OR e.board = ?5) AND (?6 IS NULL OR e.department = ?6) "                      \
    "AND (?7 IS NULL OR substr(e.grid, 1, length(?7)) = ?7) "                                      \
    "AND (?8 = 0 OR e.alert = 'red') "                                                             \
    "AND (?9 = 0 OR e.created_at >= ?9) AND (?10 = 0 OR e.created_at < ?10) "                      \
    "AND (?11 IS NULL OR e.id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?11)) "      \
    "AND (?12 IS NULL OR instr(e.title, ?12) > 0 OR instr(e.description, ?12) > 0) "               \
    "AND (?13 IS NULL OR substr(e.grid, 1, length(?13)) = ?13) "                                   \
    "AND (?14 IS NULL OR e.department = ?14) "                                                     \
    "AND (?15 = 0 OR e.id < ?15) "                                                                 \
    "AND (?17 IS NULL OR instr(?17, ',' || e.state || "                                            \
    "     CASE WHEN e.extension_pending THEN '+' ELSE '' END || ',') > 0) "                        \
    "AND (?18 IS NULL OR e.post = ?18) "                                                           \
    "AND (CASE e.level WHEN 'street' THEN 0 WHEN 'district' THEN 1 ELSE 2 END) <= ?19 "            \
    "AND (?21 IS NULL OR e.urgency = ?21) "
#define URGENCY_RANK "(CASE e.urgency WHEN 'critical' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END)"

int event_store_list(struct db *db, const struct event_query *q,
                     const struct event_store_scope *scope, const struct event_store_turn *turn,
                     int64_t before_id, long offset, struct event_list *out, struct app_error *err)
{
    static const char newest[] =
        "SELECT " EVENT_COLUMNS EVENT_FROM LIST_WHERE "ORDER BY e.id DESC LIMIT ?16 OFFSET ?20";
    static const char oldest[] =
        "SELECT " EVENT_COLUMNS EVENT_FROM LIST_WHERE "ORDER BY e.id LIMIT ?16 OFFSET ?20";
    static const char due[] = "SELECT " EVENT_COLUMNS EVENT_FROM LIST_WHERE
                              "ORDER BY e.due_at = 0, e.due_at, e.id DESC LIMIT ?16 OFFSET ?20";
    static const char urgency[] = "SELECT " EVENT_COLUMNS EVENT_FROM LIST_WHERE
                                  "ORDER BY " URGENCY_RANK ", e.due_at = 0, e.due_at, e.id DESC "
                                  "LIMIT ?16 OFFSET ?20";
    const char *sql = q->sort == EVENT_SORT_OLDEST    ? oldest
                      : q->sort == EVENT_SORT_DUE     ? due
                      : q->sort == EVENT_SORT_URGENCY ? urgency
                                                      : newest;
    sqlite3_stmt *st = db_stmt(db, sql, err);
    memset(out, 0, sizeof(*out));
    if (!st)
        return -1;
    const char *status = q->status;
    if (status && (strcmp(status, "open") == 0 || strcmp(status, "closed") == 0)) {
        sqlite3_bind_int(st, 2, strcmp(status, "open") == 0);
        status = NULL;
    }
    db_bind_text(st, 1, status);
    db_bind_text(st, 3, q->category);
    db_bind_text(st, 4, q->channel);
    db_bind_text(st, 5, q->board);
    db_bind_text(st, 6, q->department);
    char region[32] = "";
    if (q->region) {
        snprintf(region, sizeof(region), "%s", q->region);
        if (strlen(region) == 6 && strcmp(region + 2, "0000") == 0)
            region[2] = 0;
        db_bind_text(st, 7, region);
    }
    sqlite3_bind_int(st, 8, q->overdue_only);
    sqlite3_bind_int64(st, 9, q->from);
    sqlite3_bind_int64(st, 10, q->to);
    struct buf fts = BUF_INIT;
    if (q->q && *q->q) {
        if (utf8_chars(q->q) >= 3) {
            /* One quoted phrase: the user's text is data, never FTS syntax. */
            buf_putc(&fts, '"');
            for (const char *p = q->q; *p; p++) {
                if (*p == '"')
                    buf_putc(&fts, '"');
                buf_putc(&fts, *p);
            }
            buf_putc(&fts, '"');
            db_bind_text(st, 11, buf_cstr(&fts));
        } else {
            db_bind_text(st, 12, q->q);
        }
    }
    db_bind_text(st, 13, scope->region_prefix);
    db_bind_text(st, 14, scope->department);
    sqlite3_bind_int64(st, 15, before_id);
    sqlite3_bind_int64(st, 16, q->limit > 0 ? q->limit : 100);
    db_bind_text(st, 17, turn ? turn->states : NULL);
    db_bind_text(st, 18, turn ? turn->post : NULL);
    sqlite3_bind_int(st, 19, turn && turn->states ? turn->max_level : 2);
    sqlite3_bind_int64(st, 20, offset);
    db_bind_text(st, 21, q->urgency);
    int rc = read_list(db, st, out, err);
    buf_release(&fts);
    return rc;
}

int event_store_nearby(struct db *db, const char *category, double min_lon, double min_lat,
                       double max_lon, double max_lat, struct event_list *out,
                       struct app_error *err)
{
    static const char sql[] =
        "SELECT " EVENT_COLUMNS EVENT_FROM
        "WHERE e.category = ? AND e.state NOT IN ('closed','revisited','voided','merged') "
        "AND e.lon BETWEEN ? AND ? AND e.lat BETWEEN ? AND ? ORDER BY e.id LIMIT 200";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    memset(out, 0, sizeof(*out));
    if (!st)
        return -1;
    db_bind_text(st, 1, category);
    sqlite3_bind_double(st, 2, min_lon);
    sqlite3_bind_double(st, 3, max_lon);
    sqlite3_bind_double(st, 4, min_lat);
    sqlite3_bind_double(st, 5, max_lat);
    return read_list(db, st, out, err);
}

int event_store_due(struct db *db, int64_t now, struct event_list *out, struct app_error *err)
{
    static const char sql[] =
        "SELECT " EVENT_COLUMNS EVENT_FROM
        "WHERE e.state NOT IN ('closed','revisited','voided','merged','parked') "
        "AND ((e.due_at > 0 AND e.due_at <= ?1 AND e.alert <> 'red') "
        "  OR (e.warn_at > 0 AND e.warn_at <= ?1 AND e.alert = 'none')) "
        "ORDER BY e.due_at LIMIT 2000";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    memset(out, 0, sizeof(*out));
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, now);
    return read_list(db, st, out, err);
}

/* ---- history ----------------------------------------------------------------------------- */

int event_store_history_insert(struct db *db, int64_t event_id,
                               const struct event_history_item *h, struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO event_history(event_id, at, action, from_state, to_state, actor, actor_role, "
        "actor_name, comment, attachments, department, post, level, due_at, overdue, internal) "
        "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    int i = 1;
    sqlite3_bind_int64(st, i++, event_id);
    sqlite3_bind_int64(st, i++, h->at);
    db_bind_text(st, i++, h->action);
    db_bind_text(st, i++, event_state_name(h->from_state));
    db_bind_text(st, i++, event_state_name(h->to_state));
    db_bind_text(st, i++, h->actor);
    db_bind_text(st, i++, h->actor_role);
    db_bind_text(st, i++, h->actor_name);
    db_bind_text(st, i++, h->comment ? h->comment : "");
    db_bind_text(st, i++, h->attachments ? h->attachments : "");
    db_bind_text(st, i++, h->department);
    db_bind_text(st, i++, h->post);
    db_bind_text(st, i++, event_level_name((enum event_level)h->level));
    sqlite3_bind_int64(st, i++, h->due_at);
    sqlite3_bind_int(st, i++, h->overdue);
    sqlite3_bind_int(st, i++, h->internal);
    return step_done(db, st, err);
}

#define HISTORY_COLUMNS                                                                           \
    "h.id, ev.code, h.at, h.action, h.from_state, h.to_state, h.actor, h.actor_role, "            \
    "h.actor_name, h.comment, h.attachments, h.department, h.post, h.level, h.due_at, "           \
    "h.overdue, h.internal"
#define HISTORY_NCOLS 17

static void read_history(sqlite3_stmt *st, int b, struct event_history_item *h)
{
    memset(h, 0, sizeof(*h));
    h->id = sqlite3_column_int64(st, b + 0);
    db_copy_text(h->event_code, sizeof(h->event_code), st, b + 1);
    h->at = sqlite3_column_int64(st, b + 2);
    db_copy_text(h->action, sizeof(h->action), st, b + 3);
    h->from_state = (enum event_state)col_enum(st, b + 4, event_state_parse);
    h->to_state = (enum event_state)col_enum(st, b + 5, event_state_parse);
    db_copy_text(h->actor, sizeof(h->actor), st, b + 6);
    db_copy_text(h->actor_role, sizeof(h->actor_role), st, b + 7);
    db_copy_text(h->actor_name, sizeof(h->actor_name), st, b + 8);
    h->comment = db_dup_text(st, b + 9);
    h->attachments = db_dup_text(st, b + 10);
    db_copy_text(h->department, sizeof(h->department), st, b + 11);
    db_copy_text(h->post, sizeof(h->post), st, b + 12);
    h->level = col_enum(st, b + 13, event_level_parse);
    h->due_at = sqlite3_column_int64(st, b + 14);
    h->overdue = sqlite3_column_int(st, b + 15) != 0;
    h->internal = sqlite3_column_int(st, b + 16) != 0;
}

int event_store_history_list(struct db *db, int64_t event_id, const char *code,
                             struct event_history *out, struct app_error *err)
{
    static const char sql[] =
        "SELECT " HISTORY_COLUMNS " FROM event_history h JOIN events ev ON ev.id = h.event_id "
        "WHERE h.event_id = ?1 OR (?2 <> '' AND ev.merged_into = ?2) ORDER BY h.at, h.id";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    memset(out, 0, sizeof(*out));
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, event_id);
    db_bind_text(st, 2, code ? code : "");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        XGROW(out);
        read_history(st, 0, &out->items[out->len++]);
    }
    if (rc != SQLITE_DONE) {
        event_history_release(out);
        return db_fail(db, err);
    }
    return 0;
}

int event_store_history_scan(struct db *db, int64_t from, int64_t to,
                             int (*cb)(void *ctx, const struct event *e,
                                       const struct event_history_item *h),
                             void *ctx, struct app_error *err)
{
    static const char sql[] =
        "SELECT " HISTORY_COLUMNS ", " EVENT_COLUMNS
        " FROM event_history h JOIN events ev ON ev.id = h.event_id "
        "JOIN events e ON e.id = h.event_id JOIN event_categories c ON c.code = e.category "
        "WHERE h.at >= ?1 AND (?2 = 0 OR h.at < ?2) ORDER BY h.at, h.id";
    /* A private statement: the callback may use the cached ones. */
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db_sqlite(db), sql, -1, &st, NULL) != SQLITE_OK)
        return db_fail(db, err);
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct event_history_item h;
        struct event e;
        read_history(st, 0, &h);
        read_event(st, HISTORY_NCOLS, &e);
        int stop = cb(ctx, &e, &h);
        free(h.comment);
        free(h.attachments);
        event_release(&e);
        if (stop)
            break;
    }
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        ret = db_fail(db, err);
    sqlite3_finalize(st);
    return ret;
}

/* ---- attachments ------------------------------------------------------------------------- */

int event_store_attachment_put(struct db *db, const char *sha, const char *mime, long size,
                               const char *by, int64_t at, struct app_error *err)
{
    static const char sql[] =
        "INSERT OR IGNORE INTO event_attachments(sha, mime, size, uploaded_by, uploaded_at) "
        "VALUES(?,?,?,?,?)";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, sha);
    db_bind_text(st, 2, mime);
    sqlite3_bind_int64(st, 3, size);
    db_bind_text(st, 4, by ? by : "");
    sqlite3_bind_int64(st, 5, at);
    if (step_done(db, st, err))
        return -1;
    if (!by || !*by)
        return 0;
    static const char up[] =
        "INSERT OR IGNORE INTO event_attachment_uploaders(sha, username) VALUES(?,?)";
    if (!(st = db_stmt(db, up, err)))
        return -1;
    db_bind_text(st, 1, sha);
    db_bind_text(st, 2, by);
    return step_done(db, st, err);
}

int event_store_attachment_uploaded_by(struct db *db, const char *sha, const char *username,
                                       struct app_error *err)
{
    static const char sql[] =
        "SELECT 1 FROM event_attachment_uploaders WHERE sha = ? AND username = ?";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, sha);
    db_bind_text(st, 2, username);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_fail(db, err);
    return rc == SQLITE_ROW;
}

int event_store_attachment_get(struct db *db, const char *sha, char *mime, size_t mime_n,
                               char *by, size_t by_n, struct app_error *err)
{
    static const char sql[] = "SELECT mime, uploaded_by FROM event_attachments WHERE sha = ?";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, sha);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        db_copy_text(mime, mime_n, st, 0);
        db_copy_text(by, by_n, st, 1);
        sqlite3_reset(st);
        return 1;
    }
    if (rc != SQLITE_DONE)
        return db_fail(db, err);
    return 0;
}

int event_store_attachment_link(struct db *db, const char *sha, int64_t event_id,
                                struct app_error *err)
{
    static const char sql[] =
        "INSERT OR IGNORE INTO event_attachment_links(sha, event_id) VALUES(?,?)";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, sha);
    sqlite3_bind_int64(st, 2, event_id);
    return step_done(db, st, err);
}

int event_store_attachment_events(struct db *db, const char *sha, int64_t *ids, size_t n,
                                  size_t *count, struct app_error *err)
{
    static const char sql[] =
        "SELECT event_id FROM event_attachment_links WHERE sha = ? ORDER BY event_id LIMIT 64";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    *count = 0;
    if (!st)
        return -1;
    db_bind_text(st, 1, sha);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (*count < n)
            ids[(*count)++] = sqlite3_column_int64(st, 0);
    if (rc != SQLITE_DONE)
        return db_fail(db, err);
    return 0;
}

/* ---- residents' public intake ------------------------------------------------------------ */

int event_store_public_times(struct db *db, const char *client, const char *kind, int64_t since,
                             int64_t *times, size_t max, size_t *n, struct app_error *err)
{
    static const char sql[] = "SELECT at FROM event_public_intake WHERE client = ? AND kind = ? "
                              "AND at > ? ORDER BY at DESC LIMIT ?";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    *n = 0;
    if (!st)
        return -1;
    db_bind_text(st, 1, client);
    db_bind_text(st, 2, kind);
    sqlite3_bind_int64(st, 3, since);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)max);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (*n < max)
            times[(*n)++] = sqlite3_column_int64(st, 0);
    if (rc != SQLITE_DONE)
        return db_fail(db, err);
    return 0;
}

int event_store_public_record(struct db *db, const char *client, const char *kind, int64_t at,
                              int64_t forget_before, struct app_error *err)
{
    static const char del[] = "DELETE FROM event_public_intake WHERE at < ?";
    static const char ins[] = "INSERT INTO event_public_intake(client, kind, at) VALUES(?,?,?)";
    sqlite3_stmt *st = db_stmt(db, del, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, forget_before);
    if (step_done(db, st, err))
        return -1;
    if (!(st = db_stmt(db, ins, err)))
        return -1;
    db_bind_text(st, 1, client);
    db_bind_text(st, 2, kind);
    sqlite3_bind_int64(st, 3, at);
    return step_done(db, st, err);
}

int event_store_public_photo_put(struct db *db, const char *token, const char *sha,
                                 const char *client, int64_t at, struct app_error *err)
{
    static const char sql[] = "INSERT INTO event_public_photos(token, sha, client, created_at) "
                              "VALUES(?,?,?,?)";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, token);
    db_bind_text(st, 2, sha);
    db_bind_text(st, 3, client);
    sqlite3_bind_int64(st, 4, at);
    return step_done(db, st, err);
}

int event_store_public_photo_find(struct db *db, const char *token, int64_t since, char *sha,
                                  size_t sha_n, struct app_error *err)
{
    static const char sql[] = "SELECT sha FROM event_public_photos WHERE token = ? AND "
                              "event_id = 0 AND created_at >= ?";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, token);
    sqlite3_bind_int64(st, 2, since);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE)
        return 0;
    if (rc != SQLITE_ROW)
        return db_fail(db, err);
    db_copy_text(sha, sha_n, st, 0);
    sqlite3_reset(st);
    return 1;
}

int event_store_public_photo_use(struct db *db, const char *token, int64_t event_id,
                                 struct app_error *err)
{
    static const char sql[] =
        "UPDATE event_public_photos SET event_id = ? WHERE token = ? AND event_id = 0";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, event_id);
    db_bind_text(st, 2, token);
    if (step_done(db, st, err))
        return -1;
    return sqlite3_changes(db_sqlite(db)) == 1 ? 1 : 0;
}

int event_store_public_photo_expired(struct db *db, int64_t before, char (*tokens)[40],
                                     char (*shas)[EVENT_SHA_SIZE], size_t max, size_t *n,
                                     struct app_error *err)
{
    static const char sql[] = "SELECT token, sha FROM event_public_photos WHERE event_id = 0 "
                              "AND created_at < ? ORDER BY created_at LIMIT ?";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    *n = 0;
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, before);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)max);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max) {
        db_copy_text(tokens[*n], sizeof(tokens[0]), st, 0);
        db_copy_text(shas[*n], sizeof(shas[0]), st, 1);
        (*n)++;
    }
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return db_fail(db, err);
    sqlite3_reset(st);
    return 0;
}

int event_store_public_photo_drop(struct db *db, const char *token, const char *sha,
                                  struct app_error *err)
{
    static const char del[] = "DELETE FROM event_public_photos WHERE token = ? AND event_id = 0";
    static const char orphan[] =
        "DELETE FROM event_attachments WHERE sha = ?1 AND uploaded_by = '' "
        "AND NOT EXISTS (SELECT 1 FROM event_attachment_links l WHERE l.sha = ?1) "
        "AND NOT EXISTS (SELECT 1 FROM event_attachment_uploaders u WHERE u.sha = ?1) "
        "AND NOT EXISTS (SELECT 1 FROM event_public_photos p WHERE p.sha = ?1)";
    sqlite3_stmt *st = db_stmt(db, del, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, token);
    if (step_done(db, st, err))
        return -1;
    if (!(st = db_stmt(db, orphan, err)))
        return -1;
    db_bind_text(st, 1, sha);
    if (step_done(db, st, err))
        return -1;
    return sqlite3_changes(db_sqlite(db)) > 0 ? 1 : 0;
}

/* ---- idempotency keys -------------------------------------------------------------------- */

int event_store_idem_reserve(struct db *db, const char *scope, const char *key, int64_t now,
                             int64_t expire_before, int64_t stale_before, int *status, char **body,
                             struct app_error *err)
{
    static const char purge[] = "DELETE FROM event_idempotency WHERE created_at < ?";
    static const char ins[] =
        "INSERT OR IGNORE INTO event_idempotency(scope, key, status, created_at) VALUES(?,?,0,?)";
    static const char take[] = "UPDATE event_idempotency SET created_at = ?3 "
                               "WHERE scope = ?1 AND key = ?2 AND status = 0 AND created_at < ?4";
    static const char get[] =
        "SELECT status, body FROM event_idempotency WHERE scope = ? AND key = ?";
    sqlite3_stmt *st = db_stmt(db, purge, err);
    *status = 0;
    *body = NULL;
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, expire_before);
    if (step_done(db, st, err) || !(st = db_stmt(db, ins, err)))
        return -1;
    db_bind_text(st, 1, scope);
    db_bind_text(st, 2, key);
    sqlite3_bind_int64(st, 3, now);
    if (step_done(db, st, err))
        return -1;
    if (sqlite3_changes(db_sqlite(db)) > 0)
        return 0;
    /* A first request that never finished (the process died) is taken over. */
    if (!(st = db_stmt(db, take, err)))
        return -1;
    db_bind_text(st, 1, scope);
    db_bind_text(st, 2, key);
    sqlite3_bind_int64(st, 3, now);
    sqlite3_bind_int64(st, 4, stale_before);
    if (step_done(db, st, err))
        return -1;
    if (sqlite3_changes(db_sqlite(db)) > 0)
        return 0;
    if (!(st = db_stmt(db, get, err)))
        return -1;
    db_bind_text(st, 1, scope);
    db_bind_text(st, 2, key);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *status = sqlite3_column_int(st, 0);
        *body = xstrdup((const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_fail(db, err);
    return 1;
}

int event_store_idem_finish(struct db *db, const char *scope, const char *key, int status,
                            const char *body, struct app_error *err)
{
    static const char del[] =
        "DELETE FROM event_idempotency WHERE scope = ? AND key = ? AND status = 0";
    static const char upd[] =
        "UPDATE event_idempotency SET status = ?3, body = ?4 WHERE scope = ?1 AND key = ?2";
    sqlite3_stmt *st = db_stmt(db, body ? upd : del, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, scope);
    db_bind_text(st, 2, key);
    if (body) {
        sqlite3_bind_int(st, 3, status);
        db_bind_text(st, 4, body);
    }
    return step_done(db, st, err);
}

int event_store_open_link_event(struct db *db, const char *link_type, const char *link_id,
                                const char *category, char *code, size_t n, struct app_error *err)
{
    static const char sql[] =
        "SELECT code FROM events WHERE link_type = ? AND link_id = ? AND category = ? "
        "AND state NOT IN ('closed', 'revisited', 'voided', 'merged') ORDER BY id DESC LIMIT 1";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    code[0] = 0;
    if (!st)
        return -1;
    db_bind_text(st, 1, link_type);
    db_bind_text(st, 2, link_id);
    db_bind_text(st, 3, category);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        snprintf(code, n, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_fail(db, err);
    return rc == SQLITE_ROW;
}
