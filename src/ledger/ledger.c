/* Rules of the rectification ledger (整改台账), all pure: what 销号 needs, a problem's status on
 * any day, the figures as of a day and the changes between two days, the CSVs, and who may do
 * what next. The reads and audited writes are in record.c. */
#include "ledger/ledger.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/csv.h"
#include "core/xalloc.h"

static void set(char *dst, size_t n, const char *s)
{
    snprintf(dst, n, "%s", s ? s : "");
}

void ledger_book_release(struct ledger_book *b)
{
    if (!b)
        return;
    free(b->problems.items);
    free(b->measures.items);
    free(b->marks.items);
    memset(b, 0, sizeof *b);
}

/* ---- pure rules ---------------------------------------------------------------------------- */

/* The six sources of the issue: 督查, 巡察, 审计, 群众反映 (码上举报, 廉情驿站, 信访), 自查,
 * 上级交办. */
static const char *const sources[] = {"督查", "巡察", "审计", "群众反映", "自查", "上级交办"};

bool ledger_source_valid(const char *s)
{
    for (size_t i = 0; s && i < sizeof sources / sizeof sources[0]; i++)
        if (strcmp(s, sources[i]) == 0)
            return true;
    return false;
}

const char *ledger_status_label(enum ledger_status s)
{
    return s == LEDGER_CLOSED ? "已销号" : s == LEDGER_LONG_TERM ? "长期坚持" : "整改中";
}

const char *ledger_status_name(enum ledger_status s)
{
    return s == LEDGER_CLOSED ? "closed" : s == LEDGER_LONG_TERM ? "long_term" : "open";
}

bool ledger_on_ledger(const struct ledger_problem *p, const char *day)
{
    return strcmp(p->created_on, day) <= 0;
}

enum ledger_status ledger_status_as_of(const struct ledger_problem *p, const struct ledger_mark *m,
                                       size_t n, const char *day)
{
    const struct ledger_mark *last = NULL;
    for (size_t i = 0; i < n; i++) {
        if (m[i].problem_id != p->id || strcmp(m[i].on_date, day) > 0)
            continue;
        /* Marks of one day keep their order of entry (ids grow). */
        if (!last || strcmp(m[i].on_date, last->on_date) > 0 ||
            (strcmp(m[i].on_date, last->on_date) == 0 && m[i].id > last->id))
            last = &m[i];
    }
    if (last && strcmp(last->kind, "close") == 0)
        return LEDGER_CLOSED;
    return p->long_term ? LEDGER_LONG_TERM : LEDGER_OPEN;
}

bool ledger_problem_overdue(const struct ledger_problem *p, enum ledger_status st, const char *day)
{
    return st != LEDGER_CLOSED && strcmp(p->deadline, day) < 0;
}

bool ledger_measure_overdue(const struct ledger_measure *m, const char *day)
{
    if (strcmp(m->created_on, day) > 0 || strcmp(m->deadline, day) >= 0)
        return false;
    return !m->done_on[0] || strcmp(m->done_on, day) > 0;
}

int ledger_close_check(enum ledger_status now, const struct ledger_measure *m, size_t n,
                       int64_t problem_id, struct app_error *err)
{
    if (now == LEDGER_CLOSED)
        return app_fail(err, APP_ERR_CONFLICT, "already_closed", NULL, "该问题已销号");
    if (now == LEDGER_LONG_TERM)
        return app_fail(err, APP_ERR_CONFLICT, "long_term", NULL,
                        "长期坚持的问题持续整改，不作销号");
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        if (m[i].problem_id != problem_id)
            continue;
        count++;
        if (!m[i].done_on[0])
            return app_fail(err, APP_ERR_CONFLICT, "measure_open", "measures",
                            "措施“%s”尚未完成，不能销号", m[i].title);
        if (!m[i].evidence[0])
            return app_fail(err, APP_ERR_CONFLICT, "no_evidence", "measures",
                            "措施“%s”没有佐证材料，不能销号", m[i].title);
        if (!m[i].approved_by[0] || strcmp(m[i].approved_by, m[i].owner) == 0)
            return app_fail(err, APP_ERR_CONFLICT, "not_approved", "measures",
                            "措施“%s”尚未经责任人以外的人审核，不能销号", m[i].title);
    }
    if (count == 0)
        return app_fail(err, APP_ERR_CONFLICT, "no_measures", "measures",
                        "问题还没有整改措施，不能销号");
    return 0;
}

double ledger_closure_rate(const struct ledger_counts *c)
{
    return c->problems ? (double)c->closed / (double)c->problems : NAN;
}

static const char *const group_names[] = {"", "department", "source", "category"};

int ledger_group_parse(const char *s)
{
    if (!s || !*s)
        return LEDGER_GROUP_NONE;
    for (int i = 1; i < 4; i++)
        if (strcmp(s, group_names[i]) == 0)
            return i;
    return -1;
}

const char *ledger_group_name(enum ledger_group g)
{
    return group_names[g];
}

void ledger_figures_release(struct ledger_figures *f)
{
    if (!f)
        return;
    free(f->items);
    f->items = NULL;
    f->len = f->cap = 0;
}

static struct ledger_counts *row_for(struct ledger_figures *f, const char *key, const char *label)
{
    for (size_t i = 0; i < f->len; i++)
        if (strcmp(f->items[i].key, key) == 0)
            return &f->items[i].c;
    if (f->len == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 16;
        f->items = xrealloc(f->items, f->cap * sizeof *f->items);
    }
    struct ledger_figure_row *r = &f->items[f->len++];
    memset(r, 0, sizeof *r);
    set(r->key, sizeof r->key, key);
    set(r->label, sizeof r->label, label);
    return &r->c;
}

static int row_cmp(const void *a, const void *b)
{
    return strcmp(((const struct ledger_figure_row *)a)->key,
                  ((const struct ledger_figure_row *)b)->key);
}

/* The measures and marks of problem id in a book sorted by problem_id: [*lo, *hi). */
static void span_measures(const struct ledger_book *b, int64_t id, size_t *lo, size_t *hi)
{
    size_t l = 0, h = b->measures.len;
    while (l < h) {
        size_t mid = (l + h) / 2;
        if (b->measures.items[mid].problem_id < id)
            l = mid + 1;
        else
            h = mid;
    }
    *lo = l;
    while (l < b->measures.len && b->measures.items[l].problem_id == id)
        l++;
    *hi = l;
}

static void span_marks(const struct ledger_book *b, int64_t id, size_t *lo, size_t *hi)
{
    size_t l = 0, h = b->marks.len;
    while (l < h) {
        size_t mid = (l + h) / 2;
        if (b->marks.items[mid].problem_id < id)
            l = mid + 1;
        else
            h = mid;
    }
    *lo = l;
    while (l < b->marks.len && b->marks.items[l].problem_id == id)
        l++;
    *hi = l;
}

void ledger_figures_compute(const struct ledger_book *book, const char *day, enum ledger_group g,
                            struct ledger_figures *out)
{
    memset(out, 0, sizeof *out);
    set(out->as_of, sizeof out->as_of, day);
    out->group = g;
    for (size_t i = 0; i < book->problems.len; i++) {
        const struct ledger_problem *p = &book->problems.items[i];
        if (!ledger_on_ledger(p, day))
            continue;
        size_t ml, mh, kl, kh;
        span_measures(book, p->id, &ml, &mh);
        span_marks(book, p->id, &kl, &kh);
        struct ledger_counts c = {.problems = 1};
        enum ledger_status st = ledger_status_as_of(p, book->marks.items + kl, kh - kl, day);
        c.closed = st == LEDGER_CLOSED;
        c.long_term = st == LEDGER_LONG_TERM;
        c.open = st == LEDGER_OPEN;
        c.overdue_problems = ledger_problem_overdue(p, st, day);
        for (size_t k = kl; k < kh; k++)
            if (strcmp(book->marks.items[k].kind, "reopen") == 0 &&
                strcmp(book->marks.items[k].on_date, day) <= 0) {
                c.reopened = 1;
                break;
            }
        for (size_t j = ml; j < mh; j++) {
            const struct ledger_measure *m = &book->measures.items[j];
            if (strcmp(m->created_on, day) > 0)
                continue;
            c.measures++;
            c.measures_done += m->done_on[0] && strcmp(m->done_on, day) <= 0;
            c.overdue_measures += ledger_measure_overdue(m, day);
        }
        struct ledger_counts *sums[2] = {&out->total, NULL};
        if (g == LEDGER_GROUP_DEPARTMENT)
            sums[1] = row_for(out, p->department, p->department_name);
        else if (g == LEDGER_GROUP_SOURCE)
            sums[1] = row_for(out, p->source, p->source);
        else if (g == LEDGER_GROUP_CATEGORY)
            sums[1] = row_for(out, p->category, p->category);
        for (int s = 0; s < 2 && sums[s]; s++) {
            struct ledger_counts *t = sums[s];
            t->problems += c.problems;
            t->open += c.open;
            t->closed += c.closed;
            t->long_term += c.long_term;
            t->overdue_problems += c.overdue_problems;
            t->reopened += c.reopened;
            t->measures += c.measures;
            t->measures_done += c.measures_done;
            t->overdue_measures += c.overdue_measures;
        }
    }
    if (out->len > 1)
        qsort(out->items, out->len, sizeof *out->items, row_cmp);
}

static bool in_span(const char *d, const char *from, const char *to)
{
    return strcmp(d, from) > 0 && strcmp(d, to) <= 0;
}

void ledger_changes_compute(const struct ledger_book *book, const char *from, const char *to,
                            struct ledger_changes *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < book->problems.len; i++)
        out->problems_added += in_span(book->problems.items[i].created_on, from, to);
    for (size_t i = 0; i < book->measures.len; i++)
        out->measures_added += in_span(book->measures.items[i].created_on, from, to);
    for (size_t i = 0; i < book->marks.len; i++) {
        const struct ledger_mark *k = &book->marks.items[i];
        if (!in_span(k->on_date, from, to))
            continue;
        if (strcmp(k->kind, "close") == 0)
            out->closed++;
        else
            out->reopened++;
    }
}

/* One CSV field: quoted when it holds a comma, quote or line break (RFC 4180); a leading
 * =, +, - or @ is prefixed with ' so spreadsheets do not run it as a formula. */
static void csv_field(struct buf *b, const char *s, bool last)
{
    bool quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        buf_putc(b, '"');
    if (strchr("=+-@", s[0]) && s[0])
        buf_putc(b, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            buf_putc(b, '"');
        buf_putc(b, *p);
    }
    if (quote)
        buf_putc(b, '"');
    buf_puts(b, last ? "\r\n" : ",");
}

static void csv_counts(struct buf *b, const char *key, const char *label,
                       const struct ledger_counts *c)
{
    char rate[16] = "";
    double r = ledger_closure_rate(c);
    if (!isnan(r))
        snprintf(rate, sizeof rate, "%.1f", r * 100);
    csv_field(b, key, false);
    csv_field(b, label, false);
    buf_printf(b, "%ld,%ld,%ld,%ld,%s,%ld,%ld,%ld,%ld,%ld\r\n", c->problems, c->closed, c->open,
               c->long_term, rate, c->reopened, c->overdue_problems, c->measures, c->measures_done,
               c->overdue_measures);
}

void ledger_figures_csv(const struct ledger_figures *f, struct buf *out)
{
    buf_puts(out, "\xEF\xBB\xBF");
    buf_printf(out, "截至,%s\r\n", f->as_of);
    buf_puts(out, "编码,名称,问题数,已销号,整改中,长期坚持,销号率(%),反弹问题,超期问题,措施数,"
                  "已完成措施,超期措施\r\n");
    for (size_t i = 0; i < f->len; i++)
        csv_counts(out, f->items[i].key, f->items[i].label, &f->items[i].c);
    csv_counts(out, "", "合计", &f->total);
}

void ledger_problems_csv(const struct ledger_book *book, const char *day, struct buf *out)
{
    buf_puts(out, "\xEF\xBB\xBF");
    buf_puts(out, "编号,问题,来源,类别,责任单位,责任领导,整改时限,列入日期,状态,措施数,"
                  "已完成措施,超期措施,关联事件,演示数据\r\n");
    for (size_t i = 0; i < book->problems.len; i++) {
        const struct ledger_problem *p = &book->problems.items[i];
        if (!ledger_on_ledger(p, day))
            continue;
        size_t ml, mh, kl, kh;
        span_measures(book, p->id, &ml, &mh);
        span_marks(book, p->id, &kl, &kh);
        long n = 0, done = 0, overdue = 0;
        for (size_t j = ml; j < mh; j++) {
            const struct ledger_measure *m = &book->measures.items[j];
            if (strcmp(m->created_on, day) > 0)
                continue;
            n++;
            done += m->done_on[0] && strcmp(m->done_on, day) <= 0;
            overdue += ledger_measure_overdue(m, day);
        }
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)p->id);
        csv_field(out, id, false);
        csv_field(out, p->title, false);
        csv_field(out, p->source, false);
        csv_field(out, p->category, false);
        csv_field(out, p->department_name, false);
        csv_field(out, p->leader, false);
        csv_field(out, p->deadline, false);
        csv_field(out, p->created_on, false);
        csv_field(out,
                  ledger_status_label(ledger_status_as_of(p, book->marks.items + kl, kh - kl, day)),
                  false);
        buf_printf(out, "%ld,%ld,%ld,", n, done, overdue);
        csv_field(out, p->event, false);
        csv_field(out, p->synthetic ? "是" : "", true);
    }
}

/* ---- input checks ------------------------------------------------------------------------- */

/* Text the user typed: present (when required), valid UTF-8, under max bytes, no control
 * characters but none at all. */
int ledger_check_text(const char *s, const char *field, size_t max, bool required,
                      struct app_error *err)
{
    if (!s || !*s) {
        if (required)
            return app_fail(err, APP_ERR_INVALID, "missing_field", field, "请填写 %s", field);
        return 0;
    }
    size_t n = strlen(s);
    if (n >= max || !utf8_valid(s, n))
        return app_fail(err, APP_ERR_INVALID, "invalid_text", field,
                        "%s 须为不超过 %zu 字节的 UTF-8 文本", field, max - 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 && *p != '\n')
            return app_fail(err, APP_ERR_INVALID, "invalid_text", field, "%s 含有控制字符", field);
    bool blank = true;
    for (const char *p = s; *p && blank; p++)
        blank = *p == ' ' || *p == '\n';
    if (blank && required)
        return app_fail(err, APP_ERR_INVALID, "missing_field", field, "请填写 %s", field);
    return 0;
}

int ledger_check_date(const char *s, const char *field, struct app_error *err)
{
    int64_t days;
    if (!s || !*s)
        return app_fail(err, APP_ERR_INVALID, "missing_field", field, "请填写 %s", field);
    if (clock_parse_date(s, &days))
        return app_fail(err, APP_ERR_INVALID, "invalid_date", field, "%s 应为 YYYY-MM-DD 日期",
                        field);
    return 0;
}

/* ---- who may do what ----------------------------------------------------------------------- */

bool ledger_may_close(const struct auth_principal *who, enum ledger_status now)
{
    return auth_may(who, "ledger.close") && now == LEDGER_OPEN;
}

bool ledger_may_reopen(const struct auth_principal *who, enum ledger_status now)
{
    return auth_may(who, "ledger.reopen") && now == LEDGER_CLOSED;
}

bool ledger_may_add_measure(const struct auth_principal *who, enum ledger_status now)
{
    return auth_may(who, "ledger.write") && now != LEDGER_CLOSED;
}

bool ledger_may_report(const struct auth_principal *who, const struct ledger_measure *m)
{
    if (!who || m->done_on[0] || !auth_may(who, "ledger.report"))
        return false;
    /* The owner reports; a ledger writer may enter it for them (paper handed in). */
    return strcmp(who->username, m->owner) == 0 || auth_may(who, "ledger.write");
}

bool ledger_may_approve(const struct auth_principal *who, const struct ledger_measure *m)
{
    return who && auth_may(who, "ledger.approve") && m->done_on[0] && m->evidence[0] &&
           !m->approved_by[0] && strcmp(who->username, m->owner) != 0;
}

