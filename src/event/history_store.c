/* The SQL of the events' append-only history: a row per action (who, when, from which state to
 * which, the comment and attachments), the list of one event (with the events merged into it)
 * and the walk over a period that the Open311 updates and the indicators read, through the
 * store helper layer (core/db_row.h). */
#include "event/event_store.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "event/event_row.h"

int event_store_history_insert(struct db *db, int64_t event_id, const struct event_history_item *h,
                               struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO event_history(event_id, at, action, from_state, to_state, actor, actor_role, "
        "actor_name, comment, attachments, department, post, level, due_at, overdue, internal) "
        "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    return db_run(db, sql,
                  DB_PARAMS(DB_INT(event_id), DB_INT(h->at), DB_TEXT(h->action),
                            DB_TEXT(event_state_name(h->from_state)),
                            DB_TEXT(event_state_name(h->to_state)), DB_TEXT(h->actor),
                            DB_TEXT(h->actor_role), DB_TEXT(h->actor_name),
                            DB_TEXT(h->comment ? h->comment : ""),
                            DB_TEXT(h->attachments ? h->attachments : ""), DB_TEXT(h->department),
                            DB_TEXT(h->post), DB_TEXT(event_level_name((enum event_level)h->level)),
                            DB_INT(h->due_at), DB_INT(h->overdue), DB_INT(h->internal)),
                  err);
}

static const struct db_column history_cols[] = {HISTORY_ROW_COLS(struct history_row, )};
static const struct db_row_map history_map = DB_ROW_MAP(struct history_row, history_cols);

/* Parse the names of r into r->h; NULL texts become "". */
static void history_finish(struct history_row *r)
{
    struct event_history_item *h = &r->h;
    h->from_state = (enum event_state)event_row_enum(r->from_state, event_state_parse);
    h->to_state = (enum event_state)event_row_enum(r->to_state, event_state_parse);
    h->level = event_row_enum(r->level, event_level_parse);
    if (!h->comment)
        h->comment = xstrdup("");
    if (!h->attachments)
        h->attachments = xstrdup("");
}

static int append_history(void *ctx, void *row)
{
    struct event_history *out = ctx;
    history_finish(row);
    XGROW(out);
    out->items[out->len++] = ((struct history_row *)row)->h;
    return 0;
}

int event_store_history_list(struct db *db, int64_t event_id, const char *code,
                             struct event_history *out, struct app_error *err)
{
    static const char sql[] =
        "SELECT " HISTORY_COLUMNS " FROM event_history h JOIN events ev ON ev.id = h.event_id "
        "WHERE h.event_id = ?1 OR (?2 <> '' AND ev.merged_into = ?2) ORDER BY h.at, h.id";
    struct history_row row;
    memset(out, 0, sizeof(*out));
    if (db_each(db, sql, DB_PARAMS(DB_INT(event_id), DB_TEXT(code ? code : "")), &history_map, &row,
                append_history, out, err)) {
        event_history_release(out);
        return -1;
    }
    return 0;
}

/* A row of the walk: the history row and its event. */
struct scan_row {
    struct history_row h;
    struct event_row ev;
};
static const struct db_column scan_cols[] = {HISTORY_ROW_COLS(struct scan_row, h.),
                                             EVENT_ROW_COLS(struct scan_row, ev.)};
static const struct db_row_map scan_map = DB_ROW_MAP(struct scan_row, scan_cols);

struct scan {
    int (*cb)(void *ctx, const struct event *e, const struct event_history_item *h);
    void *ctx;
};

static int scan_one(void *ctx, void *row)
{
    struct scan *s = ctx;
    struct scan_row *r = row;
    history_finish(&r->h);
    event_row_finish(&r->ev);
    int stop = s->cb(s->ctx, &r->ev.e, &r->h.h);
    free(r->h.h.comment);
    free(r->h.h.attachments);
    event_release(&r->ev.e);
    return stop ? 1 : 0;
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
    struct scan s = {cb, ctx};
    struct scan_row row;
    return db_each(db, sql, DB_PARAMS(DB_INT(from), DB_INT(to)), &scan_map, &row, scan_one, &s,
                   err) < 0
               ? -1
               : 0;
}
