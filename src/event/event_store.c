/* The SQL of the event record: categories, routes, code serials and the events themselves
 * (insert, update, reads and the list with its filters and full-text search), through the store
 * helper layer (core/db_row.h). The history is in history_store.c, attachments, residents'
 * intake and idempotency keys in intake_store.c. */
#include "event/event_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/xalloc.h"
#include "event/event_row.h"

bool event_store_in_tx(struct db *db)
{
    return db_in_transaction(db);
}

int event_row_enum(const char *name, int (*parse)(const char *))
{
    int v = parse(name);
    return v < 0 ? 0 : v;
}

/* ---- categories -------------------------------------------------------------------------- */

#define CATEGORY_COLUMNS                                                                           \
    "code, name, major, kind, board, department, unit, limit_verify, limit_dispatch, "             \
    "limit_handle, limit_check, self_handle, urgent"

struct category_row {
    struct event_category c;
    char unit[8];
};
static const struct db_column category_cols[] = {
    DB_COL(CHARS, struct category_row, c.code),
    DB_COL(CHARS, struct category_row, c.name),
    DB_COL(CHARS, struct category_row, c.major),
    DB_COL(CHARS, struct category_row, c.kind),
    DB_COL(CHARS, struct category_row, c.board),
    DB_COL(CHARS, struct category_row, c.department),
    DB_COL(CHARS, struct category_row, unit),
    DB_COL(INT, struct category_row, c.limit_verify),
    DB_COL(INT, struct category_row, c.limit_dispatch),
    DB_COL(INT, struct category_row, c.limit_handle),
    DB_COL(INT, struct category_row, c.limit_check),
    DB_COL(BOOL, struct category_row, c.self_handle),
    DB_COL(BOOL, struct category_row, c.urgent),
};
static const struct db_row_map category_map = DB_ROW_MAP(struct category_row, category_cols);

static void category_finish(struct category_row *r)
{
    r->c.unit = strcmp(r->unit, "wd") == 0  ? EVENT_LIMIT_WORK_DAYS
                : strcmp(r->unit, "h") == 0 ? EVENT_LIMIT_HOURS
                                            : EVENT_LIMIT_WORK_HOURS;
}

int event_store_category_get(struct db *db, const char *code, struct event_category *out,
                             struct app_error *err)
{
    static const char sql[] = "SELECT " CATEGORY_COLUMNS " FROM event_categories WHERE code = ?";
    struct category_row r;
    bool found;
    if (db_get(db, sql, DB_PARAMS(DB_TEXT(code)), &category_map, &r, &found, err))
        return -1;
    if (!found)
        return app_fail(err, APP_ERR_NOT_FOUND, "not_found", "category", "类别 %s 不存在",
                        code ? code : "");
    category_finish(&r);
    *out = r.c;
    return 0;
}

static int append_category(void *ctx, void *row)
{
    struct event_category_list *out = ctx;
    category_finish(row);
    XGROW(out);
    out->items[out->len++] = ((struct category_row *)row)->c;
    return 0;
}

int event_store_category_list(struct db *db, struct event_category_list *out,
                              struct app_error *err)
{
    static const char sql[] = "SELECT " CATEGORY_COLUMNS " FROM event_categories ORDER BY code";
    struct category_row row;
    memset(out, 0, sizeof(*out));
    if (db_each(db, sql, DB_NO_PARAMS, &category_map, &row, append_category, out, err)) {
        event_category_list_release(out);
        return -1;
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
    return db_run(db, sql,
                  DB_PARAMS(DB_TEXT(c->code), DB_TEXT(c->name), DB_TEXT(c->major), DB_TEXT(c->kind),
                            DB_TEXT(c->board), DB_TEXT(c->department), DB_TEXT(units[c->unit]),
                            DB_INT(c->limit_verify), DB_INT(c->limit_dispatch),
                            DB_INT(c->limit_handle), DB_INT(c->limit_check), DB_INT(c->self_handle),
                            DB_INT(c->urgent)),
                  err);
}

struct one_int {
    int64_t v;
};
static const struct db_column one_int_cols[] = {DB_COL(INT64, struct one_int, v)};
static const struct db_row_map one_int_map = DB_ROW_MAP(struct one_int, one_int_cols);

int event_store_category_count(struct db *db, long *out, struct app_error *err)
{
    static const char sql[] = "SELECT count(*) FROM event_categories";
    struct one_int r;
    if (db_get(db, sql, DB_NO_PARAMS, &one_int_map, &r, NULL, err))
        return -1;
    *out = (long)r.v;
    return 0;
}

/* ---- routes ------------------------------------------------------------------------------ */

static const struct db_column route_cols[] = {
    DB_COL(CHARS, struct event_route, category),
    DB_COL(CHARS, struct event_route, region),
    DB_COL(CHARS, struct event_route, post),
    DB_COL(CHARS, struct event_route, department),
};
static const struct db_row_map route_map = DB_ROW_MAP(struct event_route, route_cols);

int event_store_route_find(struct db *db, const char *category, const char *grid, char *post,
                           size_t post_n, char *department, size_t dept_n,
                           struct app_error *err)
{
    /* The longest region code that is a prefix of the grid wins; an exact class beats '*'. */
    static const char sql[] =
        "SELECT category, region, post, department FROM event_routes "
        "WHERE (category = ?1 OR category = '*') AND substr(?2, 1, length(region)) = region "
        "ORDER BY length(region) DESC, category = '*' LIMIT 1";
    struct event_route r;
    bool found;
    if (db_get(db, sql, DB_PARAMS(DB_TEXT(category), DB_TEXT(grid)), &route_map, &r, &found, err))
        return -1;
    if (!found)
        return 0;
    snprintf(post, post_n, "%s", r.post);
    snprintf(department, dept_n, "%s", r.department);
    return 1;
}

int event_store_route_put(struct db *db, const char *category, const char *region,
                          const char *post, const char *department, struct app_error *err)
{
    static const char sql[] =
        "INSERT OR REPLACE INTO event_routes(category, region, post, department) "
        "VALUES(?,?,?,?)";
    return db_run(db, sql,
                  DB_PARAMS(DB_TEXT(category), DB_TEXT(region), DB_TEXT(post ? post : ""),
                            DB_TEXT(department ? department : "")),
                  err);
}

int event_store_route_list(struct db *db, const char *prefix, struct event_route_list *out,
                           struct app_error *err)
{
    static const char sql[] =
        "SELECT category, region, post, department FROM event_routes "
        "WHERE ?1 IS NULL OR substr(region, 1, length(?1)) = ?1 ORDER BY region, category";
    memset(out, 0, sizeof(*out));
    if (db_list(db, sql, DB_PARAMS(DB_TEXT(prefix)), &route_map, DB_LIST(out), -1, NULL, err)) {
        event_route_list_release(out);
        return -1;
    }
    return 0;
}

int event_store_post_exists(struct db *db, const char *code, struct app_error *err)
{
    static const char sql[] = "SELECT 1 FROM posts WHERE code = ?";
    struct one_int r;
    bool found;
    if (db_get(db, sql, DB_PARAMS(DB_TEXT(code)), &one_int_map, &r, &found, err))
        return -1;
    return found ? 1 : 0;
}

int event_store_next_serial(struct db *db, const char *prefix, int *serial,
                            struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO event_serials(prefix, last) VALUES(?, 1) "
        "ON CONFLICT(prefix) DO UPDATE SET last = last + 1 RETURNING last";
    struct one_int r;
    if (db_get(db, sql, DB_PARAMS(DB_TEXT(prefix)), &one_int_map, &r, NULL, err))
        return -1;
    *serial = (int)r.v;
    return 0;
}

struct one_text {
    char *v;
};
static const struct db_column one_text_cols[] = {DB_COL(STRDUP, struct one_text, v)};
static const struct db_row_map one_text_map = DB_ROW_MAP(struct one_text, one_text_cols);

/* The text of the first row of sql into out[n] ("" without a row); 1 when there was a row. */
static int get_text(struct db *db, const char *sql, const struct db_param *params, size_t nparams,
                    char *out, size_t n, struct app_error *err)
{
    struct one_text r;
    bool found;
    out[0] = 0;
    if (db_get(db, sql, params, nparams, &one_text_map, &r, &found, err))
        return -1;
    snprintf(out, n, "%s", r.v ? r.v : "");
    free(r.v);
    return found ? 1 : 0;
}

int event_store_department_name(struct db *db, const char *code, char *out, size_t n,
                                struct app_error *err)
{
    static const char sql[] = "SELECT name FROM departments WHERE code = ?";
    return get_text(db, sql, DB_PARAMS(DB_TEXT(code)), out, n, err) < 0 ? -1 : 0;
}

int event_store_open_link_event(struct db *db, const char *link_type, const char *link_id,
                                const char *category, char *code, size_t n, struct app_error *err)
{
    static const char sql[] =
        "SELECT code FROM events WHERE link_type = ? AND link_id = ? AND category = ? "
        "AND state NOT IN ('closed', 'revisited', 'voided', 'merged') ORDER BY id DESC LIMIT 1";
    return get_text(db, sql, DB_PARAMS(DB_TEXT(link_type), DB_TEXT(link_id), DB_TEXT(category)),
                    code, n, err);
}

/* ---- events ------------------------------------------------------------------------------ */

static const struct db_column event_cols[] = {EVENT_ROW_COLS(struct event_row, )};
static const struct db_row_map event_map = DB_ROW_MAP(struct event_row, event_cols);

static int alert_parse(const char *s)
{
    return strcmp(s, "red") == 0      ? EVENT_ALERT_RED
           : strcmp(s, "yellow") == 0 ? EVENT_ALERT_YELLOW
                                      : EVENT_ALERT_NONE;
}

void event_row_finish(struct event_row *r)
{
    struct event *e = &r->e;
    e->channel = (enum event_channel)event_row_enum(r->channel, event_channel_parse);
    e->urgency = (enum event_urgency)event_row_enum(r->urgency, event_urgency_parse);
    e->state = (enum event_state)event_row_enum(r->state, event_state_parse);
    e->prev_state = (enum event_state)event_row_enum(r->prev_state, event_state_parse);
    e->level = (enum event_level)event_row_enum(r->level, event_level_parse);
    e->alert = (enum event_alert)alert_parse(r->alert);
    int sat = event_satisfaction_parse(r->satisfaction);
    e->satisfaction = sat < 0 ? EVENT_SAT_NONE : (enum event_satisfaction)sat;
    if (!e->description)
        e->description = xstrdup("");
}

int event_store_insert(struct db *db, struct event *e, struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO events(code, tracking, channel, category, title, description, lon, lat, "
        "grid, community, street, district, address, reporter_name, reporter_contact, "
        "reporter_user, urgency, state, prev_state, level, board, created_at, updated_at, "
        "stage_started_at, due_at, warn_at, handle_due_at, alert, link_type, link_id, synthetic) "
        "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id";
    struct one_int r;
    int rc = db_get(
        db, sql,
        DB_PARAMS(DB_TEXT(e->code), DB_TEXT(e->tracking), DB_TEXT(event_channel_name(e->channel)),
                  DB_TEXT(e->category), DB_TEXT(e->title),
                  DB_TEXT(e->description ? e->description : ""), DB_DOUBLE(e->lon),
                  DB_DOUBLE(e->lat), DB_TEXT(e->grid), DB_TEXT(e->community), DB_TEXT(e->street),
                  DB_TEXT(e->district), DB_TEXT(e->address), DB_TEXT(e->reporter_name),
                  DB_TEXT(e->reporter_contact), DB_INT(e->reporter_user),
                  DB_TEXT(event_urgency_name(e->urgency)), DB_TEXT(event_state_name(e->state)),
                  DB_TEXT(event_state_name(e->prev_state)), DB_TEXT(event_level_name(e->level)),
                  DB_TEXT(e->board), DB_INT(e->created_at), DB_INT(e->updated_at),
                  DB_INT(e->stage_started_at), DB_INT(e->due_at), DB_INT(e->warn_at),
                  DB_INT(e->handle_due_at), DB_TEXT(event_alert_name(e->alert)),
                  DB_TEXT(e->link_type), DB_TEXT(e->link_id), DB_INT(e->synthetic)),
        &one_int_map, &r, NULL, err);
    if (rc)
        return -1;
    e->id = r.v;
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
    return db_run(
        db, sql,
        DB_PARAMS(DB_TEXT(event_state_name(e->state)), DB_TEXT(event_state_name(e->prev_state)),
                  DB_TEXT(event_level_name(e->level)), DB_TEXT(e->board), DB_TEXT(e->department),
                  DB_TEXT(e->post), DB_TEXT(e->handler), DB_INT(e->updated_at),
                  DB_INT(e->stage_started_at), DB_INT(e->due_at), DB_INT(e->warn_at),
                  DB_INT(e->handle_due_at), DB_INT(e->closed_at),
                  DB_TEXT(event_alert_name(e->alert)), DB_INT(e->return_count),
                  DB_INT(e->rework_count), DB_INT(e->reopen_count), DB_INT(e->escalations),
                  DB_INT(e->extension_pending), DB_INT(e->extension_hours),
                  DB_TEXT(event_satisfaction_name(e->satisfaction)), DB_TEXT(e->merged_into),
                  DB_TEXT(event_urgency_name(e->urgency)), DB_INT(e->id)),
        err);
}

static int get_one(struct db *db, const char *sql, struct db_param key, struct event *out,
                   const char *what, struct app_error *err)
{
    struct event_row r;
    bool found;
    if (db_get(db, sql, &key, 1, &event_map, &r, &found, err))
        return -1;
    if (!found)
        return app_fail(err, APP_ERR_NOT_FOUND, "not_found", NULL, "事件 %s 不存在", what);
    event_row_finish(&r);
    *out = r.e;
    return 0;
}

int event_store_get(struct db *db, const char *code, struct event *out, struct app_error *err)
{
    static const char sql[] = "SELECT " EVENT_COLUMNS EVENT_FROM "WHERE e.code = ?";
    return get_one(db, sql, DB_TEXT(code), out, code, err);
}

int event_store_get_by_tracking(struct db *db, const char *tracking, struct event *out,
                                struct app_error *err)
{
    static const char sql[] =
        "SELECT " EVENT_COLUMNS EVENT_FROM "WHERE e.tracking = ?1 OR e.code = ?1";
    return get_one(db, sql, DB_TEXT(tracking), out, tracking, err);
}

int event_store_get_by_id(struct db *db, int64_t id, struct event *out, struct app_error *err)
{
    static const char sql[] = "SELECT " EVENT_COLUMNS EVENT_FROM "WHERE e.id = ?";
    return get_one(db, sql, DB_INT(id), out, "", err);
}

static int append_event(void *ctx, void *row)
{
    struct event_list *out = ctx;
    event_row_finish(row);
    XGROW(out);
    out->items[out->len++] = ((struct event_row *)row)->e;
    return 0;
}

static int read_list(struct db *db, const char *sql, const struct db_param *params, size_t nparams,
                     struct event_list *out, struct app_error *err)
{
    struct event_row row;
    memset(out, 0, sizeof(*out));
    if (db_each(db, sql, params, nparams, &event_map, &row, append_event, out, err)) {
        event_list_release(out);
        return -1;
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
#define LIST_NPARAMS 21

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
    struct db_param p[LIST_NPARAMS] = {0}; /* all NULL */
#define P(n) p[(n)-1]
    const char *status = q->status;
    if (status && (strcmp(status, "open") == 0 || strcmp(status, "closed") == 0)) {
        P(2) = DB_INT(strcmp(status, "open") == 0);
        status = NULL;
    }
    P(1) = DB_TEXT(status);
    P(3) = DB_TEXT(q->category);
    P(4) = DB_TEXT(q->channel);
    P(5) = DB_TEXT(q->board);
    P(6) = DB_TEXT(q->department);
    char region[32] = "";
    if (q->region) {
        snprintf(region, sizeof(region), "%s", q->region);
        if (strlen(region) == 6 && strcmp(region + 2, "0000") == 0)
            region[2] = 0;
        P(7) = DB_TEXT(region);
    }
    P(8) = DB_INT(q->overdue_only);
    P(9) = DB_INT(q->from);
    P(10) = DB_INT(q->to);
    struct buf fts = BUF_INIT;
    if (q->q && *q->q) {
        if (utf8_chars(q->q) >= 3) {
            /* One quoted phrase: the user's text is data, never FTS syntax. */
            buf_putc(&fts, '"');
            for (const char *c = q->q; *c; c++) {
                if (*c == '"')
                    buf_putc(&fts, '"');
                buf_putc(&fts, *c);
            }
            buf_putc(&fts, '"');
            P(11) = DB_TEXT(buf_cstr(&fts));
        } else {
            P(12) = DB_TEXT(q->q);
        }
    }
    P(13) = DB_TEXT(scope->region_prefix);
    P(14) = DB_TEXT(scope->department);
    P(15) = DB_INT(before_id);
    P(16) = DB_INT(q->limit > 0 ? q->limit : 100);
    P(17) = DB_TEXT(turn ? turn->states : NULL);
    P(18) = DB_TEXT(turn ? turn->post : NULL);
    P(19) = DB_INT(turn && turn->states ? turn->max_level : 2);
    P(20) = DB_INT(offset);
    P(21) = DB_TEXT(q->urgency);
#undef P
    int rc = read_list(db, sql, p, LIST_NPARAMS, out, err);
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
    return read_list(db, sql,
                     DB_PARAMS(DB_TEXT(category), DB_DOUBLE(min_lon), DB_DOUBLE(max_lon),
                               DB_DOUBLE(min_lat), DB_DOUBLE(max_lat)),
                     out, err);
}

int event_store_due(struct db *db, int64_t now, struct event_list *out, struct app_error *err)
{
    static const char sql[] =
        "SELECT " EVENT_COLUMNS EVENT_FROM
        "WHERE e.state NOT IN ('closed','revisited','voided','merged','parked') "
        "AND ((e.due_at > 0 AND e.due_at <= ?1 AND e.alert <> 'red') "
        "  OR (e.warn_at > 0 AND e.warn_at <= ?1 AND e.alert = 'none')) "
        "ORDER BY e.due_at LIMIT 2000";
    return read_list(db, sql, DB_PARAMS(DB_INT(now)), out, err);
}
