/* Thin handlers of the patrol module under /api/v1/patrol/: the segments in the caller's
 * jurisdiction, one segment's report and checklist, its patrols, the map layer, and recording a
 * patrol with its GeoJSON track and findings. */
#include "patrol/patrol_api.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "core/clock.h"
#include "patrol/patrol.h"

json_t *patrol_api_time_json(int64_t t)
{
    if (!t)
        return json_null();
    char s[32];
    clock_format_local(t, s, sizeof(s));
    return json_string(s);
}

static json_t *geometry_json(const char *text)
{
    json_t *g = text ? json_loads(text, 0, NULL) : NULL;
    return g ? g : json_null();
}

static json_t *compliance_json(const struct patrol_compliance *c)
{
    return json_pack("{s:i,s:i,s:f,s:b,s:o}", "windows", c->windows, "met", c->met, "rate", c->rate,
                     "current_met", c->current_met, "last", patrol_api_time_json(c->last));
}

static json_t *segment_json(const struct patrol_segment *s, bool geometry)
{
    json_t *works = json_array();
    const char *w = s->works ? s->works : "";
    while (*w) {
        const char *nl = strchr(w, '\n');
        size_t n = nl ? (size_t)(nl - w) : strlen(w);
        if (n)
            json_array_append_new(works, json_stringn(w, n));
        w += n + (nl ? 1 : 0);
    }
    json_t *j =
        json_pack("{s:s,s:s,s:s,s:s,s:f,s:f,s:s,s:s,s:i,s:o,s:[f,f,f,f],s:b}", "code", s->code,
                  "name", s->name, "river", s->river, "river_name", s->river_name, "length_m",
                  s->length_m, "buffer_m", s->buffer_m, "street", s->street, "station", s->station,
                  "target_class", s->target_class, "works", works, "bbox", s->bbox[0], s->bbox[1],
                  s->bbox[2], s->bbox[3], "synthetic", s->synthetic);
    if (geometry)
        json_object_set_new(j, "geometry", geometry_json(s->geometry));
    return j;
}

static int list_segments(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct patrol_segment_list l = {0};
    if (patrol_segment_list(req->db, req->who, &l, &err))
        return http_reply_error(resp, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < l.len; i++) {
        struct patrol_report r;
        if (patrol_report_get(req->app, req->db, req->who, l.items[i].code, 0, &r, &err)) {
            json_decref(items);
            patrol_segment_list_release(&l);
            return http_reply_error(resp, &err);
        }
        json_t *j = segment_json(&l.items[i], false);
        json_object_set_new(j, "compliance", compliance_json(&r.overall));
        json_object_set_new(j, "open_problems", json_integer(r.open_problems));
        json_object_set_new(j, "gap_open", json_boolean(r.ngaps && r.gaps[r.ngaps - 1].open));
        json_array_append_new(items, j);
        patrol_report_release(&r);
    }
    patrol_segment_list_release(&l);
    return http_reply_json(resp, 200,
                           json_pack("{s:o,s:b}", "items", items, "may_manage",
                                     req->who && auth_may(req->who, "patrol.manage")));
}

json_t *patrol_api_report_json(const struct patrol_report *r, const struct auth_principal *who)
{
    json_t *chiefs = json_array(), *windows = json_array(), *gaps = json_array(),
           *grids = json_array(), *checks = json_array();
    for (size_t i = 0; i < r->nchiefs; i++) {
        const struct patrol_chief_compliance *c = &r->chiefs[i];
        json_t *j = json_pack(
            "{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:b}", "id", (json_int_t)c->chief.id, "level",
            patrol_level_name(c->chief.level), "level_label", patrol_level_label(c->chief.level),
            "name", c->chief.name, "title", c->chief.title, "region", c->chief.region, "window",
            patrol_window_name(c->rule.window), "window_label", patrol_window_label(c->rule.window),
            "times", c->rule.times, "synthetic", c->chief.synthetic);
        json_object_set_new(j, "compliance", compliance_json(&c->c));
        /* the caller's own chief rows: the chief's phone shows them first */
        json_object_set_new(j, "mine",
                            json_boolean(who && c->chief.username[0] &&
                                         strcmp(c->chief.username, who->username) == 0));
        json_array_append_new(chiefs, j);
    }
    for (size_t i = 0; i < r->nwindows; i++)
        json_array_append_new(windows, json_pack("{s:o,s:o,s:i,s:b,s:b}", "start",
                                                 patrol_api_time_json(r->windows[i].start), "end",
                                                 patrol_api_time_json(r->windows[i].end), "count",
                                                 r->windows[i].count, "met", r->windows[i].met,
                                                 "running", r->windows[i].running));
    for (size_t i = 0; i < r->ngaps; i++)
        json_array_append_new(gaps, json_pack("{s:o,s:o,s:f,s:b}", "start",
                                              patrol_api_time_json(r->gaps[i].start), "end",
                                              patrol_api_time_json(r->gaps[i].end), "days",
                                              r->gaps[i].days, "open", r->gaps[i].open));
    for (size_t i = 0; i < r->ngrids; i++)
        json_array_append_new(grids, json_string(r->grids[i]));
    struct patrol_check ck[PATROL_CHECKS];
    patrol_checklist(r, ck);
    for (int i = 0; i < PATROL_CHECKS; i++)
        json_array_append_new(checks,
                              json_pack("{s:s,s:s,s:b,s:s}", "item", ck[i].item, "label",
                                        ck[i].label, "ok", ck[i].ok, "detail", ck[i].detail));
    json_t *j =
        json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:i,s:i,s:i,s:i,s:i,s:{s:i,s:i,s:o},s:o,s:f}",
                  "segment", segment_json(&r->segment, true), "from", patrol_api_time_json(r->from),
                  "now", patrol_api_time_json(r->now), "chiefs", chiefs, "overall",
                  compliance_json(&r->overall), "windows", windows, "gaps", gaps, "grids", grids,
                  "patrols", r->patrols, "counting_patrols", r->counting, "findings", r->findings,
                  "open_problems", r->open_problems, "recurrences", r->recurrences, "water",
                  "class", r->water_class, "target_class", r->segment.target_class, "day",
                  r->water_day >= 0 ? patrol_api_time_json(r->water_day * 86400 - CLOCK_CN_OFFSET)
                                    : json_null(),
                  "checklist", checks, "min_coverage", PATROL_MIN_COVERAGE);
    /* what the editor may do and offer (the server declares it; the page renders it) */
    bool manage = who && auth_may(who, "patrol.manage");
    json_object_set_new(j, "may_manage", json_boolean(manage));
    if (manage) {
        json_t *levels = json_array();
        for (int l = 0; l < PATROL_LEVEL_COUNT; l++) {
            struct patrol_rule rule = patrol_rule_of((enum patrol_level)l);
            json_array_append_new(
                levels,
                json_pack("{s:s,s:s,s:s,s:i}", "level", patrol_level_name((enum patrol_level)l),
                          "label", patrol_level_label((enum patrol_level)l), "window_label",
                          patrol_window_label(rule.window), "times", rule.times));
        }
        json_object_set_new(j, "levels", levels);
        for (size_t i = 0; i < r->nchiefs; i++)
            json_object_set_new(json_array_get(chiefs, i), "username",
                                json_string(r->chiefs[i].chief.username));
    }
    return j;
}

static int get_segment(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct patrol_report r;
    int64_t from = 0;
    const char *f = http_query(req, "from");
    if (f && clock_parse(f, &from, "from", &err))
        return http_reply_error(resp, &err);
    if (patrol_report_get(req->app, req->db, req->who, http_param(req, "code"), from, &r, &err))
        return http_reply_error(resp, &err);
    json_t *j = patrol_api_report_json(&r, req->who);
    patrol_report_release(&r);
    return http_reply_json(resp, 200, j);
}

static json_t *patrol_json(const struct patrol_patrol *p)
{
    return json_pack(
        "{s:I,s:s,s:s,s:s,s:s,s:o,s:o,s:i,s:f,s:f,s:f,s:b,s:b}", "id", (json_int_t)p->id, "segment",
        p->segment, "patroller", p->patroller, "role", p->role, "chief_level", p->chief_level,
        "started_at", patrol_api_time_json(p->started_at), "ended_at",
        patrol_api_time_json(p->ended_at), "points", p->points, "track_m", p->track_m, "coverage",
        p->coverage, "buffer_m", p->buffer_m, "counts", p->counts, "synthetic", p->synthetic);
}

static int list_patrols(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct patrol_patrol_list l = {0};
    long limit = 100;
    const char *lim = http_query(req, "limit");
    if (lim)
        limit = strtol(lim, NULL, 10);
    if (patrol_list(req->db, req->who, http_param(req, "code"), limit, &l, &err))
        return http_reply_error(resp, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < l.len; i++)
        json_array_append_new(items, patrol_json(&l.items[i]));
    free(l.items);
    return http_reply_json(resp, 200, json_pack("{s:o}", "items", items));
}

/* A time given as RFC 3339 text or Unix seconds. */
int patrol_api_read_time(json_t *obj, const char *key, const char *field, bool required,
                         int64_t *out, struct app_error *err)
{
    json_t *v = json_object_get(obj, key);
    *out = 0;
    if (!v || json_is_null(v))
        return required ? app_fail(err, APP_ERR_INVALID, "required", field, "缺少时间") : 0;
    if (json_is_integer(v)) {
        *out = json_integer_value(v);
        return 0;
    }
    if (!json_is_string(v))
        return app_fail(err, APP_ERR_INVALID, "invalid_type", field, "时间格式无效");
    return clock_parse(json_string_value(v), out, field, err);
}

int patrol_api_read_findings(json_t *body, struct patrol_finding_input *f, size_t *n,
                             struct app_error *err)
{
    json_t *arr = json_object_get(body, "findings");
    *n = 0;
    if (!arr || json_is_null(arr))
        return 0;
    if (!json_is_array(arr))
        return app_fail(err, APP_ERR_INVALID, "invalid_type", "findings", "findings 应为数组");
    if (json_array_size(arr) > PATROL_MAX_FINDINGS)
        return app_fail(err, APP_ERR_INVALID, "too_many_findings", "findings",
                        "一次巡河最多 %d 个问题", PATROL_MAX_FINDINGS);
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *o = json_array_get(arr, i);
        char field[48];
        snprintf(field, sizeof(field), "findings[%zu]", i);
        if (!json_is_object(o))
            return app_fail(err, APP_ERR_INVALID, "invalid_type", field, "问题应为对象");
        struct patrol_finding_input *x = &f[i];
        memset(x, 0, sizeof(*x));
        json_t *lon = json_object_get(o, "lon"), *lat = json_object_get(o, "lat");
        snprintf(field, sizeof(field), "findings[%zu].lon", i);
        if (!json_is_number(lon) || !json_is_number(lat))
            return app_fail(err, APP_ERR_INVALID, "required", field, "请给出问题位置 lon/lat");
        x->lon = json_number_value(lon);
        x->lat = json_number_value(lat);
        snprintf(field, sizeof(field), "findings[%zu].at", i);
        if (patrol_api_read_time(o, "at", field, false, &x->at, err))
            return -1;
        json_t *t = json_object_get(o, "title"), *d = json_object_get(o, "description");
        snprintf(field, sizeof(field), "findings[%zu].title", i);
        if ((t && !json_is_null(t) && !json_is_string(t)) ||
            (d && !json_is_null(d) && !json_is_string(d)))
            return app_fail(err, APP_ERR_INVALID, "invalid_type", field, "标题与描述应为文字");
        x->title = json_string_value(t);
        x->description = json_string_value(d);
        json_t *att = json_object_get(o, "attachments");
        snprintf(field, sizeof(field), "findings[%zu].attachments", i);
        if (att && !json_is_null(att)) {
            if (!json_is_array(att) || json_array_size(att) > 8)
                return app_fail(err, APP_ERR_INVALID, "invalid_type", field,
                                "附件应为至多 8 个 SHA-256");
            for (size_t k = 0; k < json_array_size(att); k++) {
                if (!json_is_string(json_array_get(att, k)))
                    return app_fail(err, APP_ERR_INVALID, "invalid_type", field, "附件无效");
                x->attachments[x->nattachments++] = json_string_value(json_array_get(att, k));
            }
        }
        (*n)++;
    }
    return 0;
}

json_t *patrol_api_result_json(const struct patrol_result *r)
{
    json_t *j = patrol_json(&r->patrol), *fs = json_array();
    for (size_t i = 0; i < r->findings.len; i++) {
        const struct patrol_finding *f = &r->findings.items[i];
        json_array_append_new(
            fs, json_pack("{s:I,s:s,s:s,s:f,s:f,s:o,s:s,s:o,s:o}", "id", (json_int_t)f->id,
                          "event_code", f->event_code, "grid", f->grid, "lon", f->lon, "lat",
                          f->lat, "at", patrol_api_time_json(f->at), "title", f->title, "recurs_of",
                          f->recurs_of ? json_integer(f->recurs_of) : json_null(), "recurs_event",
                          f->recurs_event[0] ? json_string(f->recurs_event) : json_null()));
    }
    json_object_set_new(j, "findings", fs);
    return j;
}

/* The track of a posted patrol: "track" (GeoJSON) or "gpx" (the text of a GPX file, whose
 * point times stand in for started_at/ended_at when those are not given). */
static int read_track(json_t *body, struct patrol_input *in, struct geo_lines *track,
                      struct app_error *err)
{
    json_t *tr = json_object_get(body, "track"), *gpx = json_object_get(body, "gpx");
    if (gpx && !json_is_null(gpx)) {
        if (!json_is_string(gpx))
            return app_fail(err, APP_ERR_INVALID, "invalid_type", "gpx", "gpx 应为 GPX 文件的文本");
        int64_t first, last;
        if (geo_gpx_parse(json_string_value(gpx), json_string_length(gpx), "gpx", track, &first,
                          &last, err))
            return -1;
        if (!in->started_at)
            in->started_at = first;
        if (!in->ended_at)
            in->ended_at = last;
        return 0;
    }
    if (!json_is_object(tr))
        return app_fail(err, APP_ERR_INVALID, "required", "track",
                        "请提交 GeoJSON 或 GPX 巡河轨迹");
    char *text = json_dumps(tr, JSON_COMPACT);
    int rc = geo_lines_parse(text, "track", track, err);
    free(text);
    return rc;
}

static int post_patrol(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    json_t *body = NULL;
    struct geo_lines track = {0};
    struct patrol_finding_input findings[PATROL_MAX_FINDINGS];
    struct patrol_input in = {.findings = findings, .track = &track};
    struct patrol_result res;
    int rc = -1;
    if (http_read_json(req, &body, &err))
        return http_reply_error(resp, &err);
    /* with a GPX file the times may come from its points */
    json_t *g = json_is_object(body) ? json_object_get(body, "gpx") : NULL;
    bool gpx = g && !json_is_null(g);
    if (!json_is_object(body))
        app_fail(&err, APP_ERR_INVALID, "invalid_type", NULL, "请求体应为 JSON 对象");
    else if (http_json_string(body, "segment", true, &in.segment, &err) ||
             patrol_api_read_time(body, "started_at", "started_at", !gpx, &in.started_at, &err) ||
             patrol_api_read_time(body, "ended_at", "ended_at", !gpx, &in.ended_at, &err))
        ;
    else if (read_track(body, &in, &track, &err) == 0 &&
             patrol_api_read_findings(body, findings, &in.nfindings, &err) == 0)
        rc = patrol_record(req->app, req->db, req->who, &in, req->request_id, &res, &err);
    geo_lines_release(&track);
    json_decref(body);
    if (rc)
        return http_reply_error(resp, &err);
    json_t *j = patrol_api_result_json(&res);
    patrol_result_release(&res);
    return http_reply_json(resp, 201, j);
}

static int post_photo(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    char sha[72];
    if (patrol_photo_put(req->app, req->db, req->who, req->body, req->body_len, sha,
                         req->request_id, &err))
        return http_reply_error(resp, &err);
    return http_reply_json(resp, 201, json_pack("{s:s}", "sha256", sha));
}

/* The command center's layer: every visible segment as a Feature coloured by its state. */
static int layer(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct patrol_segment_list l = {0};
    if (patrol_segment_list(req->db, req->who, &l, &err))
        return http_reply_error(resp, &err);
    json_t *features = json_array();
    for (size_t i = 0; i < l.len; i++) {
        struct patrol_report r;
        if (patrol_report_get(req->app, req->db, req->who, l.items[i].code, 0, &r, &err)) {
            json_decref(features);
            patrol_segment_list_release(&l);
            return http_reply_error(resp, &err);
        }
        bool gap = r.ngaps && r.gaps[r.ngaps - 1].open;
        const char *state = gap ? "gap" : r.overall.rate >= PATROL_GOOD_RATE ? "ok" : "behind";
        json_array_append_new(
            features,
            json_pack("{s:s,s:o,s:{s:s,s:s,s:s,s:f,s:f,s:i,s:s,s:b}}", "type", "Feature",
                      "geometry", geometry_json(l.items[i].geometry), "properties", "code",
                      l.items[i].code, "name", l.items[i].name, "river", l.items[i].river_name,
                      "length_m", l.items[i].length_m, "rate", r.overall.rate, "open_problems",
                      r.open_problems, "state", state, "synthetic", l.items[i].synthetic));
        patrol_report_release(&r);
    }
    patrol_segment_list_release(&l);
    return http_reply_json(
        resp, 200, json_pack("{s:s,s:o}", "type", "FeatureCollection", "features", features));
}

/* Compliance of every segment in scope as CSV (UTF-8 with a BOM) for Excel/WPS. */
static int compliance_csv(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct patrol_segment_list l = {0};
    if (patrol_segment_list(req->db, req->who, &l, &err))
        return http_reply_error(resp, &err);
    struct patrol_report *reps = calloc(l.len + 1, sizeof(*reps));
    size_t n = 0;
    int rc = 0;
    for (; n < l.len && rc == 0; n++)
        rc = patrol_report_get(req->app, req->db, req->who, l.items[n].code, 0, &reps[n], &err);
    if (rc)
        n--;
    struct buf b = BUF_INIT;
    if (rc == 0)
        patrol_write_csv(reps, n, &b);
    for (size_t i = 0; i < n; i++)
        patrol_report_release(&reps[i]);
    free(reps);
    patrol_segment_list_release(&l);
    if (rc) {
        buf_release(&b);
        return http_reply_error(resp, &err);
    }
    http_reply_bytes(resp, 200, "text/csv; charset=utf-8", buf_cstr(&b), b.len);
    http_set_header(resp, "Content-Disposition", "attachment; filename=\"patrol-compliance.csv\"");
    buf_release(&b);
    return 0;
}

const struct http_route patrol_routes[] = {
    {"GET", "/api/v1/patrol/segments", list_segments, 0, "patrol.read"},
    {"GET", "/api/v1/patrol/segments.geojson", layer, 0, "patrol.read"},
    {"GET", "/api/v1/patrol/compliance.csv", compliance_csv, 0, "patrol.read"},
    {"GET", "/api/v1/patrol/segments/{code}", get_segment, 0, "patrol.read"},
    {"GET", "/api/v1/patrol/segments/{code}/patrols", list_patrols, 0, "patrol.read"},
    {"POST", "/api/v1/patrol/patrols", post_patrol, 0, "patrol.record"},
    {"POST", "/api/v1/patrol/photos", post_photo, HTTP_RAW_BODY, "patrol.record"},
    {NULL, NULL, NULL, 0, NULL},
};
