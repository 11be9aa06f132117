/* The lifecircle API under /api/v1/lifecircle/: the network, the standard's requirements,
 * coverage (JSON and CSV), gaps, isochrones (GeoJSON), routes, site suggestions, the count of
 * facilities within T minutes, facilities and the CSV imports. Thin handlers: decode, call one
 * domain function, encode. */
#include "lifecircle/lifecircle_api.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "lifecircle/lifecircle.h"

static int profile_of(struct http_request *req, enum lc_profile_id *out, struct app_error *err)
{
    int p = lc_profile_parse(http_query(req, "profile"));
    if (p < 0)
        return app_fail(err, APP_ERR_INVALID, "bad_profile", "profile",
                        "profile must be walk or elderly");
    *out = (enum lc_profile_id)p;
    return 0;
}

static int get_network(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct lifecircle_network_info n;
    if (lifecircle_network_info(req->db, &n, &err))
        return http_reply_error(resp, &err);
    return http_reply_json(resp, 200,
                           json_pack("{s:b,s:s,s:s,s:b,s:I,s:I,s:I,s:I,s:I}", "loaded", n.loaded,
                                     "source", n.source, "attribution", n.attribution, "synthetic",
                                     n.synthetic, "nodes", (json_int_t)n.nodes, "segments",
                                     (json_int_t)n.segments, "steps", (json_int_t)n.steps,
                                     "elevators", (json_int_t)n.elevators, "imported_at",
                                     (json_int_t)n.imported_at));
}

static int get_requirements(struct http_request *req, struct http_response *resp)
{
    (void)req;
    size_t nc, nr;
    const struct lifecircle_category *c = lifecircle_categories(&nc);
    const struct lifecircle_requirement *r = lifecircle_requirements(&nr);
    json_t *cats = json_array(), *reqs = json_array(), *levels = json_array();
    for (size_t i = 0; i < nc; i++)
        json_array_append_new(cats, json_pack("{s:s,s:s}", "id", c[i].id, "title", c[i].title));
    for (size_t i = 0; i < nr; i++)
        json_array_append_new(reqs,
                              json_pack("{s:s,s:i,s:s,s:s}", "category", r[i].category, "level",
                                        r[i].level, "item", r[i].item, "source", r[i].source));
    for (int i = 0; i < LIFECIRCLE_LEVELS; i++)
        json_array_append_new(levels, json_integer(lifecircle_levels[i]));
    /* The walking model each profile uses, so the apps can state it beside the figures. */
    static const char *const ptitle[LC_PROFILE_COUNT] = {"一般步行", "老年人步行"};
    json_t *profiles = json_array();
    for (int i = 0; i < LC_PROFILE_COUNT; i++) {
        struct lc_profile pr;
        lc_profile_default((enum lc_profile_id)i, &pr);
        json_array_append_new(profiles, json_pack("{s:s,s:s,s:f,s:f,s:f,s:f,s:f}", "id",
                                                  lc_profile_name((enum lc_profile_id)i), "title",
                                                  ptitle[i], "v0", pr.v0, "steps_up", pr.steps_up,
                                                  "steps_down", pr.steps_down, "elevator_s",
                                                  pr.elevator_s, "step_rest_s", pr.step_penalty_s));
    }
    return http_reply_json(resp, 200,
                           json_pack("{s:o,s:o,s:o,s:o,s:s}", "categories", cats, "levels", levels,
                                     "requirements", reqs, "profiles", profiles, "nesting",
                                     "各级生活圈分别评价，上级设施不计入下级要求（GB 50180-2018 "
                                     "条文说明 5.0.2）"));
}

/* One area's figures for every required (category, level). */
static json_t *area_json(const struct lifecircle_area *a)
{
    size_t nr, nc;
    const struct lifecircle_requirement *r = lifecircle_requirements(&nr);
    const struct lifecircle_category *cats = lifecircle_categories(&nc);
    json_t *cells = json_array();
    for (size_t i = 0; i < nr; i++) {
        int c = lifecircle_category_parse(r[i].category), l = lifecircle_level_index(r[i].level);
        double cov = a->covered[c][l];
        json_array_append_new(
            cells,
            json_pack("{s:s,s:s,s:i,s:s,s:f,s:f}", "category", r[i].category, "category_title",
                      cats[c].title, "level", r[i].level, "item", r[i].item, "covered", cov,
                      "share", a->population > 0 ? round(1000 * cov / a->population) / 1000 : 0.0));
    }
    return json_pack("{s:s,s:s,s:f,s:o}", "region", a->region, "name", a->name, "population",
                     a->population, "cells", cells);
}

static int coverage_of(struct http_request *req, struct lifecircle_coverage *c,
                       struct app_error *err)
{
    enum lc_profile_id p = LC_PROFILE_WALK;
    if (profile_of(req, &p, err))
        return -1;
    return lifecircle_coverage(req->db, req->who, p, http_query(req, "region"),
                               http_query(req, "group"), c, err);
}

static int get_coverage(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct lifecircle_coverage c;
    if (coverage_of(req, &c, &err))
        return http_reply_error(resp, &err);
    json_t *areas = json_array();
    for (size_t i = 1; i < c.len; i++)
        json_array_append_new(areas, area_json(&c.items[i]));
    json_t *o = json_pack("{s:o,s:o,s:I,s:I}", "total", area_json(&c.items[0]), "areas", areas,
                          "demand_points", (json_int_t)c.demand_points, "facilities",
                          (json_int_t)c.facilities);
    lifecircle_coverage_release(&c);
    return http_reply_json(resp, 200, o);
}

static int get_coverage_csv(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct lifecircle_coverage c;
    if (coverage_of(req, &c, &err))
        return http_reply_error(resp, &err);
    size_t nr, nc;
    const struct lifecircle_requirement *r = lifecircle_requirements(&nr);
    const struct lifecircle_category *cats = lifecircle_categories(&nc);
    struct buf b = BUF_INIT;
    buf_puts(&b, "\xEF\xBB\xBF区划代码,名称,常住人口");
    for (size_t i = 0; i < nr; i++) {
        char h[96];
        snprintf(h, sizeof(h), "%s%d分钟%s覆盖率",
                 cats[lifecircle_category_parse(r[i].category)].title, r[i].level, r[i].item);
        buf_putc(&b, ',');
        buf_put_csv(&b, h);
    }
    buf_puts(&b, "\r\n");
    for (size_t a = 0; a < c.len; a++) {
        const struct lifecircle_area *ar = &c.items[(a + 1) % c.len]; /* the total last */
        buf_put_csv(&b, ar->region);
        buf_putc(&b, ',');
        buf_put_csv(&b, ar->name);
        buf_printf(&b, ",%.0f", ar->population);
        for (size_t i = 0; i < nr; i++) {
            double cov = ar->covered[lifecircle_category_parse(r[i].category)]
                                    [lifecircle_level_index(r[i].level)];
            buf_printf(&b, ",%.1f%%", ar->population > 0 ? 100 * cov / ar->population : 0.0);
        }
        buf_puts(&b, "\r\n");
    }
    lifecircle_coverage_release(&c);
    char today[16], name[96];
    clock_format_date(clock_now(), today, sizeof(today));
    snprintf(name, sizeof(name), "attachment; filename=\"lifecircle-coverage-%s.csv\"", today);
    http_set_header(resp, "Content-Disposition", name);
    int ret = http_reply_bytes(resp, 200, "text/csv; charset=utf-8", buf_cstr(&b), b.len);
    buf_release(&b);
    return ret;
}

static int get_gaps(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct lifecircle_coverage c;
    if (coverage_of(req, &c, &err))
        return http_reply_error(resp, &err);
    size_t nr, nc;
    const struct lifecircle_requirement *r = lifecircle_requirements(&nr);
    const struct lifecircle_category *cats = lifecircle_categories(&nc);
    json_t *items = json_array();
    for (size_t a = 1; a < c.len; a++)
        for (size_t i = 0; i < nr; i++) {
            int ci = lifecircle_category_parse(r[i].category),
                l = lifecircle_level_index(r[i].level);
            double u;
            if (!lifecircle_gap(&c.items[a], ci, l, &u))
                continue;
            json_array_append_new(
                items,
                json_pack("{s:s,s:s,s:s,s:s,s:i,s:s,s:f,s:f,s:f}", "region", c.items[a].region,
                          "name", c.items[a].name, "category", r[i].category, "category_title",
                          cats[ci].title, "level", r[i].level, "item", r[i].item, "population",
                          c.items[a].population, "uncovered", u, "share",
                          round(1000 * (c.items[a].population - u) / c.items[a].population) /
                              1000));
        }
    lifecircle_coverage_release(&c);
    /* The largest gaps first (residents left out), stable on equal figures. */
    size_t n = json_array_size(items);
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0; j--) {
            double x = json_real_value(json_object_get(json_array_get(items, j), "uncovered"));
            double y = json_real_value(json_object_get(json_array_get(items, j - 1), "uncovered"));
            if (x <= y)
                break;
            json_t *t = json_incref(json_array_get(items, j));
            json_array_set(items, j, json_array_get(items, j - 1));
            json_array_set_new(items, j - 1, t);
        }
    return http_reply_json(resp, 200, json_pack("{s:o}", "items", items));
}

static int get_isochrone(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct lifecircle_isochrone iso;
    enum lc_profile_id p = LC_PROFILE_WALK;
    double minutes = 15, lon = 0, lat = 0, fid = 0;
    if (profile_of(req, &p, &err) || http_query_number(req, "minutes", false, &minutes, &err))
        return http_reply_error(resp, &err);
    if (http_query(req, "facility")) {
        if (http_query_number(req, "facility", true, &fid, &err) ||
            lifecircle_isochrone_facility(req->db, req->who, p, (int64_t)fid, minutes, &iso, &err))
            return http_reply_error(resp, &err);
    } else if (http_query_number(req, "lon", true, &lon, &err) ||
               http_query_number(req, "lat", true, &lat, &err) ||
               lifecircle_isochrone_point(p, lon, lat, minutes, &iso, &err))
        return http_reply_error(resp, &err);
    json_t *ring = json_array();
    for (size_t i = 0; i <= iso.n; i++)
        json_array_append_new(
            ring, json_pack("[f,f]", iso.ring[2 * (i % iso.n)], iso.ring[2 * (i % iso.n) + 1]));
    return http_reply_json(resp, 200,
                           json_pack("{s:s,s:{s:s,s:[o]},s:{s:f,s:s,s:[f,f],s:I,s:s}}", "type",
                                     "Feature", "geometry", "type", "Polygon", "coordinates", ring,
                                     "properties", "minutes", minutes, "profile",
                                     lc_profile_name(p), "centre", iso.lon, iso.lat,
                                     "nodes_reached", (json_int_t)iso.nodes_reached, "direction",
                                     http_query(req, "facility") ? "to" : "from"));
}

static int get_route(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    enum lc_profile_id p = LC_PROFILE_WALK;
    double c[4];
    const char *names[] = {"from_lon", "from_lat", "to_lon", "to_lat"};
    if (profile_of(req, &p, &err))
        return http_reply_error(resp, &err);
    for (int i = 0; i < 4; i++)
        if (http_query_number(req, names[i], true, &c[i], &err))
            return http_reply_error(resp, &err);
    struct lifecircle_route_result r;
    if (lifecircle_route(p, c[0], c[1], c[2], c[3], &r, &err))
        return http_reply_error(resp, &err);
    return http_reply_json(resp, 200,
                           json_pack("{s:f,s:f,s:f,s:s}", "minutes", r.minutes, "metres", r.metres,
                                     "climb_m", r.climb_m, "profile", lc_profile_name(p)));
}

static int get_suggest(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    enum lc_profile_id p = LC_PROFILE_WALK;
    double level = 15, k = 3;
    if (profile_of(req, &p, &err) || http_query_number(req, "level", false, &level, &err) ||
        http_query_number(req, "k", false, &k, &err))
        return http_reply_error(resp, &err);
    struct lifecircle_suggestion s;
    if (lifecircle_suggest(req->db, req->who, p, http_query(req, "category"), (int)level, (int)k,
                           &s, &err))
        return http_reply_error(resp, &err);
    json_t *picks = json_array();
    for (size_t i = 0; i < s.len; i++)
        json_array_append_new(picks,
                              json_pack("{s:I,s:s,s:f,s:f,s:s,s:f}", "demand_id",
                                        (json_int_t)s.items[i].demand_id, "name", s.items[i].name,
                                        "lon", s.items[i].lon, "lat", s.items[i].lat, "region",
                                        s.items[i].region, "gain", s.items[i].gain));
    json_t *o = json_pack("{s:o,s:f,s:f,s:f,s:s}", "picks", picks, "population", s.population,
                          "covered_before", s.covered_before, "covered_after", s.covered_after,
                          "method", "lazy greedy MCLP (≥ 1 − 1/e of the optimum)");
    free(s.items);
    return http_reply_json(resp, 200, o);
}

static json_t *reach_json(const struct lifecircle_reach_area *a)
{
    static const char *const label[LIFECIRCLE_REACH_BINS] = {"0 处", "1 处", "2 处", "3 处及以上"};
    json_t *bins = json_array();
    for (int i = 0; i < LIFECIRCLE_REACH_BINS; i++)
        json_array_append_new(bins, json_pack("{s:i,s:b,s:s,s:f}", "facilities", i, "or_more",
                                              i == LIFECIRCLE_REACH_BINS - 1, "label", label[i],
                                              "population", a->by_count[i]));
    double pop = a->population;
    return json_pack("{s:s,s:s,s:f,s:I,s:f,s:I,s:f,s:f,s:o}", "region", a->region, "name", a->name,
                     "population", pop, "points", (json_int_t)a->points, "reached", a->reached,
                     "points_reached", (json_int_t)a->points_reached, "share",
                     pop > 0 ? round(1000 * a->reached / pop) / 1000 : 0.0, "mean_facilities",
                     pop > 0 ? round(100 * a->facility_sum / pop) / 100 : 0.0, "by_count", bins);
}

static int reach_of(struct http_request *req, struct lifecircle_reach *r, int *level,
                    double *minutes, enum lc_profile_id *p, struct app_error *err)
{
    double lv = 0;
    *minutes = 15;
    const char *category = http_query(req, "category");
    if (profile_of(req, p, err) || http_query_number(req, "level", false, &lv, err) ||
        http_query_number(req, "minutes", false, minutes, err))
        return -1;
    *level = lv == (int)lv ? (int)lv : -1; /* a fraction is refused as bad_level */
    return lifecircle_reach(req->db, req->who, *p, category ? category : "", *level, *minutes,
                            http_query(req, "region"), http_query(req, "group"), r, err);
}

/* GET /reach: how many residents reach how many facilities of a category within T minutes. */
static int get_reach(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    enum lc_profile_id p = LC_PROFILE_WALK;
    int level;
    double minutes;
    struct lifecircle_reach r;
    if (reach_of(req, &r, &level, &minutes, &p, &err))
        return http_reply_error(resp, &err);
    const char *category = http_query(req, "category");
    size_t nc;
    const struct lifecircle_category *cats = lifecircle_categories(&nc);
    int ci = lifecircle_category_parse(category);
    json_t *areas = json_array();
    for (size_t i = 1; i < r.len; i++)
        json_array_append_new(areas, reach_json(&r.items[i]));
    json_t *o = json_pack("{s:s,s:s,s:i,s:f,s:s,s:I,s:o,s:o}", "category", cats[ci].id,
                          "category_title", cats[ci].title, "level", level, "minutes", minutes,
                          "profile", lc_profile_name(p), "facilities", (json_int_t)r.facilities,
                          "total", reach_json(&r.items[0]), "areas", areas);
    lifecircle_reach_release(&r);
    return http_reply_json(resp, 200, o);
}

/* GET /reach.csv: every demand point (housing, a building) with the facilities it reaches. */
static int get_reach_csv(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    enum lc_profile_id p = LC_PROFILE_WALK;
    int level;
    double minutes;
    struct lifecircle_reach r;
    if (reach_of(req, &r, &level, &minutes, &p, &err))
        return http_reply_error(resp, &err);
    size_t nc;
    const struct lifecircle_category *cats = lifecircle_categories(&nc);
    const char *title = cats[lifecircle_category_parse(http_query(req, "category"))].title;
    struct buf b = BUF_INIT;
    char h[160];
    if (level)
        snprintf(h, sizeof(h), "%g分钟内可达%s(%d分钟级)设施数", minutes, title, level);
    else
        snprintf(h, sizeof(h), "%g分钟内可达%s设施数", minutes, title);
    buf_puts(&b, "\xEF\xBB\xBF居住点,区划代码,所在区域,常住人口,");
    buf_put_csv(&b, h);
    buf_puts(&b, "\r\n");
    for (size_t i = 0; i < r.n_points; i++) {
        const struct lifecircle_reach_point *pt = &r.points[i];
        buf_put_csv(&b, pt->name);
        buf_putc(&b, ',');
        buf_put_csv(&b, r.items[pt->area].region);
        buf_putc(&b, ',');
        buf_put_csv(&b, r.items[pt->area].name);
        buf_printf(&b, ",%.0f,%u\r\n", pt->population, pt->facilities);
    }
    lifecircle_reach_release(&r);
    char today[16], name[96];
    clock_format_date(clock_now(), today, sizeof(today));
    snprintf(name, sizeof(name), "attachment; filename=\"lifecircle-reach-%s.csv\"", today);
    http_set_header(resp, "Content-Disposition", name);
    int ret = http_reply_bytes(resp, 200, "text/csv; charset=utf-8", buf_cstr(&b), b.len);
    buf_release(&b);
    return ret;
}

static int get_facilities(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct lifecircle_facility_list l;
    if (lifecircle_facility_list(req->db, req->who, http_query(req, "category"), &l, &err))
        return http_reply_error(resp, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < l.len; i++) {
        const struct lifecircle_facility *f = &l.items[i];
        json_array_append_new(items, json_pack("{s:I,s:s,s:i,s:s,s:s,s:f,s:f,s:s,s:s,s:b}", "id",
                                               (json_int_t)f->id, "category", f->category, "level",
                                               f->level, "kind", f->kind, "name", f->name, "lon",
                                               f->lon, "lat", f->lat, "region", f->region, "source",
                                               f->source, "synthetic", f->synthetic));
    }
    free(l.items);
    return http_reply_json(resp, 200, json_pack("{s:o}", "items", items));
}

/* A refused import: the problem with every bad row by line. */
static int reply_import(struct http_response *resp, int rc,
                        const struct lifecircle_import_result *res, const struct app_error *err)
{
    if (rc == 0)
        return http_reply_json(resp, 201,
                               json_pack("{s:I}", "accepted", (json_int_t)res->accepted));
    if (!res->len)
        return http_reply_error(resp, err);
    json_t *rows = json_array();
    for (size_t i = 0; i < res->len; i++)
        json_array_append_new(rows, json_pack("{s:i,s:s,s:s,s:s}", "line", res->items[i].line,
                                              "field", res->items[i].field, "code",
                                              res->items[i].code, "reason", res->items[i].reason));
    json_t *p = json_pack("{s:s,s:s,s:i,s:s,s:s,s:s,s:o}", "type", "about:blank", "title",
                          "Bad Request", "status", 400, "detail", err->message, "code", "bad_rows",
                          "field", res->items[0].field, "errors", rows);
    http_reply_json(resp, 400, p);
    snprintf(resp->content_type, sizeof(resp->content_type), "application/problem+json");
    return 0;
}

static int post_facilities(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct lifecircle_import_result res = {0};
    int rc = lifecircle_facility_import(req->app, req->db, req->who, req->body, req->body_len,
                                        req->request_id, &res, &err);
    int ret = reply_import(resp, rc, &res, &err);
    lifecircle_import_result_release(&res);
    return ret;
}

static int post_demand(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct lifecircle_import_result res = {0};
    int rc = lifecircle_demand_import(req->app, req->db, req->who, req->body, req->body_len,
                                      req->request_id, &res, &err);
    int ret = reply_import(resp, rc, &res, &err);
    lifecircle_import_result_release(&res);
    return ret;
}

const struct http_route lifecircle_routes[] = {
    {"GET", "/api/v1/lifecircle/network", get_network, 0, "lifecircle.read"},
    {"GET", "/api/v1/lifecircle/requirements", get_requirements, 0, "lifecircle.read"},
    {"GET", "/api/v1/lifecircle/coverage", get_coverage, 0, "lifecircle.read"},
    {"GET", "/api/v1/lifecircle/coverage.csv", get_coverage_csv, 0, "lifecircle.read"},
    {"GET", "/api/v1/lifecircle/gaps", get_gaps, 0, "lifecircle.read"},
    {"GET", "/api/v1/lifecircle/isochrone", get_isochrone, 0, "lifecircle.read"},
    {"GET", "/api/v1/lifecircle/route", get_route, 0, "lifecircle.read"},
    {"GET", "/api/v1/lifecircle/suggest", get_suggest, 0, "lifecircle.read"},
    {"GET", "/api/v1/lifecircle/reach", get_reach, 0, "lifecircle.read"},
    {"GET", "/api/v1/lifecircle/reach.csv", get_reach_csv, 0, "lifecircle.read"},
    {"GET", "/api/v1/lifecircle/facilities", get_facilities, 0, "lifecircle.read"},
    {"POST", "/api/v1/lifecircle/facilities.csv", post_facilities, HTTP_RAW_BODY,
     "lifecircle.import"},
    {"POST", "/api/v1/lifecircle/demand.csv", post_demand, HTTP_RAW_BODY, "lifecircle.import"},
    {NULL, NULL, NULL, 0, NULL},
};
