/* The indicator counts from the event history: one SQL pass streams, for the events touched in
 * the period, their history rows before the period end in order; the pure fold of indicator.c
 * turns each event's rows into facts (did it enter 立案, was it closed, overdue, ...) and adds
 * them to its group. Only rows before the period end are read, so the same period always gives
 * the same figures. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/clock.h"
#include "core/db_row.h"
#include "event/event.h"
#include "event/indicator.h"

/* Every history row before the period end of the events touched in the period, in history
 * order per event: ?1 from, ?2 to. The rules that turn rows into facts are pure C
 * (indicator_facts_step); the event's own attributes are read once per event (event_sql), not
 * joined to every row. */
static const char rows_sql[] =
    "SELECT h.event_id, h.at, h.action, h.from_state, h.to_state, h.department, h.overdue,"
    " CASE WHEN h.action = 'revisit' THEN h.comment END"
    " FROM event_history h"
    " WHERE h.event_id IN (SELECT DISTINCT event_id FROM event_history"
    "  WHERE at >= ?1 AND at < ?2) AND h.at < ?2"
    " ORDER BY h.event_id, h.id";

static const char event_sql[] =
    "SELECT street, community, grid, board, channel, category FROM events WHERE id = ?1";

/* One row of rows_sql: the event and its history row (text borrowed while the row is current,
 * NULL read as ""). */
struct hist_row {
    int64_t event_id;
    struct indicator_hrow h;
};
static const struct db_column hist_cols[] = {
    DB_COL(INT64, struct hist_row, event_id),     DB_COL(INT64, struct hist_row, h.at),
    DB_COL(TEXTREF, struct hist_row, h.action),   DB_COL(TEXTREF, struct hist_row, h.from_state),
    DB_COL(TEXTREF, struct hist_row, h.to_state), DB_COL(TEXTREF, struct hist_row, h.department),
    DB_COL(BOOL, struct hist_row, h.overdue),     DB_COL(TEXTREF, struct hist_row, h.comment),
};
static const struct db_row_map hist_map = DB_ROW_MAP(struct hist_row, hist_cols);

/* The attributes of an event that grouping needs (event_sql). */
struct event_attrs {
    char street[24], community[24], grid[24], board[24], channel[24], category[16];
};
static const struct db_column attr_cols[] = {
    DB_COL(CHARS, struct event_attrs, street),  DB_COL(CHARS, struct event_attrs, community),
    DB_COL(CHARS, struct event_attrs, grid),    DB_COL(CHARS, struct event_attrs, board),
    DB_COL(CHARS, struct event_attrs, channel), DB_COL(CHARS, struct event_attrs, category),
};
static const struct db_row_map attr_map = DB_ROW_MAP(struct event_attrs, attr_cols);

/* The current event of the walk. */
struct current {
    int64_t id;
    bool skip; /* outside the region or board filter */
    struct event_attrs a;
    struct indicator_facts facts;
};

/* Start event id: read its attributes and apply the region and board filters. */
static int begin_event(struct db *db, int64_t id, const struct indicator_filter *f,
                       struct current *cur, struct app_error *err)
{
    bool found;
    cur->id = id;
    if (db_get(db, event_sql, DB_PARAMS(DB_INT(id)), &attr_map, &cur->a, &found, err))
        return -1;
    cur->skip = !found;
    /* Region codes nest by prefix (org_code_within): a grid code starts with its street's. */
    if (found && f->region && strncmp(cur->a.grid, f->region, strlen(f->region)) != 0)
        cur->skip = true;
    if (found && f->board && strcmp(cur->a.board, f->board) != 0)
        cur->skip = true;
    indicator_facts_init(&cur->facts);
    return 0;
}

/* Add the finished event cur to its group of out. */
static int end_event(const struct current *cur, const struct calendar *cal,
                     const struct indicator_filter *f, int64_t from, const char *day_key,
                     struct indicator_table *out, struct app_error *err)
{
    const char *key = "";
    if (cur->skip || !cur->facts.touched)
        return 0;
    if (f->department && strcmp(f->department, cur->facts.department) != 0)
        return 0;
    switch (f->group) {
    case INDICATOR_GROUP_NONE:
        key = "";
        break;
    case INDICATOR_GROUP_STREET:
        key = cur->a.street;
        break;
    case INDICATOR_GROUP_COMMUNITY:
        key = cur->a.community;
        break;
    case INDICATOR_GROUP_GRID:
        key = cur->a.grid;
        break;
    case INDICATOR_GROUP_BOARD:
        key = cur->a.board;
        break;
    case INDICATOR_GROUP_DEPARTMENT:
        key = cur->facts.department;
        break;
    case INDICATOR_GROUP_CHANNEL:
        key = cur->a.channel;
        break;
    case INDICATOR_GROUP_CATEGORY:
        key = cur->a.category;
        break;
    case INDICATOR_GROUP_DAY:
        key = day_key;
        break;
    }
    return indicator_facts_add(&cur->facts, cur->a.channel, cal, from,
                               &indicator_table_row(out, key)->c, err);
}

/* The walk over rows_sql of one period. */
struct period_walk {
    struct db *db;
    const struct calendar *cal;
    const struct indicator_filter *f;
    int64_t from;
    const char *day_key;
    struct indicator_table *out;
    struct app_error *err;
    struct current cur;
};

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

static int period_row(void *ctx, void *row)
{
    struct period_walk *w = ctx;
    struct hist_row *r = row;
    if (r->event_id != w->cur.id) {
        if (w->cur.id >= 0 && end_event(&w->cur, w->cal, w->f, w->from, w->day_key, w->out, w->err))
            return -1;
        if (begin_event(w->db, r->event_id, w->f, &w->cur, w->err))
            return -1;
    }
    if (w->cur.skip)
        return 0;
    struct indicator_hrow *h = &r->h;
    h->action = or_empty(h->action);
    h->from_state = or_empty(h->from_state);
    h->to_state = or_empty(h->to_state);
    h->department = or_empty(h->department);
    h->comment = or_empty(h->comment);
    indicator_facts_step(&w->cur.facts, h, w->from);
    return 0;
}

static int collect_period(struct db *db, const struct calendar *cal,
                          const struct indicator_filter *f, int64_t from, int64_t to,
                          const char *day_key, struct indicator_table *out, struct app_error *err)
{
    struct period_walk w = {db, cal, f, from, day_key, out, err, {.id = -1}};
    struct hist_row row;
    if (db_each(db, rows_sql, DB_PARAMS(DB_INT(from), DB_INT(to)), &hist_map, &row, period_row, &w,
                err))
        return -1;
    if (w.cur.id >= 0 && end_event(&w.cur, cal, f, from, day_key, out, err))
        return -1;
    return 0;
}

static int cmp_rows(const void *a, const void *b)
{
    return strcmp(((const struct indicator_row *)a)->key, ((const struct indicator_row *)b)->key);
}

static const char *label_sql(enum indicator_group g)
{
    switch (g) {
    case INDICATOR_GROUP_STREET:
    case INDICATOR_GROUP_COMMUNITY:
    case INDICATOR_GROUP_GRID:
        return "SELECT name FROM regions WHERE code = ?1";
    case INDICATOR_GROUP_BOARD:
        return "SELECT name FROM boards WHERE code = ?1";
    case INDICATOR_GROUP_DEPARTMENT:
        return "SELECT name FROM departments WHERE code = ?1";
    case INDICATOR_GROUP_CATEGORY:
        return "SELECT name FROM event_categories WHERE code = ?1";
    default:
        return NULL;
    }
}

struct label {
    char name[sizeof(((struct indicator_row *)0)->label)];
};
static const struct db_column label_cols[] = {DB_COL(CHARS, struct label, name)};
static const struct db_row_map label_map = DB_ROW_MAP(struct label, label_cols);

static int fill_labels(struct db *db, enum indicator_group g, struct indicator_table *t,
                       struct app_error *err)
{
    const char *sql = label_sql(g);
    for (size_t i = 0; i < t->len; i++) {
        struct indicator_row *r = &t->items[i];
        if (g == INDICATOR_GROUP_NONE) {
            snprintf(r->label, sizeof r->label, "合计");
        } else if (g == INDICATOR_GROUP_DAY) {
            snprintf(r->label, sizeof r->label, "%s", r->key);
        } else if (g == INDICATOR_GROUP_CHANNEL) {
            int ch = event_channel_parse(r->key);
            snprintf(r->label, sizeof r->label, "%s",
                     ch >= 0 ? event_channel_label((enum event_channel)ch) : r->key);
        } else if (!r->key[0]) {
            snprintf(r->label, sizeof r->label, "%s",
                     g == INDICATOR_GROUP_DEPARTMENT ? "未派遣至部门" : "未指定");
        } else if (sql) {
            struct label l;
            bool found;
            if (db_get(db, sql, DB_PARAMS(DB_TEXT(r->key)), &label_map, &l, &found, err))
                return -1;
            snprintf(r->label, sizeof r->label, "%s", found ? l.name : r->key);
        }
    }
    return 0;
}

int indicator_collect(struct db *db, const struct calendar *cal, const struct indicator_filter *f,
                      struct indicator_table *out, struct app_error *err)
{
    memset(out, 0, sizeof *out);
    int ret = -1;
    if (f->group == INDICATOR_GROUP_DAY) {
        /* Each Shanghai day is its own period, so a day's figures match asking for that day. */
        int64_t day0 = (f->from + CLOCK_CN_OFFSET) / 86400 * 86400 - CLOCK_CN_OFFSET;
        for (int64_t d = day0; d < f->to; d += 86400) {
            int64_t a = d > f->from ? d : f->from, b = d + 86400 < f->to ? d + 86400 : f->to;
            char key[16];
            clock_format_date(d, key, sizeof key);
            indicator_table_row(out, key);
            if (collect_period(db, cal, f, a, b, key, out, err))
                goto out;
        }
    } else if (collect_period(db, cal, f, f->from, f->to, "", out, err)) {
        goto out;
    }
    if (f->group == INDICATOR_GROUP_NONE && out->len == 0)
        indicator_table_row(out, "");
    qsort(out->items, out->len, sizeof *out->items, cmp_rows);
    if (fill_labels(db, f->group, out, err))
        goto out;
    ret = 0;
out:
    if (ret)
        indicator_table_release(out);
    return ret;
}
