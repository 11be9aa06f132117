/* When a year's State Council holiday notice is imported (`zhizhi calendar import FILE`), the
 * open events whose deadlines were counted over that year's provisional calendar are
 * recounted on the official one: same working time from the same stage start, a history row
 * the handlers see, and an audit row per event. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/buf.h"
#include "core/calendar.h"
#include "core/clock.h"
#include "event/event.h"
#include "event/event_internal.h"
#include "event/event_store.h"

#define DAY 86400

static int64_t local_day(int64_t t)
{
    int64_t l = t + CLOCK_CN_OFFSET;
    return (l >= 0 ? l : l - (DAY - 1)) / DAY;
}

/* The deadline `due` (counted from `from` over `old`) recounted over `now_cal`: a deadline at
 * 24:00 ends a working day (工作日 limits) and keeps its number of working days; any other
 * keeps its working seconds (工作时 limits and extensions). 0 when it cannot be recounted. */
static int64_t recount(const struct calendar *old, const struct calendar *cal, int64_t from,
                       int64_t due)
{
    int64_t out = 0;
    if (due <= from)
        return 0;
    if ((due + CLOCK_CN_OFFSET) % DAY == 0) {
        int64_t d0 = local_day(from), last = local_day(due) - 1;
        int n = 0;
        for (int64_t d = d0 + 1; d <= last; d++) {
            bool w = false;
            if (calendar_is_workday(old, d, &w, NULL))
                return 0;
            n += w;
        }
        int64_t day;
        if (calendar_add_workdays(cal, d0, n, &day, NULL))
            return 0;
        return (day + 1) * DAY - CLOCK_CN_OFFSET;
    }
    int64_t w;
    if (calendar_work_seconds_between(old, from, due, &w, NULL) ||
        calendar_add_work_seconds(cal, from, w, &out, NULL))
        return 0;
    return out;
}

static bool touches(const struct calendar *old, const struct calendar *cal, int64_t from,
                    int64_t due)
{
    /* Only spans over a year that was provisional and no longer is. */
    if (!due || !calendar_span_provisional(old, from, due))
        return false;
    int y0, y1, m, d;
    clock_civil_from_days(local_day(from < due ? from : due), &y0, &m, &d);
    clock_civil_from_days(local_day(from < due ? due : from), &y1, &m, &d);
    for (int y = y0; y <= y1; y++)
        if (calendar_year_provisional(old, y) && !calendar_year_provisional(cal, y))
            return true;
    return false;
}

static void fmt(int64_t t, char *out, size_t n)
{
    if (t)
        clock_format_local(t, out, n);
    else
        snprintf(out, n, "无");
}

/* Recount one event in its own transaction; 1 when it changed. */
static int recount_event(struct db *db, const struct calendar *old, const struct calendar *cal,
                         struct event *e, int64_t now, struct app_error *err)
{
    struct event_category cat;
    if (e->urgency >= EVENT_URGENCY_URGENT ||
        event_category_get(db, e->category, &cat, NULL) != 0 || cat.unit == EVENT_LIMIT_HOURS)
        return 0; /* natural hours do not depend on holidays */
    int64_t from = e->stage_started_at ? e->stage_started_at : e->created_at;
    int64_t due = e->due_at, hdue = e->handle_due_at;
    if (touches(old, cal, from, due))
        due = recount(old, cal, from, due);
    if (touches(old, cal, from, hdue))
        hdue = recount(old, cal, from, hdue);
    if (!due)
        due = e->due_at;
    if (!hdue)
        hdue = e->handle_due_at;
    if (due == e->due_at && hdue == e->handle_due_at)
        return 0;
    struct event before = *e;
    char a[40], b[40], c[40], d[40], line[400], canon_b[200], canon_a[200];
    fmt(e->due_at, a, sizeof a);
    fmt(due, b, sizeof b);
    fmt(e->handle_due_at, c, sizeof c);
    fmt(hdue, d, sizeof d);
    snprintf(line, sizeof line,
             "国务院节假日通知已导入，期限按正式工作日历重新计算：本环节期限 %s → %s；处置期限 "
             "%s → %s",
             a, b, c, d);
    e->due_at = due;
    e->handle_due_at = hdue;
    if (e->warn_at && before.due_at > from)
        e->warn_at = from + (int64_t)((double)(due - from) * (double)(before.warn_at - from) /
                                      (double)(before.due_at - from));
    e->alert = event_alert_at(e, now);
    e->updated_at = now;
    snprintf(canon_b, sizeof canon_b, "code=%s;due_at=%lld;handle_due_at=%lld", e->code,
             (long long)before.due_at, (long long)before.handle_due_at);
    snprintf(canon_a, sizeof canon_a, "code=%s;due_at=%lld;handle_due_at=%lld", e->code,
             (long long)e->due_at, (long long)e->handle_due_at);
    struct event_history_item h = {0};
    h.at = now;
    snprintf(h.action, sizeof h.action, "recalendar");
    h.from_state = h.to_state = e->state;
    snprintf(h.actor_role, sizeof h.actor_role, "system");
    h.comment = line;
    h.attachments = (char *)"";
    snprintf(h.department, sizeof h.department, "%s", e->department);
    snprintf(h.post, sizeof h.post, "%s", e->post);
    h.level = (int)e->level;
    h.due_at = e->due_at;
    struct audit_entry ae = {.action = "event.recalendar",
                             .object_type = "event",
                             .object_id = e->code,
                             .region = e->grid,
                             .before = canon_b,
                             .after = canon_a};
    if (db_begin(db, err))
        return -1;
    if (event_store_update(db, e, err) || event_store_history_insert(db, e->id, &h, err) ||
        audit_append(db, &ae, err) || db_commit(db, err)) {
        db_rollback(db);
        return -1;
    }
    return 1;
}

int event_recalendar(struct db *db, const struct calendar *old, const struct calendar *cal,
                     int64_t now, int *changed, struct app_error *err)
{
    struct event_query q = {.status = "open", .limit = 5000};
    char *next = NULL;
    int ret = -1;
    *changed = 0;
    for (;;) {
        struct event_list l;
        if (event_list(db, NULL, &q, &l, &next, err))
            goto out;
        for (size_t i = 0; i < l.len; i++) {
            int rc = recount_event(db, old, cal, &l.items[i], now, err);
            if (rc < 0) {
                event_list_release(&l);
                goto out;
            }
            *changed += rc;
        }
        event_list_release(&l);
        if (!next)
            break;
        static char cursor[32];
        snprintf(cursor, sizeof cursor, "%s", next);
        free(next);
        next = NULL;
        q.cursor = cursor;
    }
    ret = 0;
out:
    free(next);
    return ret;
}
