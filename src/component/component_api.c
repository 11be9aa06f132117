/* Thin handlers of the component module: the census (/api/v1/components: list, one, state,
 * import CSV/GeoJSON) and the sewer network (/api/v1/sewer/: segments as JSON and GeoJSON, one
 * segment with its inspections and defects, recording an inspection, a repair, the figures as
 * JSON and CSV, the overflow trace). Decoding and encoding only; the rules are in component.c
 * and rules.c. */
#include "component/component_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "component/component.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/xalloc.h"

/* ---- encoding ------------------------------------------------------------------------------ */

static json_t *component_json(const struct component *c)
{
    struct component_code cc;
    const char *major =
        component_code_check(c->code, NULL, &cc, NULL) == 0 ? component_major_name(cc.major) : NULL;
    return json_pack("{s:s,s:s,s:s?,s:s,s:s,s:f,s:f,s:s,s:s,s:s,s:b}", "code", c->code, "class",
                     c->class_code, "major", major, "name", c->name, "state", c->state, "lon",
                     c->lon, "lat", c->lat, "grid", c->grid, "street", c->street, "department",
                     c->department, "synthetic", c->synthetic);
}

static json_t *grade_json(int g)
{
    return g > 0 ? json_integer(g) : json_null();
}

static json_t *segment_json(const struct sewer_segment *s)
{
    int kind = sewer_kind_parse(s->kind);
    json_t *j = json_pack(
        "{s:s,s:s,s:s,s:s,s:s,s:i,s:s,s:f,s:f,s:i,s:s,s:s,s:s?,s:s,s:b,s:o,s:o,s:i,s:s?}", "code",
        s->code, "up_manhole", s->up, "down_manhole", s->down, "kind", s->kind, "kind_label",
        kind >= 0 ? sewer_kind_label(kind) : "", "diameter_mm", s->diameter_mm, "material",
        s->material, "length_m", s->length_m, "depth_m", s->depth_m, "year", s->year, "grid",
        s->grid, "street", s->street, "area", s->area[0] ? s->area : NULL, "department",
        s->department, "synthetic", s->synthetic, "open_structural_grade",
        grade_json(s->open_structural), "open_functional_grade", grade_json(s->open_functional),
        "open_defects", s->open_defects, "last_inspected",
        s->last_inspected[0] ? s->last_inspected : NULL);
    /* CJJ 181-2012's segment parameters and indices: not implemented (docs/component.md). */
    json_object_set_new(j, "repair_index", json_null());
    json_object_set_new(j, "maintenance_index", json_null());
    json_object_set_new(j, "needs_repair",
                        json_boolean(s->open_structural >= COMPONENT_ACTION_GRADE));
    return j;
}

static json_t *defect_json(const struct sewer_defect *d)
{
    return json_pack("{s:I,s:I,s:s,s:s,s:s,s:i,s:f,s:s,s:s?,s:s,s:s?,s:b}", "id", (json_int_t)d->id,
                     "inspection_id", (json_int_t)d->inspection_id, "segment", d->segment, "kind",
                     d->kind, "defect", d->defect, "grade", d->grade, "position_m", d->position_m,
                     "found_on", d->found_on, "repaired_on",
                     d->repaired_on[0] ? d->repaired_on : NULL, "repair_note", d->repair_note,
                     "event", d->event_code[0] ? d->event_code : NULL, "synthetic", d->synthetic);
}

static json_t *rate_json(double r)
{
    return r < 0 ? json_null() : json_real(r);
}

static json_t *figures_json(const struct sewer_figures *f)
{
    return json_pack("{s:s?,s:s?,s:o,s:o,s:f,s:f,s:I,s:I,s:I,s:I}", "group",
                     f->group[0] ? f->group : NULL, "name", f->group_name[0] ? f->group_name : NULL,
                     "inspection_rate", rate_json(f->inspection_rate), "repair_rate",
                     rate_json(f->repair_rate), "total_length_m", f->total_m, "inspected_length_m",
                     f->inspected_m, "segments", (json_int_t)f->segments, "segments_inspected",
                     (json_int_t)f->segments_inspected, "defects_found", (json_int_t)f->found,
                     "defects_repaired", (json_int_t)f->repaired);
}

/* ---- the census ---------------------------------------------------------------------------- */

static int list_components(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct component_query q = {http_query(req, "class"), http_query(req, "street"),
                                http_query(req, "state")};
    struct component_list l = {0};
    if (component_list(req->db, req->who, &q, &l, &err))
        return http_reply_error(resp, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < l.len; i++)
        json_array_append_new(items, component_json(&l.items[i]));
    component_list_release(&l);
    return http_reply_json(resp, 200, json_pack("{s:o}", "items", items));
}

static int get_component(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct component c;
    if (component_get(req->db, req->who, http_param(req, "code"), &c, &err))
        return http_reply_error(resp, &err);
    return http_reply_json(resp, 200, component_json(&c));
}

static int post_component_state(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    json_t *body = NULL;
    const char *state = NULL;
    struct component c;
    if (http_read_json(req, &body, &err) || http_json_string(body, "state", true, &state, &err) ||
        component_set_state(req->db, req->who, http_param(req, "code"), state, req->request_id, &c,
                            &err)) {
        json_decref(body);
        return http_reply_error(resp, &err);
    }
    json_decref(body);
    return http_reply_json(resp, 200, component_json(&c));
}

static char *member_dup(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? xstrdup(json_string_value(v)) : NULL;
}

/* GeoJSON FeatureCollection of Points with properties code, name, state, department. */
static int parse_geojson(const char *body, size_t len, struct component_import *imp,
                         struct component_import_problems *probs, struct app_error *err)
{
    json_error_t je;
    json_t *root = json_loadb(body, len, 0, &je);
    json_t *features = root ? json_object_get(root, "features") : NULL;
    if (!json_is_array(features)) {
        json_decref(root);
        return app_fail(err, APP_ERR_INVALID, "malformed_geojson", "features",
                        "应为 GeoJSON FeatureCollection");
    }
    size_t i;
    json_t *f;
    json_array_foreach(features, i, f)
    {
        if (imp->len == imp->cap) {
            imp->cap = imp->cap ? imp->cap * 2 : 64;
            imp->items = xrealloc(imp->items, imp->cap * sizeof(imp->items[0]));
        }
        struct component_import_row *row = &imp->items[imp->len++];
        memset(row, 0, sizeof(*row));
        row->line = (int)i + 1;
        json_t *p = json_object_get(f, "properties");
        row->code = member_dup(p, "code");
        row->name = member_dup(p, "name");
        row->state = member_dup(p, "state");
        row->department = member_dup(p, "department");
        json_t *g = json_object_get(f, "geometry");
        json_t *c = json_object_get(g, "coordinates");
        const char *type = json_string_value(json_object_get(g, "type"));
        if (type && strcmp(type, "Point") == 0 && json_array_size(c) >= 2 &&
            json_is_number(json_array_get(c, 0)) && json_is_number(json_array_get(c, 1))) {
            row->lon = json_number_value(json_array_get(c, 0));
            row->lat = json_number_value(json_array_get(c, 1));
            row->has_point = true;
        } else {
            struct component_import_problem x = {.line = (int)i + 1};
            (void)x;
            if (probs->len == probs->cap) {
                probs->cap = probs->cap ? probs->cap * 2 : 16;
                probs->items = xrealloc(probs->items, probs->cap * sizeof(probs->items[0]));
            }
            struct component_import_problem *q = &probs->items[probs->len++];
            memset(q, 0, sizeof(*q));
            q->line = (int)i + 1;
            snprintf(q->field, sizeof(q->field), "geometry");
            snprintf(q->code_name, sizeof(q->code_name), "bad_point");
            snprintf(q->message, sizeof(q->message), "几何应为 Point [经度, 纬度]");
        }
    }
    json_decref(root);
    return 0;
}

static int post_import(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct component_import imp = {0};
    struct component_import_problems probs = {0};
    long ins = 0, upd = 0;
    size_t k = 0;
    while (k < req->body_len &&
           (req->body[k] == ' ' || req->body[k] == '\n' || req->body[k] == '\r'))
        k++;
    bool geojson = k < req->body_len && req->body[k] == '{';
    int rc = geojson ? parse_geojson(req->body, req->body_len, &imp, &probs, &err)
                     : component_import_parse_csv(req->body, req->body_len, &imp, &probs, &err);
    if (rc == 0)
        rc = component_import_run(req->app, req->db, req->who, &imp, req->request_id, &probs, &ins,
                                  &upd, &err);
    component_import_release(&imp);
    if (rc == 0) {
        component_import_problems_release(&probs);
        return http_reply_json(
            resp, 200,
            json_pack("{s:I,s:I}", "inserted", (json_int_t)ins, "updated", (json_int_t)upd));
    }
    if (probs.len == 0) {
        component_import_problems_release(&probs);
        return http_reply_error(resp, &err);
    }
    /* Every refused row, by line (CSV) or feature number (GeoJSON), in one problem. */
    json_t *errors = json_array();
    for (size_t i = 0; i < probs.len; i++) {
        const struct component_import_problem *x = &probs.items[i];
        json_array_append_new(errors, json_pack("{s:i,s:s,s:s,s:s}", geojson ? "feature" : "line",
                                                x->line, "field", x->field, "code", x->code_name,
                                                "detail", x->message));
    }
    char detail[128];
    snprintf(detail, sizeof(detail), "%zu 处错误，未导入任何数据", probs.len);
    component_import_problems_release(&probs);
    json_t *p = json_pack("{s:s,s:s,s:i,s:s,s:s,s:s,s:o}", "type", "about:blank", "title",
                          "Bad Request", "status", 400, "detail", detail, "code", "import_refused",
                          "field", "file", "errors", errors);
    http_reply_json(resp, 400, p);
    snprintf(resp->content_type, sizeof(resp->content_type), "application/problem+json");
    return 0;
}

/* ---- the sewer network --------------------------------------------------------------------- */

static int list_segments(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct sewer_segment_list l = {0};
    if (sewer_segment_list(req->db, req->who, http_query(req, "street"), &l, &err))
        return http_reply_error(resp, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < l.len; i++)
        json_array_append_new(items, segment_json(&l.items[i]));
    sewer_segment_list_release(&l);
    return http_reply_json(resp, 200, json_pack("{s:o}", "items", items));
}

static int list_segments_geojson(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct sewer_segment_list l = {0};
    if (sewer_segment_list(req->db, req->who, http_query(req, "street"), &l, &err))
        return http_reply_error(resp, &err);
    json_t *features = json_array();
    for (size_t i = 0; i < l.len; i++) {
        const struct sewer_segment *s = &l.items[i];
        json_t *geom = json_pack("{s:s,s:[[f,f],[f,f]]}", "type", "LineString", "coordinates",
                                 s->up_lon, s->up_lat, s->down_lon, s->down_lat);
        json_array_append_new(features, json_pack("{s:s,s:o,s:o}", "type", "Feature", "geometry",
                                                  geom, "properties", segment_json(s)));
    }
    sewer_segment_list_release(&l);
    http_reply_json(resp, 200,
                    json_pack("{s:s,s:o}", "type", "FeatureCollection", "features", features));
    snprintf(resp->content_type, sizeof(resp->content_type), "application/geo+json");
    return 0;
}

static int get_segment(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct sewer_segment s;
    struct sewer_inspection_list insp = {0};
    struct sewer_defect_list defs = {0};
    if (sewer_segment_get(req->db, req->who, http_param(req, "code"), &s, &insp, &defs, &err)) {
        sewer_inspection_list_release(&insp);
        sewer_defect_list_release(&defs);
        return http_reply_error(resp, &err);
    }
    json_t *j = segment_json(&s), *ji = json_array(), *events = json_array();
    for (size_t i = 0; i < insp.len; i++) {
        const struct sewer_inspection *x = &insp.items[i];
        json_t *dj = json_array();
        for (size_t k = 0; k < defs.len; k++)
            if (defs.items[k].inspection_id == x->id)
                json_array_append_new(dj, defect_json(&defs.items[k]));
        json_array_append_new(
            ji, json_pack("{s:I,s:s,s:s,s:f,s:s,s:b,s:o}", "id", (json_int_t)x->id, "method",
                          x->method, "inspected_on", x->inspected_on, "length_m", x->length_m,
                          "inspector", x->inspector, "synthetic", x->synthetic, "defects", dj));
    }
    for (size_t k = 0; k < defs.len; k++) {
        const char *ev = defs.items[k].event_code;
        bool dup = !ev[0];
        for (size_t m = 0; m < json_array_size(events) && !dup; m++)
            dup = strcmp(json_string_value(json_array_get(events, m)), ev) == 0;
        if (!dup)
            json_array_append_new(events, json_string(ev));
    }
    json_object_set_new(j, "inspections", ji);
    json_object_set_new(j, "events", events);
    sewer_inspection_list_release(&insp);
    sewer_defect_list_release(&defs);
    return http_reply_json(resp, 200, j);
}

static int post_inspection(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    json_t *body = NULL;
    struct sewer_inspection_input in = {0};
    struct sewer_defect_input *defs = NULL;
    double len = 0;
    int64_t id = 0;
    char opened[48] = "";
    int rc = http_read_json(req, &body, &err);
    if (rc == 0)
        rc = http_json_string(body, "segment", true, &in.segment, &err) ||
             http_json_string(body, "method", true, &in.method, &err) ||
             http_json_string(body, "inspected_on", true, &in.inspected_on, &err) ||
             http_json_string(body, "inspector", false, &in.inspector, &err) ||
             http_json_number(body, "length_m", false, &len, &err);
    json_t *jd = rc == 0 ? json_object_get(body, "defects") : NULL;
    if (rc == 0 && jd && !json_is_array(jd))
        rc = app_fail(&err, APP_ERR_INVALID, "bad_defects", "defects", "defects 应为数组");
    size_t n = json_array_size(jd);
    if (rc == 0 && n > 200)
        rc = app_fail(&err, APP_ERR_INVALID, "too_many", "defects", "一次最多 200 个缺陷");
    defs = xcalloc(n ? n : 1, sizeof(defs[0]));
    for (size_t i = 0; rc == 0 && i < n; i++) {
        json_t *d = json_array_get(jd, i);
        char f[128];
        int64_t grade = 0;
        double pos = 0;
        struct app_error e = {0};
        if (!json_is_object(d) || http_json_string(d, "kind", true, &defs[i].kind, &e) ||
            http_json_string(d, "defect", true, &defs[i].defect, &e) ||
            http_json_int(d, "grade", true, &grade, &e) ||
            http_json_number(d, "position_m", false, &pos, &e)) {
            snprintf(f, sizeof(f), "defects[%zu]%s%s", i, e.field[0] ? "." : "", e.field);
            rc = app_fail(&err, APP_ERR_INVALID, e.code_name[0] ? e.code_name : "bad_defect", f,
                          "%s", e.message[0] ? e.message : "缺陷应为对象");
        }
        defs[i].grade = grade >= 0 && grade <= 100 ? (int)grade : 0;
        defs[i].position_m = pos;
    }
    in.length_m = len;
    in.defects = defs;
    in.ndefects = n;
    if (rc == 0)
        rc = sewer_inspection_record(req->app, req->db, req->who, &in, req->request_id, &id, opened,
                                     sizeof(opened), &err);
    json_decref(body);
    free(defs);
    if (rc)
        return http_reply_error(resp, &err);
    return http_reply_json(
        resp, 201,
        json_pack("{s:I,s:s?}", "id", (json_int_t)id, "event", opened[0] ? opened : NULL));
}

static int post_repair(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    json_t *body = NULL;
    const char *on = NULL, *note = NULL;
    struct sewer_defect d;
    char *end;
    const char *ids = http_param(req, "id");
    long long id = ids ? strtoll(ids, &end, 10) : 0;
    if (!ids || *end || id <= 0)
        return http_reply_problem(resp, APP_ERR_NOT_FOUND, "not_found", NULL, "缺陷不存在");
    if (http_read_json(req, &body, &err) ||
        http_json_string(body, "repaired_on", true, &on, &err) ||
        http_json_string(body, "note", true, &note, &err) ||
        sewer_defect_repair(req->app, req->db, req->who, id, on, note, req->request_id, &d, &err)) {
        json_decref(body);
        return http_reply_error(resp, &err);
    }
    json_decref(body);
    return http_reply_json(resp, 200, defect_json(&d));
}

static int figures_of(struct http_request *req, struct sewer_figures_list *out,
                      struct app_error *err)
{
    const char *g = http_query(req, "group_by");
    enum sewer_group group = SEWER_GROUP_NONE;
    if (g && strcmp(g, "street") == 0)
        group = SEWER_GROUP_STREET;
    else if (g && strcmp(g, "area") == 0)
        group = SEWER_GROUP_AREA;
    else if (g && *g)
        return app_fail(err, APP_ERR_INVALID, "bad_group", "group_by",
                        "group_by 应为 street 或 area");
    return sewer_figures(req->db, req->who, http_query(req, "from"), http_query(req, "to"), group,
                         out, err);
}

static int get_figures(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct sewer_figures_list l = {0};
    if (figures_of(req, &l, &err))
        return http_reply_error(resp, &err);
    json_t *j = figures_json(&l.items[0]);
    json_object_del(j, "group");
    json_object_del(j, "name");
    json_t *groups = json_array();
    for (size_t i = 1; i < l.len; i++)
        json_array_append_new(groups, figures_json(&l.items[i]));
    json_object_set_new(j, "from", json_string(http_query(req, "from")));
    json_object_set_new(j, "to", json_string(http_query(req, "to")));
    json_object_set_new(j, "action_grade", json_integer(COMPONENT_ACTION_GRADE));
    json_object_set_new(j, "groups", groups);
    sewer_figures_list_release(&l);
    return http_reply_json(resp, 200, j);
}

static void rate_cell(struct buf *b, double r)
{
    if (r < 0)
        buf_puts(b, ",");
    else
        buf_printf(b, ",%.4f", r);
}

static int get_figures_csv(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct sewer_figures_list l = {0};
    if (figures_of(req, &l, &err))
        return http_reply_error(resp, &err);
    struct buf b = BUF_INIT;
    buf_puts(&b,
             "\xEF\xBB\xBF分组,名称,管段总长(米),期内已排查长度(米),管网排查率,管段数,已排查管段数,"
             "需整治病害数,已整治病害数,病害整治率\r\n");
    for (size_t i = 0; i < l.len; i++) {
        const struct sewer_figures *f = &l.items[i];
        /* Names come from the region table; commas and quotes never appear in them, but the
         * cells are quoted anyway. */
        buf_printf(&b, "\"%s\",\"%s\",%.1f,%.1f", i == 0 ? "合计" : f->group,
                   i == 0 ? "" : f->group_name, f->total_m, f->inspected_m);
        rate_cell(&b, f->inspection_rate);
        buf_printf(&b, ",%ld,%ld,%ld,%ld", f->segments, f->segments_inspected, f->found,
                   f->repaired);
        rate_cell(&b, f->repair_rate);
        buf_puts(&b, "\r\n");
    }
    sewer_figures_list_release(&l);
    char name[128];
    snprintf(name, sizeof(name), "attachment; filename=\"sewer-figures-%.10s-%.10s.csv\"",
             http_query(req, "from"), http_query(req, "to"));
    http_set_header(resp, "Content-Disposition", name);
    http_reply_bytes(resp, 200, "text/csv; charset=utf-8", b.data ? b.data : "", b.len);
    buf_release(&b);
    return 0;
}

static int get_upstream(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct sewer_segment_list l = {0};
    if (sewer_upstream_open(req->db, req->who, http_query(req, "manhole"), &l, &err))
        return http_reply_error(resp, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < l.len; i++)
        json_array_append_new(items, segment_json(&l.items[i]));
    sewer_segment_list_release(&l);
    return http_reply_json(
        resp, 200, json_pack("{s:s,s:o}", "manhole", http_query(req, "manhole"), "items", items));
}

const struct http_route component_routes[] = {
    {"GET", "/api/v1/components", list_components, 0, "component.read"},
    {"POST", "/api/v1/components/import", post_import, HTTP_RAW_BODY, "component.write"},
    {"GET", "/api/v1/components/{code}", get_component, 0, "component.read"},
    {"POST", "/api/v1/components/{code}/state", post_component_state, 0, "component.write"},
    {NULL, NULL, NULL, 0, NULL},
};

const struct http_route sewer_routes[] = {
    {"GET", "/api/v1/sewer/segments", list_segments, 0, "sewer.read"},
    {"GET", "/api/v1/sewer/segments.geojson", list_segments_geojson, 0, "sewer.read"},
    {"GET", "/api/v1/sewer/segments/{code}", get_segment, 0, "sewer.read"},
    {"POST", "/api/v1/sewer/inspections", post_inspection, 0, "sewer.write"},
    {"POST", "/api/v1/sewer/defects/{id}/repair", post_repair, 0, "sewer.write"},
    {"GET", "/api/v1/sewer/figures", get_figures, 0, "sewer.read"},
    {"GET", "/api/v1/sewer/figures.csv", get_figures_csv, 0, "sewer.read"},
    {"GET", "/api/v1/sewer/upstream", get_upstream, 0, "sewer.read"},
    {NULL, NULL, NULL, 0, NULL},
};
