/* Thin handlers of urban renewal under /api/v1/renewal/: projects with their phases, parcels
 * (留改拆增), the financing assumptions and the computed balance (JSON and CSV), the figures,
 * the 保障性租赁住房 register and the map layer. Votes are in vote_api.c. */
#include "renewal/renewal_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "renewal/renewal.h"

static json_t *money(int64_t fen)
{
    return json_integer((json_int_t)fen);
}

static json_t *area_json(int64_t centi)
{
    return json_real((double)centi / 100.0);
}

static json_t *project_json(const struct renewal_project *p)
{
    int t = renewal_enum_parse(p->type, renewal_type_names, renewal_type_labels, RENEWAL_TYPES);
    int m = renewal_enum_parse(p->model, renewal_model_names, renewal_model_labels, RENEWAL_MODELS);
    char rate[40];
    renewal_decimal_format(p->discount_nano, RENEWAL_RATE_PLACES, rate, sizeof rate);
    json_t *paths = json_object();
    for (int k = 0; k < RENEWAL_PATHS; k++)
        json_object_set_new(paths, renewal_path_names[k], area_json(p->path_area[k]));
    return json_pack(
        "{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:{s:s,s:s,s:s,s:s,s:s},s:f,s:f,s:s,s:s,s:i,s:i,s:s,"
        "s:o,s:o,s:i,s:b}",
        "code", p->code, "name", p->name, "type", p->type, "type_label",
        t >= 0 ? renewal_type_labels[t] : "", "phase", renewal_phase_names[p->phase], "phase_label",
        renewal_phase_labels[p->phase], "model", p->model, "model_label",
        m >= 0 ? renewal_model_labels[m] : "", "parties", "investor", p->investor, "financier",
        p->financier, "builder", p->builder, "manager", p->manager, "operator", p->operator_, "lon",
        p->lon, "lat", p->lat, "grid", p->grid, "street", p->street, "households", p->households,
        "horizon", p->horizon, "discount_rate", rate, "ceiling_fen", money(p->ceiling),
        "path_area_m2", paths, "parcels", p->parcels, "synthetic", p->synthetic);
}

static int list_projects(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct renewal_project_list l = {0};
    const char *ph = http_query(req, "phase");
    int phase = -1;
    if (ph && *ph &&
        (phase =
             renewal_enum_parse(ph, renewal_phase_names, renewal_phase_labels, RENEWAL_PHASES)) < 0)
        return http_reply_problem(resp, APP_ERR_INVALID, "bad_phase", "phase", "未知阶段");
    if (renewal_project_list(req->db, req->who, phase, http_query(req, "street"), &l, &err))
        return http_reply_error(resp, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < l.len; i++)
        json_array_append_new(items, project_json(&l.items[i]));
    free(l.items);
    return http_reply_json(resp, 200, http_list_body(items, NULL));
}

static void copy_opt(json_t *b, const char *key, char *dst, size_t n)
{
    json_t *v = json_object_get(b, key);
    snprintf(dst, n, "%s", json_is_string(v) ? json_string_value(v) : "");
}

static int create_project(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    json_t *b = NULL;
    const char *code, *name, *type, *model;
    int64_t households = 0;
    struct renewal_project p = {0};
    if (http_read_json(req, &b, &err) || http_json_string(b, "code", true, &code, &err) ||
        http_json_string(b, "name", true, &name, &err) ||
        http_json_string(b, "type", true, &type, &err) ||
        http_json_string(b, "model", true, &model, &err) ||
        http_json_number(b, "lon", true, &p.lon, &err) ||
        http_json_number(b, "lat", true, &p.lat, &err) ||
        http_json_int(b, "households", false, &households, &err))
        goto fail;
    snprintf(p.code, sizeof p.code, "%s", strlen(code) < sizeof p.code ? code : "");
    snprintf(p.name, sizeof p.name, "%s", name);
    snprintf(p.type, sizeof p.type, "%s", strlen(type) < sizeof p.type ? type : "?");
    snprintf(p.model, sizeof p.model, "%s", strlen(model) < sizeof p.model ? model : "?");
    json_t *parties = json_object_get(b, "parties");
    copy_opt(parties, "investor", p.investor, sizeof p.investor);
    copy_opt(parties, "financier", p.financier, sizeof p.financier);
    copy_opt(parties, "builder", p.builder, sizeof p.builder);
    copy_opt(parties, "manager", p.manager, sizeof p.manager);
    copy_opt(parties, "operator", p.operator_, sizeof p.operator_);
    p.households = households >= 0 && households <= 1000000 ? (int)households : -1;
    if (renewal_project_create(req->app, req->db, req->who, &p, req->request_id, &err))
        goto fail;
    json_decref(b);
    return http_reply_json(resp, 201, project_json(&p));
fail:
    json_decref(b);
    return http_reply_error(resp, &err);
}

static int get_project(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct renewal_project p;
    struct renewal_parcel_list pl = {0};
    struct renewal_phase_list hl = {0};
    if (renewal_project_get(req->db, req->who, http_param(req, "code"), &p, &err) ||
        renewal_parcel_list(req->db, p.id, &pl, &err) ||
        renewal_phase_history(req->db, p.id, &hl, &err)) {
        free(pl.items);
        return http_reply_error(resp, &err);
    }
    json_t *j = project_json(&p), *parcels = json_array(), *hist = json_array();
    for (size_t i = 0; i < pl.len; i++) {
        const struct renewal_parcel *c = &pl.items[i];
        int k = renewal_enum_parse(c->path, renewal_path_names, renewal_path_labels, RENEWAL_PATHS);
        json_array_append_new(
            parcels,
            json_pack("{s:I,s:s,s:s,s:s,s:o,s:o,s:i,s:i,s:b}", "id", (json_int_t)c->id, "name",
                      c->name, "path", c->path, "path_label", k >= 0 ? renewal_path_labels[k] : "",
                      "area_before_m2", area_json(c->area_before), "area_after_m2",
                      area_json(c->area_after), "households", c->households, "enterprises",
                      c->enterprises, "synthetic", c->synthetic));
    }
    for (size_t i = 0; i < hl.len; i++) {
        char at[32];
        clock_format_local(hl.items[i].at, at, sizeof at);
        json_array_append_new(hist, json_pack("{s:s,s:s,s:s,s:s}", "phase",
                                              renewal_phase_names[hl.items[i].phase], "label",
                                              renewal_phase_labels[hl.items[i].phase], "at", at,
                                              "actor", hl.items[i].actor));
    }
    json_object_set_new(j, "parcel_list", parcels);
    json_object_set_new(j, "phase_history", hist);
    /* what the caller may do next: the next phase, if any */
    json_object_set_new(j, "next_phase",
                        p.phase + 1 < RENEWAL_PHASES ? json_string(renewal_phase_names[p.phase + 1])
                                                     : json_null());
    free(pl.items);
    free(hl.items);
    return http_reply_json(resp, 200, j);
}

static int advance_phase(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    json_t *b = NULL;
    const char *phase;
    if (http_read_json(req, &b, &err) || http_json_string(b, "phase", true, &phase, &err) ||
        renewal_project_advance(
            req->db, req->who, http_param(req, "code"),
            renewal_enum_parse(phase, renewal_phase_names, renewal_phase_labels, RENEWAL_PHASES),
            req->request_id, &err)) {
        json_decref(b);
        return http_reply_error(resp, &err);
    }
    json_decref(b);
    return get_project(req, resp);
}

/* An area in m² given as a JSON number or a decimal string, into 0.01 m². */
static int json_area(json_t *b, const char *key, bool required, int64_t *out, struct app_error *err)
{
    json_t *v = json_object_get(b, key);
    char s[48];
    if (!v || json_is_null(v)) {
        if (required)
            return app_fail(err, APP_ERR_INVALID, "required", key, "缺少 %s", key);
        *out = 0;
        return 0;
    }
    if (json_is_string(v))
        snprintf(s, sizeof s, "%s", json_string_value(v));
    else if (json_is_number(v))
        snprintf(s, sizeof s, "%.2f", json_number_value(v));
    else
        return app_fail(err, APP_ERR_INVALID, "bad_number", key, "%s 应为面积（平方米）", key);
    return renewal_decimal_parse(s, 2, INT64_C(10000000000), out, key, err);
}

static int add_parcel(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    json_t *b = NULL;
    const char *name, *path;
    int64_t hh = 0, ent = 0;
    struct renewal_parcel p = {0};
    if (http_read_json(req, &b, &err) || http_json_string(b, "name", true, &name, &err) ||
        http_json_string(b, "path", true, &path, &err) ||
        json_area(b, "area_before", false, &p.area_before, &err) ||
        json_area(b, "area_after", false, &p.area_after, &err) ||
        http_json_int(b, "households", false, &hh, &err) ||
        http_json_int(b, "enterprises", false, &ent, &err))
        goto fail;
    snprintf(p.name, sizeof p.name, "%s", name);
    snprintf(p.path, sizeof p.path, "%s", strlen(path) < sizeof p.path ? path : "?");
    p.households = hh >= 0 && hh < 1000000 ? (int)hh : -1;
    p.enterprises = ent >= 0 && ent < 1000000 ? (int)ent : -1;
    if (renewal_parcel_add(req->db, req->who, http_param(req, "code"), &p, req->request_id, &err))
        goto fail;
    json_decref(b);
    return http_reply_json(resp, 201,
                           json_pack("{s:I,s:s}", "id", (json_int_t)p.id, "path", p.path));
fail:
    json_decref(b);
    return http_reply_error(resp, &err);
}

/* PUT finance: {horizon, discount_rate: "0.05", ceiling_fen, flows: [{year, kind, amount_fen}],
 * loans: [{principal_fen, rate: "0.045", term, grace, draw_year, repay}]} */
static int parse_finance(json_t *b, int64_t *horizon, int64_t *rate, int64_t *ceiling,
                         struct renewal_flow_line **lines, size_t *nl, struct renewal_loan *loans,
                         size_t *nloans, struct app_error *err)
{
    const char *rs;
    char field[48];
    if (http_json_int(b, "horizon", true, horizon, err) ||
        http_json_string(b, "discount_rate", true, &rs, err) ||
        renewal_rate_parse(rs, rate, "discount_rate", err) ||
        http_json_int(b, "ceiling_fen", true, ceiling, err))
        return -1;
    json_t *fl = json_object_get(b, "flows"), *ll = json_object_get(b, "loans"), *v;
    if (!json_is_array(fl) || json_array_size(fl) > 2000)
        return app_fail(err, APP_ERR_INVALID, "required", "flows", "flows 应为至多 2000 行的数组");
    if (ll && !json_is_array(ll))
        return app_fail(err, APP_ERR_INVALID, "bad_type", "loans", "loans 应为数组");
    size_t i;
    *lines = calloc(json_array_size(fl) + 1, sizeof **lines);
    *nl = 0;
    json_array_foreach(fl, i, v)
    {
        int64_t year, amount;
        const char *kind;
        enum renewal_flow_kind k;
        snprintf(field, sizeof field, "flows[%zu]", i);
        if (http_json_int(v, "year", true, &year, err) ||
            http_json_string(v, "kind", true, &kind, err) ||
            http_json_int(v, "amount_fen", true, &amount, err))
            return app_fail(err, APP_ERR_INVALID, err->code_name, field, "%s: %s", field,
                            err->message);
        if (renewal_flow_kind_parse(kind, &k))
            return app_fail(err, APP_ERR_INVALID, "bad_kind", field,
                            "%s.kind 应为 capex/subsidy/rent/parking/commercial/property/opex",
                            field);
        (*lines)[(*nl)++] =
            (struct renewal_flow_line){year < -1 || year > 1000 ? -1 : (int)year, (int)k, amount};
    }
    *nloans = 0;
    json_array_foreach(ll, i, v)
    {
        int64_t p, term, grace = 0, draw = 0;
        const char *lr, *repay = "annuity";
        struct renewal_loan *l = &loans[*nloans];
        snprintf(field, sizeof field, "loans[%zu]", i);
        if (i >= RENEWAL_MAX_LOANS)
            return app_fail(err, APP_ERR_INVALID, "too_many", "loans", "至多 %d 笔贷款",
                            RENEWAL_MAX_LOANS);
        if (http_json_int(v, "principal_fen", true, &p, err) ||
            http_json_string(v, "rate", true, &lr, err) ||
            http_json_int(v, "term", true, &term, err) ||
            http_json_int(v, "grace", false, &grace, err) ||
            http_json_int(v, "draw_year", false, &draw, err) ||
            http_json_string(v, "repay", false, &repay, err) ||
            renewal_rate_parse(lr, &l->rate_nano, "rate", err))
            return app_fail(err, APP_ERR_INVALID, err->code_name, field, "%s: %s", field,
                            err->message);
        if (renewal_repay_parse(repay ? repay : "annuity", &l->repay))
            return app_fail(err, APP_ERR_INVALID, "bad_repay", field,
                            "%s.repay 应为 annuity（等额本息）或 linear（等额本金）", field);
        l->principal = p;
        l->term = term > 0 && term < 100 ? (int)term : -1;
        l->grace = grace >= 0 && grace < 100 ? (int)grace : -1;
        l->draw_year = draw >= 0 && draw < 1000 ? (int)draw : -1;
        (*nloans)++;
    }
    return 0;
}

static int put_finance(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    json_t *b = NULL;
    int64_t horizon, rate, ceiling;
    struct renewal_flow_line *lines = NULL;
    struct renewal_loan loans[RENEWAL_MAX_LOANS];
    size_t nl = 0, nloans = 0;
    int rc = http_read_json(req, &b, &err) ||
             parse_finance(b, &horizon, &rate, &ceiling, &lines, &nl, loans, &nloans, &err) ||
             renewal_finance_set(req->db, req->who, http_param(req, "code"),
                                 horizon >= 0 && horizon < 1000 ? (int)horizon : -1, rate, ceiling,
                                 lines, nl, loans, nloans, req->request_id, &err);
    free(lines);
    json_decref(b);
    if (rc)
        return http_reply_error(resp, &err);
    return http_reply_json(resp, 200, json_pack("{s:b}", "ok", 1));
}

static int balance_of(struct http_request *req, struct renewal_project *p, struct renewal_model *m,
                      struct renewal_balance *bal, struct app_error *err)
{
    if (renewal_project_get(req->db, req->who, http_param(req, "code"), p, err) ||
        renewal_model_load(req->db, p, m, err))
        return -1;
    renewal_balance(m, bal);
    return 0;
}

static int get_balance(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct renewal_project p;
    struct renewal_model *m = malloc(sizeof *m);
    struct renewal_balance *bal = malloc(sizeof *bal);
    if (!m || !bal || balance_of(req, &p, m, bal, &err)) {
        free(m);
        free(bal);
        return http_reply_error(resp, &err);
    }
    json_t *years = json_array(), *sens = json_array();
    for (int t = 0; t <= bal->horizon; t++) {
        json_t *y =
            json_pack("{s:i,s:o,s:o,s:o,s:o,s:o}", "year", t, "net_fen", money(bal->net[t]),
                      "draw_fen", money(bal->draw[t]), "debt_fen", money(bal->debt[t]),
                      "outlay_fen", money(bal->outlay[t]), "cumulative_fen", money(bal->cum[t]));
        for (int k = 0; k < RENEWAL_FLOW_KINDS; k++) {
            char key[40];
            snprintf(key, sizeof key, "%s_fen", renewal_flow_kind_name(k));
            json_object_set_new(y, key, money(m->amount[k][t]));
        }
        json_object_set_new(y, "dscr", bal->dscr[t] < 0 ? json_null() : json_real(bal->dscr[t]));
        json_array_append_new(years, y);
    }
    for (int f = 0; f < RENEWAL_FACTORS; f++) {
        const struct renewal_sensitivity *s = &bal->sens[f];
        json_array_append_new(
            sens, json_pack("{s:s,s:s,s:[o,o,o,o],s:o}", "factor", renewal_factor_name(f), "label",
                            renewal_factor_label(f), "npv_fen", money(s->npv[0]), money(s->npv[1]),
                            money(s->npv[2]), money(s->npv[3]), "breakeven_pct",
                            s->has_breakeven ? json_real(s->breakeven_pct) : json_null()));
    }
    json_t *j = json_pack(
        "{s:s,s:s,s:i,s:s,s:o,s:o,s:o,s:o,s:o,s:b,s:b,s:o,s:o,s:[i,i,i,i],s:o,s:o}", "code", p.code,
        "name", p.name, "horizon", bal->horizon, "discount_rate", "", "npv_fen", money(bal->npv),
        "peak_need_fen", money(bal->peak_need), "max_outlay_fen", money(bal->max_outlay),
        "ceiling_fen", money(m->ceiling), "payback_year",
        bal->payback_year >= 0 ? json_integer(bal->payback_year) : json_null(), "affordable",
        bal->affordable, "balanced", bal->balanced, "first_over_ceiling",
        bal->first_over_ceiling >= 0 ? json_integer(bal->first_over_ceiling) : json_null(),
        "breaks_first",
        bal->breaks_first >= 0 ? json_string(renewal_factor_name(bal->breaks_first)) : json_null(),
        "steps_pct", -20, -10, 10, 20, "years", years, "sensitivity", sens);
    char rate[40];
    renewal_decimal_format(m->discount_nano, RENEWAL_RATE_PLACES, rate, sizeof rate);
    json_object_set_new(j, "discount_rate", json_string(rate));
    json_object_set_new(j, "irr", bal->has_irr ? json_real(bal->irr) : json_null());
    if (!bal->has_irr)
        json_object_set_new(j, "irr_reason", json_string(bal->irr_reason));
    free(m);
    free(bal);
    return http_reply_json(resp, 200, j);
}

static void csv_money(struct buf *b, int64_t fen)
{
    char s[40];
    renewal_decimal_format(fen, 2, s, sizeof s);
    buf_puts(b, s);
}

static int balance_csv(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct renewal_project p;
    struct renewal_model *m = malloc(sizeof *m);
    struct renewal_balance *bal = malloc(sizeof *bal);
    if (!m || !bal || balance_of(req, &p, m, bal, &err)) {
        free(m);
        free(bal);
        return http_reply_error(resp, &err);
    }
    struct buf b = BUF_INIT;
    buf_puts(&b, "\xEF\xBB\xBF年度");
    for (int k = 0; k < RENEWAL_FLOW_KINDS; k++)
        buf_printf(&b, ",%s(元)", renewal_flow_kind_label(k));
    buf_puts(&b, ",项目净现金流(元),贷款提款(元),还本付息(元),区级当年投入(元),累计净现金流(元),"
                 "偿债覆盖率\r\n");
    for (int t = 0; t <= bal->horizon; t++) {
        buf_printf(&b, "%d", t);
        for (int k = 0; k < RENEWAL_FLOW_KINDS; k++) {
            buf_putc(&b, ',');
            csv_money(&b, m->amount[k][t]);
        }
        const int64_t v[5] = {bal->net[t], bal->draw[t], bal->debt[t], bal->outlay[t], bal->cum[t]};
        for (int k = 0; k < 5; k++) {
            buf_putc(&b, ',');
            csv_money(&b, v[k]);
        }
        if (bal->dscr[t] >= 0)
            buf_printf(&b, ",%.4f", bal->dscr[t]);
        else
            buf_puts(&b, ",");
        buf_puts(&b, "\r\n");
    }
    char disp[96];
    snprintf(disp, sizeof disp, "attachment; filename=\"renewal-%s-balance.csv\"", p.code);
    http_set_header(resp, "Content-Disposition", disp);
    int rc = http_reply_bytes(resp, 200, "text/csv; charset=utf-8", b.data, b.len);
    buf_release(&b);
    free(m);
    free(bal);
    return rc;
}

static int figures(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct renewal_figures f;
    if (renewal_figures(req->db, req->who, &f, &err))
        return http_reply_error(resp, &err);
    json_t *phase = json_array(), *type = json_array(), *model = json_array(),
           *street = json_array(), *paths = json_array();
    for (int i = 0; i < RENEWAL_PHASES; i++)
        json_array_append_new(phase,
                              json_pack("{s:s,s:s,s:i}", "key", renewal_phase_names[i], "label",
                                        renewal_phase_labels[i], "projects", f.by_phase[i]));
    for (int i = 0; i < RENEWAL_TYPES; i++)
        json_array_append_new(type,
                              json_pack("{s:s,s:s,s:i}", "key", renewal_type_names[i], "label",
                                        renewal_type_labels[i], "projects", f.by_type[i]));
    for (int i = 0; i < RENEWAL_MODELS; i++)
        json_array_append_new(model,
                              json_pack("{s:s,s:s,s:i}", "key", renewal_model_names[i], "label",
                                        renewal_model_labels[i], "projects", f.by_model[i]));
    for (int i = 0; i < RENEWAL_PATHS; i++)
        json_array_append_new(paths, json_pack("{s:s,s:s,s:o}", "key", renewal_path_names[i],
                                               "label", renewal_path_labels[i], "area_m2",
                                               area_json(f.path_area[i])));
    for (int i = 0; i < f.nstreets; i++)
        json_array_append_new(street, json_pack("{s:s,s:i,s:i}", "street", f.by_street[i].key,
                                                "projects", f.by_street[i].projects, "households",
                                                f.by_street[i].households));
    return http_reply_json(resp, 200,
                           json_pack("{s:i,s:i,s:o,s:o,s:o,s:o,s:o}", "projects", f.projects,
                                     "households", f.households, "by_phase", phase, "by_type", type,
                                     "by_model", model, "by_path", paths, "by_street", street));
}

static int projects_csv(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct renewal_project_list l = {0};
    if (renewal_project_list(req->db, req->who, -1, NULL, &l, &err))
        return http_reply_error(resp, &err);
    struct buf b = BUF_INIT;
    buf_puts(&b, "\xEF\xBB\xBF项目编号,项目名称,类型,阶段,模式,网格,街道,受益户数,留(㎡),改(㎡),"
                 "拆(㎡),增(㎡),示例数据\r\n");
    for (size_t i = 0; i < l.len; i++) {
        const struct renewal_project *p = &l.items[i];
        int t = renewal_enum_parse(p->type, renewal_type_names, renewal_type_labels, RENEWAL_TYPES);
        int m =
            renewal_enum_parse(p->model, renewal_model_names, renewal_model_labels, RENEWAL_MODELS);
        const char *cells[] = {p->code,
                               p->name,
                               t >= 0 ? renewal_type_labels[t] : "",
                               renewal_phase_labels[p->phase],
                               m >= 0 ? renewal_model_labels[m] : "",
                               p->grid,
                               p->street};
        for (size_t c = 0; c < sizeof cells / sizeof cells[0]; c++) {
            buf_put_csv(&b, cells[c]);
            buf_putc(&b, ',');
        }
        buf_printf(&b, "%d", p->households);
        for (int k = 0; k < RENEWAL_PATHS; k++) {
            buf_putc(&b, ',');
            csv_money(&b, p->path_area[k]); /* hundredths, two decimals */
        }
        buf_printf(&b, ",%s\r\n", p->synthetic ? "是" : "否");
    }
    free(l.items);
    http_set_header(resp, "Content-Disposition", "attachment; filename=\"renewal-projects.csv\"");
    int rc = http_reply_bytes(resp, 200, "text/csv; charset=utf-8", b.data, b.len);
    buf_release(&b);
    return rc;
}

static int housing(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct renewal_housing_list l = {0};
    struct renewal_housing_report r;
    if (renewal_housing_list(req->db, req->who, &l, &r, &err))
        return http_reply_error(resp, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < l.len; i++) {
        const struct renewal_housing_unit *u = &l.items[i];
        json_t *near = json_array();
        for (int k = 0; k < 4; k++)
            json_array_append_new(near,
                                  json_pack("{s:s,s:s,s:i}", "kind", renewal_site_labels[k], "name",
                                            u->nearest[k], "metres", (int)(u->nearest_m[k] + 0.5)));
        json_array_append_new(
            items, json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:b,s:b,s:b,s:f,s:f,s:o,s:b}", "code",
                             u->code, "project", u->project, "grid", u->grid, "area_m2",
                             area_json(u->area), "rent_fen", money(u->rent), "market_rent_fen",
                             money(u->market_rent), "small", u->area <= RENEWAL_SMALL_UNIT_AREA,
                             "rent_ok", u->rent_ok, "occupied", u->occupied, "lon", u->lon, "lat",
                             u->lat, "nearest", near, "synthetic", u->synthetic));
    }
    free(l.items);
    char share[40];
    renewal_decimal_format(RENEWAL_RENT_SHARE_NANO, RENEWAL_RATE_PLACES, share, sizeof share);
    return http_reply_json(
        resp, 200,
        json_pack("{s:o,s:{s:I,s:I,s:b,s:I,s:I,s:s,s:s}}", "items", items, "report", "units",
                  (json_int_t)r.units, "small_units", (json_int_t)r.small, "small_majority",
                  r.small_majority, "rent_ok", (json_int_t)r.rent_ok, "occupied",
                  (json_int_t)r.occupied, "rent_share", share, "small_unit_max_m2", "70.00"));
}

/* The command center's map layer: one point per project (WGS84 positions; the shell converts). */
static int layer(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct renewal_project_list l = {0};
    if (renewal_project_list(req->db, req->who, -1, NULL, &l, &err))
        return http_reply_error(resp, &err);
    json_t *features = json_array();
    for (size_t i = 0; i < l.len; i++) {
        json_t *props = project_json(&l.items[i]);
        json_array_append_new(features,
                              json_pack("{s:s,s:{s:s,s:[f,f]},s:o}", "type", "Feature", "geometry",
                                        "type", "Point", "coordinates", l.items[i].lon,
                                        l.items[i].lat, "properties", props));
    }
    free(l.items);
    return http_reply_json(
        resp, 200, json_pack("{s:s,s:o}", "type", "FeatureCollection", "features", features));
}

const struct http_route renewal_routes[] = {
    {"GET", "/api/v1/renewal/projects", list_projects, 0, "renewal.read"},
    {"POST", "/api/v1/renewal/projects", create_project, 0, "renewal.manage"},
    {"GET", "/api/v1/renewal/projects.csv", projects_csv, 0, "renewal.read"},
    {"GET", "/api/v1/renewal/projects/{code}", get_project, 0, "renewal.read"},
    {"POST", "/api/v1/renewal/projects/{code}/phase", advance_phase, 0, "renewal.manage"},
    {"POST", "/api/v1/renewal/projects/{code}/parcels", add_parcel, 0, "renewal.manage"},
    {"PUT", "/api/v1/renewal/projects/{code}/finance", put_finance, 0, "renewal.manage"},
    {"GET", "/api/v1/renewal/projects/{code}/balance", get_balance, 0, "renewal.read"},
    {"GET", "/api/v1/renewal/projects/{code}/balance.csv", balance_csv, 0, "renewal.read"},
    {"GET", "/api/v1/renewal/figures", figures, 0, "renewal.read"},
    {"GET", "/api/v1/renewal/housing", housing, 0, "renewal.read"},
    {"GET", "/api/v1/renewal/layer", layer, 0, "renewal.read"},
    {NULL, NULL, NULL, 0, NULL},
};
