/* 免申即享 over HTTP: the policy document (JSON data, never code) parsed into struct policy, the
 * stored policies, a run listing every eligible enterprise with the reason each rule passed,
 * optional notices, and a dry run against a changed policy (who gains, who loses). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enterprise/enterprise_api.h"

static int fail_at(struct app_error *err, const char *code, int i, const char *what,
                   const char *msg)
{
    char f[40];
    snprintf(f, sizeof(f), "rules[%d].%s", i, what);
    return app_fail(err, APP_ERR_INVALID, code, f, "%s", msg);
}

static int money(json_t *benefit, const char *key, int64_t *out, struct app_error *err)
{
    json_t *v = benefit ? json_object_get(benefit, key) : NULL;
    *out = 0;
    if (!v)
        return 0;
    if (!json_is_integer(v))
        return app_fail(err, APP_ERR_INVALID, "not_integer", key, "%s 应为整数 (分)", key);
    *out = json_integer_value(v);
    return 0;
}

int enterprise_policy_from_json(json_t *j, struct policy *p, struct app_error *err)
{
    memset(p, 0, sizeof(*p));
    if (!json_is_object(j))
        return app_fail(err, APP_ERR_INVALID, "not_object", "policy", "政策应为 JSON 对象");
    const char *code = json_string_value(json_object_get(j, "code"));
    const char *name = json_string_value(json_object_get(j, "name"));
    if (!code || !*code || strlen(code) >= sizeof(p->code))
        return app_fail(err, APP_ERR_INVALID, "required", "code", "缺少政策编号 (至多31字节)");
    if (!name || !*name || strlen(name) >= sizeof(p->name))
        return app_fail(err, APP_ERR_INVALID, "required", "name", "缺少政策名称");
    snprintf(p->code, sizeof(p->code), "%s", code);
    snprintf(p->name, sizeof(p->name), "%s", name);
    json_t *rules = json_object_get(j, "rules");
    if (!json_is_array(rules) || json_array_size(rules) == 0)
        return app_fail(err, APP_ERR_INVALID, "required", "rules", "政策至少需要一条条件");
    if (json_array_size(rules) > POLICY_MAX_RULES)
        return app_fail(err, APP_ERR_INVALID, "too_many", "rules", "条件至多 %d 条",
                        POLICY_MAX_RULES);
    size_t i;
    json_t *r;
    json_array_foreach(rules, i, r)
    {
        struct policy_rule *pr = &p->rules[i];
        int k = (int)i;
        if (!json_is_object(r))
            return fail_at(err, "not_object", k, "field", "条件应为对象");
        pr->field = policy_field_parse(json_string_value(json_object_get(r, "field")));
        if (pr->field < 0)
            return fail_at(err, "unknown_field", k, "field",
                           "未知字段 (可用 industry, size_class, zone, street, employees, "
                           "revenue_growth, violations)");
        pr->op = policy_op_parse(json_string_value(json_object_get(r, "op")));
        if (pr->op < 0)
            return fail_at(err, "unknown_op", k, "op",
                           "未知运算 (in, not_in, eq, ne, ge, gt, le, lt)");
        json_t *v = json_object_get(r, "value");
        if (policy_field_numeric(pr->field)) {
            if (!json_is_number(v))
                return fail_at(err, "not_number", k, "value", "数值条件的取值应为数字");
            double d = json_number_value(v);
            if (pr->field == PF_GROWTH) {
                /* percent with at most two decimals, held as basis points */
                double bp = d * 100.0;
                if (fabs(bp - nearbyint(bp)) > 1e-6 || fabs(bp) > 1e9)
                    return fail_at(err, "bad_precision", k, "value", "增长率至多两位小数");
                pr->number = (int64_t)nearbyint(bp);
            } else {
                if (!json_is_integer(v) || json_integer_value(v) < 0)
                    return fail_at(err, "not_integer", k, "value", "取值应为非负整数");
                pr->number = json_integer_value(v);
            }
        } else {
            if (json_is_string(v)) {
                snprintf(pr->values[0], sizeof(pr->values[0]), "%s", json_string_value(v));
                pr->nvalues = 1;
            } else if (json_is_array(v) && json_array_size(v) <= POLICY_MAX_VALUES) {
                size_t q;
                json_t *s;
                json_array_foreach(v, q, s)
                {
                    if (!json_is_string(s) || strlen(json_string_value(s)) >= 24)
                        return fail_at(err, "not_string", k, "value", "取值应为文本");
                    snprintf(pr->values[q], sizeof(pr->values[q]), "%s", json_string_value(s));
                    pr->nvalues++;
                }
            } else {
                return fail_at(err, "not_string", k, "value", "取值应为文本或文本列表");
            }
        }
        p->nrules++;
    }
    json_t *b = json_object_get(j, "benefit");
    if (money(b, "base_fen", &p->base_fen, err) ||
        money(b, "per_employee_fen", &p->per_employee_fen, err) ||
        money(b, "cap_fen", &p->cap_fen, err))
        return -1;
    return policy_validate(p, err);
}

int enterprise_policy_parse(const char *text, struct policy *p, struct app_error *err)
{
    json_error_t je;
    json_t *j = json_loads(text, 0, &je);
    if (!j)
        return app_fail(err, APP_ERR_INVALID, "bad_json", "policy",
                        "政策文件不是合法 JSON：第 %d 行 %s", je.line, je.text);
    int rc = enterprise_policy_from_json(j, p, err);
    json_decref(j);
    return rc;
}

static int list_policies(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct enterprise_policy_rows l;
    if (enterprise_policy_list(req->db, &l, &err))
        return http_reply_error(resp, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < l.len; i++) {
        char *body = NULL;
        json_t *doc = NULL;
        if (enterprise_policy_get(req->db, l.items[i].code, &body, &err) == 0)
            doc = json_loads(body, 0, NULL);
        free(body);
        json_array_append_new(items, json_pack("{s:s,s:s,s:o}", "code", l.items[i].code, "name",
                                               l.items[i].name, "policy", doc ? doc : json_null()));
    }
    free(l.items);
    return http_reply_json(resp, 200, json_pack("{s:o}", "items", items));
}

/* The policy of a run: {"code": stored} or {"policy": {...}} under key. */
static int policy_of(struct http_request *req, json_t *b, const char *key, struct policy *p,
                     struct app_error *err)
{
    json_t *doc = json_object_get(b, key);
    if (doc)
        return enterprise_policy_from_json(doc, p, err);
    const char *code = json_string_value(json_object_get(b, "code"));
    if (!code)
        return app_fail(err, APP_ERR_INVALID, "required", "code",
                        "请给出政策编号 code 或政策 policy");
    char *body = NULL;
    if (enterprise_policy_get(req->db, code, &body, err))
        return -1;
    int rc = enterprise_policy_parse(body, p, err);
    free(body);
    return rc;
}

static json_t *result_json(const struct policy *p, const struct enterprise *e,
                           const struct policy_result *r)
{
    json_t *why = json_array();
    for (int k = 0; k < p->nrules; k++) {
        char reason[192];
        bool ok = policy_rule_eval(&p->rules[k], e, reason, sizeof(reason));
        json_array_append_new(
            why, json_pack("{s:s,s:s,s:b,s:s}", "field", policy_field_name(p->rules[k].field), "op",
                           policy_op_name(p->rules[k].op), "passed", ok, "reason", reason));
    }
    char yuan[32];
    snprintf(yuan, sizeof(yuan), "%lld.%02lld", (long long)(r->benefit_fen / 100),
             (long long)(r->benefit_fen % 100));
    return json_pack("{s:I,s:s,s:s,s:s,s:I,s:s,s:o}", "enterprise_id", (json_int_t)e->id, "uscc",
                     e->uscc, "name", e->name, "street", e->street, "benefit_fen",
                     (json_int_t)r->benefit_fen, "benefit_yuan", yuan, "rules", why);
}

static int run_policy(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    json_t *b = NULL;
    struct policy *p = calloc(2, sizeof(*p));
    struct enterprise_list l = {0};
    struct policy_result *r = NULL, *r2 = NULL;
    json_t *j = NULL;
    if (!p || http_read_json(req, &b, &err) || policy_of(req, b, "policy", p, &err))
        goto bad;
    bool compare = json_object_get(b, "compare") != NULL;
    if (compare && enterprise_policy_from_json(json_object_get(b, "compare"), &p[1], &err)) {
        if (err.field[0] && strncmp(err.field, "compare.", 8) != 0) {
            char f[sizeof(err.field)];
            snprintf(f, sizeof(f), "%s", err.field);
            snprintf(err.field, sizeof(err.field), "compare.%.50s", f);
        }
        goto bad;
    }
    if (enterprise_list(req->db, req->who, &l, &err))
        goto bad;
    r = calloc(l.len + 1, sizeof(*r));
    r2 = calloc(l.len + 1, sizeof(*r2));
    size_t n = policy_run(&p[0], l.items, l.len, r);
    int64_t total = 0;
    json_t *items = json_array();
    for (size_t i = 0; i < l.len; i++)
        if (r[i].eligible) {
            total += r[i].benefit_fen;
            json_array_append_new(items, result_json(&p[0], &l.items[i], &r[i]));
        }
    j = json_pack("{s:s,s:s,s:I,s:I,s:I,s:o}", "code", p[0].code, "name", p[0].name, "evaluated",
                  (json_int_t)l.len, "eligible", (json_int_t)n, "benefit_total_fen",
                  (json_int_t)total, "items", items);
    if (compare) {
        policy_run(&p[1], l.items, l.len, r2);
        json_t *gain = json_array(), *lose = json_array();
        for (size_t i = 0; i < l.len; i++) {
            if (r2[i].eligible && !r[i].eligible)
                json_array_append_new(gain, result_json(&p[1], &l.items[i], &r2[i]));
            if (!r2[i].eligible && r[i].eligible)
                json_array_append_new(lose, result_json(&p[1], &l.items[i], &r2[i]));
        }
        json_object_set_new(j, "gained", gain);
        json_object_set_new(j, "lost", lose);
    }
    if (json_is_true(json_object_get(b, "notify"))) {
        int added = 0;
        if (enterprise_policy_notify(req->db, req->who, &p[0], r, l.len, req->request_id, &added,
                                     &err))
            goto bad;
        json_object_set_new(j, "notices_added", json_integer(added));
    }
    free(l.items);
    free(r);
    free(r2);
    free(p);
    json_decref(b);
    return http_reply_json(resp, 200, j);
bad:
    json_decref(j);
    free(l.items);
    free(r);
    free(r2);
    free(p);
    json_decref(b);
    return http_reply_error(resp, &err);
}

const struct http_route enterprise_policy_routes[] = {
    {"GET", "/api/v1/enterprise/policies", list_policies, 0, "enterprise.policy"},
    {"POST", "/api/v1/enterprise/policies/run", run_policy, 0, "enterprise.policy"},
    {NULL, NULL, NULL, 0, NULL},
};
