/* Thin handlers for the indicators: GET /api/v1/indicators (JSON) and
 * GET /api/v1/indicators.csv (UTF-8 with a BOM for Excel/WPS), filtered by region, board,
 * department and period, grouped by street|community|grid|board|department|channel|category|day,
 * inside the caller's jurisdiction. */
#include "event/indicator_api.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/clock.h"
#include "core/xalloc.h"
#include "event/indicator.h"

/* Decode the query string into q (defaults: this month so far, no grouping, the default
 * weights); region_buf holds the scope default. */
static int read_query(struct http_request *req, struct indicator_query *q, char *region_buf,
                      size_t n, struct app_error *err)
{
    const char *from = http_query(req, "from"), *to = http_query(req, "to");
    const char *group = http_query(req, "group_by"), *weights = http_query(req, "weights");
    int g = indicator_group_parse(group);
    memset(q, 0, sizeof *q);
    if (g < 0)
        return app_fail(err, APP_ERR_INVALID, "invalid_group", "group_by",
                        "group_by 应为 street、community、grid、board、department、channel、"
                        "category 或 day");
    q->f.group = (enum indicator_group)g;
    q->f.region = http_query(req, "region");
    q->f.board = http_query(req, "board");
    q->f.department = http_query(req, "department");
    if (q->f.board && !*q->f.board)
        q->f.board = NULL;
    if (q->f.department && !*q->f.department)
        q->f.department = NULL;
    q->f.to = clock_now();
    if (to && *to && clock_parse(to, &q->f.to, "to", err))
        return -1;
    int y, m, d;
    clock_civil_from_days((q->f.to - 1 + CLOCK_CN_OFFSET) / 86400, &y, &m, &d);
    q->f.from = clock_days_from_civil(y, m, 1) * 86400 - CLOCK_CN_OFFSET;
    if (from && *from && clock_parse(from, &q->f.from, "from", err))
        return -1;
    if (indicator_weights_parse(weights ? weights : "", &q->w, "weights", err))
        return -1;
    return indicator_check(req->who, q, region_buf, n, err);
}

static json_t *num(double v, int decimals)
{
    if (isnan(v))
        return json_null();
    double p = pow(10, decimals);
    return json_real(round(v * p) / p);
}

static json_t *values_json(const char *key, const char *label, const struct indicator_values *v)
{
    const struct indicator_counts *c = &v->c;
    char grade[2] = {v->grade, 0};
    json_t *o = json_object();
    json_object_set_new(o, "key", json_string(key));
    json_object_set_new(o, "label", json_string(label));
    json_object_set_new(o, "reported", json_integer(c->reported));
    json_object_set_new(o, "accepted", json_integer(c->accepted));
    json_object_set_new(o, "registered", json_integer(c->registered));
    json_object_set_new(o, "dispatched", json_integer(c->dispatched));
    json_object_set_new(o, "handled", json_integer(c->handled));
    json_object_set_new(o, "closed", json_integer(c->closed));
    json_object_set_new(o, "due_to_close", json_integer(v->due_to_close));
    json_object_set_new(o, "closed_on_time", json_integer(c->closed_on_time));
    json_object_set_new(o, "due_to_handle", json_integer(v->due_to_handle));
    json_object_set_new(o, "overdue", json_integer(c->overdue));
    json_object_set_new(o, "rework", json_integer(c->rework));
    json_object_set_new(o, "closure_rate", num(v->closure_rate, 2));
    json_object_set_new(o, "ontime_rate", num(v->ontime_rate, 2));
    json_object_set_new(o, "handle_rate", num(v->handle_rate, 2));
    json_object_set_new(o, "rework_rate", num(v->rework_rate, 2));
    json_object_set_new(o, "avg_handle_hours", num(v->avg_handle_hours, 2));
    json_object_set_new(o, "patrol_rate", num(v->patrol_rate, 2));
    json_object_set_new(o, "cases_score", num(v->cases_score, 2));
    json_object_set_new(
        o, "hotline",
        json_pack("{s:I,s:I,s:I,s:I,s:I}", "dispatched", (json_int_t)c->hotline_dispatched,
                  "signed_on_time", (json_int_t)c->hotline_signed, "satisfied",
                  (json_int_t)c->hotline_satisfied, "basic", (json_int_t)c->hotline_basic,
                  "unsatisfied", (json_int_t)c->hotline_unsatisfied));
    json_object_set_new(o, "response_rate", num(v->response_rate, 2));
    json_object_set_new(o, "resolve_rate", num(v->resolve_rate, 2));
    json_object_set_new(o, "satisfaction_rate", num(v->satisfaction_rate, 2));
    json_object_set_new(o, "composite", num(v->composite, 2));
    json_object_set_new(o, "grade", v->grade ? json_string(grade) : json_null());
    return o;
}

/* Run the query: table, per-row values and the total (caller frees *rows). */
static int compute(struct http_request *req, struct indicator_query *q, char *region_buf,
                   struct indicator_table *t, struct indicator_values **rows,
                   struct indicator_values *total, struct app_error *err)
{
    struct indicator_counts sum = {0};
    if (read_query(req, q, region_buf, 24, err) ||
        indicator_collect(req->db, calendar_default(), &q->f, t, err))
        return -1;
    *rows = xcalloc(t->len ? t->len : 1, sizeof **rows);
    for (size_t i = 0; i < t->len; i++) {
        indicator_compute(&t->items[i].c, &q->w, &(*rows)[i]);
        indicator_counts_add(&sum, &t->items[i].c);
    }
    indicator_compute(&sum, &q->w, total);
    return 0;
}

static int get_indicators(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct indicator_query q;
    struct indicator_table t = {0};
    struct indicator_values *rows = NULL, total;
    char region[24] = "", from[32], to[32];
    if (compute(req, &q, region, &t, &rows, &total, &err))
        return http_reply_error(resp, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < t.len; i++)
        json_array_append_new(items, values_json(t.items[i].key, t.items[i].label, &rows[i]));
    clock_format_local(q.f.from, from, sizeof from);
    clock_format_local(q.f.to, to, sizeof to);
    json_t *w =
        json_pack("{s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:f}", "patrol", q.w.patrol, "cases",
                  q.w.cases, "closure", q.w.closure, "ontime", q.w.ontime, "handle", q.w.handle,
                  "rework", q.w.rework, "response", q.w.response, "resolve", q.w.resolve,
                  "satisfaction", q.w.satisfaction, "basic_share", q.w.basic_share);
    json_t *body = json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o}", "from", from, "to", to,
                             "group_by", indicator_group_name(q.f.group), "region",
                             q.f.region ? json_string(q.f.region) : json_null(), "board",
                             q.f.board ? json_string(q.f.board) : json_null(), "department",
                             q.f.department ? json_string(q.f.department) : json_null(), "weights",
                             w, "items", items, "total", values_json("", "合计", &total));
    free(rows);
    indicator_table_release(&t);
    return http_reply_json(resp, 200, body);
}

static int get_indicators_csv(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct indicator_query q;
    struct indicator_table t = {0};
    struct indicator_values *rows = NULL, total;
    char region[24] = "", name[96], from[16], to[16];
    if (compute(req, &q, region, &t, &rows, &total, &err))
        return http_reply_error(resp, &err);
    struct buf b = BUF_INIT;
    indicator_write_csv(&t, rows, &total, &b);
    clock_format_date(q.f.from, from, sizeof from);
    clock_format_date(q.f.to - 1, to, sizeof to);
    snprintf(name, sizeof name, "attachment; filename=\"indicators-%s-%s.csv\"", from, to);
    http_set_header(resp, "Content-Disposition", name);
    http_reply_bytes(resp, 200, "text/csv; charset=utf-8", b.data ? b.data : "", b.len);
    buf_release(&b);
    free(rows);
    indicator_table_release(&t);
    return 0;
}

const struct http_route indicator_routes[] = {
    {"GET", "/api/v1/indicators", get_indicators, 0, "indicator.read"},
    {"GET", "/api/v1/indicators.csv", get_indicators_csv, 0, "indicator.read"},
    {NULL, NULL, NULL, 0, NULL},
};
