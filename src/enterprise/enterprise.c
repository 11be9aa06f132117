/* Orchestration of the enterprise module: the registry in scope, appeals through the event loop,
 * the wage-arrears scan and its resolution, fraud cases and 免申即享 notices. Rules are the pure
 * functions of rules.c; SQL is enterprise_store.c; every write is audited in its transaction. */
#include "enterprise/enterprise.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "building/building.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/xalloc.h"
#include "enterprise/enterprise_store.h"
#include "event/event.h"

static int audit_write(struct db *db, const struct auth_principal *who, const char *action,
                       const char *type, const char *id, const char *after, const char *region,
                       const char *request_id, struct app_error *err)
{
    struct audit_entry e = {.actor = who,
                            .action = action,
                            .object_type = type,
                            .object_id = id,
                            .request_id = request_id,
                            .after = after,
                            .region = region};
    return audit_append(db, &e, err);
}

/* An enterprise is in who's scope when its street is (NULL who: the system, everything). */
static bool ent_in_scope(const struct auth_principal *who, const char *street)
{
    return !who || (street[0] && auth_region_in_scope(who, street)) || who->role == AUTH_ROLE_ADMIN;
}

int enterprise_list(struct db *db, const struct auth_principal *who, struct enterprise_list *out,
                    struct app_error *err)
{
    memset(out, 0, sizeof(*out));
    if (enterprise_store_list(db, out, err))
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < out->len; i++)
        if (ent_in_scope(who, out->items[i].street))
            out->items[k++] = out->items[i];
    out->len = k;
    return 0;
}

/* ---- appeals -------------------------------------------------------------------------------- */

int enterprise_appeal_file(struct app *app, struct db *db, const struct auth_principal *who,
                           const struct enterprise_appeal_input *in, const char *request_id,
                           char *code_out, size_t n, struct app_error *err)
{
    struct building_uscc_result ur;
    if (!in->uscc || !*in->uscc)
        return app_fail(err, APP_ERR_INVALID, "required", "uscc", "缺少统一社会信用代码");
    if (!building_uscc_check(in->uscc, &ur))
        return app_fail(err, APP_ERR_INVALID, "bad_uscc", "uscc",
                        "统一社会信用代码校验不通过 (GB 32100-2015)：%s",
                        building_uscc_reason_name(ur.reason));
    int klass = enterprise_appeal_class_parse(in->appeal_class);
    if (klass < 0)
        return app_fail(err, APP_ERR_INVALID, "bad_class", "appeal_class",
                        "诉求类别应为 policy/finance/labour/space/approval/ip/legal/utility/wage");
    if (!in->title || !*in->title)
        return app_fail(err, APP_ERR_INVALID, "required", "title", "缺少诉求标题");
    struct enterprise e;
    struct enterprise_place place;
    bool found = false;
    if (enterprise_store_by_uscc(db, in->uscc, &e, &place, &found, err))
        return -1;
    if (!found || !ent_in_scope(who, e.street))
        return app_fail(err, APP_ERR_NOT_FOUND, "unknown_enterprise", "uscc", "未找到该企业");
    if (!place.grid[0])
        return app_fail(err, APP_ERR_INVALID, "no_place", "uscc",
                        "该企业未登记所在楼宇，无法定位诉求");
    char title[240];
    snprintf(title, sizeof(title), "【%s】%s：%s", enterprise_appeal_class_label(klass), e.name,
             in->title);
    struct event_input ei = {.channel = EVENT_CHANNEL_ENTERPRISE,
                             .category = enterprise_appeal_category(klass),
                             .title = title,
                             .description = in->description,
                             .lon = place.lon,
                             .lat = place.lat,
                             .address = place.building,
                             .reporter_name = e.name,
                             .urgency = -1,
                             .link_type = "enterprise",
                             .link_id = e.uscc,
                             .synthetic = in->synthetic};
    struct event ev = {0};
    if (db_begin(db, err))
        return -1;
    if (event_create(app, db, who, &ei, request_id, &ev, err))
        goto fail;
    char after[256];
    snprintf(after, sizeof(after), "event=%s;enterprise=%s;class=%s", ev.code, e.uscc,
             enterprise_appeal_class_name(klass));
    if (enterprise_store_appeal_insert(db, ev.code, e.id, klass, ev.created_at, in->synthetic,
                                       err) ||
        audit_write(db, who, "enterprise.appeal_file", "enterprise_appeal", ev.code, after,
                    ev.street, request_id, err) ||
        db_commit(db, err))
        goto fail;
    snprintf(code_out, n, "%s", ev.code);
    event_release(&ev);
    return 0;
fail:
    db_rollback(db);
    event_release(&ev);
    return -1;
}

int enterprise_appeal_list(struct db *db, const struct auth_principal *who,
                           struct enterprise_appeal_list *out, struct app_error *err)
{
    memset(out, 0, sizeof(*out));
    if (enterprise_store_appeal_list(db, out, err))
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < out->len; i++)
        if (ent_in_scope(who, out->items[i].street))
            out->items[k++] = out->items[i];
    out->len = k;
    return 0;
}

/* ---- wage arrears -----------------------------------------------------------------------------
 */

/* The facts of project p on `today` from its payroll months and complaints. */
static void wage_facts(const struct wage_project *p, const struct wage_payroll_list *pay,
                       const struct wage_complaint_list *cmp, const struct wage_thresholds *t,
                       const char *today, struct wage_record *r)
{
    memset(r, 0, sizeof(*r));
    r->construction = p->construction;
    r->workers = p->workers;
    r->si_stopped_months = p->si_stopped_months;
    r->progress_unpaid_fen = p->progress_unpaid_fen;
    bool ok;
    for (size_t i = 0; i < pay->len; i++) {
        const struct wage_payroll *w = &pay->items[i];
        if (w->project_id != p->id || w->paid_date[0])
            continue;
        int d = enterprise_days_between(w->due_date, today, &ok);
        if (ok && d > r->max_overdue_days)
            r->max_overdue_days = d;
    }
    for (size_t i = 0; i < cmp->len; i++) {
        const struct wage_complaint *c = &cmp->items[i];
        if (c->project_id != p->id)
            continue;
        int d = enterprise_days_between(c->filed_on, today, &ok);
        if (ok && d >= 0 && d < t->complaint_window_days)
            r->complaints_in_window++;
    }
    if (p->progress_due_date[0]) {
        int d = enterprise_days_between(p->progress_due_date, today, &ok);
        r->progress_overdue_days = ok && d > 0 ? d : 0;
    }
}

static void wage_detail(const struct wage_record *r, unsigned fired, char *rules, size_t nr,
                        char *detail, size_t nd)
{
    struct buf a = BUF_INIT, b = BUF_INIT;
    for (int k = 0; k < WAGE_RULE_COUNT; k++) {
        if (!(fired & (1u << k)))
            continue;
        buf_printf(&a, "%s%s", a.len ? "," : "", wage_rule_name(k));
        buf_printf(&b, "%s%s", b.len ? "；" : "", wage_rule_label(k));
        if (k == WAGE_PAYROLL_OVERDUE)
            buf_printf(&b, " %d 天", r->max_overdue_days);
        else if (k == WAGE_COMPLAINT_CLUSTER)
            buf_printf(&b, " %d 件", r->complaints_in_window);
        else if (k == WAGE_SI_STOPPED)
            buf_printf(&b, " %d 个月", r->si_stopped_months);
        else
            buf_printf(&b, " %lld.%02lld 元逾期 %d 天", (long long)(r->progress_unpaid_fen / 100),
                       (long long)(r->progress_unpaid_fen % 100), r->progress_overdue_days);
    }
    snprintf(rules, nr, "%s", buf_cstr(&a));
    snprintf(detail, nd, "%s", buf_cstr(&b));
    buf_release(&a);
    buf_release(&b);
}

int wage_scan(struct app *app, struct db *db, const struct auth_principal *who, const char *today,
              bool synthetic, const char *request_id, int *opened, struct app_error *err)
{
    int64_t day;
    *opened = 0;
    if (!today || clock_parse_date(today, &day))
        return app_fail(err, APP_ERR_INVALID, "bad_date", "date", "日期格式应为 YYYY-MM-DD");
    struct wage_thresholds t;
    struct wage_project_list pl = {0};
    struct wage_payroll_list pay = {0};
    struct wage_complaint_list cmp = {0};
    int rc = -1;
    if (enterprise_store_thresholds(db, &t, err) || enterprise_store_projects(db, &pl, err) ||
        enterprise_store_payrolls(db, &pay, err) || enterprise_store_complaints(db, &cmp, err))
        goto out;
    if (db_begin(db, err))
        goto out;
    for (size_t i = 0; i < pl.len; i++) {
        const struct wage_project *p = &pl.items[i];
        struct wage_record r;
        wage_facts(p, &pay, &cmp, &t, today, &r);
        unsigned fired = wage_rules_fire(&r, &t);
        bool open = false;
        if (!fired)
            continue;
        if (enterprise_store_warning_open(db, p->id, &open, err))
            goto fail;
        if (open)
            continue;
        struct wage_warning w = {
            .project_id = p->id, .opened_at = clock_now(), .synthetic = synthetic || p->synthetic};
        wage_detail(&r, fired, w.rules, sizeof(w.rules), w.detail, sizeof(w.detail));
        char title[320];
        snprintf(title, sizeof(title), "欠薪隐患预警：%s（%s）", p->name, p->employer);
        struct event_sensor_alert a = {.category = "9002",
                                       .title = title,
                                       .description = w.detail,
                                       /* the site's grid when known (its centre is the place) */
                                       .lon = p->grid[0] ? 0 : p->lon,
                                       .lat = p->grid[0] ? 0 : p->lat,
                                       .grid = p->grid[0] ? p->grid : NULL,
                                       .urgency = -1,
                                       .department = "hrss",
                                       .station = p->code,
                                       .link_type = "wage_project",
                                       .reporter = "欠薪预警"};
        if (event_open_sensor_alert(app, db, &a, w.event_code, err) ||
            enterprise_store_warning_insert(db, &w, &w.id, err))
            goto fail;
        char id[24], after[400];
        snprintf(id, sizeof(id), "%lld", (long long)w.id);
        snprintf(after, sizeof(after), "project=%s;rules=%s;event=%s", p->code, w.rules,
                 w.event_code);
        if (audit_write(db, who, "enterprise.wage_warning", "wage_warning", id, after, NULL,
                        request_id, err))
            goto fail;
        (*opened)++;
    }
    if (db_commit(db, err))
        goto out;
    rc = 0;
    goto out;
fail:
    db_rollback(db);
out:
    free(pl.items);
    free(pay.items);
    free(cmp.items);
    return rc;
}

int wage_warning_list(struct db *db, struct wage_warning_list *out, struct app_error *err)
{
    memset(out, 0, sizeof(*out));
    return enterprise_store_warning_list(db, out, err);
}

int wage_warning_resolve(struct db *db, const struct auth_principal *who, int64_t id, int workers,
                         int64_t recovered_fen, const char *request_id, struct app_error *err)
{
    if (workers < 0 || workers > 1000000)
        return app_fail(err, APP_ERR_INVALID, "out_of_range", "workers", "人数应为 0–1000000");
    if (recovered_fen < 0)
        return app_fail(err, APP_ERR_INVALID, "negative", "recovered_fen", "追回金额不能为负");
    struct wage_warning w;
    bool found = false;
    if (db_begin(db, err))
        return -1;
    if (enterprise_store_warning_get(db, id, &w, &found, err))
        goto fail;
    if (!found) {
        app_fail(err, APP_ERR_NOT_FOUND, "not_found", "id", "未找到该预警");
        goto fail;
    }
    if (w.resolved_at) {
        app_fail(err, APP_ERR_CONFLICT, "already_resolved", "id", "该预警已化解");
        goto fail;
    }
    char sid[24], after[128];
    snprintf(sid, sizeof(sid), "%lld", (long long)id);
    snprintf(after, sizeof(after), "workers=%d;recovered_fen=%lld", workers,
             (long long)recovered_fen);
    if (enterprise_store_warning_resolve(db, id, clock_now(), workers, recovered_fen, err) ||
        audit_write(db, who, "enterprise.wage_resolve", "wage_warning", sid, after, NULL,
                    request_id, err))
        goto fail;
    return db_commit(db, err);
fail:
    db_rollback(db);
    return -1;
}

int wage_figures(struct db *db, struct wage_figures *out, struct app_error *err)
{
    memset(out, 0, sizeof(*out));
    return enterprise_store_wage_figures(db, out, err);
}

/* ---- fraud cases ------------------------------------------------------------------------------
 */

int fraud_case_record(struct db *db, const struct auth_principal *who, struct fraud_case *c,
                      const char *request_id, struct app_error *err)
{
    int64_t day;
    if (!c->code[0])
        return app_fail(err, APP_ERR_INVALID, "required", "code", "缺少案件编号");
    if (!c->kind[0])
        return app_fail(err, APP_ERR_INVALID, "required", "kind", "缺少骗保类型");
    if (c->obtained_fen <= 0)
        return app_fail(err, APP_ERR_INVALID, "out_of_range", "obtained_fen",
                        "骗取金额应大于 0 (分)");
    if (c->recovered_fen < 0)
        return app_fail(err, APP_ERR_INVALID, "negative", "recovered_fen", "追回金额不能为负");
    if (c->recovered_fen > c->obtained_fen)
        return app_fail(err, APP_ERR_INVALID, "out_of_range", "recovered_fen",
                        "追回金额不能超过骗取金额");
    if (c->fine_fen < 0)
        return app_fail(err, APP_ERR_INVALID, "negative", "fine_fen", "罚款不能为负");
    int f = fraud_fine_check(c->obtained_fen, c->fine_fen);
    if (f)
        return app_fail(err, APP_ERR_INVALID, "fine_out_of_range", "fine_fen",
                        "社会保险法第八十八条：罚款应为骗取金额的二倍以上五倍以下 (%lld–%lld 分)",
                        (long long)(2 * c->obtained_fen), (long long)(5 * c->obtained_fen));
    if (clock_parse_date(c->decided_on, &day))
        return app_fail(err, APP_ERR_INVALID, "bad_date", "decided_on", "日期格式应为 YYYY-MM-DD");
    char after[256];
    snprintf(after, sizeof(after), "code=%s;obtained=%lld;recovered=%lld;fine=%lld", c->code,
             (long long)c->obtained_fen, (long long)c->recovered_fen, (long long)c->fine_fen);
    if (db_begin(db, err))
        return -1;
    if (enterprise_store_fraud_insert(db, c, &c->id, err)) {
        if (err && err->code == APP_ERR_CONFLICT)
            app_fail(err, APP_ERR_CONFLICT, "exists", "code", "案件编号已存在");
        goto fail;
    }
    if (audit_write(db, who, "enterprise.fraud_case", "fraud_case", c->code, after, NULL,
                    request_id, err))
        goto fail;
    return db_commit(db, err);
fail:
    db_rollback(db);
    return -1;
}

int fraud_case_list(struct db *db, struct fraud_case_list *out, struct app_error *err)
{
    memset(out, 0, sizeof(*out));
    return enterprise_store_fraud_list(db, out, err);
}

/* ---- policies ---------------------------------------------------------------------------------
 */

int enterprise_policy_get(struct db *db, const char *code, char **body, struct app_error *err)
{
    bool found = false;
    *body = NULL;
    if (enterprise_store_policy_body(db, code ? code : "", body, &found, err))
        return -1;
    if (!found)
        return app_fail(err, APP_ERR_NOT_FOUND, "not_found", "code", "未找到该政策");
    return 0;
}

int enterprise_policy_list(struct db *db, struct enterprise_policy_rows *out, struct app_error *err)
{
    memset(out, 0, sizeof(*out));
    return enterprise_store_policy_list(db, out, err);
}

int enterprise_policy_notify(struct db *db, const struct auth_principal *who,
                             const struct policy *p, const struct policy_result *r, size_t n,
                             const char *request_id, int *added, struct app_error *err)
{
    *added = 0;
    if (db_begin(db, err))
        return -1;
    int64_t now = clock_now();
    for (size_t i = 0; i < n; i++) {
        if (!r[i].eligible)
            continue;
        bool ok = false;
        if (enterprise_store_notice_insert(db, p->code, r[i].enterprise_id, r[i].benefit_fen, now,
                                           &ok, err))
            goto fail;
        *added += ok;
    }
    char after[96];
    snprintf(after, sizeof(after), "policy=%s;notices=%d", p->code, *added);
    if (audit_write(db, who, "enterprise.policy_notify", "enterprise_policy", p->code, after, NULL,
                    request_id, err))
        goto fail;
    return db_commit(db, err);
fail:
    db_rollback(db);
    return -1;
}
