/* Pure rules of the enterprise module: appeal classes, the wage-arrears warning rules, the
 * 社会保险法 第八十八条 fine range, the 免申即享 rule evaluation and benefit, the appeal figures.
 * No I/O here; every function is tested in tests/unit/enterprise/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/xalloc.h"
#include "enterprise/enterprise.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- appeal classes ------------------------------------------------------------------------ */

static const char *const class_names[APPEAL_CLASS_COUNT][2] = {
    {"policy", "政策咨询"}, {"finance", "融资"},   {"labour", "用工"},
    {"space", "用地/空间"}, {"approval", "审批"},  {"ip", "知识产权"},
    {"legal", "法律"},      {"utility", "水电气"}, {"wage", "欠薪"},
};

const char *enterprise_appeal_class_name(int c)
{
    return c >= 0 && c < APPEAL_CLASS_COUNT ? class_names[c][0] : "";
}

const char *enterprise_appeal_class_label(int c)
{
    return c >= 0 && c < APPEAL_CLASS_COUNT ? class_names[c][1] : "";
}

int enterprise_appeal_class_parse(const char *s)
{
    for (int i = 0; s && i < APPEAL_CLASS_COUNT; i++)
        if (strcmp(s, class_names[i][0]) == 0)
            return i;
    return -1;
}

const char *enterprise_appeal_category(int c)
{
    /* the event classes of src/event/category.c: 9002 欠薪 (人力社保), 9301 企业诉求 (商务) */
    return c == APPEAL_WAGE ? "9002" : "9301";
}

/* ---- wage-arrears warning rules ------------------------------------------------------------ */

static const char *const wage_names[WAGE_RULE_COUNT][2] = {
    {"payroll_overdue", "工资逾期未发"},
    {"complaint_cluster", "投诉集中"},
    {"si_stopped", "社保断缴"},
    {"progress_unpaid", "工程进度款未付"},
};

const char *wage_rule_name(int r)
{
    return r >= 0 && r < WAGE_RULE_COUNT ? wage_names[r][0] : "";
}

const char *wage_rule_label(int r)
{
    return r >= 0 && r < WAGE_RULE_COUNT ? wage_names[r][1] : "";
}

unsigned wage_rules_fire(const struct wage_record *r, const struct wage_thresholds *t)
{
    unsigned fired = 0;
    /* 工资支付暂行规定 第七条 (recalled, docs/enterprise.md): 工资必须在约定的日期支付, 至少每月
     *一次; the warning fires when a month is unpaid MORE than payroll_overdue_days past due. */
    if (r->max_overdue_days > t->payroll_overdue_days)
        fired |= 1u << WAGE_PAYROLL_OVERDUE;
    /* several complaints at one employer within the window: K or more */
    if (t->complaint_cluster > 0 && r->complaints_in_window >= t->complaint_cluster)
        fired |= 1u << WAGE_COMPLAINT_CLUSTER;
    /* contributions stopped while the workers are still there: M or more months */
    if (r->workers > 0 && t->si_stopped_months > 0 && r->si_stopped_months >= t->si_stopped_months)
        fired |= 1u << WAGE_SI_STOPPED;
    /* 保障农民工工资支付条例 (2020-05-01) 第二十四条 第二款: "人工费用拨付周期不得超过1个月"
     * (text found, docs/enterprise.md); the warning fires when a construction project's progress
     * payment is unpaid MORE than progress_overdue_days (30 by default) past its due date. */
    if (r->construction && r->progress_unpaid_fen > 0 &&
        r->progress_overdue_days > t->progress_overdue_days)
        fired |= 1u << WAGE_PROGRESS_UNPAID;
    return fired;
}

int enterprise_days_between(const char *a, const char *b, bool *ok)
{
    int64_t da, db;
    if (!a || !b || clock_parse_date(a, &da) || clock_parse_date(b, &db)) {
        if (ok)
            *ok = false;
        return -1;
    }
    if (ok)
        *ok = true;
    return (int)(db - da);
}

/* ---- 社会保险法 第八十八条 ------------------------------------------------------------------- */

int fraud_fine_check(int64_t obtained_fen, int64_t fine_fen)
{
    /* "处骗取金额二倍以上五倍以下的罚款": 以上/以下 include the bounds (民法典 第一千二百五十九条)
     */
    if (fine_fen < 2 * obtained_fen)
        return -1;
    if (fine_fen > 5 * obtained_fen)
        return 1;
    return 0;
}

/* ---- 免申即享 rules --------------------------------------------------------------------- */

static const char *const field_names[PF_COUNT][2] = {
    {"industry", "行业"},         {"size_class", "规模"},    {"zone", "所在片区"},
    {"street", "所在街道"},       {"employees", "从业人数"}, {"revenue_growth", "营收增长率"},
    {"violations", "违法记录数"},
};
static const char *const op_names[PO_COUNT] = {"in", "not_in", "eq", "ne", "ge", "gt", "le", "lt"};
static const char *const op_labels[PO_COUNT] = {"属于", "不属于", "等于", "不等于",
                                                "≥",    ">",      "≤",    "<"};

int policy_field_parse(const char *s)
{
    for (int i = 0; s && i < PF_COUNT; i++)
        if (strcmp(s, field_names[i][0]) == 0)
            return i;
    return -1;
}

const char *policy_field_name(int f)
{
    return f >= 0 && f < PF_COUNT ? field_names[f][0] : "";
}

const char *policy_field_label(int f)
{
    return f >= 0 && f < PF_COUNT ? field_names[f][1] : "";
}

bool policy_field_numeric(int f)
{
    return f == PF_EMPLOYEES || f == PF_GROWTH || f == PF_VIOLATIONS;
}

int policy_op_parse(const char *s)
{
    for (int i = 0; s && i < PO_COUNT; i++)
        if (strcmp(s, op_names[i]) == 0)
            return i;
    return -1;
}

const char *policy_op_name(int op)
{
    return op >= 0 && op < PO_COUNT ? op_names[op] : "";
}

static const char *text_of(int field, const struct enterprise *e)
{
    switch (field) {
    case PF_INDUSTRY:
        return e->industry;
    case PF_SIZE_CLASS:
        return e->size_class;
    case PF_ZONE:
        return e->zone;
    case PF_STREET:
        return e->street;
    default:
        return "";
    }
}

static int64_t number_of(int field, const struct enterprise *e)
{
    switch (field) {
    case PF_EMPLOYEES:
        return e->employees;
    case PF_GROWTH:
        return e->growth_bp;
    case PF_VIOLATIONS:
        return e->violations;
    default:
        return 0;
    }
}

/* industry codes are hierarchical (GB/T 4754-2017: 门类 letter, 大类 2 digits, 中类, 小类):
 * a listed "I" or "I65" covers "I6510"; other text fields compare whole */
static bool text_match(int field, const char *have, const char *want)
{
    if (field == PF_INDUSTRY)
        return *want && strncmp(have, want, strlen(want)) == 0;
    return strcmp(have, want) == 0;
}

static void number_text(int field, int64_t v, char *out, size_t n)
{
    if (field == PF_GROWTH) {
        int64_t a = v < 0 ? -v : v;
        snprintf(out, n, "%s%lld.%02lld%%", v < 0 ? "-" : "", (long long)(a / 100),
                 (long long)(a % 100));
    } else {
        snprintf(out, n, "%lld", (long long)v);
    }
}

bool policy_rule_eval(const struct policy_rule *r, const struct enterprise *e, char *reason,
                      size_t n)
{
    bool ok = false;
    if (policy_field_numeric(r->field)) {
        int64_t v = number_of(r->field, e), t = r->number;
        switch (r->op) {
        case PO_EQ:
            ok = v == t;
            break;
        case PO_NE:
            ok = v != t;
            break;
        case PO_GE:
            ok = v >= t;
            break;
        case PO_GT:
            ok = v > t;
            break;
        case PO_LE:
            ok = v <= t;
            break;
        case PO_LT:
            ok = v < t;
            break;
        default:
            ok = false;
        }
        if (reason && n) {
            char a[32], b[32];
            number_text(r->field, v, a, sizeof(a));
            number_text(r->field, t, b, sizeof(b));
            snprintf(reason, n, "%s %s %s %s：%s", policy_field_label(r->field), a,
                     op_labels[r->op], b, ok ? "符合" : "不符合");
        }
        return ok;
    }
    const char *have = text_of(r->field, e);
    const char *matched = NULL;
    if (r->op == PO_IN || r->op == PO_NOT_IN) {
        for (int i = 0; i < r->nvalues && !matched; i++)
            if (text_match(r->field, have, r->values[i]))
                matched = r->values[i];
        ok = r->op == PO_IN ? matched != NULL : matched == NULL;
    } else if (r->op == PO_EQ || r->op == PO_NE) {
        bool eq = r->nvalues > 0 && strcmp(have, r->values[0]) == 0;
        ok = r->op == PO_EQ ? eq : !eq;
    }
    if (reason && n) {
        if (matched)
            snprintf(reason, n, "%s %s %s %s：%s", policy_field_label(r->field), have,
                     r->op == PO_IN ? "属于" : "属于排除项", matched, ok ? "符合" : "不符合");
        else
            snprintf(reason, n, "%s %s %s %s：%s", policy_field_label(r->field),
                     *have ? have : "(空)", op_labels[r->op], r->nvalues ? r->values[0] : "",
                     ok ? "符合" : "不符合");
    }
    return ok;
}

int64_t policy_benefit(const struct policy *p, const struct enterprise *e)
{
    int64_t b = p->base_fen + p->per_employee_fen * (int64_t)e->employees;
    if (p->cap_fen > 0 && b > p->cap_fen)
        b = p->cap_fen;
    return b < 0 ? 0 : b;
}

size_t policy_run(const struct policy *p, const struct enterprise *e, size_t n,
                  struct policy_result *out)
{
    size_t eligible = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned passed = 0;
        for (int k = 0; k < p->nrules; k++)
            if (policy_rule_eval(&p->rules[k], &e[i], NULL, 0))
                passed |= 1u << k;
        bool ok = passed == (p->nrules >= 32 ? ~0u : (1u << p->nrules) - 1u);
        out[i] = (struct policy_result){.enterprise_id = e[i].id,
                                        .eligible = ok,
                                        .passed = passed,
                                        .benefit_fen = ok ? policy_benefit(p, &e[i]) : 0};
        eligible += ok;
    }
    return eligible;
}

int policy_validate(const struct policy *p, struct app_error *err)
{
    if (!p->code[0])
        return app_fail(err, APP_ERR_INVALID, "required", "code", "缺少政策编号");
    if (!p->name[0])
        return app_fail(err, APP_ERR_INVALID, "required", "name", "缺少政策名称");
    if (p->nrules < 1)
        return app_fail(err, APP_ERR_INVALID, "required", "rules", "政策至少需要一条条件");
    for (int i = 0; i < p->nrules; i++) {
        const struct policy_rule *r = &p->rules[i];
        char f[32];
        snprintf(f, sizeof(f), "rules[%d].value", i);
        bool numeric = policy_field_numeric(r->field);
        if (numeric && (r->op == PO_IN || r->op == PO_NOT_IN)) {
            snprintf(f, sizeof(f), "rules[%d].op", i);
            return app_fail(err, APP_ERR_INVALID, "bad_op", f, "数值条件不能用 in/not_in");
        }
        if (!numeric && r->op != PO_IN && r->op != PO_NOT_IN && r->op != PO_EQ && r->op != PO_NE) {
            snprintf(f, sizeof(f), "rules[%d].op", i);
            return app_fail(err, APP_ERR_INVALID, "bad_op", f, "文本条件只能用 in/not_in/eq/ne");
        }
        if (!numeric && r->nvalues < 1)
            return app_fail(err, APP_ERR_INVALID, "required", f, "条件缺少取值");
    }
    if (p->base_fen < 0)
        return app_fail(err, APP_ERR_INVALID, "negative", "base_fen", "金额不能为负");
    if (p->per_employee_fen < 0)
        return app_fail(err, APP_ERR_INVALID, "negative", "per_employee_fen", "金额不能为负");
    if (p->cap_fen < 0)
        return app_fail(err, APP_ERR_INVALID, "negative", "cap_fen", "金额不能为负");
    return 0;
}

/* ---- appeal figures -------------------------------------------------------------------------- */

static void count_into(struct enterprise_appeal_group *g, const struct enterprise_appeal *a)
{
    g->received++;
    if (a->closed_at) {
        g->closed++;
        if (!a->overdue)
            g->closed_on_time++;
    }
    if (a->satisfaction > 0) {
        g->rated++;
        if (a->satisfaction == 1 || a->satisfaction == 2) /* 满意, 基本满意 */
            g->satisfied++;
    }
}

static struct enterprise_appeal_group *group_for(struct enterprise_appeal_group **v, size_t *n,
                                                 const char *key)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*v)[i].key, key) == 0)
            return &(*v)[i];
    *v = xrealloc(*v, (*n + 1) * sizeof(**v));
    struct enterprise_appeal_group *g = &(*v)[(*n)++];
    memset(g, 0, sizeof(*g));
    snprintf(g->key, sizeof(g->key), "%s", key);
    return g;
}

static int group_cmp(const void *a, const void *b)
{
    return strcmp(((const struct enterprise_appeal_group *)a)->key,
                  ((const struct enterprise_appeal_group *)b)->key);
}

void enterprise_appeal_figures(const struct enterprise_appeal *a, size_t n,
                               struct enterprise_appeal_figures *out)
{
    memset(out, 0, sizeof(*out));
    snprintf(out->total.key, sizeof(out->total.key), "total");
    for (int c = 0; c < APPEAL_CLASS_COUNT; c++)
        snprintf(out->by_class[c].key, sizeof(out->by_class[c].key), "%s",
                 enterprise_appeal_class_name(c));
    for (size_t i = 0; i < n; i++) {
        count_into(&out->total, &a[i]);
        if (a[i].appeal_class >= 0 && a[i].appeal_class < APPEAL_CLASS_COUNT)
            count_into(&out->by_class[a[i].appeal_class], &a[i]);
        count_into(group_for(&out->by_street, &out->nstreet, a[i].street), &a[i]);
        char ind[2] = {a[i].industry[0], 0}; /* by 门类 */
        count_into(group_for(&out->by_industry, &out->nindustry, ind), &a[i]);
    }
    if (out->nstreet)
        qsort(out->by_street, out->nstreet, sizeof(*out->by_street), group_cmp);
    if (out->nindustry)
        qsort(out->by_industry, out->nindustry, sizeof(*out->by_industry), group_cmp);
}

void enterprise_appeal_figures_release(struct enterprise_appeal_figures *f)
{
    free(f->by_street);
    free(f->by_industry);
    f->by_street = f->by_industry = NULL;
    f->nstreet = f->nindustry = 0;
}

/* ---- certificates: the pure parts ------------------------------------------------------------ */

int cert_reduction_permille(int total, int kept)
{
    if (total <= 0 || kept < 0 || kept > total)
        return 0;
    /* (total − kept) / total in tenths of a percent, rounded half up: 16/22 → 727 (72.7 %) */
    return (int)(((int64_t)(total - kept) * 2000 + total) / (2 * (int64_t)total));
}

void cert_mask_name(const char *name, char *out, size_t n)
{
    if (!n)
        return;
    out[0] = 0;
    if (!name || !*name)
        return;
    /* keep the first UTF-8 character, one * for each further character */
    size_t len = 1;
    unsigned char c = (unsigned char)name[0];
    if (c >= 0xF0)
        len = 4;
    else if (c >= 0xE0)
        len = 3;
    else if (c >= 0xC0)
        len = 2;
    if (strlen(name) < len)
        len = strlen(name);
    size_t o = 0;
    for (size_t i = 0; i < len && o + 1 < n; i++)
        out[o++] = name[i];
    for (const char *p = name + len; *p && o + 1 < n; p++)
        if (((unsigned char)*p & 0xC0) != 0x80)
            out[o++] = '*';
    out[o] = 0;
}

void cert_text(const struct certificate *c, char *out, size_t n)
{
    snprintf(out, n, "zhizhi-cert-v1\n%s\n%s\n%s\n%s\n%lld\n", c->serial, c->type_code,
             c->community, c->holder_masked, (long long)c->issued_at);
}

const char *cert_status_name(int s)
{
    static const char *const n[] = {"valid", "revoked", "forged", "unknown"};
    return s >= 0 && s <= CERT_UNKNOWN ? n[s] : "";
}

const char *cert_status_label(int s)
{
    static const char *const n[] = {"有效", "已撤销", "伪造或被篡改", "不存在"};
    return s >= 0 && s <= CERT_UNKNOWN ? n[s] : "";
}
