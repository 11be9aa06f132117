/* The indicator counts from the event history: one SQL pass streams, for the events touched in
 * the period, their history rows before the period end in order; the pure fold of indicator.c
 * turns each event's rows into facts (did it enter 立案, was it closed, overdue, ...) and adds
 * them to its group. Only rows before the period end are read, so the same period always gives
 * the same figures. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/clock.h"
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

enum { R_EVENT, R_AT, R_ACTION, R_FROM, R_TO, R_DEPT, R_OVERDUE, R_COMMENT };
enum { E_STREET, E_COMMUNITY, E_GRID, E_BOARD, E_CHANNEL, E_CATEGORY };

static const char *col(sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    return s ? (const char *)s : "";
}

/* The attributes of the current event that grouping needs. */
struct current {
    int64_t id;
    bool skip; /* outside the region or board filter */
    char street[24], community[24], grid[24], board[24], channel[24], category[16];
    struct indicator_facts facts;
};

static void copy(char *out, size_t n, const char *s)
{
    size_t len = strlen(s);
    if (len >= n)
        len = n - 1;
    memcpy(out, s, len);
    out[len] = 0;
}

/* Start event id: read its attributes and apply the region and board filters. */
static int begin_event(struct db *db, int64_t id, const struct indicator_filter *f,
                       struct current *cur, struct app_error *err)
{
    sqlite3_stmt *st = db_stmt(db, event_sql, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    cur->id = id;
    cur->skip = rc != SQLITE_ROW;
    if (rc == SQLITE_ROW) {
        copy(cur->street, sizeof cur->street, col(st, E_STREET));
        copy(cur->community, sizeof cur->community, col(st, E_COMMUNITY));
        copy(cur->grid, sizeof cur->grid, col(st, E_GRID));
        copy(cur->board, sizeof cur->board, col(st, E_BOARD));
        copy(cur->channel, sizeof cur->channel, col(st, E_CHANNEL));
        copy(cur->category, sizeof cur->category, col(st, E_CATEGORY));
        /* Region codes nest by prefix (org_code_within): a grid code starts with its street's. */
        if (f->region && strncmp(cur->grid, f->region, strlen(f->region)) != 0)
            cur->skip = true;
        if (f->board && strcmp(cur->board, f->board) != 0)
            cur->skip = true;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_fail(db, err);
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
        key = cur->street;
        break;
    case INDICATOR_GROUP_COMMUNITY:
        key = cur->community;
        break;
    case INDICATOR_GROUP_GRID:
        key = cur->grid;
        break;
    case INDICATOR_GROUP_BOARD:
        key = cur->board;
        break;
    case INDICATOR_GROUP_DEPARTMENT:
        key = cur->facts.department;
        break;
    case INDICATOR_GROUP_CHANNEL:
        key = cur->channel;
        break;
    case INDICATOR_GROUP_CATEGORY:
        key = cur->category;
        break;
    case INDICATOR_GROUP_DAY:
        key = day_key;
        break;
    }
    return indicator_facts_add(&cur->facts, cur->channel, cal, from,
                               &indicator_table_row(out, key)->c, err);
}

static int collect_period(struct db *db, const struct calendar *cal,
                          const struct indicator_filter *f, int64_t from, int64_t to,
                          const char *day_key, struct indicator_table *out, struct app_error *err)
{
    sqlite3_stmt *st = db_stmt(db, rows_sql, err);
    struct current cur = {.id = -1};
    int rc, ret = -1;
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, R_EVENT);
        if (id != cur.id) {
            if (cur.id >= 0 && end_event(&cur, cal, f, from, day_key, out, err))
                goto out;
            if (begin_event(db, id, f, &cur, err))
                goto out;
        }
        if (cur.skip)
            continue;
        struct indicator_hrow h = {.at = sqlite3_column_int64(st, R_AT),
                                   .action = col(st, R_ACTION),
                                   .from_state = col(st, R_FROM),
                                   .to_state = col(st, R_TO),
                                   .department = col(st, R_DEPT),
                                   .comment = col(st, R_COMMENT),
                                   .overdue = sqlite3_column_int(st, R_OVERDUE) != 0};
        indicator_facts_step(&cur.facts, &h, from);
    }
    if (rc != SQLITE_DONE) {
        db_fail(db, err);
        goto out;
    }
    if (cur.id >= 0 && end_event(&cur, cal, f, from, day_key, out, err))
        goto out;
    ret = 0;
out:
    sqlite3_reset(st);
    return ret;
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
            sqlite3_stmt *st = db_stmt(db, sql, err);
            if (!st)
                return -1;
            sqlite3_bind_text(st, 1, r->key, -1, SQLITE_STATIC);
            int rc = sqlite3_step(st);
            snprintf(r->label, sizeof r->label, "%s", rc == SQLITE_ROW ? col(st, 0) : r->key);
            sqlite3_reset(st);
            if (rc != SQLITE_ROW && rc != SQLITE_DONE)
                return db_fail(db, err);
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
