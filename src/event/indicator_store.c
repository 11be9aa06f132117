/* The indicator counts from the event history: one SQL pass gives, per event touched in the
 * period, the facts the formulas need (did it enter 立案, was it closed, overdue, ...), taken
 * only from history rows before the period end, so the same period always gives the same
 * figures; C adds them up per group and measures handling time in working hours. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/clock.h"
#include "event/event.h"
#include "event/indicator.h"

/* ?1 from, ?2 to, ?3 region (prefix of the grid code) or NULL, ?4 board or NULL,
 * ?5 department or NULL. States after 立案 that are still unfinished count for 应结案. */
static const char facts_sql[] =
    "SELECT * FROM (SELECT e.id, e.street, e.community, e.grid, e.board, e.channel, e.category,"
    " COALESCE((SELECT x.department FROM event_history x WHERE x.event_id = e.id"
    "  AND x.action = 'dispatch' AND x.at < ?2 ORDER BY x.id DESC LIMIT 1), '') AS dept,"
    " MAX(h.at >= ?1 AND h.action = 'report') AS rep,"
    " MAX(h.at >= ?1 AND ((h.from_state = 'reported' AND h.to_state IN"
    "  ('verifying', 'registered', 'closed')) OR (h.action = 'report' AND h.to_state NOT IN"
    "  ('reported', 'void_pending', 'voided', 'merged')))) AS acc,"
    " MAX(h.at >= ?1 AND ((h.to_state = 'registered' AND h.from_state IN"
    "  ('reported', 'verifying')) OR (h.action = 'report' AND h.to_state IN"
    "  ('registered', 'dispatched', 'handling')) OR h.action = 'self_handle')) AS reg,"
    " MIN(CASE WHEN h.at >= ?1 AND (h.action = 'dispatch' OR (h.action = 'report' AND"
    "  h.to_state IN ('dispatched', 'handling'))) THEN h.at END) AS disp_in_at,"
    " MIN(CASE WHEN h.action = 'dispatch' OR (h.action = 'report' AND h.to_state IN"
    "  ('dispatched', 'handling')) THEN h.at END) AS first_disp_at,"
    " MAX(h.at >= ?1 AND h.action IN ('feedback', 'self_handle')) AS hand,"
    " MIN(CASE WHEN h.action = 'feedback' THEN h.at END) AS first_fb_at,"
    " MAX(CASE WHEN h.at >= ?1 AND h.to_state = 'closed' AND h.from_state <> 'closed'"
    "  THEN h.at END) AS close_at,"
    " MIN(CASE WHEN h.overdue = 1 OR h.action = 'overdue' THEN h.at END) AS first_late,"
    " MAX(h.at >= ?1 AND (h.overdue = 1 OR h.action = 'overdue')) AS late_in,"
    " SUM(h.at >= ?1 AND h.action = 'check_fail') AS rework,"
    " MAX(CASE WHEN h.action = 'sign' AND h.overdue = 0 THEN h.at END) AS sign_ok_at,"
    " SUM(h.at >= ?1 AND h.action = 'revisit' AND h.comment LIKE '%满意度：满意') AS sat,"
    " SUM(h.at >= ?1 AND h.action = 'revisit' AND h.comment LIKE '%满意度：基本满意') AS basic,"
    " SUM(h.at >= ?1 AND h.action = 'revisit' AND h.comment LIKE '%满意度：不满意') AS unsat,"
    " (SELECT y.to_state FROM event_history y WHERE y.event_id = e.id AND y.at < ?2"
    "  ORDER BY y.id DESC LIMIT 1) AS state_at_to"
    " FROM (SELECT DISTINCT event_id FROM event_history WHERE at >= ?1 AND at < ?2) c"
    " JOIN events e ON e.id = c.event_id"
    " JOIN event_history h ON h.event_id = e.id AND h.at < ?2"
    " WHERE (?3 IS NULL OR substr(e.grid, 1, length(?3)) = ?3) AND (?4 IS NULL OR e.board = ?4)"
    " GROUP BY e.id) WHERE ?5 IS NULL OR dept = ?5";

enum {
    F_ID,
    F_STREET,
    F_COMMUNITY,
    F_GRID,
    F_BOARD,
    F_CHANNEL,
    F_CATEGORY,
    F_DEPT,
    F_REP,
    F_ACC,
    F_REG,
    F_DISP_IN_AT,
    F_FIRST_DISP_AT,
    F_HAND,
    F_FIRST_FB_AT,
    F_CLOSE_AT,
    F_FIRST_LATE,
    F_LATE_IN,
    F_REWORK,
    F_SIGN_OK_AT,
    F_SAT,
    F_BASIC,
    F_UNSAT,
    F_STATE_AT_TO
};

static const char *col(sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    return s ? (const char *)s : "";
}

static bool in_list(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return true;
    return false;
}

/* States after 立案 not yet closed (应结案) / not yet handled (应处置). */
static const char *const unclosed[] = {"registered", "dispatched", "handling", "feedback",
                                       "checking",   "returned",   NULL};
static const char *const unhandled[] = {"registered", "dispatched", "handling", "returned", NULL};

static int64_t col_at(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, i);
}

/* Add one event's facts into its group's counts. */
static int add_event(sqlite3_stmt *st, const struct calendar *cal, int64_t from,
                     struct indicator_counts *c, struct app_error *err)
{
    bool reg = sqlite3_column_int(st, F_REG),
         hotline = strcmp(col(st, F_CHANNEL), "hotline_12345") == 0;
    int64_t close_at = col_at(st, F_CLOSE_AT), first_late = col_at(st, F_FIRST_LATE);
    int64_t disp_in = col_at(st, F_DISP_IN_AT), first_disp = col_at(st, F_FIRST_DISP_AT);
    int64_t first_fb = col_at(st, F_FIRST_FB_AT), sign_ok = col_at(st, F_SIGN_OK_AT);
    bool late_in = sqlite3_column_int(st, F_LATE_IN), hand = sqlite3_column_int(st, F_HAND);
    const char *state = col(st, F_STATE_AT_TO);
    c->reported += sqlite3_column_int(st, F_REP);
    c->accepted += sqlite3_column_int(st, F_ACC);
    c->registered += reg;
    c->patrol_registered += reg && strcmp(col(st, F_CHANNEL), "grid_patrol") == 0;
    c->dispatched += disp_in >= 0;
    c->handled += hand;
    c->closed += close_at >= 0;
    c->closed_on_time += close_at >= 0 && (first_late < 0 || first_late > close_at);
    c->overdue += late_in;
    /* An event closed (handled) in the period counts there, even when reopened since. */
    c->close_overdue_open += late_in && close_at < 0 && in_list(state, unclosed);
    c->handle_overdue_open += late_in && !hand && in_list(state, unhandled);
    c->rework += sqlite3_column_int64(st, F_REWORK);
    if (first_fb >= from && first_disp >= 0 && first_disp <= first_fb) {
        int64_t s;
        if (calendar_work_seconds_between(cal, first_disp, first_fb, &s, err))
            return -1;
        c->handle_seconds += s;
        c->handle_samples++;
    }
    if (hotline) {
        c->hotline_dispatched += disp_in >= 0;
        c->hotline_signed += disp_in >= 0 && sign_ok >= disp_in;
        c->hotline_satisfied += sqlite3_column_int64(st, F_SAT);
        c->hotline_basic += sqlite3_column_int64(st, F_BASIC);
        c->hotline_unsatisfied += sqlite3_column_int64(st, F_UNSAT);
    }
    return 0;
}

static void bind_opt(sqlite3_stmt *st, int i, const char *s)
{
    if (s && *s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static int collect_period(struct db *db, const struct calendar *cal,
                          const struct indicator_filter *f, int64_t from, int64_t to,
                          const char *day_key, struct indicator_table *out, struct app_error *err)
{
    sqlite3_stmt *st = db_stmt(db, facts_sql, err);
    int rc;
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    bind_opt(st, 3, f->region);
    bind_opt(st, 4, f->board);
    bind_opt(st, 5, f->department);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *key = "";
        switch (f->group) {
        case INDICATOR_GROUP_NONE:
            key = "";
            break;
        case INDICATOR_GROUP_STREET:
            key = col(st, F_STREET);
            break;
        case INDICATOR_GROUP_COMMUNITY:
            key = col(st, F_COMMUNITY);
            break;
        case INDICATOR_GROUP_GRID:
            key = col(st, F_GRID);
            break;
        case INDICATOR_GROUP_BOARD:
            key = col(st, F_BOARD);
            break;
        case INDICATOR_GROUP_DEPARTMENT:
            key = col(st, F_DEPT);
            break;
        case INDICATOR_GROUP_CHANNEL:
            key = col(st, F_CHANNEL);
            break;
        case INDICATOR_GROUP_CATEGORY:
            key = col(st, F_CATEGORY);
            break;
        case INDICATOR_GROUP_DAY:
            key = day_key;
            break;
        }
        if (add_event(st, cal, from, &indicator_table_row(out, key)->c, err)) {
            sqlite3_reset(st);
            return -1;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, err);
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
