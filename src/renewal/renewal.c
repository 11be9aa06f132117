/* The renewal module's orchestration: projects and their phases, parcels, financing
 * assumptions, owners' votes and the figures, each write audited in its transaction and every
 * read bounded by the caller's jurisdiction (out of scope reads as not found). */
#include "renewal/renewal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "core/clock.h"
#include "org/org.h"
#include "renewal/renewal_store.h"

const char *const renewal_type_names[RENEWAL_TYPES] = {"old_estate", "dangerous", "village",
                                                       "factory", "block"};
const char *const renewal_type_labels[RENEWAL_TYPES] = {"老旧小区改造", "危旧房改造", "城中村",
                                                        "老厂区腾笼换鸟", "街区更新"};
const char *const renewal_model_names[RENEWAL_MODELS] = {"government", "social", "loan", "fepco",
                                                         "reits"};
const char *const renewal_model_labels[RENEWAL_MODELS] = {"政府投资", "社会资本", "城市更新贷",
                                                          "F+EPC+O", "REITs"};
const char *const renewal_path_names[RENEWAL_PATHS] = {"keep", "renovate", "demolish", "add"};
const char *const renewal_path_labels[RENEWAL_PATHS] = {"留", "改", "拆", "增"};
const char *const renewal_phase_names[RENEWAL_PHASES] = {"plan",  "approve", "design",
                                                         "build", "operate", "accept"};
const char *const renewal_phase_labels[RENEWAL_PHASES] = {"策划", "立项", "设计",
                                                          "实施", "运营", "竣工验收"};

int renewal_enum_parse(const char *s, const char *const *names, const char *const *labels, int n)
{
    for (int i = 0; s && i < n; i++)
        if (strcmp(s, names[i]) == 0 || strcmp(s, labels[i]) == 0)
            return i;
    return -1;
}

static const char *scope_of(const struct auth_principal *who)
{
    const char *s = who ? auth_scope_region(who) : "";
    return s ? s : "";
}

static bool in_scope(const struct auth_principal *who, const char *grid)
{
    return !who || auth_region_in_scope(who, grid);
}

static int audit(struct db *db, const struct auth_principal *who, const char *action,
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

static int commit_or_rollback(struct db *db, int rc, struct app_error *err)
{
    if (rc == 0 && db_commit(db, err) == 0)
        return 0;
    db_rollback(db);
    return -1;
}

/* ---- projects ---------------------------------------------------------------------------- */

int renewal_project_create(struct app *app, struct db *db, const struct auth_principal *who,
                           struct renewal_project *p, const char *request_id, struct app_error *err)
{
    if (!p->code[0] || strlen(p->code) > 20)
        return app_fail(err, APP_ERR_INVALID, "required", "code", "缺少项目编号（至多20字符）");
    if (!p->name[0])
        return app_fail(err, APP_ERR_INVALID, "required", "name", "缺少项目名称");
    if (renewal_enum_parse(p->type, renewal_type_names, renewal_type_labels, RENEWAL_TYPES) < 0)
        return app_fail(err, APP_ERR_INVALID, "bad_type", "type", "未知项目类型");
    if (renewal_enum_parse(p->model, renewal_model_names, renewal_model_labels, RENEWAL_MODELS) < 0)
        return app_fail(err, APP_ERR_INVALID, "bad_model", "model", "未知投融资模式");
    /* store the English names */
    snprintf(p->type, sizeof p->type, "%s",
             renewal_type_names[renewal_enum_parse(p->type, renewal_type_names, renewal_type_labels,
                                                   RENEWAL_TYPES)]);
    snprintf(p->model, sizeof p->model, "%s",
             renewal_model_names[renewal_enum_parse(p->model, renewal_model_names,
                                                    renewal_model_labels, RENEWAL_MODELS)]);
    if (p->households < 0 || p->households > 1000000)
        return app_fail(err, APP_ERR_INVALID, "out_of_range", "households", "受益户数超出范围");
    struct org_location loc;
    if (org_locate(app, db, p->lon, p->lat, &loc, err)) {
        if (err && err->code == APP_ERR_NOT_FOUND)
            return app_fail(err, APP_ERR_INVALID, "outside_district", "lon",
                            "该位置不在辖区网格内");
        return -1;
    }
    snprintf(p->grid, sizeof p->grid, "%s", loc.grid.code);
    snprintf(p->street, sizeof p->street, "%s", loc.street.code);
    org_location_release(&loc);
    if (!in_scope(who, p->grid))
        return app_fail(err, APP_ERR_NOT_FOUND, "outside_scope", "lon", "该位置不在您的辖区内");
    p->phase = 0;
    if (p->horizon <= 0)
        p->horizon = 20;
    if (!p->discount_nano)
        p->discount_nano = 50000000;
    char after[512];
    snprintf(after, sizeof after, "code=%s;name=%s;type=%s;model=%s;grid=%s;households=%d", p->code,
             p->name, p->type, p->model, p->grid, p->households);
    if (db_begin(db, err))
        return -1;
    int64_t now = clock_now();
    int rc = renewal_store_project_insert(db, p, NULL, now, &p->id, err);
    if (rc && err && err->code == APP_ERR_CONFLICT)
        app_fail(err, APP_ERR_CONFLICT, "project_exists", "code", "项目编号已存在");
    rc = rc || renewal_store_phase_insert(db, p->id, 0, now, who ? who->username : "", err) ||
         audit(db, who, "renewal.project_create", "renewal_project", p->code, after, p->grid,
               request_id, err);
    return commit_or_rollback(db, rc, err);
}

int renewal_project_get(struct db *db, const struct auth_principal *who, const char *code,
                        struct renewal_project *out, struct app_error *err)
{
    bool found = false;
    if (renewal_store_project_get(db, code ? code : "", out, &found, err))
        return -1;
    if (!found || !in_scope(who, out->grid))
        return app_fail(err, APP_ERR_NOT_FOUND, "no_project", "code", "没有这个更新项目");
    return 0;
}

int renewal_project_list(struct db *db, const struct auth_principal *who, int phase,
                         const char *street, struct renewal_project_list *out,
                         struct app_error *err)
{
    return renewal_store_project_list(db, scope_of(who), phase, street, out, err);
}

int renewal_project_advance(struct db *db, const struct auth_principal *who, const char *code,
                            int phase, const char *request_id, struct app_error *err)
{
    struct renewal_project p;
    if (renewal_project_get(db, who, code, &p, err))
        return -1;
    if (phase < 0 || phase >= RENEWAL_PHASES)
        return app_fail(err, APP_ERR_INVALID, "bad_phase", "phase", "未知阶段");
    if (phase != p.phase + 1)
        return app_fail(err, APP_ERR_CONFLICT, "not_next_phase", "phase",
                        "项目处于「%s」阶段，只能进入下一阶段%s%s", renewal_phase_labels[p.phase],
                        p.phase + 1 < RENEWAL_PHASES ? "「" : "",
                        p.phase + 1 < RENEWAL_PHASES ? renewal_phase_labels[p.phase + 1] : "");
    char after[96];
    snprintf(after, sizeof after, "phase=%s", renewal_phase_names[phase]);
    if (db_begin(db, err))
        return -1;
    int rc =
        renewal_store_project_set_phase(db, p.id, phase, err) ||
        renewal_store_phase_insert(db, p.id, phase, clock_now(), who ? who->username : "", err) ||
        audit(db, who, "renewal.project_phase", "renewal_project", p.code, after, p.grid,
              request_id, err);
    return commit_or_rollback(db, rc, err);
}

int renewal_phase_history(struct db *db, int64_t project_id, struct renewal_phase_list *out,
                          struct app_error *err)
{
    return renewal_store_phase_list(db, project_id, out, err);
}

/* ---- parcels ----------------------------------------------------------------------------- */

int renewal_parcel_add(struct db *db, const struct auth_principal *who, const char *code,
                       struct renewal_parcel *p, const char *request_id, struct app_error *err)
{
    struct renewal_project pr;
    if (renewal_project_get(db, who, code, &pr, err))
        return -1;
    if (!p->name[0])
        return app_fail(err, APP_ERR_INVALID, "required", "name", "缺少楼栋或地块名称");
    int path = renewal_enum_parse(p->path, renewal_path_names, renewal_path_labels, RENEWAL_PATHS);
    if (path < 0)
        return app_fail(err, APP_ERR_INVALID, "bad_path", "path", "路径应为 留/改/拆/增");
    snprintf(p->path, sizeof p->path, "%s", renewal_path_names[path]);
    if (p->area_before < 0)
        return app_fail(err, APP_ERR_INVALID, "bad_number", "area_before", "面积不能为负");
    if (p->area_after < 0)
        return app_fail(err, APP_ERR_INVALID, "bad_number", "area_after", "面积不能为负");
    if (path == 2 && p->area_after != 0) /* 拆: nothing of it remains */
        return app_fail(err, APP_ERR_INVALID, "demolish_area_after", "area_after",
                        "拆除的楼栋改造后面积应为 0");
    if (path == 3 && p->area_after <= 0)
        return app_fail(err, APP_ERR_INVALID, "add_area_after", "area_after",
                        "新增的楼栋应有建成面积");
    if (p->households < 0 || p->enterprises < 0)
        return app_fail(err, APP_ERR_INVALID, "bad_number",
                        p->households < 0 ? "households" : "enterprises", "户数不能为负");
    p->project_id = pr.id;
    char after[256], id[24];
    snprintf(after, sizeof after, "project=%s;name=%s;path=%s;before=%lld;after=%lld", pr.code,
             p->name, p->path, (long long)p->area_before, (long long)p->area_after);
    if (db_begin(db, err))
        return -1;
    int rc = renewal_store_parcel_insert(db, p, &p->id, err);
    snprintf(id, sizeof id, "%lld", (long long)p->id);
    rc = rc || audit(db, who, "renewal.parcel_add", "renewal_parcel", id, after, pr.grid,
                     request_id, err);
    return commit_or_rollback(db, rc, err);
}

int renewal_parcel_list(struct db *db, int64_t project_id, struct renewal_parcel_list *out,
                        struct app_error *err)
{
    return renewal_store_parcel_list(db, project_id, out, err);
}

/* ---- financing --------------------------------------------------------------------------- */

int renewal_finance_set(struct db *db, const struct auth_principal *who, const char *code,
                        int horizon, int64_t discount_nano, int64_t ceiling,
                        const struct renewal_flow_line *lines, size_t nlines,
                        const struct renewal_loan *loans, size_t nloans, const char *request_id,
                        struct app_error *err)
{
    struct renewal_project p;
    char field[48];
    if (renewal_project_get(db, who, code, &p, err))
        return -1;
    if (horizon < 1 || horizon > RENEWAL_MAX_HORIZON)
        return app_fail(err, APP_ERR_INVALID, "out_of_range", "horizon", "测算年限应为 1–%d 年",
                        RENEWAL_MAX_HORIZON);
    if (ceiling < 0)
        return app_fail(err, APP_ERR_INVALID, "out_of_range", "ceiling", "年度投入上限不能为负");
    for (size_t i = 0; i < nlines; i++) {
        if (lines[i].year < 0 || lines[i].year > horizon) {
            snprintf(field, sizeof field, "flows[%zu].year", i);
            return app_fail(err, APP_ERR_INVALID, "year_out_of_range", field,
                            "第 %zu 行的年份 %d 超出测算期 0–%d", i + 1, lines[i].year, horizon);
        }
        if ((unsigned)lines[i].kind >= RENEWAL_FLOW_KINDS) {
            snprintf(field, sizeof field, "flows[%zu].kind", i);
            return app_fail(err, APP_ERR_INVALID, "bad_kind", field, "未知现金流类型");
        }
        if (lines[i].amount < 0) {
            snprintf(field, sizeof field, "flows[%zu].amount", i);
            return app_fail(err, APP_ERR_INVALID, "bad_money", field,
                            "金额应为非负数（支出由类型表示）");
        }
    }
    if (nloans > RENEWAL_MAX_LOANS)
        return app_fail(err, APP_ERR_INVALID, "too_many", "loans", "至多 %d 笔贷款",
                        RENEWAL_MAX_LOANS);
    for (size_t i = 0; i < nloans; i++) {
        const struct renewal_loan *l = &loans[i];
        const char *bad = l->principal <= 0                                     ? "principal"
                          : l->term < 1 || l->term > 40                         ? "term"
                          : l->grace < 0 || l->grace >= l->term                 ? "grace"
                          : l->draw_year < 0 || l->draw_year > horizon          ? "draw_year"
                          : l->draw_year + l->term - 1 > horizon                ? "term"
                          : l->rate_nano < 0 || l->rate_nano > RENEWAL_RATE_ONE ? "rate"
                                                                                : NULL;
        if (bad) {
            snprintf(field, sizeof field, "loans[%zu].%s", i, bad);
            return app_fail(
                err, APP_ERR_INVALID, "bad_loan", field,
                "第 %zu 笔贷款的 %s 无效（期限 1–40 年、宽限期短于期限、在测算期内还清）", i + 1,
                bad);
        }
    }
    char after[160];
    snprintf(after, sizeof after, "horizon=%d;discount=%lld;ceiling=%lld;lines=%zu;loans=%zu",
             horizon, (long long)discount_nano, (long long)ceiling, nlines, nloans);
    if (db_begin(db, err))
        return -1;
    int rc = renewal_store_finance_clear(db, p.id, err) ||
             renewal_store_project_set_finance(db, p.id, horizon, discount_nano, ceiling, err);
    for (size_t i = 0; !rc && i < nlines; i++)
        rc = renewal_store_flow_insert(db, p.id, &lines[i], err);
    for (size_t i = 0; !rc && i < nloans; i++)
        rc = renewal_store_loan_insert(db, p.id, &loans[i], err);
    rc = rc || audit(db, who, "renewal.finance_set", "renewal_project", p.code, after, p.grid,
                     request_id, err);
    return commit_or_rollback(db, rc, err);
}

static int add_flow(void *ctx, void *row)
{
    struct renewal_model *m = ctx;
    const struct renewal_flow_line *l = row;
    if (l->year >= 0 && l->year <= m->horizon && (unsigned)l->kind < RENEWAL_FLOW_KINDS)
        m->amount[l->kind][l->year] += l->amount;
    return 0;
}

static int add_loan(void *ctx, void *row)
{
    struct renewal_model *m = ctx;
    if (m->nloans < RENEWAL_MAX_LOANS)
        m->loan[m->nloans++] = *(const struct renewal_loan *)row;
    return 0;
}

int renewal_model_load(struct db *db, const struct renewal_project *p, struct renewal_model *m,
                       struct app_error *err)
{
    memset(m, 0, sizeof *m);
    m->horizon = p->horizon;
    m->discount_nano = p->discount_nano;
    m->ceiling = p->ceiling;
    if (renewal_store_flows(db, p->id, add_flow, m, err))
        return -1;
    return renewal_store_loans(db, p->id, add_loan, m, err);
}

/* ---- figures ----------------------------------------------------------------------------- */

int renewal_figures(struct db *db, const struct auth_principal *who, struct renewal_figures *out,
                    struct app_error *err)
{
    struct renewal_project_list l = {0};
    memset(out, 0, sizeof *out);
    if (renewal_project_list(db, who, -1, NULL, &l, err))
        return -1;
    for (size_t i = 0; i < l.len; i++) {
        const struct renewal_project *p = &l.items[i];
        out->projects++;
        out->households += p->households;
        for (int k = 0; k < RENEWAL_PATHS; k++)
            out->path_area[k] += p->path_area[k];
        if (p->phase >= 0 && p->phase < RENEWAL_PHASES)
            out->by_phase[p->phase]++;
        int t = renewal_enum_parse(p->type, renewal_type_names, renewal_type_labels, RENEWAL_TYPES);
        if (t >= 0)
            out->by_type[t]++;
        int m =
            renewal_enum_parse(p->model, renewal_model_names, renewal_model_labels, RENEWAL_MODELS);
        if (m >= 0)
            out->by_model[m]++;
        int s = 0;
        while (s < out->nstreets && strcmp(out->by_street[s].key, p->street) != 0)
            s++;
        if (s == out->nstreets && s < 32)
            snprintf(out->by_street[out->nstreets++].key, sizeof out->by_street[0].key, "%s",
                     p->street);
        if (s < 32) {
            out->by_street[s].projects++;
            out->by_street[s].households += p->households;
        }
    }
    free(l.items);
    return 0;
}
