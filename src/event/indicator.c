/* The indicator formulas (pure functions over counts), weights, grades, the request check and
 * the CSV export. Sources of every formula: docs/indicators.md. */
#include "event/indicator.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "core/clock.h"
#include "core/xalloc.h"

void indicator_counts_add(struct indicator_counts *a, const struct indicator_counts *b)
{
    int64_t *x = (int64_t *)a;
    const int64_t *y = (const int64_t *)b;
    for (size_t i = 0; i < sizeof *a / sizeof(int64_t); i++)
        x[i] += y[i];
}

double indicator_rate(int64_t num, int64_t den)
{
    return den > 0 ? 100.0 * (double)num / (double)den : NAN;
}

double indicator_cases_score(int64_t n)
{
    /* governance.md §1.5 department evaluation: ≤50 → 10, ≤100 → 9, ≤200 → 7.5, ≤500 → 6,
     * ≤1000 → 4, else 0 points out of 10; here × 10 to share the 0..100 scale of the rates. */
    return n <= 50 ? 100 : n <= 100 ? 90 : n <= 200 ? 75 : n <= 500 ? 60 : n <= 1000 ? 40 : 0;
}

char indicator_grade(double v)
{
    if (isnan(v))
        return 0;
    /* governance.md §1.5 评价等级: A ≥ 90, B ≥ 75, C ≥ 60, D ≥ 40, E below 40. */
    return v >= 90 ? 'A' : v >= 75 ? 'B' : v >= 60 ? 'C' : v >= 40 ? 'D' : 'E';
}

static const struct {
    const char *name;
    size_t off;
} weight_names[] = {
    {"patrol", offsetof(struct indicator_weights, patrol)},
    {"cases", offsetof(struct indicator_weights, cases)},
    {"closure", offsetof(struct indicator_weights, closure)},
    {"ontime", offsetof(struct indicator_weights, ontime)},
    {"handle", offsetof(struct indicator_weights, handle)},
    {"rework", offsetof(struct indicator_weights, rework)},
    {"response", offsetof(struct indicator_weights, response)},
    {"resolve", offsetof(struct indicator_weights, resolve)},
    {"satisfaction", offsetof(struct indicator_weights, satisfaction)},
    {"basic_share", offsetof(struct indicator_weights, basic_share)},
};

static int parse_into(const char *spec, struct indicator_weights *w, const char *field,
                      struct app_error *err)
{
    const char *p = spec;
    while (p && *p) {
        const char *colon = strchr(p, ':');
        const char *end = strchr(p, ',');
        if (!end)
            end = p + strlen(p);
        if (!colon || colon > end)
            goto bad;
        size_t i, len = (size_t)(colon - p);
        for (i = 0; i < sizeof weight_names / sizeof weight_names[0]; i++)
            if (strlen(weight_names[i].name) == len && strncmp(weight_names[i].name, p, len) == 0)
                break;
        if (i == sizeof weight_names / sizeof weight_names[0])
            goto bad;
        char num[32], *stop;
        size_t nlen = (size_t)(end - colon - 1);
        if (nlen == 0 || nlen >= sizeof num)
            goto bad;
        memcpy(num, colon + 1, nlen);
        num[nlen] = 0;
        double v = strtod(num, &stop);
        if (*stop || !isfinite(v) || v < 0 || v > 1000)
            goto bad;
        if (strcmp(weight_names[i].name, "basic_share") == 0 && v > 1)
            goto bad;
        *(double *)((char *)w + weight_names[i].off) = v;
        p = *end ? end + 1 : end;
    }
    return 0;
bad:
    return app_fail(err, APP_ERR_INVALID, "invalid_weights", field,
                    "权重应为 名称:数值 列表（patrol、cases、closure、ontime、handle、rework、"
                    "response、resolve、satisfaction、basic_share），数值非负");
}

int indicator_weights_parse(const char *spec, struct indicator_weights *w, const char *field,
                            struct app_error *err)
{
    struct indicator_weights t = {0};
    parse_into(INDICATOR_DEFAULT_WEIGHTS, &t, field, NULL);
    if (parse_into(spec, &t, field, err))
        return -1;
    if (t.patrol + t.cases + t.closure + t.ontime + t.handle + t.rework + t.response + t.resolve +
            t.satisfaction <=
        0)
        return app_fail(err, APP_ERR_INVALID, "invalid_weights", field, "权重不能全部为零");
    *w = t;
    return 0;
}

void indicator_compute(const struct indicator_counts *c, const struct indicator_weights *w,
                       struct indicator_values *v)
{
    memset(v, 0, sizeof *v);
    v->c = *c;
    v->due_to_close = c->closed + c->close_overdue_open;
    v->due_to_handle = c->handled + c->handle_overdue_open;
    v->closure_rate = indicator_rate(c->closed, v->due_to_close);
    v->ontime_rate = indicator_rate(c->closed_on_time, v->due_to_close);
    v->handle_rate = indicator_rate(c->handled, v->due_to_handle);
    v->rework_rate = indicator_rate(c->rework, c->handled);
    v->patrol_rate = indicator_rate(c->patrol_registered, c->registered);
    v->cases_score = indicator_cases_score(c->registered);
    v->avg_handle_hours = c->handle_samples > 0
                              ? (double)c->handle_seconds / 3600.0 / (double)c->handle_samples
                              : NAN;
    int64_t visits = c->hotline_satisfied + c->hotline_basic + c->hotline_unsatisfied;
    v->response_rate = indicator_rate(c->hotline_signed, c->hotline_dispatched);
    v->resolve_rate = indicator_rate(c->hotline_satisfied + c->hotline_basic, visits);
    v->satisfaction_rate =
        visits > 0
            ? 100.0 * ((double)c->hotline_satisfied + w->basic_share * (double)c->hotline_basic) /
                  (double)visits
            : NAN;
    /* 返工率 counts against the score: the term is 100 − 返工率. */
    const double x[] = {v->patrol_rate,   v->cases_score,  v->closure_rate,
                        v->ontime_rate,   v->handle_rate,  100.0 - v->rework_rate,
                        v->response_rate, v->resolve_rate, v->satisfaction_rate};
    const double wt[] = {w->patrol, w->cases,    w->closure, w->ontime,      w->handle,
                         w->rework, w->response, w->resolve, w->satisfaction};
    double sum = 0, wsum = 0;
    bool rated = false; /* 立案数分值 alone (a group without events) gives no score */
    for (size_t i = 0; i < sizeof x / sizeof x[0]; i++)
        if (wt[i] > 0 && !isnan(x[i])) {
            sum += wt[i] * x[i];
            wsum += wt[i];
            rated |= i != 1;
        }
    v->composite = wsum > 0 && rated ? sum / wsum : NAN;
    v->grade = indicator_grade(v->composite);
}

/* ---- facts of one event ------------------------------------------------------------------ */

void indicator_facts_init(struct indicator_facts *f)
{
    memset(f, 0, sizeof *f);
    f->disp_in_at = f->first_disp_at = f->first_fb_at = f->close_at = f->first_late =
        f->sign_ok_at = -1;
}

static bool is(const char *s, const char *t)
{
    return s && strcmp(s, t) == 0;
}

/* Bounded copy (per history row, so cheaper than snprintf). */
static void copy(char *out, size_t n, const char *s)
{
    size_t len = s ? strlen(s) : 0;
    if (len >= n)
        len = n - 1;
    memcpy(out, s ? s : "", len);
    out[len] = 0;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = s ? strlen(s) : 0, m = strlen(suffix);
    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

void indicator_facts_step(struct indicator_facts *f, const struct indicator_hrow *h, int64_t from)
{
    bool in = h->at >= from;
    bool report = is(h->action, "report");
    /* intake straight into the workflow (sensor alerts are registered and dispatched at once) */
    bool report_reg = report && (is(h->to_state, "registered") || is(h->to_state, "dispatched") ||
                                 is(h->to_state, "handling"));
    bool dispatch = is(h->action, "dispatch") ||
                    (report && (is(h->to_state, "dispatched") || is(h->to_state, "handling")));
    bool late = h->overdue || is(h->action, "overdue");
    f->touched |= in;
    if (in) {
        f->reported |= report;
        f->accepted |=
            (is(h->from_state, "reported") &&
             (is(h->to_state, "verifying") || is(h->to_state, "registered") ||
              is(h->to_state, "closed"))) ||
            (report && !is(h->to_state, "reported") && !is(h->to_state, "void_pending") &&
             !is(h->to_state, "voided") && !is(h->to_state, "merged"));
        f->registered |= (is(h->to_state, "registered") &&
                          (is(h->from_state, "reported") || is(h->from_state, "verifying"))) ||
                         report_reg || is(h->action, "self_handle");
        if (dispatch && f->disp_in_at < 0)
            f->disp_in_at = h->at;
        f->handled |= is(h->action, "feedback") || is(h->action, "self_handle");
        if (is(h->to_state, "closed") && !is(h->from_state, "closed"))
            f->close_at = h->at;
        f->late_in |= late;
        f->rework += is(h->action, "check_fail");
        if (is(h->action, "revisit")) {
            /* the event module writes "满意度：满意|基本满意|不满意" at the end of the comment */
            if (ends_with(h->comment, "满意度：满意"))
                f->satisfied++;
            else if (ends_with(h->comment, "满意度：基本满意"))
                f->basic++;
            else if (ends_with(h->comment, "满意度：不满意"))
                f->unsatisfied++;
        }
    }
    if (dispatch && f->first_disp_at < 0)
        f->first_disp_at = h->at;
    if (is(h->action, "dispatch"))
        copy(f->department, sizeof f->department, h->department);
    if (is(h->action, "feedback") && f->first_fb_at < 0)
        f->first_fb_at = h->at;
    if (late && f->first_late < 0)
        f->first_late = h->at;
    if (is(h->action, "sign") && !h->overdue)
        f->sign_ok_at = h->at;
    copy(f->state_at_to, sizeof f->state_at_to, h->to_state);
}

static bool state_in(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return true;
    return false;
}

int indicator_facts_add(const struct indicator_facts *f, const char *channel,
                        const struct calendar *cal, int64_t from, struct indicator_counts *c,
                        struct app_error *err)
{
    /* States after 立案 not yet closed (应结案) / not yet handled (应处置). */
    static const char *const unclosed[] = {"registered", "dispatched", "handling", "feedback",
                                           "checking",   "returned",   NULL};
    static const char *const unhandled[] = {"registered", "dispatched", "handling", "returned",
                                            NULL};
    if (!f->touched)
        return 0;
    bool hotline = is(channel, "hotline_12345"), closed = f->close_at >= 0;
    c->reported += f->reported;
    c->accepted += f->accepted;
    c->registered += f->registered;
    c->patrol_registered += f->registered && is(channel, "grid_patrol");
    c->dispatched += f->disp_in_at >= 0;
    c->handled += f->handled;
    c->closed += closed;
    c->closed_on_time += closed && (f->first_late < 0 || f->first_late > f->close_at);
    c->overdue += f->late_in;
    /* An event closed (handled) in the period counts there, even when reopened since. */
    c->close_overdue_open += f->late_in && !closed && state_in(f->state_at_to, unclosed);
    c->handle_overdue_open += f->late_in && !f->handled && state_in(f->state_at_to, unhandled);
    c->rework += f->rework;
    if (f->first_fb_at >= from && f->first_disp_at >= 0 && f->first_disp_at <= f->first_fb_at) {
        int64_t s;
        if (calendar_work_seconds_between(cal, f->first_disp_at, f->first_fb_at, &s, err))
            return -1;
        c->handle_seconds += s;
        c->handle_samples++;
    }
    if (hotline) {
        c->hotline_dispatched += f->disp_in_at >= 0;
        c->hotline_signed += f->disp_in_at >= 0 && f->sign_ok_at >= f->disp_in_at;
        c->hotline_satisfied += f->satisfied;
        c->hotline_basic += f->basic;
        c->hotline_unsatisfied += f->unsatisfied;
    }
    return 0;
}

static const char *const group_names[] = {"",           "street",  "community", "grid", "board",
                                          "department", "channel", "category",  "day"};

const char *indicator_group_name(enum indicator_group g)
{
    return (unsigned)g < sizeof group_names / sizeof group_names[0] ? group_names[g] : "";
}

int indicator_group_parse(const char *s)
{
    if (!s || !*s)
        return INDICATOR_GROUP_NONE;
    for (size_t i = 1; i < sizeof group_names / sizeof group_names[0]; i++)
        if (strcmp(s, group_names[i]) == 0)
            return (int)i;
    return -1;
}

void indicator_table_release(struct indicator_table *t)
{
    if (!t)
        return;
    free(t->items);
    memset(t, 0, sizeof *t);
}

struct indicator_row *indicator_table_row(struct indicator_table *t, const char *key)
{
    for (size_t i = 0; i < t->len; i++)
        if (strcmp(t->items[i].key, key) == 0)
            return &t->items[i];
    if (t->len == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        t->items = xrealloc(t->items, t->cap * sizeof *t->items);
    }
    struct indicator_row *r = &t->items[t->len++];
    memset(r, 0, sizeof *r);
    snprintf(r->key, sizeof r->key, "%s", key);
    return r;
}

/* The root region of who's jurisdiction (see auth_region_in_scope), "" for everything. */
static const char *scope_root(const struct auth_principal *who)
{
    switch (who->role) {
    case AUTH_ROLE_CENTER:
    case AUTH_ROLE_AUDITOR:
    case AUTH_ROLE_DEPARTMENT:
        return who->region;
    case AUTH_ROLE_GRID_WORKER:
    case AUTH_ROLE_VOLUNTEER:
        return who->grid;
    case AUTH_ROLE_BOARD_POST:
        return who->street;
    default:
        return "";
    }
}

int indicator_check(const struct auth_principal *who, struct indicator_query *q, char *region_buf,
                    size_t n, struct app_error *err)
{
    struct indicator_filter *f = &q->f;
    if (f->to <= f->from)
        return app_fail(err, APP_ERR_INVALID, "invalid_period", "to", "结束时间应晚于开始时间");
    int64_t max_days = f->group == INDICATOR_GROUP_DAY ? 366 : 3 * 366;
    if (f->to - f->from > max_days * 86400)
        return app_fail(err, APP_ERR_INVALID, "period_too_long", "to",
                        "统计区间过长（按日分组最多 366 天，其余最多 3 年）");
    if (f->region && !*f->region)
        f->region = NULL;
    if (!who)
        return 0;
    if (!f->region) {
        const char *root = scope_root(who);
        if (*root) {
            snprintf(region_buf, n, "%s", root);
            f->region = region_buf;
        } else if (who->role != AUTH_ROLE_ADMIN) {
            return app_fail(err, APP_ERR_FORBIDDEN, "out_of_scope", "region", "无权查看该区域");
        }
        return 0;
    }
    if (!auth_region_in_scope(who, f->region))
        return app_fail(err, APP_ERR_FORBIDDEN, "out_of_scope", "region",
                        "区域 %s 不在您的管辖范围内", f->region);
    return 0;
}

static void put_num(struct buf *b, double v, int decimals)
{
    buf_putc(b, ',');
    if (!isnan(v))
        buf_printf(b, "%.*f", decimals, v);
}

static void csv_line(struct buf *b, const char *key, const char *label,
                     const struct indicator_values *v)
{
    const struct indicator_counts *c = &v->c;
    buf_put_csv(b, key);
    buf_putc(b, ',');
    buf_put_csv(b, label);
    buf_printf(b, ",%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld", (long long)c->reported,
               (long long)c->accepted, (long long)c->registered, (long long)c->dispatched,
               (long long)c->handled, (long long)c->closed, (long long)v->due_to_close,
               (long long)c->closed_on_time, (long long)c->overdue, (long long)c->rework);
    put_num(b, v->closure_rate, 2);
    put_num(b, v->ontime_rate, 2);
    put_num(b, v->handle_rate, 2);
    put_num(b, v->rework_rate, 2);
    put_num(b, v->avg_handle_hours, 2);
    put_num(b, v->response_rate, 2);
    put_num(b, v->resolve_rate, 2);
    put_num(b, v->satisfaction_rate, 2);
    put_num(b, v->composite, 2);
    buf_putc(b, ',');
    if (v->grade)
        buf_putc(b, v->grade);
    buf_puts(b, "\r\n");
}

void indicator_write_csv(const struct indicator_table *t, const struct indicator_values *rows,
                         const struct indicator_values *total, struct buf *out)
{
    buf_puts(out, "\xEF\xBB\xBF");
    buf_puts(out, "编码,名称,上报数,受理数,立案数,派遣数,处置数,结案数,应结案数,按期结案数,"
                  "超期数,返工数,结案率(%),按期结案率(%),处置率(%),返工率(%),"
                  "平均处置时长(工作小时),响应率(%),解决率(%),满意率(%),综合指标值,等级\r\n");
    /* Without a grouping the one row is the total itself: it is written once. */
    bool ungrouped = t->len == 1 && !t->items[0].key[0] && strcmp(t->items[0].label, "合计") == 0;
    for (size_t i = 0; i < t->len && !ungrouped; i++)
        csv_line(out, t->items[i].key, t->items[i].label, &rows[i]);
    csv_line(out, "", "合计", total);
}
