/* /api/v1/enterprise/...: the registry, appeals, wage-arrears warnings, fraud cases, 免申即享
 * runs, certificates; /api/v1/certificates/verify/{serial} and /verify/{serial} (public). */
#include "enterprise/enterprise_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "enterprise/enterprise.h"

static void fen_text(int64_t fen, char *out, size_t n)
{
    int64_t a = fen < 0 ? -fen : fen;
    snprintf(out, n, "%s%lld.%02lld", fen < 0 ? "-" : "", (long long)(a / 100),
             (long long)(a % 100));
}

static int reply_csv(struct http_response *resp, struct buf *b, const char *name)
{
    char disp[96];
    http_reply_bytes(resp, 200, "text/csv; charset=utf-8", b->data ? b->data : "", b->len);
    snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", name);
    http_set_header(resp, "Content-Disposition", disp);
    buf_release(b);
    return 0;
}

/* ---- registry ------------------------------------------------------------------------------ */

static json_t *ent_json(const struct enterprise *e, const struct auth_principal *who)
{
    char phone[32];
    auth_show_phone(who, e->contact_phone, phone, sizeof(phone));
    return json_pack("{s:I,s:s,s:s,s:s,s:s,s:i,s:I,s:i,s:s,s:s,s:s,s:s,s:b}", "id",
                     (json_int_t)e->id, "uscc", e->uscc, "name", e->name, "industry", e->industry,
                     "size_class", e->size_class, "employees", e->employees, "growth_bp",
                     (json_int_t)e->growth_bp, "violations", e->violations, "street", e->street,
                     "zone", e->zone, "officer", e->officer, "contact_phone", phone, "synthetic",
                     e->synthetic);
}

static int list_enterprises(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct enterprise_list l;
    if (enterprise_list(req->db, req->who, &l, &err))
        return http_reply_error(resp, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < l.len; i++)
        json_array_append_new(items, ent_json(&l.items[i], req->who));
    free(l.items);
    return http_reply_json(resp, 200, json_pack("{s:o}", "items", items));
}

/* ---- appeals -------------------------------------------------------------------------------- */

static int file_appeal(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    json_t *b = NULL;
    struct enterprise_appeal_input in = {0};
    char code[32];
    if (http_read_json(req, &b, &err) || http_json_string(b, "uscc", true, &in.uscc, &err) ||
        http_json_string(b, "appeal_class", true, &in.appeal_class, &err) ||
        http_json_string(b, "title", true, &in.title, &err) ||
        http_json_string(b, "description", false, &in.description, &err) ||
        enterprise_appeal_file(req->app, req->db, req->who, &in, req->request_id, code,
                               sizeof(code), &err)) {
        json_decref(b);
        return http_reply_error(resp, &err);
    }
    json_decref(b);
    return http_reply_json(resp, 201, json_pack("{s:s}", "event_code", code));
}

static json_t *appeal_json(const struct enterprise_appeal *a)
{
    return json_pack("{s:s,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:b,s:i}", "event_code",
                     a->event_code, "enterprise_id", (json_int_t)a->enterprise_id, "enterprise",
                     a->enterprise, "street", a->street, "industry", a->industry, "appeal_class",
                     enterprise_appeal_class_name(a->appeal_class), "class_label",
                     enterprise_appeal_class_label(a->appeal_class), "state", a->state,
                     "created_at", (json_int_t)a->created_at, "closed_at", (json_int_t)a->closed_at,
                     "overdue", a->overdue, "satisfaction", a->satisfaction);
}

static int list_appeals(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct enterprise_appeal_list l;
    if (enterprise_appeal_list(req->db, req->who, &l, &err))
        return http_reply_error(resp, &err);
    const char *uscc = http_query(req, "enterprise_id");
    json_t *items = json_array();
    for (size_t i = 0; i < l.len; i++)
        if (!uscc || atoll(uscc) == l.items[i].enterprise_id)
            json_array_append_new(items, appeal_json(&l.items[i]));
    free(l.items);
    return http_reply_json(resp, 200, json_pack("{s:o}", "items", items));
}

static json_t *group_json(const struct enterprise_appeal_group *g, const char *label)
{
    return json_pack("{s:s,s:s,s:i,s:i,s:i,s:i,s:i}", "key", g->key, "label",
                     label ? label : g->key, "received", (int)g->received, "closed", (int)g->closed,
                     "closed_on_time", (int)g->closed_on_time, "rated", (int)g->rated, "satisfied",
                     (int)g->satisfied);
}

static int figures(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct enterprise_appeal_list l;
    struct enterprise_appeal_figures f;
    struct wage_figures w;
    struct cert_figures c;
    if (enterprise_appeal_list(req->db, req->who, &l, &err) || wage_figures(req->db, &w, &err) ||
        cert_figures(req->db, &c, &err))
        return http_reply_error(resp, &err);
    enterprise_appeal_figures(l.items, l.len, &f);
    free(l.items);
    json_t *cls = json_array(), *st = json_array(), *ind = json_array();
    for (int i = 0; i < APPEAL_CLASS_COUNT; i++)
        json_array_append_new(cls, group_json(&f.by_class[i], enterprise_appeal_class_label(i)));
    for (size_t i = 0; i < f.nstreet; i++)
        json_array_append_new(st, group_json(&f.by_street[i], NULL));
    for (size_t i = 0; i < f.nindustry; i++)
        json_array_append_new(ind, group_json(&f.by_industry[i], NULL));
    char rec[32], avg[16], red[16];
    fen_text(w.recovered_fen, rec, sizeof(rec));
    snprintf(avg, sizeof(avg), "%.1f", c.avg_issue_hours);
    snprintf(red, sizeof(red), "%d.%d", c.reduction_permille / 10, c.reduction_permille % 10);
    json_t *j = json_pack(
        "{s:o,s:o,s:o,s:o,s:{s:i,s:i,s:i,s:I,s:s},s:{s:i,s:i,s:i,s:s,s:i,s:i,s:s}}", "appeals",
        group_json(&f.total, "合计"), "by_class", cls, "by_street", st, "by_industry", ind, "wage",
        "warnings", (int)w.warnings, "resolved", (int)w.resolved, "workers_helped",
        (int)w.workers_helped, "recovered_fen", (json_int_t)w.recovered_fen, "recovered_yuan", rec,
        "certificates", "requests", (int)c.requests, "issued", (int)c.issued, "revoked",
        (int)c.revoked, "avg_issue_hours", avg, "types_total", c.types_total, "types_issued",
        c.types_issued, "reduction_rate", red);
    enterprise_appeal_figures_release(&f);
    return http_reply_json(resp, 200, j);
}

static int appeals_csv(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct enterprise_appeal_list l;
    if (enterprise_appeal_list(req->db, req->who, &l, &err))
        return http_reply_error(resp, &err);
    struct buf b = BUF_INIT;
    buf_puts(&b,
             "\xEF\xBB\xBF事件编号,企业,街道,行业,类别,状态,受理时间,办结时间,是否超时,评价\r\n");
    for (size_t i = 0; i < l.len; i++) {
        const struct enterprise_appeal *a = &l.items[i];
        char t0[32], t1[32] = "";
        clock_format_local(a->created_at, t0, sizeof(t0));
        if (a->closed_at)
            clock_format_local(a->closed_at, t1, sizeof(t1));
        static const char *const sat[] = {"", "满意", "基本满意", "不满意"};
        buf_put_csv(&b, a->event_code);
        buf_putc(&b, ',');
        buf_put_csv(&b, a->enterprise);
        buf_printf(&b, ",%s,%s,%s,%s,%s,%s,%s,%s\r\n", a->street, a->industry,
                   enterprise_appeal_class_label(a->appeal_class), a->state, t0, t1,
                   a->overdue ? "是" : "否", sat[a->satisfaction & 3]);
    }
    free(l.items);
    return reply_csv(resp, &b, "enterprise-appeals.csv");
}

/* ---- wage arrears -----------------------------------------------------------------------------
 */

static int wage_scan_h(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    json_t *b = NULL;
    const char *date = NULL;
    char today[16];
    int opened = 0;
    clock_format_date(clock_now(), today, sizeof(today));
    if (http_read_json(req, &b, &err) || http_json_string(b, "date", false, &date, &err) ||
        wage_scan(req->app, req->db, req->who, date ? date : today, false, req->request_id, &opened,
                  &err)) {
        json_decref(b);
        return http_reply_error(resp, &err);
    }
    json_decref(b);
    return http_reply_json(resp, 200, json_pack("{s:i}", "opened", opened));
}

static json_t *warning_json(const struct wage_warning *w)
{
    char rec[32];
    fen_text(w->recovered_fen, rec, sizeof(rec));
    return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:i,s:I,s:s,s:b}", "id", (json_int_t)w->id,
                     "project", w->project, "employer", w->employer, "rules", w->rules, "detail",
                     w->detail, "event_code", w->event_code, "opened_at", (json_int_t)w->opened_at,
                     "resolved_at", (json_int_t)w->resolved_at, "workers_helped", w->workers_helped,
                     "recovered_fen", (json_int_t)w->recovered_fen, "recovered_yuan", rec,
                     "synthetic", w->synthetic);
}

static int list_warnings(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct wage_warning_list l;
    if (wage_warning_list(req->db, &l, &err))
        return http_reply_error(resp, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < l.len; i++)
        json_array_append_new(items, warning_json(&l.items[i]));
    free(l.items);
    return http_reply_json(resp, 200, json_pack("{s:o}", "items", items));
}

static int warnings_csv(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct wage_warning_list l;
    if (wage_warning_list(req->db, &l, &err))
        return http_reply_error(resp, &err);
    struct buf b = BUF_INIT;
    buf_puts(&b, "\xEF\xBB\xBF编号,项目,用人单位,预警规则,详情,事件编号,预警时间,化解时间,"
                 "帮助人数,追回工资(元)\r\n");
    for (size_t i = 0; i < l.len; i++) {
        const struct wage_warning *w = &l.items[i];
        char t0[32], t1[32] = "", rec[32];
        clock_format_local(w->opened_at, t0, sizeof(t0));
        if (w->resolved_at)
            clock_format_local(w->resolved_at, t1, sizeof(t1));
        fen_text(w->recovered_fen, rec, sizeof(rec));
        buf_printf(&b, "%lld,", (long long)w->id);
        buf_put_csv(&b, w->project);
        buf_putc(&b, ',');
        buf_put_csv(&b, w->employer);
        buf_putc(&b, ',');
        buf_put_csv(&b, w->rules);
        buf_putc(&b, ',');
        buf_put_csv(&b, w->detail);
        buf_printf(&b, ",%s,%s,%s,%d,%s\r\n", w->event_code, t0, t1, w->workers_helped, rec);
    }
    free(l.items);
    return reply_csv(resp, &b, "wage-warnings.csv");
}

static int path_id(struct http_request *req, int64_t *id, struct app_error *err)
{
    const char *s = http_param(req, "id");
    char *end;
    long long v = s ? strtoll(s, &end, 10) : 0;
    if (!s || !*s || *end || v <= 0)
        return app_fail(err, APP_ERR_NOT_FOUND, "not_found", "id", "未找到该预警");
    *id = v;
    return 0;
}

static int resolve_warning(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    json_t *b = NULL;
    int64_t id = 0, workers = 0, fen = 0;
    if (path_id(req, &id, &err) || http_read_json(req, &b, &err) ||
        http_json_int(b, "workers", true, &workers, &err) ||
        http_json_int(b, "recovered_fen", true, &fen, &err) ||
        wage_warning_resolve(req->db, req->who, id,
                             workers > 2000000 ? 2000000
                             : workers < -1    ? -1
                                               : (int)workers,
                             fen, req->request_id, &err)) {
        json_decref(b);
        return http_reply_error(resp, &err);
    }
    json_decref(b);
    return http_reply_json(resp, 200, json_pack("{s:I,s:b}", "id", (json_int_t)id, "resolved", 1));
}

static int record_fraud(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    json_t *b = NULL;
    const char *code = NULL, *kind = NULL, *date = NULL;
    struct fraud_case c = {0};
    if (http_read_json(req, &b, &err) || http_json_string(b, "code", true, &code, &err) ||
        http_json_string(b, "kind", true, &kind, &err) ||
        http_json_int(b, "obtained_fen", true, &c.obtained_fen, &err) ||
        http_json_int(b, "recovered_fen", true, &c.recovered_fen, &err) ||
        http_json_int(b, "fine_fen", true, &c.fine_fen, &err) ||
        http_json_string(b, "decided_on", true, &date, &err))
        goto bad;
    snprintf(c.code, sizeof(c.code), "%s", code);
    snprintf(c.kind, sizeof(c.kind), "%s", kind);
    snprintf(c.decided_on, sizeof(c.decided_on), "%s", date);
    if (fraud_case_record(req->db, req->who, &c, req->request_id, &err))
        goto bad;
    json_decref(b);
    return http_reply_json(resp, 201,
                           json_pack("{s:s,s:I}", "code", c.code, "id", (json_int_t)c.id));
bad:
    json_decref(b);
    return http_reply_error(resp, &err);
}

static int list_fraud(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct fraud_case_list l;
    if (fraud_case_list(req->db, &l, &err))
        return http_reply_error(resp, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < l.len; i++) {
        const struct fraud_case *c = &l.items[i];
        json_array_append_new(
            items,
            json_pack("{s:s,s:s,s:I,s:I,s:I,s:s,s:i,s:b}", "code", c->code, "kind", c->kind,
                      "obtained_fen", (json_int_t)c->obtained_fen, "recovered_fen",
                      (json_int_t)c->recovered_fen, "fine_fen", (json_int_t)c->fine_fen,
                      "decided_on", c->decided_on, "fine_check",
                      fraud_fine_check(c->obtained_fen, c->fine_fen), "synthetic", c->synthetic));
    }
    free(l.items);
    return http_reply_json(resp, 200, json_pack("{s:o}", "items", items));
}

const struct http_route enterprise_routes[] = {
    {"GET", "/api/v1/enterprise/enterprises", list_enterprises, 0, "enterprise.read"},
    {"POST", "/api/v1/enterprise/appeals", file_appeal, 0, "enterprise.appeal"},
    {"GET", "/api/v1/enterprise/appeals", list_appeals, 0, "enterprise.read"},
    {"GET", "/api/v1/enterprise/appeals.csv", appeals_csv, 0, "enterprise.read"},
    {"GET", "/api/v1/enterprise/figures", figures, 0, "enterprise.read"},
    {"POST", "/api/v1/enterprise/wage/scan", wage_scan_h, 0, "enterprise.wage"},
    {"GET", "/api/v1/enterprise/wage/warnings", list_warnings, 0, "enterprise.wage_read"},
    {"GET", "/api/v1/enterprise/wage/warnings.csv", warnings_csv, 0, "enterprise.wage_read"},
    {"POST", "/api/v1/enterprise/wage/warnings/{id}/resolve", resolve_warning, 0,
     "enterprise.wage"},
    {"POST", "/api/v1/enterprise/fraud-cases", record_fraud, 0, "enterprise.wage"},
    {"GET", "/api/v1/enterprise/fraud-cases", list_fraud, 0, "enterprise.wage_read"},
    {NULL, NULL, NULL, 0, NULL},
};
