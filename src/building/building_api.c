/* The building economy's HTTP API under /api/v1/buildings: district figures, the 楼均论英雄
 * ranking with each score's parts (JSON and CSV), the buildings for the map, one building with
 * its tenants, the evaluation's configuration, and the CSV imports. Thin handlers; the rules are
 * in building.h. */
#include "building/building_api.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "building/building.h"
#include "org/org.h"

/* round to cents/ten-thousandths so the JSON reads as the page shows */
static json_t *num2(double v)
{
    return isfinite(v) ? json_real(round(v * 100) / 100) : json_null();
}

static json_t *rate(double v)
{
    return isfinite(v) ? json_real(round(v * 1e6) / 1e6) : json_null();
}

/* ?year=YYYY: 0 when absent. */
static int year_of(struct http_request *req, int *year, struct app_error *err)
{
    const char *s = http_query(req, "year");
    *year = 0;
    if (!s)
        return 0;
    char *end;
    long y = strtol(s, &end, 10);
    if (strlen(s) != 4 || *end || y < 1900 || y > 2999)
        return app_fail(err, APP_ERR_INVALID, "bad_year", "year", "年份应为四位数字");
    *year = (int)y;
    return 0;
}

static int report_of(struct http_request *req, struct building_report *rep, struct app_error *err)
{
    int year;
    if (year_of(req, &year, err))
        return -1;
    if (building_report_make(req->db, req->who, year, rep, err))
        return -1;
    const char *zone = http_query(req, "zone");
    if (zone && *zone && !building_report_zone(rep, zone)) {
        building_report_release(rep);
        return app_fail(err, APP_ERR_INVALID, "unknown_zone", "zone", "没有这个功能区");
    }
    return 0;
}

static json_t *district_json(const struct building_district *d)
{
    json_t *j = json_object();
    json_object_set_new(j, "year", json_integer(d->year));
    json_object_set_new(j, "buildings", json_integer(d->buildings));
    for (int t = 0; t < BUILDING_TIER_COUNT; t++)
        json_object_set_new(j, building_tier_code((enum building_tier)t),
                            json_integer(d->tiers[t]));
    json_object_set_new(j, "at_least_10e8", json_integer(d->at_least_10e8));
    json_object_set_new(j, "at_least_10e7", json_integer(d->at_least_10e7));
    json_object_set_new(j, "band_10e7", json_integer(d->band_10e7));
    json_object_set_new(j, "tax", num2(d->tax));
    json_object_set_new(j, "value_added", num2(d->value_added));
    json_object_set_new(j, "gfa_m2", num2(d->gfa_m2));
    json_object_set_new(j, "leasable_m2", num2(d->leasable_m2));
    json_object_set_new(j, "leased_m2", num2(d->leased_m2));
    json_object_set_new(j, "tax_per_m2", num2(d->tax_per_m2));
    json_object_set_new(j, "gdp_per_m2", num2(d->gdp_per_m2));
    json_object_set_new(j, "vacancy_rate", rate(d->vacancy_rate));
    json_object_set_new(j, "introduced", json_integer(d->introduced));
    json_object_set_new(j, "landed", json_integer(d->landed));
    json_object_set_new(j, "landing_rate", rate(d->landing_rate));
    return j;
}

/* GET /api/v1/buildings/figures?year=&zone= */
static int get_figures(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct building_report rep;
    struct building_district d;
    if (report_of(req, &rep, &err))
        return http_reply_error(resp, &err);
    const char *zone = http_query(req, "zone");
    building_report_district(&rep, zone, 0, &d);
    json_t *j = district_json(&d);
    json_object_set_new(j, "scope", json_string(auth_scope_region(req->who)));
    json_object_set_new(j, "zone", zone && *zone ? json_string(zone) : json_null());
    json_t *trend = json_array();
    for (int off = -2; off <= 0; off++) {
        struct building_district t;
        building_report_district(&rep, zone, off, &t);
        json_array_append_new(trend, json_pack("{s:i,s:o,s:o,s:i}", "year", t.year, "vacancy_rate",
                                               rate(t.vacancy_rate), "landing_rate",
                                               rate(t.landing_rate), "introduced", t.introduced));
    }
    json_object_set_new(j, "trend", trend);
    json_t *zones = json_array();
    for (size_t i = 0; i < rep.data.zones.len && !(zone && *zone); i++) {
        const struct building_zone *z = &rep.data.zones.items[i];
        struct building_district zd;
        building_report_district(&rep, z->code, 0, &zd);
        json_t *zj = district_json(&zd);
        json_object_set_new(zj, "code", json_string(z->code));
        json_object_set_new(zj, "name", json_string(z->name));
        json_object_set_new(zj, "kind", json_string(z->kind));
        json_array_append_new(zones, zj);
    }
    json_object_set_new(j, "zones", zones);
    json_object_set_new(j, "synthetic", json_boolean(rep.synthetic));
    building_report_release(&rep);
    return http_reply_json(resp, 200, j);
}

static json_t *parts_json(const struct building_result *x)
{
    json_t *a = json_array();
    for (int p = 0; p < BUILDING_IND_COUNT; p++)
        json_array_append_new(
            a, json_pack("{s:s,s:s,s:o,s:o,s:o,s:o}", "indicator",
                         building_indicator_code((enum building_indicator)p), "name",
                         building_indicator_name((enum building_indicator)p), "value",
                         p >= BUILDING_IND_OCCUPANCY ? rate(x->parts[p].value)
                                                     : num2(x->parts[p].value),
                         "score", num2(x->parts[p].score), "weight", rate(x->parts[p].weight),
                         "points", num2(x->parts[p].points)));
    return a;
}

static json_t *result_json(const struct building_report *rep, const struct building_result *x)
{
    const struct building *b = &rep->data.buildings.items[x->index];
    const struct building_zone *z = building_report_zone(rep, b->zone);
    json_t *j = json_object();
    json_object_set_new(j, "code", json_string(b->code));
    json_object_set_new(j, "name", json_string(b->name));
    json_object_set_new(j, "zone", json_string(b->zone));
    json_object_set_new(j, "zone_name", json_string(z ? z->name : ""));
    json_object_set_new(j, "street", json_string(b->street));
    json_object_set_new(j, "grid", json_string(b->grid));
    json_object_set_new(j, "lon", json_real(b->lon));
    json_object_set_new(j, "lat", json_real(b->lat));
    json_object_set_new(j, "building_grade", json_string(b->grade));
    json_object_set_new(j, "gfa_m2", num2(b->gfa_m2));
    json_object_set_new(j, "leasable_m2", num2(b->leasable_m2));
    json_object_set_new(j, "peer", json_string(x->peer));
    json_object_set_new(j, "rank", json_integer(x->rank));
    json_object_set_new(j, "zone_rank", json_integer(x->zone_rank));
    json_object_set_new(j, "peer_rank", json_integer(x->peer_rank));
    json_object_set_new(j, "street_rank", json_integer(x->street_rank));
    json_object_set_new(j, "score", num2(x->score));
    json_object_set_new(j, "grade", json_string(x->grade));
    json_object_set_new(j, "tier", json_string(building_tier_code(x->tier)));
    json_object_set_new(j, "tier_name", json_string(building_tier_name(x->tier)));
    json_object_set_new(j, "tax", num2(x->tax));
    json_object_set_new(j, "tax_prev", x->has_prev ? num2(x->tax_prev) : json_null());
    json_object_set_new(j, "tax_yoy", rate(x->tax_yoy));
    json_object_set_new(j, "value_added", num2(x->value_added));
    json_object_set_new(j, "tax_per_m2", num2(x->tax_per_m2));
    json_object_set_new(j, "gdp_per_m2", num2(x->gdp_per_m2));
    json_object_set_new(j, "leased_m2", num2(x->leased_m2));
    json_object_set_new(j, "occupancy", rate(x->occupancy));
    json_object_set_new(j, "vacancy", rate(x->vacancy));
    json_object_set_new(j, "tenants", json_integer(x->tenants));
    json_object_set_new(j, "top_industry", json_string(x->top_industry));
    json_object_set_new(j, "top_industry_name",
                        json_string(building_industry_section_name(x->top_industry)));
    json_object_set_new(j, "top_share", rate(x->top_share));
    json_object_set_new(j, "hhi", rate(x->hhi));
    json_object_set_new(j, "registered_not_operating", json_integer(x->registered_not_operating));
    json_object_set_new(j, "operating_not_registered", json_integer(x->operating_not_registered));
    json_object_set_new(j, "advice", json_string(x->advice));
    json_object_set_new(j, "parts", parts_json(x));
    json_object_set_new(j, "synthetic", json_boolean(b->synthetic));
    return j;
}

/* The visible results in rank order, of zone and peer group when given. */
static json_t *ranked(const struct building_report *rep, const char *zone, const char *peer)
{
    json_t *items = json_array();
    for (size_t k = 0; k < rep->eval.len; k++) {
        const struct building_result *x = &rep->eval.items[rep->eval.order[k]];
        const struct building *b = &rep->data.buildings.items[x->index];
        if (!rep->visible[x->index] || (zone && *zone && strcmp(b->zone, zone)) ||
            (peer && *peer && strcmp(x->peer, peer)))
            continue;
        json_array_append_new(items, result_json(rep, x));
    }
    return items;
}

static json_t *config_json(const struct building_config *c)
{
    json_t *inds = json_array(), *grades = json_array();
    for (int i = 0; i < BUILDING_IND_COUNT; i++)
        json_array_append_new(inds,
                              json_pack("{s:s,s:s,s:f,s:f,s:f}", "code",
                                        building_indicator_code((enum building_indicator)i), "name",
                                        building_indicator_name((enum building_indicator)i),
                                        "weight", c->ind[i].weight, "floor", c->ind[i].floor,
                                        "target", c->ind[i].target));
    for (size_t g = 0; g < c->ngrades; g++)
        json_array_append_new(grades, json_pack("{s:s,s:f}", "grade", c->grades[g].grade,
                                                "min_score", c->grades[g].min_score));
    return json_pack("{s:o,s:o,s:f}", "indicators", inds, "grades", grades, "near_ratio",
                     c->near_ratio);
}

/* GET /api/v1/buildings/ranking?year=&zone=&peer= */
static int get_ranking(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct building_report rep;
    if (report_of(req, &rep, &err))
        return http_reply_error(resp, &err);
    json_t *j = json_pack("{s:i,s:o,s:o,s:b}", "year", rep.year, "items",
                          ranked(&rep, http_query(req, "zone"), http_query(req, "peer")),
                          "evaluation", config_json(&rep.data.cfg), "synthetic", rep.synthetic);
    building_report_release(&rep);
    return http_reply_json(resp, 200, j);
}

/* GET /api/v1/buildings/ranking.csv?year= */
static int get_ranking_csv(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct building_report rep;
    struct buf b = BUF_INIT;
    char disp[96];
    if (report_of(req, &rep, &err))
        return http_reply_error(resp, &err);
    building_report_csv(&rep, &b);
    snprintf(disp, sizeof disp, "attachment; filename=\"buildings-%d.csv\"", rep.year);
    http_set_header(resp, "Content-Disposition", disp);
    http_reply_bytes(resp, 200, "text/csv; charset=utf-8", b.data ? b.data : "", b.len);
    buf_release(&b);
    building_report_release(&rep);
    return 0;
}

/* GET /api/v1/buildings?year=: every visible building for the map, in rank order */
static int list_buildings(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct building_report rep;
    if (report_of(req, &rep, &err))
        return http_reply_error(resp, &err);
    json_t *j = json_pack("{s:i,s:o,s:b}", "year", rep.year, "items",
                          ranked(&rep, http_query(req, "zone"), NULL), "synthetic", rep.synthetic);
    building_report_release(&rep);
    return http_reply_json(resp, 200, j);
}

/* GET /api/v1/buildings/{code}?year= */
static int get_building(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct building_report rep;
    struct building_tenant_list t;
    if (report_of(req, &rep, &err))
        return http_reply_error(resp, &err);
    long i = building_report_find(&rep, http_param(req, "code"));
    if (i < 0) {
        building_report_release(&rep);
        return http_reply_problem(resp, APP_ERR_NOT_FOUND, "unknown_building", "code",
                                  "没有这栋楼宇");
    }
    const struct building *b = &rep.data.buildings.items[i];
    json_t *j = result_json(&rep, &rep.eval.items[i]);
    json_object_set_new(j, "year", json_integer(rep.year));
    json_object_set_new(j, "address", json_string(b->address));
    json_object_set_new(j, "floors", json_integer(b->floors));
    json_object_set_new(j, "year_built", json_integer(b->year_built));
    json_object_set_new(j, "operator", json_string(b->operator_name));
    building_report_tenants(&rep, (size_t)i, &t);
    json_t *items = json_array();
    for (size_t k = 0; k < t.len; k++) {
        const struct building_enterprise *e = &rep.data.enterprises.items[t.items[k].enterprise];
        json_array_append_new(
            items, json_pack("{s:s,s:s,s:s,s:s,s:o,s:b,s:b,s:b}", "uscc", e->uscc, "name", e->name,
                             "industry", e->industry, "industry_name",
                             building_industry_section_name(e->industry), "area_m2",
                             num2(t.items[k].area_m2), "operating", t.items[k].operating,
                             "registered", t.items[k].registered, "synthetic", e->synthetic));
    }
    free(t.items);
    json_object_set_new(j, "enterprises", items);
    building_report_release(&rep);
    return http_reply_json(resp, 200, j);
}

/* GET /api/v1/buildings/evaluation */
static int get_evaluation(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct building_config c;
    if (building_config_get(req->db, &c, &err))
        return http_reply_error(resp, &err);
    return http_reply_json(resp, 200, config_json(&c));
}

static int decode_config(json_t *j, struct building_config *c, struct app_error *err)
{
    char field[64];
    if (!json_is_object(j))
        return app_fail(err, APP_ERR_INVALID, "invalid_type", "body", "应为 JSON 对象");
    json_t *inds = json_object_get(j, "indicators"), *grades = json_object_get(j, "grades");
    if (inds && !json_is_array(inds))
        return app_fail(err, APP_ERR_INVALID, "invalid_type", "indicators", "应为数组");
    size_t i;
    json_t *v;
    json_array_foreach(inds, i, v)
    {
        const char *code = NULL;
        snprintf(field, sizeof field, "indicators[%zu].code", i);
        if (!json_is_object(v) || http_json_string(v, "code", true, &code, err))
            return app_fail(err, APP_ERR_INVALID, "invalid_type", field, "应写明指标代码");
        int k = building_indicator_parse(code);
        if (k < 0)
            return app_fail(err, APP_ERR_INVALID, "unknown_indicator", field, "没有这个指标");
        if (http_json_number(v, "weight", false, &c->ind[k].weight, err) ||
            http_json_number(v, "floor", false, &c->ind[k].floor, err) ||
            http_json_number(v, "target", false, &c->ind[k].target, err))
            return -1;
    }
    if (grades) {
        if (!json_is_array(grades) || json_array_size(grades) < 1 ||
            json_array_size(grades) > BUILDING_MAX_GRADES)
            return app_fail(err, APP_ERR_INVALID, "bad_grades", "grades", "等级应为 1 至 8 个");
        c->ngrades = 0;
        json_array_foreach(grades, i, v)
        {
            const char *g = NULL;
            double m = 0;
            if (!json_is_object(v) || http_json_string(v, "grade", true, &g, err) ||
                http_json_number(v, "min_score", true, &m, err) ||
                strlen(g) >= sizeof(c->grades[0].grade))
                return app_fail(err, APP_ERR_INVALID, "bad_grades", "grades", "等级无效");
            snprintf(c->grades[c->ngrades].grade, sizeof(c->grades[0].grade), "%s", g);
            c->grades[c->ngrades++].min_score = m;
        }
    }
    return http_json_number(j, "near_ratio", false, &c->near_ratio, err);
}

/* PUT /api/v1/buildings/evaluation: indicators (weight, floor, target), grades, near_ratio */
static int put_evaluation(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct building_config c;
    json_t *j = NULL;
    if (http_read_json(req, &j, &err) || building_config_get(req->db, &c, &err)) {
        json_decref(j);
        return http_reply_error(resp, &err);
    }
    int rc = decode_config(j, &c, &err) ||
             building_config_save(req->db, req->who, req->request_id, &c, &err);
    json_decref(j);
    if (rc)
        return http_reply_error(resp, &err);
    return http_reply_json(resp, 200, config_json(&c));
}

/* POST /api/v1/buildings/import?kind=buildings|enterprises|leases|figures (text/csv) */
static int post_import(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct building_import_result res;
    int kind = building_import_kind_parse(http_query(req, "kind"));
    if (kind < 0)
        return http_reply_problem(resp, APP_ERR_INVALID, "unknown_kind", "kind",
                                  "kind 应为 buildings、enterprises、leases 或 figures");
    const char *ct = http_header(req, "Content-Type");
    if (!ct || strncasecmp(ct, "text/csv", 8) != 0)
        return http_reply_problem(resp, APP_ERR_UNSUPPORTED, "unsupported_media_type",
                                  "Content-Type", "请以 text/csv 上传");
    if (building_import_csv(req->app, req->db, req->who, req->request_id,
                            (enum building_import_kind)kind, req->body ? req->body : "",
                            req->body_len, &res, &err) == 0) {
        building_import_result_release(&res);
        return http_reply_json(resp, 200,
                               json_pack("{s:I,s:I}", "inserted", (json_int_t)res.inserted,
                                         "updated", (json_int_t)res.updated));
    }
    http_reply_error(resp, &err);
    if (res.errors.len) {
        /* the problem carries every refused row (RFC 9457 extension member "errors") */
        json_error_t je;
        json_t *p = json_loadb(resp->body.data, resp->body.len, 0, &je);
        json_t *rows = json_array();
        for (size_t i = 0; i < res.errors.len; i++) {
            const struct building_row_error *e = &res.errors.items[i];
            json_array_append_new(rows, json_pack("{s:i,s:s,s:s,s:s}", "line", e->line, "field",
                                                  e->field, "code", e->code, "detail", e->message));
        }
        json_object_set_new(p, "errors", rows);
        int status = resp->status;
        http_reply_json(resp, status, p);
        snprintf(resp->content_type, sizeof(resp->content_type), "application/problem+json");
    }
    building_import_result_release(&res);
    return 0;
}

const struct http_route building_routes[] = {
    {"GET", "/api/v1/buildings/figures", get_figures, 0, "building.read"},
    {"GET", "/api/v1/buildings/ranking", get_ranking, 0, "building.read"},
    {"GET", "/api/v1/buildings/ranking.csv", get_ranking_csv, 0, "building.read"},
    {"GET", "/api/v1/buildings/evaluation", get_evaluation, 0, "building.read"},
    {"PUT", "/api/v1/buildings/evaluation", put_evaluation, 0, "building.config"},
    {"POST", "/api/v1/buildings/import", post_import, HTTP_RAW_BODY, "building.import"},
    {"GET", "/api/v1/buildings", list_buildings, 0, "building.read"},
    {"GET", "/api/v1/buildings/{code}", get_building, 0, "building.read"},
    {NULL, NULL, NULL, 0, NULL},
};
